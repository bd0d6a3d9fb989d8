import numpy as np
import pytest

from explorer.lossbench.spec import (
    CLASS_INDICES,
    LOG_PROBABILITIES,
    PROBABILITIES,
    REAL,
    UNIT_INTERVAL,
)
from explorer.lossbench.tensors import (
    check_shape,
    convert,
    format_number,
    parse_cell,
    random_tensor,
    resized,
)


@pytest.mark.parametrize(
    "kind", [REAL, CLASS_INDICES, PROBABILITIES, LOG_PROBABILITIES, UNIT_INTERVAL]
)
def test_random_tensors_are_seeded_and_shaped(kind):
    a = random_tensor(kind, 3, 5, seed=7, stream=1)
    b = random_tensor(kind, 3, 5, seed=7, stream=1)
    np.testing.assert_array_equal(a, b)
    assert a.shape == ((3,) if kind == CLASS_INDICES else (3, 5))
    assert not np.array_equal(a, random_tensor(kind, 3, 5, seed=8, stream=1))


def test_random_tensors_have_the_kind_the_loss_needs():
    idx = random_tensor(CLASS_INDICES, 16, 4, 0, 1)
    assert idx.dtype == np.int64 and idx.min() >= 0 and idx.max() < 4
    p = random_tensor(PROBABILITIES, 16, 16, 0, 1)
    assert np.all(p > 0) and np.allclose(p.sum(axis=1), 1, atol=1e-4)
    logp = random_tensor(LOG_PROBABILITIES, 4, 5, 0, 1)
    assert np.all(logp < 0)
    x = random_tensor(UNIT_INTERVAL, 4, 5, 0, 0)
    assert np.all((x > 0) & (x < 1))
    y = random_tensor(UNIT_INTERVAL, 4, 5, 0, 1)
    assert set(np.unique(y)) <= {0.0, 1.0}
    single = random_tensor(PROBABILITIES, 3, 1, 0, 1)
    np.testing.assert_array_equal(single, np.ones((3, 1)))


def test_shape_is_limited_to_16_by_16():
    check_shape(16, 16)
    with pytest.raises(ValueError, match="C must be between 1 and 16; got 17"):
        check_shape(3, 17)
    with pytest.raises(ValueError, match="N must be an integer"):
        check_shape(2.5, 3)
    with pytest.raises(ValueError, match=r"got 1000000000000.*\(401 characters\)"):
        check_shape(10**400, 3)


@pytest.mark.parametrize("text", ["abc", "", "inf", "nan", "-inf", "1e400"])
def test_a_cell_that_is_not_a_finite_number_is_named_and_quoted(text):
    with pytest.raises(ValueError) as info:
        parse_cell("input", (1, 3), text)
    assert str(info.value) == f"input[1, 3] is not a finite number: {text!r}"


def test_class_index_cells_take_integers_only():
    assert parse_cell("target", (2,), " 4 ", integer=True) == 4
    assert parse_cell("target", (2,), "-100", integer=True) == -100
    with pytest.raises(ValueError, match=r"target\[2\] is not a class index \(an integer\): '2.5'"):
        parse_cell("target", (2,), "2.5", integer=True)
    assert parse_cell("input", (0, 0), "1e-3") == pytest.approx(0.001)
    # a class index is an int64, as in torch: 1e300 is a whole number but not an index
    with pytest.raises(ValueError, match="not a class index"):
        parse_cell("target", (2,), "1e300", integer=True)
    assert parse_cell("target", (2,), str(2**63 - 1024), integer=True) == 2**63 - 1024


def test_conversions_keep_the_meaning():
    onehot = convert(np.array([2, 0]), CLASS_INDICES, PROBABILITIES, 3)
    np.testing.assert_array_equal(onehot, [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(convert(onehot, PROBABILITIES, CLASS_INDICES, 3), [2, 0])
    assert convert(np.array([5]), CLASS_INDICES, PROBABILITIES, 3) is None
    p = np.array([[0.25, 0.75]], dtype=np.float32)
    logp = convert(p, PROBABILITIES, LOG_PROBABILITIES, 2)
    np.testing.assert_allclose(np.exp(logp), p, atol=1e-4)
    assert convert(np.array([[0.0, 1.0]]), PROBABILITIES, LOG_PROBABILITIES, 2) is None
    scores = np.array([[1.0, 2.0, 3.0]])
    logsm = convert(scores, REAL, LOG_PROBABILITIES, 3)
    np.testing.assert_allclose(np.exp(logsm).sum(), 1, atol=1e-3)
    assert convert(scores, REAL, UNIT_INTERVAL, 3) is None


def test_resizing_keeps_the_shared_block():
    old = np.arange(6, dtype=np.float32).reshape(2, 3)
    new = resized(old, np.full((3, 2), -1, dtype=np.float32))
    np.testing.assert_array_equal(new, [[0, 1], [3, 4], [-1, -1]])


def test_numbers_are_written_as_the_shortest_text_that_reads_back_the_same():
    assert format_number(0.1) == "0.1"
    assert format_number(-0.0) == "0"
    assert format_number(1.3040) == "1.304"
    assert float(format_number(1 / 3)) == 1 / 3


def test_huge_and_tiny_numbers_are_written_in_scientific_notation():
    from explorer.lossbench.tensors import cell_text, value_text

    assert format_number(1e300) == "1e+300"
    assert float(format_number(-1.2345e-7)) == -1.2345e-7
    assert format_number(float("inf")) == "inf"
    assert cell_text(1e300) == "1e+300" and cell_text(-1.5e-6) == "-1.5e-06"
    assert cell_text(0.5) == "0.5000" and cell_text(-0.0) == "0.0000"
    assert cell_text(float("nan")) == "nan" and cell_text(float("-inf")) == "-inf"
    assert value_text(0.25) == "0.250000" and value_text(1e300) == "1.000000e+300"
    assert value_text(2e-9) == "2.000000e-09" and value_text(float("inf")) == "inf"
