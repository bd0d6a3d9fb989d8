"""A run's per-layer history: bounded memory, what its numbers say, sessions."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.inspect.layer_history import HIST_BINS, MAX_SCALAR_RECORDS, LayerHistory

LAYERS = ["linear1", "linear2"]


def distribution(history, step, dead=(0.0, np.nan), low=-1.0, high=1.0):
    counts = np.zeros((2, HIST_BINS), np.float32)
    counts[:, 3] = 10
    ranges = np.array([[low, high], [low, high]])
    history.add_distribution(step, counts, ranges, counts, ranges, np.asarray(dead, np.float32))


def test_the_update_ratio_is_the_update_norm_over_the_weight_norm():
    history = LayerHistory(LAYERS)
    history.add_scalars(1, [1.0, 2.0], [4.0, 0.0], [0.004, 0.5])
    np.testing.assert_allclose(history.update_ratio()[0, 0], 1e-3)
    assert np.isnan(history.update_ratio()[0, 1])  # no weight: no ratio


def test_a_hundred_thousand_steps_take_bounded_memory():
    history = LayerHistory([f"linear{i}" for i in range(1, 10)])
    before = history.nbytes
    assert before <= 50 * 2**20
    for step in range(1, 100_001):
        history.add_scalars(step, np.ones(9), np.ones(9), np.ones(9))
        if step % 10 == 0:
            distribution_9 = np.ones((9, HIST_BINS), np.float32)
            ranges = np.tile([0.0, 1.0], (9, 1))
            history.add_distribution(
                step, distribution_9, ranges, distribution_9, ranges, np.zeros(9, np.float32)
            )
    assert history.nbytes == before
    steps = history.steps()
    assert len(steps) <= MAX_SCALAR_RECORDS and steps[-1] >= 99_000
    assert np.all(np.diff(steps) > 0) and steps[0] <= 100  # the whole run stays covered


def test_the_common_value_axis_keeps_every_count():
    history = LayerHistory(LAYERS)
    distribution(history, 1, low=-1.0, high=1.0)
    distribution(history, 2, low=-3.0, high=0.5)
    steps, edges, image = history.density_image("weight", 0, bins=50)
    assert list(steps) == [1, 2] and edges[0] == -3.0 and edges[-1] == 1.0
    np.testing.assert_allclose(image.sum(axis=1), 10.0, rtol=1e-5)
    centre = (edges[:-1] + edges[1:]) / 2
    source = np.linspace(-1, 1, HIST_BINS + 1)[3:5]  # record 1's full bin
    inside = (centre > source[0]) & (centre < source[1])
    assert image[0, inside].sum() > 0 and image[0, centre > 0.5].sum() == 0


def test_hints_name_vanishing_exploding_and_dead_layers():
    history = LayerHistory(LAYERS)
    assert history.hints() == []
    history.add_scalars(1, [1e-7, 1.0], [1.0, 1.0], [1e-3, 1e-3])
    assert history.hints()[0].startswith("Vanishing gradients: linear1")
    exploding = LayerHistory(LAYERS)
    for step in range(1, 20):
        exploding.add_scalars(step, [1.0, 1.0], [1.0, 1.0], [1e-3, 1e-3])
    exploding.add_scalars(20, [1.0, 500.0], [1.0, 1.0], [1e-3, 1e-3])
    assert any(h.startswith("Exploding gradients: linear2") for h in exploding.hints())
    distribution(history, 2, dead=(0.75, np.nan))
    assert any(h.startswith("Most units dead: 75% of linear1") for h in history.hints())


def test_epoch_columns_take_the_last_record_of_each_epoch():
    history = LayerHistory(LAYERS)
    for step in (3, 5, 10, 12):
        history.add_scalars(step, [step, 2 * step], [1.0, 1.0], [0.1 * step, 0.0])
    columns = history.epoch_columns([2, 5, 11])
    assert list(columns) == [
        "grad_norm_linear1",
        "update_ratio_linear1",
        "grad_norm_linear2",
        "update_ratio_linear2",
    ]
    np.testing.assert_allclose(columns["grad_norm_linear1"], [np.nan, 5, 10])
    np.testing.assert_allclose(columns["update_ratio_linear1"], [np.nan, 0.5, 1.0])


def test_a_history_survives_its_arrays_and_refuses_bad_ones():
    history = LayerHistory(LAYERS)
    for step in range(1, 6):
        history.add_scalars(step, [step, 1.0], [2.0, 2.0], [0.01, 0.02])
    history.add_scalars(6, [np.nan, np.inf], [2.0, 2.0], [0.01, 0.02])
    distribution(history, 5)
    arrays = history.to_arrays()
    assert all(np.all(np.isfinite(value)) for value in arrays.values())  # as sessions need
    back = LayerHistory.from_arrays(LAYERS, arrays)
    for key, value in back.to_arrays().items():
        np.testing.assert_array_equal(value, arrays[key])
    assert np.isnan(back.scalar("grad_norm")[-1, 0]) and np.isinf(back.scalar("grad_norm")[-1, 1])
    assert np.isnan(back.dead_share()[0, 1])
    with pytest.raises(ValueError, match="'grad_norm' has shape"):
        LayerHistory.from_arrays(LAYERS, {**arrays, "grad_norm": np.zeros((5, 3))})
    with pytest.raises(ValueError, match="lacks 'dead'"):
        LayerHistory.from_arrays(LAYERS, {k: v for k, v in arrays.items() if k != "dead"})
    with pytest.raises(ValueError, match="increasing"):
        LayerHistory.from_arrays(LAYERS, {**arrays, "steps": arrays["steps"][::-1].copy()})
    with pytest.raises(ValueError, match="1 to 16 layers"):
        LayerHistory([])


def test_the_common_value_axis_spreads_each_bin_over_its_width():
    history = LayerHistory(LAYERS)
    rng = np.random.default_rng(0)
    for step in range(1, 40):
        counts = rng.random((2, HIST_BINS)).astype(np.float32)
        low = rng.normal(size=2)
        ranges = np.stack([low, low + rng.random(2) + 0.1], axis=1)
        history.add_distribution(step, counts, ranges, counts, ranges, np.zeros(2, np.float32))
    _, edges, image = history.density_image("grad", 1, bins=64)
    counts, ranges = history.histograms("grad", 1)
    for row in range(len(counts)):
        source = np.linspace(*ranges[row], HIST_BINS + 1)
        cumulative = np.concatenate([[0.0], np.cumsum(counts[row], dtype=np.float64)])
        expected = np.diff(np.interp(edges, source, cumulative))
        np.testing.assert_allclose(image[row], expected, rtol=1e-5, atol=1e-5)
