import pytest

from explorer.inspect.listing import internals_listing, parameter_listing
from explorer.inspect.module_info import build_tree
from explorer.model.config import MLPConfig


@pytest.fixture
def seed_model():
    model = MLPConfig.from_dict({}).build()
    return model, build_tree(model)


def test_root_without_recurse_yields_nothing_and_says_why(seed_model):
    model, root = seed_model
    assert list(model.parameters(recurse=False)) == []
    text = parameter_listing(root, model, recurse=False)
    assert (
        "(nothing: MLP keeps no parameters of its own; they live in its children "
        "linear1, linear2)" in text
    )
    assert "0 parameters with recurse=False; recurse=True would yield 4." in text


def test_root_with_recurse_lists_the_seeds_four_parameters(seed_model):
    model, root = seed_model
    text = parameter_listing(root, model, recurse=True)
    for name, param in model.named_parameters():
        assert f"{name} {tuple(param.shape)}" in text
        assert f"# is model.{name}" in text
    assert repr(list(model.state_dict().keys())) in text
    assert text.index("linear1.weight") < text.index("linear1.bias") < text.index("linear2.weight")


@pytest.mark.parametrize("recurse", [True, False])
def test_child_listing_uses_relative_names(seed_model, recurse):
    model, root = seed_model
    text = parameter_listing(root.find("linear2"), model, recurse=recurse)
    assert f">>> for param in model.linear2.parameters(recurse={recurse}):" in text
    assert "weight (10, 256)" in text and "bias (10,)" in text
    assert "['weight', 'bias']" in text


def test_parameter_node_explains_it_is_not_a_module(seed_model):
    model, root = seed_model
    text = parameter_listing(root.find("linear1.bias"), model, recurse=True)
    assert "model.linear1.bias is a Parameter, not a Module" in text
    assert "model.linear1._parameters['bias']" in text


def test_internals_show_the_registries_in_init_order(seed_model):
    model, root = seed_model
    text = internals_listing(root)
    assert "model.training = True" in text
    assert "model._parameters = OrderedDict()" in text
    assert "('linear1', Linear(in_features=784, out_features=256, bias=True))" in text
    lines = [line.split(" = ")[0] for line in text.splitlines() if " = " in line]
    assert (
        lines.index("model._parameters")
        < lines.index("model._forward_hooks")
        < lines.index("model._modules")
    )
    child = internals_listing(root.find("linear1"))
    assert "('weight', Parameter(shape=(256, 784), dtype=float32, requires_grad=True))" in child
    assert "model.linear1._modules = OrderedDict()" in child


def test_internals_show_a_registered_hook(seed_model):
    model, root = seed_model

    def watch(module, args, output):
        return None

    handle = model.linear1.register_forward_hook(watch)
    text = internals_listing(root.find("linear1"))
    assert f"({handle.id!r}, <function {watch.__qualname__}>)" in text
    handle.remove()
    assert "model.linear1._forward_hooks = OrderedDict()" in internals_listing(root.find("linear1"))


def test_internals_separate_plain_attributes_from_the_registries(seed_model):
    model, root = seed_model
    text = internals_listing(root)
    plain = text[text.index("vars(model)") :]
    assert "'init_weight': 'he'" in plain and "'input_features': 784" in plain
    assert "linear1" not in plain and "training" not in plain
    assert "'in_features': 784" in internals_listing(root.find("linear1"))
