import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.model.config import MLPConfig
from tests.ui.model.helpers import child


def test_forward_inspector_uses_hooks_and_removes_them(qtbot, tab):
    tab.views.setCurrentWidget(tab.forward)
    qtbot.mouseClick(child(tab, "runForward"), Qt.MouseButton.LeftButton)
    trace = tab.forward.last_trace
    assert [v.label for v in trace.values] == ["input x", "linear1", "relu(linear1)", "linear2"]
    table = child(tab, "activationTable")
    assert table.rowCount() == 4
    assert table.item(2, 0).text() == "relu(linear1)"
    assert table.item(2, 4).text() == "0"
    for name, module in tab.model().named_modules():
        assert len(module._forward_hooks) == 0, name
        assert len(module._forward_pre_hooks) == 0, name
    assert "argmax" in child(tab, "forwardMessage").text()
    x, density = tab.forward.curve_data()["linear2"]
    assert np.sum(density * np.diff(x)) == pytest.approx(1.0)
    assert trace.values[-1].counts.sum() == 10


def test_forward_inspector_takes_dataset_samples(qtbot, tab):
    source = child(tab, "sampleSource")
    assert not source.model().item(1).isEnabled()
    samples = np.random.default_rng(0).normal(size=(5, 784)).astype(np.float32)
    tab.document.set_sample_source(lambda index: (samples[index], index % 3), "digits")
    assert source.model().item(1).isEnabled()
    source.setCurrentIndex(1)
    child(tab, "sampleIndex").setValue(4)
    trace = tab.forward.run()
    np.testing.assert_allclose(trace.values[0].stats.mean, samples[4].mean(), rtol=1e-5)
    assert "digits sample #4 (label 1)" in child(tab, "forwardMessage").text()
    tab.document.set_sample_source(lambda: np.ones(3), "tiny")
    assert tab.forward.run() is None
    assert "784 input features" in child(tab, "forwardMessage").text()


def test_a_provider_without_samples_is_reported(tab):
    tab.document.set_sample_source(lambda index: None, "digits")
    tab.forward.source.setCurrentIndex(1)
    assert tab.forward.run() is None
    assert "digits has no sample to give yet" in child(tab, "forwardMessage").text()


def test_deep_networks_draw_a_readable_selection_of_histograms(tab):
    tab.set_model_config(MLPConfig(input_features=16, hidden_sizes=(8,) * 8, output_features=3))
    tab.forward.run()
    assert tab.forward.visible_labels() == [
        "input x",
        "relu(linear1)",
        "relu(linear5)",
        "relu(linear8)",
        "linear9",
    ]
    table = tab.forward.table
    table.clearSelection()
    assert len(tab.forward.visible_labels()) == table.rowCount() == 18
    table.selectRow(3)
    assert tab.forward.visible_labels() == [table.item(3, 0).text()]


def test_an_index_outside_the_set_is_refused_with_a_message_quoting_it(qtbot, tab):
    from explorer.inspect.samples import IndexedSamples

    x = np.random.default_rng(0).normal(size=(2000, 784)).astype(np.float32)
    samples = IndexedSamples(x, np.arange(2000) % 10, "the validation set of digits")
    tab.document.set_sample_source(samples, "digits")
    tab.views.setCurrentWidget(tab.forward)
    tab.show()
    qtbot.waitExposed(tab)
    tab.forward.source.setCurrentIndex(1)
    box = child(tab, "sampleIndex")
    assert "an index into the validation set of digits (#0 to #1999)" in box.toolTip()
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "5000")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    qtbot.mouseClick(child(tab, "runForward"), Qt.MouseButton.LeftButton)
    assert tab.forward.last_trace is None
    assert child(tab, "forwardMessage").text() == (
        "<span style='color:#b00020'>Cannot run: sample #5000 is out of range: the "
        "validation set of digits has 2,000 samples (#0 to #1999)</span>"
    )
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "1999")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    qtbot.mouseClick(child(tab, "runForward"), Qt.MouseButton.LeftButton)
    assert "digits sample #1999 (label 9)" in child(tab, "forwardMessage").text()
    tab.close()


def test_the_first_column_names_the_layers(qtbot, tab):
    table = child(tab, "activationTable")
    assert table.horizontalHeaderItem(0).text() == "layer"
    tab.forward.run()
    assert table.item(1, 0).text() == "linear1"
