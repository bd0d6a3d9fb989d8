"""The cached hot-path constants are read-only and give the numbers Python scalars give."""

import numpy as np
import pytest

from explorer.engine.fast import constants as _constants


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_0d_scalar_multiplies_exactly_like_the_python_number(dtype):
    values = np.random.default_rng(0).normal(size=100).astype(dtype)
    for number in (0.01, 0.1234567, 1e-5, 3):
        assert np.array_equal(_constants.scalar(number, values.dtype) * values, number * values)
        assert _constants.scalar(number, values.dtype).dtype == dtype


def test_constants_are_cached_and_read_only():
    ones = _constants.ones(5, np.dtype(np.float32))
    assert ones is _constants.ones(5, np.dtype(np.float32))
    assert np.array_equal(ones, np.ones(5)) and ones.dtype == np.float32
    assert np.array_equal(_constants.arange(4), np.arange(4))
    for array in (ones, _constants.arange(4), _constants.scalar(0, np.dtype(np.float64))):
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 7


def test_int_and_float_keys_do_not_collide():
    assert _constants.scalar(1, np.dtype(np.float32)) is not _constants.scalar(
        1.0, np.dtype(np.float32)
    )


def test_tables_make_each_constant_once_read_only_and_start_over_when_full(monkeypatch):
    made = []
    table = _constants.Table(lambda key: made.append(key) or _constants.scalar(*key))
    f32 = np.dtype(np.float32)
    assert table[2, f32] is table[2, f32] and made == [(2, f32)]
    assert table[2, f32].dtype == f32 and table[2, f32] == 2
    with pytest.raises(ValueError, match="read-only"):
        table[2, f32][...] = 7
    monkeypatch.setattr(_constants, "_LIMIT", 3)
    for n in range(5):
        assert table[n, f32] == n
    assert len(table) <= 3
