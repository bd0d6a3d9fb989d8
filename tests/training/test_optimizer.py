import pytest

from explorer.engine import nn, optim
from explorer.training import TrainingConfig, make_optimizer


@pytest.mark.parametrize(
    ("name", "kind", "momentum"),
    [("sgd", optim.SGD, 0), ("momentum", optim.SGD, 0.9), ("adam", optim.Adam, None)],
)
def test_optimizer_choice(name, kind, momentum):
    model = nn.MLP(2, (3,), 2)
    opt = make_optimizer(model, TrainingConfig(optimizer=name, lr=0.05, weight_decay=1e-3))
    assert isinstance(opt, kind)
    group = opt.param_groups[0]
    assert group["lr"] == 0.05 and group["weight_decay"] == 1e-3
    if momentum is not None:
        assert group["momentum"] == momentum
