"""nn.Module internals, as the lecture notes present them."""

from collections import OrderedDict

import numpy as np
import pytest

import explorer.engine.nn.functional as F
from explorer.engine import Tensor, nn


class Model(nn.Module):
    """The lecture notes' Model, written by hand."""

    def __init__(self, input_features=4, hidden_size=3, output_features=2):
        super().__init__()
        self.linear1 = nn.Linear(input_features, hidden_size)
        self.linear2 = nn.Linear(hidden_size, output_features)

    def forward(self, x):
        return self.linear2(F.relu(self.linear1(x)))


def test_init_creates_the_registries_as_ordered_dicts():
    module = nn.Module()
    for name in (
        "_parameters",
        "_buffers",
        "_modules",
        "_backward_hooks",
        "_forward_hooks",
        "_forward_pre_hooks",
        "_state_dict_hooks",
        "_load_state_dict_pre_hooks",
    ):
        assert isinstance(getattr(module, name), OrderedDict), name
    assert module._non_persistent_buffers_set == set()
    assert module._is_full_backward_hook is None
    assert module.training is True


def test_forward_raises_until_overridden():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(Tensor([1.0]))


def test_setattr_routes_modules_and_parameters_by_type():
    model = Model()
    assert list(model._modules) == ["linear1", "linear2"]
    assert list(model._parameters) == []
    assert list(model.linear1._parameters) == ["weight", "bias"]
    assert "linear1" not in model.__dict__
    model.scale = nn.Parameter(np.ones(1, dtype=np.float32))
    assert list(model._parameters) == ["scale"]
    model.note = "plain attribute"
    assert model.__dict__["note"] == "plain attribute"


def test_parameters_recurse_as_in_the_lecture_notes():
    model = Model()
    params = list(model.parameters())
    expected = [model.linear1.weight, model.linear1.bias, model.linear2.weight, model.linear2.bias]
    assert len(params) == 4 and all(p is q for p, q in zip(params, expected, strict=True))
    assert list(model.parameters(recurse=False)) == []
    names = [name for name, _ in model.named_parameters()]
    assert names == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
    assert [n for n, _ in model.named_parameters(prefix="A")][0] == "A.linear1.weight"
    assert [n for n, _ in model.linear1.named_parameters(recurse=False)] == ["weight", "bias"]


def test_shared_parameters_are_yielded_once_unless_asked():
    net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    net[1].weight = net[0].weight
    assert len(list(net.parameters())) == 3
    assert len(list(net.named_parameters(remove_duplicate=False))) == 4


def test_children_modules_and_dotted_named_modules():
    outer = nn.Sequential(Model(), nn.ReLU())
    assert [type(m).__name__ for m in outer.children()] == ["Model", "ReLU"]
    assert [n for n, _ in outer.named_children()] == ["0", "1"]
    assert [n for n, _ in outer.named_modules()] == ["", "0", "0.linear1", "0.linear2", "1"]
    assert [n for n, _ in outer.named_modules(prefix="net")][1] == "net.0"
    assert len(list(outer.modules())) == 5
    assert outer.get_submodule("0.linear2") is outer[0].linear2
    assert outer.get_parameter("0.linear1.bias") is outer[0].linear1.bias


def test_getattr_and_delattr_use_the_registries():
    model = Model()
    assert model.linear1 is model._modules["linear1"]
    with pytest.raises(AttributeError, match="'Model' object has no attribute 'linear3'"):
        _ = model.linear3
    del model.linear2
    assert list(model._modules) == ["linear1"]
    assert "linear1" in dir(model) and "weight" in dir(model.linear1)


def test_assigning_a_non_parameter_to_a_parameter_slot_is_rejected():
    layer = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'ndarray' as parameter 'weight'"):
        layer.weight = np.zeros((2, 2))
    layer.bias = None
    assert layer._parameters["bias"] is None
    assert [n for n, _ in layer.named_parameters()] == ["weight"]


def test_attributes_before_init_are_rejected():
    class Broken(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Broken()


def test_buffers_are_saved_unless_non_persistent():
    module = nn.Module()
    module.register_buffer("running", Tensor(np.zeros(2)))
    module.register_buffer("scratch", Tensor(np.ones(1)), persistent=False)
    assert [n for n, _ in module.named_buffers()] == ["running", "scratch"]
    assert list(module.state_dict()) == ["running"]
    assert module._non_persistent_buffers_set == {"scratch"}
    with pytest.raises(KeyError, match="contain"):
        module.register_buffer("a.b", None)


def test_forward_pre_hook_and_forward_hook_run_and_can_be_removed():
    model = Model()
    calls = []
    pre = model.register_forward_pre_hook(lambda m, args: calls.append(("pre", args[0].shape)))
    post = model.linear1.register_forward_hook(
        lambda m, args, out: calls.append(("post", out.shape))
    )
    model(Tensor(np.ones((5, 4), dtype=np.float32)))
    assert calls == [("pre", (5, 4)), ("post", (5, 3))]
    pre.remove()
    post.remove()
    model(Tensor(np.ones((5, 4), dtype=np.float32)))
    assert len(calls) == 2
    assert not model._forward_pre_hooks and not model.linear1._forward_hooks


def test_hooks_can_replace_input_and_output():
    layer = nn.Identity()
    layer.register_forward_pre_hook(lambda m, args: args[0] * 2)
    handle = layer.register_forward_hook(lambda m, args, out: out + 1)
    assert layer(Tensor([1.0])).item() == 3.0
    with handle:
        pass
    assert layer(Tensor([1.0])).item() == 2.0


def test_state_dict_shares_memory_and_round_trips():
    model, other = Model(), Model()
    state = model.state_dict()
    assert list(state) == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
    assert all(type(v) is Tensor and not v.requires_grad for v in state.values())
    state["linear1.bias"][...] = 123.0  # as torch's detach(): the model changes too
    assert np.all(model.linear1.bias.detach().numpy() == 123.0)
    weight_object = other.linear1.weight
    result = other.load_state_dict(model.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert other.linear1.weight is weight_object
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(other.state_dict()[key], value)
    kept = model.state_dict(keep_vars=True)
    assert kept["linear1.weight"] is model.linear1.weight


def test_load_state_dict_errors_read_like_torch():
    model = Model()
    state = model.state_dict()
    del state["linear2.bias"]
    state["extra"] = np.zeros(1)
    state["linear1.weight"] = np.zeros((7, 4))
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    assert str(info.value) == (
        "Error(s) in loading state_dict for Model:\n"
        '\tMissing key(s) in state_dict: "linear2.bias". \n'
        '\tUnexpected key(s) in state_dict: "extra". \n'
        "\tsize mismatch for linear1.weight: copying a param with shape torch.Size([7, 4]) "
        "from checkpoint, the shape in current model is torch.Size([3, 4])."
    )


def test_load_state_dict_non_strict_returns_the_key_lists():
    model = Model()
    state = model.state_dict()
    del state["linear2.bias"]
    state["extra"] = np.zeros(1)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == ["linear2.bias"] and unexpected == ["extra"]
    with pytest.raises(TypeError, match="dict-like"):
        model.load_state_dict([1, 2])


def test_load_state_dict_casts_to_the_parameter_dtype():
    layer = nn.Linear(2, 1)
    layer.load_state_dict({"weight": np.array([[1.0, 2.0]]), "bias": Tensor([0.5])})
    assert layer.weight.dtype == np.float32
    np.testing.assert_array_equal(layer.weight.data, [[1.0, 2.0]])


def test_train_eval_propagate():
    model = nn.Sequential(Model(), nn.Dropout())
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError, match="boolean"):
        model.train("yes")


def test_zero_grad_requires_grad_apply_and_dtype_conversion():
    model = Model()
    model(Tensor(np.ones((2, 4), dtype=np.float32))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(np.all(p.grad == 0) for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "Linear", "Model"]
    weight = model.linear1.weight
    assert model.double() is model and weight.dtype == np.float64
    assert model.linear1.weight is weight
    model.float()
    assert weight.dtype == np.float32
    with pytest.raises(TypeError, match="floating point"):
        model.to(np.int64)


def test_repr_matches_torch_format():
    assert repr(Model()) == (
        "Model(\n"
        "  (linear1): Linear(in_features=4, out_features=3, bias=True)\n"
        "  (linear2): Linear(in_features=3, out_features=2, bias=True)\n"
        ")"
    )
    assert repr(nn.Module()) == "Module()"
    nested = nn.Sequential(nn.Sequential(nn.ReLU()))
    assert repr(nested) == ("Sequential(\n  (0): Sequential(\n    (0): ReLU()\n  )\n)")


def test_parameter_repr_and_defaults():
    param = nn.Parameter(Tensor([1.0, 2.0]))
    assert param.requires_grad and param.dtype == np.float32
    assert repr(param) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)


def test_deepcopy_gives_an_independent_model():
    import copy

    model = Model()
    clone = copy.deepcopy(model)
    assert repr(clone) == repr(model)
    assert clone.linear1.weight is not model.linear1.weight
    assert isinstance(clone.linear1.weight, nn.Parameter)
    clone.linear1.weight.data[...] = 0
    assert np.any(model.linear1.weight.data != 0)


def test_to_cpu_is_a_no_op():
    model = Model()
    assert model.to("cpu") is model and model.linear1.weight.dtype == np.float32


def test_reassigning_a_child_or_parameter_keeps_its_place_as_in_torch():
    model = nn.MLP(4, (3,), 2)
    model.linear1 = nn.Linear(4, 3)
    assert list(model._modules) == ["linear1", "linear2"]
    layer = nn.Linear(2, 2)
    layer.weight = nn.Parameter(Tensor(np.ones((2, 2), dtype=np.float32)))
    assert list(layer.state_dict()) == ["weight", "bias"]
    assert [p.shape for p in layer.parameters()] == [(2, 2), (2,)]
