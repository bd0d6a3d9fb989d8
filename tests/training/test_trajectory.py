"""A run's path through weight space: its points, its epochs and its bounded memory."""

import numpy as np

from explorer.model.config import MLPConfig
from explorer.model.landscape import flatten, parameter_arrays
from explorer.training.trajectory import WeightTrajectory, weight_vector


def test_a_weight_vector_is_the_parameters_in_named_order():
    model = MLPConfig(input_features=2, hidden_sizes=(3,), output_features=2).build()
    vector = weight_vector(model)
    assert vector.dtype == np.float32 and len(vector) == 2 * 3 + 3 + 3 * 2 + 2
    np.testing.assert_array_equal(vector, flatten(parameter_arrays(model)).astype(np.float32))
    np.testing.assert_array_equal(vector[:6], np.asarray(model.linear1.weight).ravel())


def test_points_and_epochs_and_a_new_path_at_begin():
    path = WeightTrajectory()
    changes = []
    path.changed.connect(lambda: changes.append(len(path)))
    path.begin(np.zeros(4))
    path.record(1, np.ones(4))
    path.record(2, np.full(4, 2.0))
    assert path.points().shape == (3, 4) and path.epochs().tolist() == [0, 1, 2]
    assert changes == [1, 2, 3]
    path.begin(np.ones(4))
    assert len(path) == 1
    path.record(1, np.ones(5))  # another model: the path starts again
    assert path.points().shape == (1, 5)
    path.clear()
    assert len(path) == 0 and path.points().shape == (0, 0)


def test_a_long_path_is_thinned_evenly_keeping_its_ends():
    path = WeightTrajectory(max_bytes=10 * 4 * 4)  # room for 10 points of 4 float32s
    path.begin(np.zeros(4))
    for epoch in range(1, 40):
        path.record(epoch, np.full(4, float(epoch)))
        assert len(path) <= 10
    epochs = path.epochs()
    assert epochs[0] == 0 and epochs[-1] == 39
    assert np.all(np.diff(epochs) > 0)
    np.testing.assert_array_equal(path.points()[:, 0], epochs)
