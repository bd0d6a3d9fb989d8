import numpy as np
import pytest

from explorer.data import Dataset, train_val_split
from explorer.engine import nn
from explorer.info import cross_entropy as info_cross_entropy
from explorer.model.evaluate import (
    confusion_matrix,
    decision_grid,
    evaluate,
    logits,
    mean_loss,
    outputs,
    plane_extent,
    predict_proba,
)
from explorer.training import DEFAULT_RUN, setup_run


def small_run(**changes):
    spec = DEFAULT_RUN.with_training(**({"epochs": 3, "batch_size": 16} | changes))
    spec.dataset_params = {"n_samples": 150, "seed": 1}
    return setup_run(spec)


def test_evaluate_matches_per_sample_losses_and_information_theory():
    run = small_run()
    run.trainer.run_epoch()
    loss, accuracy = evaluate(run.model, run.val, "cross_entropy")
    out = outputs(run.model, run.val, "cross_entropy")
    probabilities = out.probabilities
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)
    assert accuracy == np.mean(probabilities.argmax(axis=1) == run.val.y)
    per_sample = out.losses
    assert loss == pytest.approx(per_sample.mean())
    assert run.trainer.history.last_epoch.val_loss == loss  # the trainer's own evaluation
    # A sample's cross-entropy loss is H(P, Q): P its one-hot label, Q the softmax output.
    i = 3
    p = np.eye(run.val.num_classes)[run.val.y[i]]
    assert per_sample[i] == pytest.approx(
        info_cross_entropy(p, probabilities[i].astype(np.float64), base="e"), rel=1e-4
    )


def test_confusion_matrix_counts_every_sample():
    run = small_run()
    run.trainer.run()
    predicted = outputs(run.model, run.val).predicted
    matrix = confusion_matrix(run.val.y, predicted, run.val.num_classes)
    assert matrix.shape == (3, 3) and matrix.sum() == len(run.val)
    np.testing.assert_array_equal(matrix.sum(axis=1), run.val.class_counts())
    _, accuracy = evaluate(run.model, run.val)
    assert np.trace(matrix) / len(run.val) == pytest.approx(accuracy)


def test_decision_grid_layout():
    run = small_run()
    grid = decision_grid(run.model, (-1.0, 1.0), (-2.0, 2.0), resolution=(5, 3))
    assert grid.shape == (3, 5, 3) and grid.dtype == np.float32
    np.testing.assert_allclose(grid.sum(axis=2), 1, rtol=1e-5)
    corner = predict_proba(run.model, np.array([[1.0, -2.0]]))  # x max, y min
    np.testing.assert_allclose(grid[0, -1], corner[0], rtol=1e-6)
    big = decision_grid(run.model, (-1, 1), (-1, 1), resolution=300)
    assert big.shape == (300, 300, 3)
    with pytest.raises(ValueError, match="resolution must be from 2 to 2048; got 1"):
        decision_grid(run.model, (-1, 1), (-1, 1), resolution=1)


def test_decision_grid_needs_2d_data():
    with pytest.raises(ValueError, match="decision regions need 2-D data; this model takes 3"):
        decision_grid(nn.MLP(3, (4,), 2), (0, 1), (0, 1))


def test_evaluation_leaves_no_graph_and_keeps_the_mode():
    run = small_run()
    run.model.eval()
    evaluate(run.model, run.val)
    assert not run.model.training
    run.model.train()
    predict_proba(run.model, run.val.x)
    assert run.model.training


def test_outputs_in_one_pass_agree_with_the_other_calls():
    run = small_run(loss="mse")
    run.trainer.run_epoch()
    out = outputs(run.model, run.val, "mse")
    n = len(run.val)
    assert out.logits.shape == out.probabilities.shape == (n, 3)
    np.testing.assert_array_equal(out.predicted, out.logits.argmax(axis=1))
    np.testing.assert_allclose(out.probabilities, predict_proba(run.model, run.val.x))
    np.testing.assert_array_equal(out.logits, logits(run.model, run.val.x))
    # Trained with MSE, the cross entropy is still the information-theory quantity.
    chosen = out.probabilities[np.arange(n), run.val.y].astype(np.float64)
    np.testing.assert_allclose(out.cross_entropy, -np.log(chosen), rtol=1e-4)
    assert not np.allclose(out.losses, out.cross_entropy)
    loss, _ = evaluate(run.model, run.val, "mse")
    assert loss == pytest.approx(out.losses.mean())


def test_batches_give_the_same_outputs_as_one_pass():
    data = Dataset(np.random.default_rng(0).normal(size=(50, 2)), np.arange(50) % 2, 2)
    train, _ = train_val_split(data)
    model = nn.MLP(2, (4,), 2)
    whole = logits(model, train.x)
    np.testing.assert_allclose(logits(model, train.x, batch=7), whole, rtol=1e-6)
    np.testing.assert_allclose(
        predict_proba(model, train.x, batch=3), predict_proba(model, train.x), rtol=1e-6
    )


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        (np.array([[0.0, 0.0], [1.0, 2.0]]), (-0.15, 1.15, -0.3, 2.3)),
        (np.array([[1.0, 1.0], [1.0, 1.0]]), (1.0, 1.0, 1.0, 1.0)),
    ],
)
def test_the_plane_has_a_margin_around_the_points(points, expected):
    assert plane_extent(points) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_mean_loss_is_evaluates_loss_alone(loss):
    run = small_run(loss=loss)
    run.trainer.run_epoch()
    assert mean_loss(run.model, run.val, loss) == pytest.approx(
        evaluate(run.model, run.val, loss)[0], rel=1e-12
    )
    assert mean_loss(run.model, run.val, loss) == pytest.approx(
        float(outputs(run.model, run.val, loss).losses.mean()), rel=1e-12
    )
