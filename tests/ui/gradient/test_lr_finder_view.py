"""The learning-rate finder page: the range test off the GUI thread, its curve and marks, and
one click that puts the suggestion into the Training tab's Learning rate."""

import numpy as np
import pytest

from explorer.training.lr_finder import lr_range_test
from explorer.ui.gradient.tab import GradientTab
from explorer.ui.training.tab import TrainingTab
from tests.ui.gradient.helpers import WAIT_MS, click, documents, make_tab
from tests.ui.training.tab_helpers import assert_no_training_thread_left


def run_test(qtbot, view):
    with qtbot.waitSignal(view.job.sigDone, timeout=WAIT_MS):
        click(qtbot, view.job.run_button)
    return view.result()


def test_the_curve_is_the_range_test_of_a_copy_and_the_model_is_unchanged(qtbot):
    tab = make_tab(qtbot, record_path=False)
    view = tab.lr_finder
    model = tab.model_document.model
    before = {k: np.array(np.asarray(v)) for k, v in model.state_dict().items()}
    result = run_test(qtbot, view)
    expected = lr_range_test(model, tab.training_document.train, tab.training_document.config)
    np.testing.assert_array_equal(result.losses, expected.losses)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(np.asarray(value), before[key])
    x, y = view.plot.smooth_curve.getData()
    np.testing.assert_allclose(10**x, result.lrs)  # a log axis: pyqtgraph keeps log10
    np.testing.assert_array_equal(y, result.smoothed)
    assert view.plot.lines["suggested"].isVisible()
    assert view.plot.lines["suggested"].value() == pytest.approx(np.log10(result.suggested))
    assert view.use_button.isEnabled() and view.use_button.text().startswith("Use 0.")
    assert "The model is unchanged" in view.job.status.text()


def test_use_sets_the_training_documents_learning_rate(qtbot):
    tab = make_tab(qtbot, record_path=False)
    view = tab.lr_finder
    result = run_test(qtbot, view)
    seen = []
    tab.training_document.config_changed.connect(lambda config: seen.append(config.lr))
    click(qtbot, view.use_button)
    assert seen == [pytest.approx(result.suggested)]
    click(qtbot, view.use_steepest_button)
    assert seen[-1] == pytest.approx(min(result.lr_steepest, 10))
    assert "Learning rate set to" in view.job.status.text()


def test_one_click_puts_the_suggestion_into_the_training_tabs_learning_rate(qtbot):
    model, training, losses = documents(record_path=False)
    training_tab = TrainingTab(model, training=training)
    qtbot.addWidget(training_tab, before_close_func=lambda widget: widget.shutdown())
    gradient = GradientTab(model, training, losses)
    qtbot.addWidget(gradient, before_close_func=lambda widget: widget.shutdown())
    assert training.train is training_tab.data.train  # the Training tab's own spiral split
    view = gradient.lr_finder
    qtbot.waitUntil(lambda: view.job.run_button.isEnabled(), timeout=WAIT_MS)
    result = run_test(qtbot, view)
    assert result is not None
    click(qtbot, view.use_button)
    box = training_tab.view.settings.learning_rate
    assert box.value() == pytest.approx(result.suggested, abs=10 ** -box.decimals())
    assert training.config.lr == box.value()  # the box's rounding, published back
    assert training_tab.data.config().lr == box.value()  # the next Start uses it
    training_tab.shutdown()
    assert_no_training_thread_left()


def test_without_fitting_data_the_test_does_not_start(qtbot):
    from explorer.model.config import MLPConfig

    tab = make_tab(qtbot, record_path=False)
    tab.model_document.build(MLPConfig(input_features=5, hidden_sizes=(4,), output_features=2))
    view = tab.lr_finder
    assert not view.job.run_button.isEnabled()
    assert "does not fit" in view.settings_label.text()
    assert not view.run()


def test_the_legend_lies_above_the_curves_not_over_them(qtbot):
    from PySide6.QtWidgets import QApplication

    from explorer.ui.gradient.lr_finder_view import LRFinderPlot

    plot = LRFinderPlot()
    qtbot.addWidget(plot)
    plot.resize(700, 420)
    plot.show()
    qtbot.waitExposed(plot)
    QApplication.processEvents()
    names = [label.text for _sample, label in plot.legend.items]
    assert names == ["loss after the step", "smoothed"]
    legend = plot.legend.sceneBoundingRect()
    assert legend.height() > 0 and not legend.intersects(plot.plot_item.vb.sceneBoundingRect())
