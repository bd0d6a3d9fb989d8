import numpy as np
from PySide6.QtCore import Qt

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
    curves = tab.forward.curve_data()
    assert curves["linear2"][1].sum() == 10


def test_forward_inspector_takes_dataset_samples(qtbot, tab):
    source = child(tab, "sampleSource")
    assert not source.model().item(1).isEnabled()
    samples = np.random.default_rng(0).normal(size=(5, 784)).astype(np.float32)
    tab.set_sample_provider(lambda index: (samples[index], index % 3), "digits")
    assert source.model().item(1).isEnabled()
    source.setCurrentIndex(1)
    child(tab, "sampleIndex").setValue(4)
    trace = tab.forward.run()
    np.testing.assert_allclose(trace.values[0].stats.mean, samples[4].mean(), rtol=1e-5)
    assert "digits sample #4 (label 1)" in child(tab, "forwardMessage").text()
    tab.set_sample_provider(lambda: np.ones(3), "tiny")
    assert tab.forward.run() is None
    assert "784 input features" in child(tab, "forwardMessage").text()


def test_a_provider_without_samples_is_reported(tab):
    tab.set_sample_provider(lambda index: None, "digits")
    tab.forward.source.setCurrentIndex(1)
    assert tab.forward.run() is None
    assert "digits has no sample to give yet" in child(tab, "forwardMessage").text()


def test_the_pass_runs_inside_the_model_guard(tab):
    from contextlib import contextmanager

    events = []

    @contextmanager
    def guard():
        events.append("enter")
        yield
        events.append("exit")

    tab.set_model_guard(guard)
    tab.forward.run()
    assert events == ["enter", "exit"]
    tab.set_model_guard(None)
    tab.forward.run()
    assert events == ["enter", "exit"]
