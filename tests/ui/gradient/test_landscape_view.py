"""The loss landscape page: computed off the GUI thread, equal to an independent numpy forward
pass with the directions it reports, cancellable, and the run's path drawn for PCA."""

import numpy as np
import pytest

from explorer.model.landscape import Directions
from tests.model.test_landscape import moved, numpy_loss
from tests.ui.gradient.helpers import WAIT_MS, click, make_tab


def compute(qtbot, view):
    with qtbot.waitSignal(view.job.sigDone, timeout=WAIT_MS):
        click(qtbot, view.job.run_button)
    return view.landscape()


def test_the_exported_grid_equals_a_numpy_forward_pass_with_the_same_directions(qtbot):
    tab = make_tab(qtbot)
    view = tab.landscape_view
    view.set_directions("random")
    view.resolution.setValue(5)
    view.span.setValue(0.8)
    view.set_split("val")
    before = {k: np.array(np.asarray(v)) for k, v in tab.model_document.model.state_dict().items()}
    landscape = compute(qtbot, view)
    assert landscape is not None and view.job.progress.format() == "Done"
    first, second = view.directions()
    theta = {name: np.asarray(p) for name, p in tab.model_document.model.named_parameters()}
    val = tab.training_document.val
    header, rows = tab.export_tables()["landscape-grid"]
    assert header == ["alpha", "beta", "loss"] and len(rows) == 25
    assert rows[0][:2] == [-0.8, -0.8] and rows[-1][:2] == [0.8, 0.8]
    directions = Directions(first, second, "random")
    for alpha, beta, loss in rows:
        expected = numpy_loss(moved(theta, directions, alpha, beta), val.x, val.y, "cross_entropy")
        assert loss == pytest.approx(expected, rel=2e-5)
    for key, value in tab.model_document.model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(value), before[key])  # nothing changed
    image = view.heatmap.image
    np.testing.assert_array_equal(image.export_matrix, landscape.losses)
    assert view.slice_plot.curve.getData()[0].size == len(landscape.slice_alphas)
    assert "random" in view.info.text().lower() and "validation" in view.info.text()


def test_pca_directions_draw_the_runs_path(qtbot):
    tab = make_tab(qtbot)
    view = tab.landscape_view
    view.set_directions("pca")
    view.resolution.setValue(5)
    assert not view.seed.isEnabled() and not view.span.isEnabled()
    landscape = compute(qtbot, view)
    path = tab.training_document.trajectory
    x, y = view.heatmap.path.getData()
    assert len(x) == len(path) == 5  # the start and four epochs
    np.testing.assert_allclose(x[-1], 0, atol=1e-5)  # the path ends at the current weights
    assert landscape.directions.explained[0] > landscape.directions.explained[1] > 0
    assert "explains" in view.info.text()


def test_pca_without_a_path_says_what_to_do(qtbot):
    tab = make_tab(qtbot, record_path=False)
    view = tab.landscape_view
    view.set_directions("pca")
    click(qtbot, view.job.run_button)
    assert not view.job.is_running()
    assert "Train in the Training tab" in view.job.status.text()


def test_a_computation_can_be_cancelled(qtbot):
    tab = make_tab(qtbot, record_path=False)
    view = tab.landscape_view
    view.resolution.setValue(51)
    click(qtbot, view.job.run_button)
    assert view.job.cancel_button.isEnabled()
    click(qtbot, view.job.cancel_button)
    qtbot.waitUntil(lambda: not view.job.is_running(), timeout=WAIT_MS)
    if view.landscape() is None:  # it may have finished first on a fast machine
        assert "Cancelled" in view.job.status.text()
    assert view.job.run_button.isEnabled() and not view.job.cancel_button.isEnabled()


def test_no_data_or_a_model_that_does_not_fit_is_explained(qtbot):
    from explorer.model.config import MLPConfig

    tab = make_tab(qtbot, record_path=False)
    view = tab.landscape_view
    tab.model_document.build(MLPConfig(input_features=5, hidden_sizes=(4,), output_features=2))
    assert "does not fit" in view.job.status.text()
    assert not view.compute()
    tab.training_document.set_data(None, None)
    assert "No data" in view.job.status.text()
