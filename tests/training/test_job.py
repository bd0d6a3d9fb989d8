import numpy as np

from explorer.training import DEFAULT_RUN, EpochRecord, setup_run
from explorer.training.job import GRID_RESOLUTION, SAMPLE_GRID_SIZE, TrainerJob, model_view
from explorer.training.trajectory import weight_vector


def small_job(dataset="spiral"):
    spec = DEFAULT_RUN.with_training(epochs=2, batch_size=32)
    spec.dataset = dataset
    spec.dataset_params = {"n_samples": 150, "seed": 1} if dataset == "spiral" else {}
    return TrainerJob(3, setup_run(spec).trainer)


def test_steps_report_their_number_loss_samples_and_epoch_end():
    job = small_job()
    trainer = job.trainer
    events = [job.step() for _ in range(trainer.steps_per_epoch)]
    assert [e["step"] for e in events] == list(range(1, trainer.steps_per_epoch + 1))
    assert [e["epoch_finished"] for e in events] == [False] * (len(events) - 1) + [True]
    assert sum(e["samples"] for e in events) == len(trainer.train_data)
    report = job.epoch_report(full=True)
    assert EpochRecord(**report["record"]) == trainer.history.last_epoch  # a plain dict
    n, classes = len(trainer.val_data), trainer.val_data.num_classes
    assert report["logits"].shape == (n, classes) and report["predicted"].shape == (n,)
    assert report["confusion"].sum() == n and report["losses"].dtype == np.float64
    assert set(job.epoch_report(full=False)) == {"record", "weights"}
    # the weights the epoch ended with, one point of the run's path
    np.testing.assert_array_equal(report["weights"], weight_vector(trainer.model))


def test_a_step_after_the_end_reports_nothing_learnt():
    job = small_job()
    while not job.done:
        job.step()
    assert job.step()["samples"] == 0


def test_views_give_regions_for_points_and_predictions_for_images():
    job = small_job()
    view = job.view()
    assert view["regions"].shape == (GRID_RESOLUTION, GRID_RESOLUTION, 3)
    assert view["extent"] == job.extent and view["step"] == 0
    assert "logits" not in view and "logits" in job.view(final=True)
    digits = small_job("digits")
    assert digits.extent is None
    assert digits.view()["sample_predictions"].shape == (SAMPLE_GRID_SIZE,)
    assert "sample_predictions" not in digits.view(final=True)


def test_state_is_a_copy_and_load_state_continues_from_it():
    job = small_job()
    state = job.state()
    state["linear1.weight"][...] = 0  # a copy: the model is untouched
    assert np.any(job.trainer.model.linear1.weight.data != 0)
    job.load_state(state)
    np.testing.assert_array_equal(job.trainer.model.linear1.weight.data, 0)


def test_a_model_view_outside_a_run_is_the_jobs_final_view():
    job = small_job()
    trainer = job.trainer
    view = model_view(trainer.model, trainer.val_data, job.extent, final=True)
    final = job.view(final=True)
    assert set(final) == set(view) | {"step", "network"}
    for key in ("logits", "losses", "predicted", "confusion", "regions"):
        np.testing.assert_array_equal(view[key], final[key])


def test_gradients_are_copies_by_parameter_name_once_there_are_any():
    job = small_job()
    assert job.grads() == {}  # no backward pass yet
    job.step()
    grads = job.grads()
    assert set(grads) == {name for name, _ in job.trainer.model.named_parameters()}
    grads["linear1.weight"][...] = 0
    assert np.any(job.trainer.model.linear1.weight.grad != 0)
