import pytest

from explorer.ui.model.tab_state import DEFAULT_STATE, validate_tab_state


def test_missing_keys_take_the_defaults():
    state = validate_tab_state({"view": "forward"}, 50_000_000)
    assert state["view"] == "forward"
    assert state["config"].hidden_sizes == (256,)
    assert set(state) == set(DEFAULT_STATE)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ([], "must be a dict"),
        ({"colour": 1}, "unknown.*colour"),
        ({"recurse": "yes"}, "recurse.*'yes'"),
        ({"view": "3d"}, "view.*'3d'"),
        ({"sample_source": "camera"}, "sample_source.*'camera'"),
        ({"sample_index": -1}, "sample_index.*-1"),
        ({"selected": 3}, "selected.*3"),
        ({"config": {"hidden_sizes": [0]}}, r"hidden_sizes\[0\].*0"),
        ({"config": {"input_features": 100_000, "hidden_sizes": [1000]}}, "budget"),
    ],
)
def test_bad_entries_are_named(state, message):
    with pytest.raises(ValueError, match=message):
        validate_tab_state(state, 50_000_000)
