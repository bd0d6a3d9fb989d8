"""The learning-rate range test: the schedule, the suggestions, the weights given back exactly,
and a suggestion that trains the default spiral run."""

import math

import numpy as np
import pytest

from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.lr_finder import (
    DIVERGENCE,
    END_LR,
    NUM_STEPS,
    START_LR,
    lr_range_test,
    schedule,
    suggest,
)
from explorer.training.smoothing import ema_debiased


def small_run(**changes):
    spec = DEFAULT_RUN.with_training(**changes)
    spec.dataset_params = {"n_samples": 300, "seed": 2}
    return setup_run(spec)


def test_the_rate_grows_exponentially_from_1e_7_to_10():
    rates = schedule(START_LR, END_LR, NUM_STEPS)
    assert rates[0] == pytest.approx(1e-7) and rates[-1] == pytest.approx(10)
    ratios = rates[1:] / rates[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    assert len(rates) == 100


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_weights_gradients_and_mode_are_given_back_exactly(optimizer):
    run = small_run(optimizer=optimizer, weight_decay=0.01)
    model = run.model
    run.trainer.step()  # the parameters hold gradients from a step
    grads = [p.grad for p in model.parameters()]
    grad_values = [np.array(np.asarray(g)) for g in grads]
    model.eval()
    state = {key: np.array(np.asarray(v)) for key, v in model.state_dict().items()}
    result = lr_range_test(model, run.train, run.spec.training)
    assert len(result.lrs) > 10
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(value), state[key])
    for parameter, grad, values in zip(model.parameters(), grads, grad_values, strict=True):
        assert parameter.grad is grad
        np.testing.assert_array_equal(np.asarray(parameter.grad), values)
    assert not model.training


def test_the_curve_and_its_suggestions():
    run = small_run()
    result = lr_range_test(run.model, run.train, run.spec.training)
    n = len(result.lrs)
    assert n == len(result.losses) == len(result.smoothed) <= NUM_STEPS
    np.testing.assert_allclose(result.lrs, schedule(START_LR, END_LR, NUM_STEPS)[:n])
    np.testing.assert_allclose(result.smoothed, ema_debiased(result.losses, 0.9))
    if n < NUM_STEPS:  # stopped because the smoothed loss blew up
        assert "passed" in result.stopped or "became" in result.stopped
    assert result.suggested == result.lr_min_div10
    assert result.lr_min_div10 == pytest.approx(result.lrs[np.argmin(result.smoothed)] / 10)
    assert START_LR <= result.lr_steepest <= END_LR
    rows = result.rows()
    assert rows[0][:2] == (1, result.lrs[0]) and len(rows) == n
    suggestion = result.suggestion()
    assert set(suggestion) >= {"lr_steepest", "lr_min_div10", "suggested"}


def test_the_test_stops_once_the_smoothed_loss_passes_four_times_its_minimum():
    run = small_run(optimizer="sgd")
    result = lr_range_test(run.model, run.train, run.spec.training, 1e-3, 1e4, 100)
    assert len(result.lrs) < 100 and result.stopped
    if "passed" in result.stopped:
        assert result.smoothed[-1] > DIVERGENCE * result.smoothed[:-1].min() * 0.999


def test_suggestions_on_a_made_up_curve():
    lrs = np.geomspace(1e-6, 1, 61)
    x = np.log10(lrs)
    curve = 2 - 1 / (1 + np.exp(-(x + 3) * 3)) + 0.5 * np.exp((x + 0.5) * 4)  # falls, then rises
    steepest, minimum = suggest(lrs, curve)
    assert steepest == pytest.approx(1e-3, rel=0.25)  # the falling part's middle
    assert minimum == pytest.approx(lrs[np.argmin(curve)] / 10)
    assert suggest(lrs[:1], curve[:1]) == (None, None)


def test_progress_and_a_stop():
    run = small_run()
    seen = []
    lr_range_test(run.model, run.train, run.spec.training, num_steps=12,
                  progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen[0] == (1, 12) and seen[-1][0] == len(seen)
    before = {key: np.array(np.asarray(v)) for key, v in run.model.state_dict().items()}
    calls = []
    stopped = lr_range_test(run.model, run.train, run.spec.training,
                            should_stop=lambda: calls.append(1) or len(calls) > 5)  # fmt: skip
    assert stopped is None
    for key, value in run.model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(value), before[key])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [((1e-3, 1e-4, 10), "grow"), ((0.0, 1.0, 10), "grow"), ((1e-3, 1.0, 1), "num_steps")],
)
def test_bad_arguments_are_refused(arguments, message):
    run = small_run()
    with pytest.raises(ValueError, match=message):
        lr_range_test(run.model, run.train, run.spec.training, *arguments)


def test_the_default_spiral_suggestion_trains_to_95_percent_in_30_epochs():
    finder = setup_run(DEFAULT_RUN)
    result = lr_range_test(finder.model, finder.train, finder.spec.training)
    lr = result.suggested
    assert math.isfinite(lr) and 1e-4 < lr < 1
    run = setup_run(DEFAULT_RUN.with_training(lr=lr, epochs=30))
    history = run.trainer.run()
    assert not run.trainer.diverged
    assert history.last_epoch.val_accuracy >= 0.95
