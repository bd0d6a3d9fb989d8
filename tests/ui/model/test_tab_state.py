import pytest

from explorer.ui.model.tab_state import DEFAULT_STATE, validate_tab_state


def test_missing_keys_take_the_defaults():
    state = validate_tab_state({"view": "forward"})
    assert state["view"] == "forward"
    assert set(state) == set(DEFAULT_STATE) and "config" not in state


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
        ({"config": {"hidden_sizes": [256]}}, "unknown.*config"),
    ],
)
def test_bad_entries_are_named(state, message):
    with pytest.raises(ValueError, match=message):
        validate_tab_state(state)
