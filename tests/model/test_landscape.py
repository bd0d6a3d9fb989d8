"""The loss landscape: directions as Li et al. define them, and a grid that equals an
independent numpy forward pass with the same directions."""

import doctest

import numpy as np
import pytest

import explorer.model.landscape as landscape_module
from explorer.data import make_synthetic
from explorer.model.config import MLPConfig
from explorer.model.landscape import (
    Directions,
    compute_landscape,
    filter_normalized,
    fitted_range,
    flatten,
    parameter_arrays,
    pca_directions,
    project,
    random_directions,
    unflatten,
)


def test_docstring_examples():
    assert doctest.testmod(landscape_module).failed == 0


@pytest.fixture
def model():
    return MLPConfig(input_features=2, hidden_sizes=(8, 6), output_features=3, seed=4).build()


@pytest.fixture
def data():
    return make_synthetic("spiral", n_samples=90, seed=1)


def numpy_loss(params: dict, x: np.ndarray, y: np.ndarray, loss: str, activation="relu"):
    """Mean loss of a ``linear1..linearK`` MLP with ``activation``, in float64 numpy."""
    act = {"relu": lambda v: np.maximum(v, 0), "tanh": np.tanh}[activation]
    h = np.asarray(x, dtype=np.float64)
    layers = sorted({name.split(".")[0] for name in params}, key=lambda n: int(n[6:]))
    for index, layer in enumerate(layers):
        h = h @ params[f"{layer}.weight"].T + params[f"{layer}.bias"]
        if index < len(layers) - 1:
            h = act(h)
    shifted = h - h.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    if loss == "cross_entropy":
        return float(-log_p[np.arange(len(y)), y].mean())
    p = np.exp(log_p)
    return float(((p - np.eye(h.shape[1])[y]) ** 2).mean())


def moved(theta, directions: Directions, alpha, beta):
    # The engine's parameters are float32: the point is rounded to them, as load_state_dict does.
    return {
        name: (t + alpha * directions.first[name] + beta * directions.second[name])
        .astype(t.dtype)
        .astype(np.float64)
        for name, t in theta.items()
    }


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_the_grid_equals_an_independent_numpy_forward_pass(model, data, loss):
    directions = random_directions(model, seed=7)
    result = compute_landscape(model, data, loss, directions, resolution=7,
                               extent=(-1.0, 0.5, -0.25, 1.0))  # fmt: skip
    theta = parameter_arrays(model)
    assert result.losses.shape == (7, 7)
    for j, beta in enumerate(result.betas):
        for i, alpha in enumerate(result.alphas):
            expected = numpy_loss(moved(theta, directions, alpha, beta), data.x, data.y, loss)
            assert result.losses[j, i] == pytest.approx(expected, rel=2e-5, abs=1e-7)
    for alpha, value in zip(result.slice_alphas[::10], result.slice_losses[::10], strict=True):
        expected = numpy_loss(moved(theta, directions, alpha, 0.0), data.x, data.y, loss)
        assert value == pytest.approx(expected, rel=2e-5, abs=1e-7)
    assert result.center_loss == pytest.approx(numpy_loss(theta, data.x, data.y, loss), rel=2e-5)
    rows = result.rows()
    assert len(rows) == 49 and rows[1] == (result.alphas[1], result.betas[0], result.losses[0, 1])


def test_the_model_is_never_touched(model, data):
    before = {k: np.array(v) for k, v in model.state_dict().items()}
    compute_landscape(model, data, "cross_entropy", random_directions(model), resolution=3)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(value), before[key])
    assert model.training


def test_progress_follows_each_row_and_a_stop_returns_nothing(model, data):
    reports = []
    compute_landscape(model, data, "cross_entropy", random_directions(model), resolution=4,
                      progress=lambda done, total: reports.append((done, total)))  # fmt: skip
    assert reports == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    asked = []

    def stop_after_two():
        asked.append(1)
        return len(asked) > 2

    assert (
        compute_landscape(
            model,
            data,
            "cross_entropy",
            random_directions(model),
            resolution=9,
            should_stop=stop_after_two,
        )  # fmt: skip
        is None
    )
    assert len(asked) == 3


def test_random_directions_are_filter_normalized(model):
    directions = random_directions(model, seed=3)
    theta = parameter_arrays(model)
    for d in (directions.first, directions.second):
        for name, t in theta.items():
            if t.ndim == 2:  # each row as long as the weight's row
                np.testing.assert_allclose(
                    np.linalg.norm(d[name], axis=1), np.linalg.norm(t, axis=1), rtol=1e-6
                )
            else:  # a bias is one row
                assert np.linalg.norm(d[name]) == pytest.approx(np.linalg.norm(t), abs=1e-6)
    again = random_directions(model, seed=3)
    np.testing.assert_array_equal(again.first["linear1.weight"], directions.first["linear1.weight"])
    other = random_directions(model, seed=4)
    assert not np.allclose(other.first["linear1.weight"], directions.first["linear1.weight"])
    assert directions.kind == "random" and directions.explained is None


def test_filter_normalization_of_a_hand_made_direction():
    theta = {"w": np.array([[3.0, 4.0], [0.0, 1.0]]), "b": np.array([1.0, 1.0])}
    direction = {"w": np.array([[1.0, 0.0], [0.0, -2.0]]), "b": np.array([0.0, 3.0])}
    out = filter_normalized(direction, theta)
    np.testing.assert_allclose(out["w"], [[5.0, 0.0], [0.0, -1.0]], atol=1e-9)
    np.testing.assert_allclose(out["b"], [0.0, np.sqrt(2)], atol=1e-9)


def test_pca_directions_are_the_main_axes_of_the_path(model):
    theta = parameter_arrays(model)
    size = len(flatten(theta))
    rng = np.random.default_rng(0)
    along = rng.normal(size=size)
    across = rng.normal(size=size)
    along /= np.linalg.norm(along)
    across -= (across @ along) * along
    across /= np.linalg.norm(across)
    t = np.linspace(-3, 0, 12)
    points = flatten(theta) + np.outer(t, along) + np.outer(0.3 * np.sin(3 * t), across)
    directions = pca_directions(points, theta)
    d1, d2 = flatten(directions.first), flatten(directions.second)
    assert d1 @ d1 == pytest.approx(1) and d2 @ d2 == pytest.approx(1) and abs(d1 @ d2) < 1e-9
    assert abs(d1 @ along) == pytest.approx(1, abs=1e-3)
    first, second = directions.explained
    assert first > 0.9 and first + second == pytest.approx(1, abs=1e-6)
    path = project(points, theta, directions)
    assert path[0, 0] < 0 and path[0, 1] <= 0  # the run starts at negative α and β
    np.testing.assert_allclose(path[-1], [0, 0], atol=1e-9)  # and ends at θ
    expected = np.stack([(points - flatten(theta)) @ d1, (points - flatten(theta)) @ d2], 1)
    np.testing.assert_allclose(path, expected)
    low_a, high_a, low_b, high_b = fitted_range(path)
    assert low_a < path[:, 0].min() and high_a > 0 and low_b < path[:, 1].min()


def test_pca_directions_need_a_path(model):
    theta = parameter_arrays(model)
    vector = flatten(theta)
    with pytest.raises(ValueError, match="at least 3"):
        pca_directions(np.stack([vector, vector]), theta)
    with pytest.raises(ValueError, match="parameters"):
        pca_directions(np.zeros((4, 5)), theta)
    line = vector + np.outer(np.arange(4.0), np.ones_like(vector))
    with pytest.raises(ValueError, match="line"):
        pca_directions(line, theta)


def test_unflatten_undoes_flatten(model):
    theta = parameter_arrays(model)
    back = unflatten(flatten(theta), theta)
    for name, value in theta.items():
        np.testing.assert_array_equal(back[name], value)
    with pytest.raises(ValueError, match="does not fit"):
        unflatten(np.zeros(3), theta)


@pytest.mark.parametrize("resolution", [2, 52, 3.0, True])
def test_a_resolution_outside_3_to_51_is_refused(model, data, resolution):
    with pytest.raises(ValueError, match="resolution"):
        compute_landscape(model, data, "cross_entropy", random_directions(model), resolution)


def test_an_empty_extent_is_refused(model, data):
    with pytest.raises(ValueError, match="extent"):
        compute_landscape(model, data, "cross_entropy", random_directions(model), 3,
                          extent=(1.0, -1.0, 0.0, 1.0))  # fmt: skip
