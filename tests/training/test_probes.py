"""The layers' health recorded while training, checked against numpy on the weights."""

from __future__ import annotations

import numpy as np

from explorer.data import make_synthetic
from explorer.inspect.layer_history import HIST_BINS, LayerHistory
from explorer.model.config import MLPConfig
from explorer.training import Trainer, TrainingConfig
from explorer.training.probes import (
    DISTRIBUTION_INTERVAL,
    SCALAR_INTERVAL,
    NetworkRecorder,
    recorded_step,
)


class Clock:
    """Seconds that only move when a test says so."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def every_step(trainer, recorder, clock):
    """Step with a second passing before each step: every step is recorded."""
    clock.now += 1.0
    return recorded_step(trainer, recorder)


def make_trainer(optimizer="sgd", lr=0.1, epochs=2):
    data = make_synthetic("moons", n_samples=64)
    model = MLPConfig(2, (8, 6), 2, seed=0).build()
    config = TrainingConfig(optimizer=optimizer, lr=lr, batch_size=16, epochs=epochs)
    return Trainer(model, data, data, config)


def test_recorded_norms_equal_numpy_on_the_weights_before_and_after_each_step():
    trainer = make_trainer("adam", lr=0.01)
    clock = Clock()
    recorder = NetworkRecorder(trainer.model, trainer.train_data.x, clock=clock)
    expected = []
    while not trainer.done:
        before = [layer.weight.data.numpy().copy() for layer in trainer.model.layers]
        every_step(trainer, recorder, clock)
        after = [layer.weight.data.numpy() for layer in trainer.model.layers]
        grads = [layer.weight.grad.numpy() for layer in trainer.model.layers]
        expected.append(
            (
                [np.sqrt(np.sum(g.astype(np.float64) ** 2)) for g in grads],
                [np.sqrt(np.sum(w.astype(np.float64) ** 2)) for w in after],
                [
                    np.sqrt(np.sum((w.astype(np.float64) - b) ** 2))
                    for w, b in zip(after, before, strict=True)
                ],
            )
        )
    records = recorder.drain()
    scalars = records["scalars"]
    assert records["layers"] == ["linear1", "linear2", "linear3"]
    np.testing.assert_array_equal(scalars["step"], np.arange(1, trainer.global_step + 1))
    grad, weight, update = (np.array(column) for column in zip(*expected, strict=True))
    np.testing.assert_allclose(scalars["grad_norm"], grad, rtol=1e-6)
    np.testing.assert_allclose(scalars["weight_norm"], weight, rtol=1e-6)
    np.testing.assert_allclose(scalars["update_norm"], update, rtol=1e-5, atol=1e-9)
    assert recorder.drain() is None  # drained


def test_plain_sgd_moves_each_weight_by_lr_times_its_gradient():
    trainer = make_trainer("sgd", lr=0.05, epochs=1)
    clock = Clock()
    recorder = NetworkRecorder(trainer.model, clock=clock)
    while every_step(trainer, recorder, clock) is not None:
        pass
    history = LayerHistory(["linear1", "linear2", "linear3"])
    history.extend(recorder.drain())
    np.testing.assert_allclose(
        history.scalar("update_norm"), 0.05 * history.scalar("grad_norm"), rtol=1e-4
    )


def test_distributions_count_every_weight_and_dead_units_as_numpy_finds_them():
    trainer = make_trainer()
    model = trainer.model
    model.linear1.weight.data[2] = 0
    model.linear1.bias.data[2] = -5.0  # unit 2 outputs 0 for every input: dead
    recorder = NetworkRecorder(model, trainer.train_data.x, clock=Clock())
    recorded_step(trainer, recorder)
    dist = recorder.drain()["distributions"]
    counts, ranges = dist["weight_counts"][0], dist["weight_range"][0]
    assert counts.shape == (3, HIST_BINS)
    for index, layer in enumerate(model.layers):
        weight = layer.weight.data.numpy()
        assert counts[index].sum() == weight.size
        assert tuple(ranges[index]) == (weight.min(), weight.max())
        assert dist["grad_counts"][0][index].sum() == weight.size
    w1, b1 = model.linear1.weight.data, model.linear1.bias.data
    hidden = np.maximum(trainer.train_data.x @ w1.T + b1, 0)
    np.testing.assert_allclose(dist["dead"][0][0], np.mean(~hidden.any(axis=0)))
    assert dist["dead"][0][0] >= 1 / 8 and np.isnan(dist["dead"][0][2])  # logits: no share


def test_records_keep_to_their_share_of_the_time():
    trainer = make_trainer(epochs=20)
    clock = Clock()
    recorder = NetworkRecorder(trainer.model, clock=clock)
    recorded_step(trainer, recorder)  # the first step is recorded
    first = recorder.drain()
    assert len(first["scalars"]["step"]) == 1 and len(first["distributions"]["step"]) == 1
    for _ in range(5):  # no time passes: nothing more is due
        recorded_step(trainer, recorder)
    assert recorder.drain() is None
    clock.now += SCALAR_INTERVAL
    recorded_step(trainer, recorder)
    again = recorder.drain()
    assert len(again["scalars"]["step"]) == 1 and "distributions" not in again
    clock.now += DISTRIBUTION_INTERVAL
    recorded_step(trainer, recorder)
    assert "distributions" in recorder.drain()


def test_the_last_step_and_every_epoch_end_are_recorded_when_asked():
    trainer = make_trainer(epochs=3)
    recorder = NetworkRecorder(trainer.model, clock=Clock(), epoch_steps=trainer.steps_per_epoch)
    while recorded_step(trainer, recorder) is not None:
        pass
    records = recorder.drain()
    steps = list(records["scalars"]["step"])
    assert steps == [1, 4, 8, 12]  # the first, then each epoch's last
    assert list(records["distributions"]["step"]) == [1, 12]  # the first and the last


def test_a_diverged_step_is_not_recorded():
    trainer = make_trainer(lr=10.0)
    trainer.model.linear1.weight.data *= 1e18  # overflows at once
    clock = Clock()
    recorder = NetworkRecorder(trainer.model, clock=clock)
    while every_step(trainer, recorder, clock) is not None:
        pass
    assert trainer.diverged
    records = recorder.drain()
    taken = records["scalars"]["step"] if records else []
    assert all(step <= trainer.global_step for step in taken)


def test_distributions_of_every_few_epochs_when_asked():
    trainer = make_trainer(epochs=6)
    recorder = NetworkRecorder(
        trainer.model, clock=Clock(), epoch_steps=trainer.steps_per_epoch, distribution_epochs=2
    )
    while recorded_step(trainer, recorder) is not None:
        pass
    assert list(recorder.drain()["distributions"]["step"]) == [1, 8, 16, 24]
