import numpy as np
import pytest

from explorer.model.budget import BudgetError, ParameterBudget
from explorer.model.config import MLPConfig
from explorer.model.document import Event, ModelDocument

SMALL = MLPConfig(input_features=2, hidden_sizes=(8,), output_features=3)


def recorder(document):
    """Every event the document emits, in order, as (name, args)."""
    seen = []
    for name in (
        "model_changed",
        "weights_changed",
        "trained_changed",
        "training_changed",
        "budget_changed",
        "samples_changed",
    ):
        getattr(document, name).connect(lambda *args, name=name: seen.append((name, args)))
    return seen


def test_an_event_calls_its_callbacks_in_order_until_disconnected():
    event, calls = Event(), []
    first, second = (lambda x: calls.append(("a", x))), (lambda x: calls.append(("b", x)))
    event.connect(first)
    event.connect(second)
    event.emit(1)
    event.disconnect(first)
    event.disconnect(first)  # twice is harmless
    event.emit(2)
    assert calls == [("a", 1), ("b", 1), ("b", 2)]


def test_the_first_model_is_built_from_the_config():
    document = ModelDocument(SMALL)
    assert document.config == SMALL and SMALL.describes(document.model)
    assert not document.trained and not document.training
    assert ModelDocument().config == MLPConfig()
    big = MLPConfig(input_features=2, hidden_sizes=(100, 100), output_features=3)
    with pytest.raises(BudgetError, match="2-100-100-3 would hold 10,703 parameters"):
        ModelDocument(big, ParameterBudget(1_000))
    # the default model is there whatever a remembered budget says
    assert ModelDocument(budget=ParameterBudget(1_000)).config == MLPConfig()


def test_setters_validate_and_emit_only_on_a_real_change():
    document = ModelDocument(SMALL)
    seen = recorder(document)
    document.set_trained(False)
    document.set_training(False)
    document.set_budget(ParameterBudget())
    document.set_sample_source(None, "")
    assert seen == []
    provider = lambda index: None  # noqa: E731
    document.set_trained(True)
    document.set_trained(True)
    document.set_training(True)
    document.set_budget(ParameterBudget(2_000))
    document.set_sample_source(provider, "moons")
    document.set_sample_source(provider, "moons")
    assert seen == [
        ("trained_changed", (True,)),
        ("training_changed", (True,)),
        ("budget_changed", (ParameterBudget(2_000),)),
        ("samples_changed", (provider, "moons")),
    ]
    for setter, bad in (
        (document.set_trained, 1),
        (document.set_training, "yes"),
        (document.set_budget, 5_000),
        (document.set_sample_source, "not callable"),
    ):
        with pytest.raises(ValueError):
            setter(bad)
    assert document.sample_provider is provider and document.sample_name == "moons"


def test_build_prices_first_then_replaces_the_model_and_forgets_training():
    document = ModelDocument(SMALL, ParameterBudget(1_000))
    document.set_trained(True)
    seen = recorder(document)
    before = document.model
    with pytest.raises(BudgetError, match="2-100-100-3 would hold 10,703 parameters"):
        document.build(MLPConfig(input_features=2, hidden_sizes=(100, 100), output_features=3))
    with pytest.raises(ValueError, match="MLPConfig"):
        document.price({"hidden_sizes": [3]})
    assert document.model is before and seen == [] and document.trained
    model = document.build(SMALL.adapted(4, 2))
    assert document.model is model is not before and document.config == SMALL.adapted(4, 2)
    assert not document.trained
    assert seen == [("model_changed", (model,)), ("trained_changed", (False,))]


def test_install_takes_a_model_built_elsewhere_only_if_it_is_the_configured_one():
    document = ModelDocument(SMALL)
    other = SMALL.adapted(5, 3)
    with pytest.raises(ValueError, match="not the 5-8-3 MLP"):
        document.install(other, SMALL.build())
    model = other.build()
    document.install(other, model)
    assert document.model is model and document.config == other


def test_reinitialize_draws_from_the_seed_and_says_the_weights_changed():
    document = ModelDocument(SMALL)
    document.set_trained(True)
    document.model.linear1.weight.data[...] = 7
    seen = recorder(document)
    document.reinitialize(0)
    expected = SMALL.build()
    for key, value in expected.state_dict().items():
        np.testing.assert_array_equal(document.model.state_dict()[key], value)
    assert seen == [("weights_changed", ()), ("trained_changed", (False,))]


def test_state_and_arrays_round_trip():
    document = ModelDocument(SMALL)
    document.model.linear2.bias.data[...] = 3
    document.set_trained(True)
    state, arrays = document.state(), document.arrays()
    arrays["linear1.weight"][...] = 1  # a copy: the model is untouched
    assert not np.all(document.model.linear1.weight.data == 1)
    again = ModelDocument()
    again.restore_state(state)
    again.restore_arrays(arrays)
    assert again.config == SMALL and again.trained
    np.testing.assert_array_equal(again.model.linear2.bias.data, 3)
    np.testing.assert_array_equal(again.model.linear1.weight.data, 1)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ([], "must be an object"),
        ({"colour": 1}, "unknown model state key.*colour"),
        ({"config": {"hidden_sizes": [0]}}, r"hidden_sizes\[0\]"),
        ({"trained": "yes"}, "trained must be true or false"),
        ({"config": {"hidden_sizes": [2]}}, "above the parameter budget of 1,000"),
    ],
)
def test_a_bad_state_changes_nothing(state, message):
    document = ModelDocument(SMALL, ParameterBudget(1_000))
    seen = recorder(document)
    before = document.model
    with pytest.raises(ValueError, match=message):
        document.restore_state(state)
    assert document.model is before and seen == []


def test_arrays_that_do_not_fit_change_nothing():
    document = ModelDocument(SMALL)
    before = document.arrays()
    with pytest.raises(ValueError, match="missing.*linear2.bias"):
        document.restore_arrays({k: v for k, v in before.items() if k != "linear2.bias"})
    with pytest.raises(ValueError, match=r"'linear1.weight' has shape \(2, 2\)"):
        document.restore_arrays({**before, "linear1.weight": np.zeros((2, 2))})
    for key, value in before.items():
        np.testing.assert_array_equal(document.model.state_dict()[key], value)


def test_the_default_models_sizes_follow_the_data_until_someone_sets_them():
    document = ModelDocument()
    assert document.follows_data and not ModelDocument(SMALL).follows_data
    seen = recorder(document)
    model = document.adapt(2, 3)
    assert document.config == MLPConfig().adapted(2, 3) and document.model is model
    assert document.follows_data and seen == [("model_changed", (model,))]
    document.build(MLPConfig(input_features=2, hidden_sizes=(16,), output_features=3))
    assert document.follows_data  # other hidden layers: the sizes still follow
    document.build(MLPConfig(input_features=784, output_features=10))
    assert not document.follows_data  # the person's own sizes are kept
    document.adapt(4, 3)
    assert document.follows_data


def test_a_unit_is_selected_by_layer_and_index_and_checked():
    import pytest

    document = ModelDocument(MLPConfig(input_features=2, hidden_sizes=(4,), output_features=3))
    seen = []
    document.unit_selected.connect(seen.append)
    document.select_unit("linear1", 3)
    document.select_unit("linear1", 3)
    assert seen == [("linear1", 3)] and document.selected_unit == ("linear1", 3)
    with pytest.raises(ValueError, match="linear1 has units 0 to 3; got 4"):
        document.select_unit("linear1", 4)
    with pytest.raises(ValueError, match="no Linear layer 'linear9'"):
        document.select_unit("linear9", 0)
    document.build(document.config)  # a new model: the old unit is gone
    assert document.selected_unit is None


def test_the_data_is_set_once_and_said():
    from explorer.data import make_synthetic

    document = ModelDocument(MLPConfig(input_features=2, hidden_sizes=(4,), output_features=2))
    seen = []
    document.data_changed.connect(seen.append)
    train, val = make_synthetic("moons", n_samples=20), make_synthetic("moons", n_samples=30)
    document.set_data(train, val)
    document.set_data(train, val)
    document.set_data(None)
    assert len(seen) == 2 and seen[0][0] is train and seen[1] is None
