"""What every unit computes, checked against forward passes written out in numpy."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.data import make_synthetic
from explorer.inspect.network import (
    class_means,
    dead_units,
    layer_outputs,
    network_picture,
    plane_grid,
    rank_units,
    unit_images,
    unit_strength,
)
from explorer.model.config import MLPConfig

ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "identity": lambda z: z,
}


def numpy_outputs(model, x) -> list[np.ndarray]:
    """Each Linear layer's output, written out: act(x W^T + b), the last without act."""
    act = ACTIVATIONS[model.activation]
    layers = model.layers
    h, out = np.asarray(x, np.float64), []
    for index, layer in enumerate(layers):
        h = h @ layer.weight.data.numpy().astype(np.float64).T + layer.bias.data.numpy()
        if index < len(layers) - 1:
            h = act(h)
        out.append(h)
    return out


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_layer_outputs_are_a_numpy_forward_pass(activation):
    model = MLPConfig(2, (5, 4), 3, activation=activation, init_bias="normal", seed=3).build()
    x = np.random.default_rng(0).normal(size=(7, 2)).astype(np.float32)
    outputs = layer_outputs(model, x)
    assert list(outputs) == ["linear1", "linear2", "linear3"]
    for got, expected in zip(outputs.values(), numpy_outputs(model, x), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_unit_images_sample_the_plane_row_by_row():
    model = MLPConfig(2, (6,), 2, init_bias="normal", seed=1).build()
    extent = (-2.0, 1.0, -0.5, 3.0)
    xs, ys, images = unit_images(model, extent, 9)
    np.testing.assert_allclose(xs, np.linspace(-2, 1, 9))
    np.testing.assert_allclose(ys, np.linspace(-0.5, 3, 9))
    assert images["linear1"].shape == (6, 9, 9) and images["linear2"].shape == (2, 9, 9)
    i, j = 7, 2  # pixel [i, j] is the point (xs[j], ys[i])
    expected = numpy_outputs(model, [[xs[j], ys[i]]])
    np.testing.assert_allclose(images["linear1"][:, i, j], expected[0][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(images["linear2"][:, i, j], expected[1][0], rtol=1e-5, atol=1e-6)
    _, _, points = plane_grid(extent, 9)
    assert points.shape == (81, 2) and tuple(points[i * 9 + j]) == (xs[j], ys[i])


def test_class_means_average_each_units_output_per_class():
    model = MLPConfig(3, (4,), 3, seed=2).build()
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 3)).astype(np.float32), np.arange(30) % 2  # class 2 is empty
    means = class_means(model, x, y, 3)
    hidden = numpy_outputs(model, x)[0]
    np.testing.assert_allclose(means["linear1"][:, 1], hidden[y == 1].mean(axis=0), rtol=1e-5)
    assert np.all(np.isnan(means["linear1"][:, 2]))


def test_units_rank_by_the_norm_of_their_outgoing_weights():
    model = MLPConfig(2, (4,), 3, seed=0).build()
    w2 = model.linear2.weight.data
    w2[...] = 0.1
    w2[:, 2] = 5.0  # unit 2 sends the most
    w2[:, 0] = 0.0  # unit 0 nothing
    strength = unit_strength(model)
    np.testing.assert_allclose(strength["linear1"], np.linalg.norm(w2, axis=0), rtol=1e-6)
    assert list(rank_units(model)["linear1"]) == [2, 1, 3, 0]
    # the output layer ranks by its incoming weights
    np.testing.assert_allclose(strength["linear2"], np.linalg.norm(w2, axis=1), rtol=1e-6)


def test_dead_units_output_zero_for_every_row():
    outputs = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    assert list(dead_units(outputs)) == [True, False, False]


def test_a_picture_of_2d_data_holds_the_strongest_units_images():
    data = make_synthetic("moons", n_samples=60)
    model = MLPConfig(2, (30,), 2, seed=0).build()
    model.linear1.bias.data[:] = 0
    model.linear1.weight.data[5] = 0
    model.linear1.bias.data[5] = -1.0  # unit 5: 0 everywhere, dead
    picture = network_picture(model, data, (-1.0, 1.0, -1.0, 1.0), max_units=30, resolution=8)
    ranks = rank_units(model)["linear1"]
    np.testing.assert_array_equal(picture["units"]["linear1"], ranks)
    _, _, images = unit_images(model, (-1.0, 1.0, -1.0, 1.0), 8)
    np.testing.assert_array_equal(picture["images"]["linear1"], images["linear1"][ranks])
    dead = dict(zip(ranks.tolist(), picture["dead"]["linear1"], strict=True))
    assert dead[5] and sum(dead.values()) >= 1
    assert not picture["dead"]["linear2"].any()  # logits are never dead
    few = network_picture(model, data, (-1.0, 1.0, -1.0, 1.0), max_units=4, resolution=8)
    assert few["images"]["linear1"].shape == (4, 8, 8)


def test_a_picture_of_image_data_holds_class_means():
    rng = np.random.default_rng(0)
    from explorer.data import Dataset

    val = Dataset(
        rng.normal(size=(20, 16)).astype(np.float32), np.arange(20) % 4, 4, feature_shape=(4, 4)
    )
    model = MLPConfig(16, (6,), 4, seed=0).build()
    picture = network_picture(model, val, None)
    assert "images" not in picture
    means = class_means(model, val.x, val.y, 4)
    units = picture["units"]["linear1"]
    np.testing.assert_array_equal(picture["class_means"]["linear1"], means["linear1"][units])
