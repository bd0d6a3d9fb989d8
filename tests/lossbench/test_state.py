import numpy as np
import pytest

from explorer.lossbench.state import tensors_from_state


def good():
    return {
        "loss": "CrossEntropy",
        "options": {"reduction": "sum", "weight": [1, 2, 3]},
        "shape": [2, 3],
        "seed": 4,
        "input": [[0.5, 1.0, -1.0], [0.0, 0.0, 2.0]],
        "target": [2, 0],
    }


def test_a_good_state_gives_typed_tensors():
    kind, options, shape, seed, x, t = tensors_from_state(good())
    assert (kind, shape, seed) == ("CrossEntropy", (2, 3), 4)
    assert options.weight == (1.0, 2.0, 3.0) and options.reduction == "sum"
    assert x.dtype == np.float64 and t.dtype == np.int64


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("loss", "Hinge", "state 'loss': unknown loss 'Hinge'"),
        ("loss", ["L1"], "state 'loss': unknown loss \\['L1'\\]"),
        ("options", {"delta": "x"}, "state 'options': delta must be a number"),
        ("shape", [2, 30], "state 'shape': C must be between 1 and 16; got 30"),
        ("shape", 5, "state 'shape' must be \\[N, C\\]"),
        ("seed", -1, "state 'seed' must be an integer"),
        ("input", [[1, 2, 3]], "state 'input' must have shape \\(2, 3\\)"),
        ("input", [[1, 2, "a"], [1, 2, 3]], "state 'input' is not a table of numbers"),
        ("input", [[1, 2, float("inf")], [1, 2, 3]], "state 'input'\\[0, 2\\] is not a finite"),
        ("target", [0.5, 1], "state 'target' must hold integer class indices"),
        ("target", [1e300, 1], "state 'target' must hold integer class indices"),
        ("target", [10**400, 1], "state 'target' is not a table of numbers"),
        ("input", [[10**400, 2, 3], [1, 2, 3]], "state 'input' is not a table of numbers"),
    ],
)
def test_bad_entries_are_named(key, value, message):
    state = good()
    state[key] = value
    with pytest.raises(ValueError, match=message):
        tensors_from_state(state)


def test_missing_entry_is_named():
    state = good()
    del state["seed"]
    with pytest.raises(ValueError, match="no 'seed' entry"):
        tensors_from_state(state)


def test_typed_tensors_come_back_for_their_kinds_and_shape_only():
    from explorer.lossbench.state import TypedTensors

    kept = TypedTensors()
    x, t = np.arange(6.0).reshape(2, 3), np.array([0, 2])
    kept.keep(("logits", "class indices"), x, t)
    x[0, 0] = 99.0  # a copy was kept
    back_x, back_t = kept.recall(("logits", "class indices"), (2, 3))
    assert back_x[0, 0] == 0.0 and back_t.tolist() == [0, 2]
    assert kept.recall(("logits", "class indices"), (3, 3)) is None
    assert kept.recall(("real", "real"), (2, 3)) is None
    kept.forget()
    assert len(kept) == 0
