"""nn.Sequential and nn.ModuleList."""

from collections import OrderedDict

import numpy as np
import pytest

from explorer.engine import Tensor, nn


def test_sequential_chains_indexes_and_iterates():
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert len(net) == 3 and isinstance(net[1], nn.ReLU) and isinstance(net[-1], nn.Linear)
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    x = Tensor(np.ones((4, 2), dtype=np.float32))
    np.testing.assert_allclose(net(x).data, net[2](net[1](net[0](x))).data)
    head = net[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is net[0]
    with pytest.raises(IndexError, match="index 3 is out of range"):
        net[3]


def test_sequential_from_ordered_dict_and_mutation():
    net = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert [n for n, _ in net.named_children()] == ["fc", "act"]
    net.append(nn.Sigmoid())
    assert list(net._modules) == ["fc", "act", "2"]
    del net[0]
    assert list(net._modules) == ["0", "1"]


def test_sequential_repr_matches_torch():
    net = nn.Sequential(
        nn.Linear(2, 3),
        nn.ReLU(inplace=True),
        nn.LeakyReLU(),
        nn.Softmax(dim=1),
        nn.LogSoftmax(),
        nn.Dropout(),
        nn.Identity(),
        nn.Sigmoid(),
        nn.Tanh(),
        nn.Linear(3, 1, bias=False),
    )
    assert (
        repr(net)
        == """Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): ReLU(inplace=True)
  (2): LeakyReLU(negative_slope=0.01)
  (3): Softmax(dim=1)
  (4): LogSoftmax(dim=None)
  (5): Dropout(p=0.5, inplace=False)
  (6): Identity()
  (7): Sigmoid()
  (8): Tanh()
  (9): Linear(in_features=3, out_features=1, bias=False)
)"""
    )
    assert repr(nn.Sequential()) == "Sequential()"


def test_module_list_registers_and_compresses_repr():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU()])
    layers.append(nn.Linear(2, 3))
    assert len(layers) == 4 and len(list(layers.parameters())) == 6
    assert (
        repr(layers)
        == """ModuleList(
  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)
  (2): ReLU()
  (3): Linear(in_features=2, out_features=3, bias=True)
)"""
    )
    layers.insert(0, nn.Tanh())
    assert isinstance(layers[0], nn.Tanh) and list(layers._modules)[-1] == "4"
    assert repr(nn.ModuleList()) == "ModuleList()"
    with pytest.raises(NotImplementedError):
        layers(Tensor([1.0]))


def test_flatten():
    layer = nn.Flatten()
    assert repr(layer) == "Flatten(start_dim=1, end_dim=-1)"
    assert layer(Tensor(np.zeros((4, 8, 8)))).shape == (4, 64)
    assert nn.Flatten(0)(Tensor(np.zeros((4, 8, 8)))).shape == (256,)
