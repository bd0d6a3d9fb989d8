import numpy as np
import pytest

from explorer.lossbench.curves import (
    CONFIDENTLY_WRONG_BELOW,
    classification_curves,
    regression_curves,
)


def test_regression_slopes_show_each_loss_character():
    c = regression_curves(delta=1.5, beta=0.5, target=0.0, points=121)
    x = c.prediction
    np.testing.assert_allclose(c.loss["L1"], np.abs(x), atol=1e-12)
    np.testing.assert_allclose(c.loss["MSE"], x**2, atol=1e-12)
    np.testing.assert_allclose(c.derivative["MSE"], 2 * x, atol=1e-12)
    far = np.abs(x) > 1.5
    np.testing.assert_allclose(np.abs(c.derivative["L1"][x != 0]), 1)
    np.testing.assert_allclose(np.abs(c.derivative["Huber"][far]), 1.5)
    np.testing.assert_allclose(np.abs(c.derivative["SmoothL1"][np.abs(x) > 0.5]), 1)
    near = np.abs(x) < 0.5
    np.testing.assert_allclose(c.derivative["SmoothL1"][near], x[near] / 0.5, atol=1e-12)


def test_huber_is_delta_times_smooth_l1_with_beta_delta():
    a = regression_curves(delta=2.0, beta=2.0, points=51)
    np.testing.assert_allclose(a.loss["Huber"], 2.0 * a.loss["SmoothL1"], rtol=1e-12)


def test_target_moves_the_curves():
    c = regression_curves(target=1.0, points=5)
    assert c.prediction[2] == 1.0 and c.loss["MSE"][2] == 0


def test_squared_error_gradient_vanishes_where_confidently_wrong_cross_entropy_does_not():
    c = classification_curves(points=500)
    p = c.probability
    np.testing.assert_allclose(c.ce_grad, p - 1, atol=1e-9)
    np.testing.assert_allclose(c.se_grad, 2 * (p - 1) * p * (1 - p), atol=1e-9)
    np.testing.assert_allclose(c.ce, -np.log(p), rtol=1e-9)
    np.testing.assert_allclose(c.se, (1 - p) ** 2, rtol=1e-9)
    wrong = p < CONFIDENTLY_WRONG_BELOW
    assert np.all(np.abs(c.se_grad[wrong]) < 0.2)
    assert np.all(np.abs(c.ce_grad[wrong]) > 0.9)
    assert abs(c.se_grad[0]) < 0.01 and c.ce_grad[0] == pytest.approx(-1, abs=0.01)


def test_samples_sit_on_the_curves():
    import warnings

    from explorer.lossbench.curves import sample_points
    from explorer.lossbench.evaluate import evaluate
    from explorer.lossbench.spec import LossOptions
    from explorer.lossbench.tensors import random_tensor

    x = random_tensor("real", 4, 5, 0, 0)
    y = random_tensor("real", 4, 5, 0, 1)
    points = sample_points("Huber", LossOptions(delta=0.5), x, y)
    assert points.panel == "regression"
    np.testing.assert_allclose(points.x, (x - y).ravel())
    summed = evaluate("Huber", LossOptions(delta=0.5, reduction="sum"), x, y, "float64")
    np.testing.assert_allclose(points.slope, summed.grad.ravel())
    t = random_tensor("class_indices", 4, 5, 0, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ce = evaluate("CrossEntropy", LossOptions(reduction="none"), x, t, "float64")
    points = sample_points("CrossEntropy", LossOptions(), x, t)
    assert points.panel == "classification"
    np.testing.assert_allclose(points.loss, ce.output)
    np.testing.assert_allclose(points.slope, ce.grad[np.arange(4), t])  # p - 1
    ignored = sample_points("NLL", LossOptions(ignore_index=int(t[0])), x, t)
    assert ignored.x.size == int(np.sum(t != t[0]))
    labels = np.array([[1.0, 0.0, 0.5]])
    bce = sample_points("BCEWithLogits", LossOptions(), np.zeros((1, 3)), labels)
    np.testing.assert_allclose(bce.x, [0.5, 0.5])  # the 0.5 label is not a class
    assert sample_points("KLDiv", LossOptions(), x, np.abs(y)) is None


def test_a_subset_of_curves_equals_the_full_computation():
    full = regression_curves(delta=0.7, beta=0.3, points=31)
    part = regression_curves(delta=0.7, beta=0.3, points=31, names=("Huber", "SmoothL1"))
    assert set(part.loss) == set(part.derivative) == {"Huber", "SmoothL1"}
    for name in part.loss:
        np.testing.assert_array_equal(part.loss[name], full.loss[name])
        np.testing.assert_array_equal(part.derivative[name], full.derivative[name])


@pytest.mark.parametrize(("delta", "beta"), [(5e-324, 5e-324), (1e308, 1e308), (1.0, 0.0)])
def test_extreme_delta_and_beta_give_finite_curves_without_warnings(delta, beta):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curves = regression_curves(delta=delta, beta=beta)
    for name in ("Huber", "SmoothL1"):
        assert np.isfinite(curves.loss[name]).all() and np.isfinite(curves.derivative[name]).all()
