import math
import warnings

import numpy as np
import pytest

from explorer.data import Dataset, make_synthetic, train_val_split
from explorer.engine import manual_seed, nn
from explorer.training import DEFAULT_RUN, Trainer, TrainingConfig, setup_run


def small_run(**changes):
    params = {"n_samples": 150, "seed": 1}
    spec = DEFAULT_RUN.with_training(**({"epochs": 3, "batch_size": 16} | changes))
    spec.dataset_params = params
    return setup_run(spec)


def test_steps_walk_through_epochs_with_a_smaller_last_batch():
    run = small_run(epochs=2)
    trainer = run.trainer
    n = len(run.train)  # 120 training samples -> batches 16 x 7 + 8
    assert trainer.steps_per_epoch == math.ceil(n / 16) == 8
    results = list(trainer.iter_steps())
    assert [r.step for r in results] == list(range(1, 17))
    assert [r.epoch for r in results] == [1] * 8 + [2] * 8
    assert [r.samples for r in results[:8]] == [16] * 7 + [n - 7 * 16]
    finished = [r.epoch_finished for r in results if r.epoch_finished is not None]
    assert [(f.epoch, f.step) for f in finished] == [(1, 8), (2, 16)]
    assert results[-1].done and trainer.done and trainer.progress == 1.0
    assert trainer.step() is None
    history = trainer.history
    assert history.num_steps == 16 and len(history.epochs) == 2
    first = history.epochs[0]
    assert first.train_loss == pytest.approx(
        np.average(history.step_losses()[:8], weights=[16] * 7 + [8])
    )
    assert 0 <= first.train_accuracy <= 1 and first.samples_per_second > 0
    assert history.epochs[1].seconds >= first.seconds > 0


def test_same_seed_gives_an_identical_history_and_another_seed_does_not():
    a, b, c = small_run().trainer, small_run().trainer, small_run(seed=1).trainer
    for trainer in (a, b, c):
        trainer.run()
    np.testing.assert_array_equal(a.history.step_losses(), b.history.step_losses())
    assert (
        a.history.epoch_column("val_loss").tolist() == b.history.epoch_column("val_loss").tolist()
    )
    assert not np.array_equal(a.history.step_losses(), c.history.step_losses())


def test_reset_restores_the_start_and_replays_identically():
    trainer = small_run().trainer
    start = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    trainer.run()
    losses = trainer.history.step_losses().copy()
    trainer.reset()
    assert trainer.global_step == 0 and trainer.history.num_steps == 0 and not trainer.done
    for key, value in start.items():
        np.testing.assert_array_equal(trainer.model.state_dict()[key], value)
    trainer.run()
    np.testing.assert_array_equal(trainer.history.step_losses(), losses)


def test_reset_reinitialize_draws_from_the_seed():
    trainer = small_run().trainer
    start = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    trainer.run()
    trainer.reset(reinitialize=True)
    # build_model seeds with the same config seed, so re-initialising reproduces the start.
    for key, value in start.items():
        np.testing.assert_array_equal(trainer.model.state_dict()[key], value)


def test_run_stops_when_asked_and_continues_later():
    trainer = small_run(epochs=2).trainer
    seen = []
    trainer.run(callback=seen.append, should_stop=lambda: len(seen) >= 5)
    assert len(seen) == 5 and not trainer.done
    record = trainer.run_epoch()
    assert record.epoch == 1 and trainer.global_step == 8
    trainer.run()
    assert trainer.done and len(trainer.history.epochs) == 2
    assert trainer.run_epoch() is None


def exploding_trainer(lr=10.0):
    rng = np.random.default_rng(0)
    data = Dataset(rng.normal(size=(64, 2)) * 1e20, rng.integers(0, 2, 64), 2)
    train, val = train_val_split(data)
    manual_seed(0)
    model = nn.MLP(2, (4,), 2)
    return Trainer(model, train, val, TrainingConfig(optimizer="sgd", lr=lr, epochs=5))


def test_divergence_stops_with_a_message_and_records_nothing_non_finite():
    trainer = exploding_trainer()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarnings either
        history = trainer.run()
    assert trainer.done
    assert trainer.diverged.startswith(f"diverged at step {history.num_steps + 1}: loss is ")
    assert trainer.diverged.endswith("— try a smaller learning rate (now 10)")
    assert np.all(np.isfinite(history.step_losses()))
    assert all(np.isfinite(list(r.__dict__.values())).all() for r in history.epochs)
    assert trainer.step() is None


def test_divergence_result_is_reported_by_the_step():
    trainer = exploding_trainer()
    results = list(trainer.iter_steps())
    last = results[-1]
    assert last.done and last.diverged == trainer.diverged and last.samples == 0
    assert not math.isfinite(last.loss)
    trainer.reset()
    assert trainer.diverged is None and not trainer.done


def test_mse_training_learns_too():
    trainer = small_run(loss="mse", epochs=4).trainer
    trainer.run()
    losses = trainer.history.epoch_column("train_loss")
    assert losses[-1] < losses[0]


def test_mismatched_model_or_data_is_refused():
    data = make_synthetic("moons", n_samples=40)
    train, val = train_val_split(data)
    with pytest.raises(ValueError, match="cannot take this data's 2 features"):
        Trainer(nn.MLP(5, (4,), 2), train, val, TrainingConfig())
    with pytest.raises(ValueError, match="outputs 4 values per sample but the data has 2"):
        Trainer(nn.MLP(2, (4,), 4), train, val, TrainingConfig())
    other = make_synthetic("blobs", n_samples=40, num_classes=3)
    with pytest.raises(ValueError, match="do not match"):
        Trainer(nn.MLP(2, (4,), 2), train, other, TrainingConfig())
    with pytest.raises(ValueError, match="lr must be"):
        Trainer(nn.MLP(2, (4,), 2), train, val, TrainingConfig(lr=-1))


def test_a_finished_run_can_be_extended():
    trainer = small_run(epochs=1).trainer
    trainer.run()
    assert trainer.done
    trainer.extend(2)
    assert not trainer.done and trainer.config.epochs == 3
    trainer.run()
    assert [r.epoch for r in trainer.history.epochs] == [1, 2, 3]
    with pytest.raises(ValueError, match="epochs to add must be a positive integer; got -1"):
        trainer.extend(-1)
    diverging = exploding_trainer()
    diverging.run()
    with pytest.raises(ValueError, match="diverged run cannot continue"):
        diverging.extend(1)


def test_a_float64_model_trains_and_evaluates_on_float32_data():
    from dataclasses import replace

    from explorer.model.config import MLPConfig
    from explorer.model.evaluate import outputs

    spec = DEFAULT_RUN.with_training(epochs=2, batch_size=16)
    spec = replace(spec, model=MLPConfig(dtype="float64"), dataset_params={"n_samples": 150})
    run = setup_run(spec)
    assert run.train.x.dtype == np.float32
    run.trainer.run()
    assert run.model.linear1.weight.dtype == np.float64
    assert np.all(np.isfinite(run.trainer.history.step_losses()))
    assert outputs(run.model, run.val).logits.shape == (len(run.val), 3)
