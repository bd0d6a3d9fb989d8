import pytest
from PySide6.QtCore import Qt

from tests.ui.model.helpers import child, configure


def test_large_models_build_in_the_background(qtbot, tab, monkeypatch):
    import explorer.ui.model.tab as model_tab

    monkeypatch.setattr(model_tab, "BACKGROUND_BUILD_THRESHOLD", 1000)
    before = tab.model()
    configure(qtbot, tab, 64, "32", 10)
    with qtbot.waitSignal(tab.sigModelChanged, timeout=10_000) as blocker:
        qtbot.mouseClick(child(tab, "buildModel"), Qt.MouseButton.LeftButton)
        assert tab.is_building()
        assert not child(tab, "buildModel").isEnabled()
        assert "in the background" in child(tab, "configMessage").text()
    assert blocker.args[0] is tab.model() is not before
    assert not tab.is_building()
    assert child(tab, "buildModel").isEnabled()
    assert [n for n, _ in tab.model().named_parameters()][0] == "linear1.weight"
    assert tab.model().linear1.weight.shape == (32, 64)


def test_shutdown_waits_for_a_background_build(qtbot, tab, monkeypatch):
    import explorer.ui.model.tab as model_tab

    monkeypatch.setattr(model_tab, "BACKGROUND_BUILD_THRESHOLD", 1000)
    before = tab.model()
    configure(qtbot, tab, 64, "32", 10)
    assert tab.build_model(background=True)
    tab.shutdown()
    assert not tab.is_building()
    qtbot.wait(10)
    assert tab.model() is before


def test_background_build_hands_over_the_model_and_ends_its_thread(qtbot):
    from explorer.model.config import MLPConfig
    from explorer.ui.model.build_worker import BackgroundBuild

    builder = BackgroundBuild()
    config = MLPConfig(input_features=5, hidden_sizes=(4,), output_features=3)
    with qtbot.waitSignal(builder.sigBuilt, timeout=10_000) as blocker:
        builder.start(config)
        assert builder.is_running()
    model, built_from = blocker.args
    assert built_from == config
    assert [tuple(p.shape) for p in model.parameters()] == [(4, 5), (4,), (3, 4), (3,)]
    assert not builder.is_running()


def test_garbage_collector_stays_out_of_the_build_thread(qtbot, monkeypatch):
    # The collector could free the GUI's Qt objects from the worker thread (a crash); it is
    # off while the worker builds and runs again, in the GUI thread, once it is done.
    import gc
    import threading

    import explorer.ui.model.build_worker as build_worker
    from explorer.model.config import MLPConfig

    seen = []
    real_build = MLPConfig.build

    def build(config):
        seen.append((threading.current_thread() is threading.main_thread(), gc.isenabled()))
        return real_build(config)

    monkeypatch.setattr(MLPConfig, "build", build)
    assert gc.isenabled()
    builder = build_worker.BackgroundBuild()
    config = MLPConfig(input_features=5, hidden_sizes=(4,), output_features=3)
    with qtbot.waitSignal(builder.sigBuilt, timeout=10_000):
        builder.start(config)
    assert seen == [(False, False)]  # in the worker thread, with the collector off
    assert gc.isenabled()
    builder.start(config)  # and when shutting down mid-build
    builder.wait()
    assert gc.isenabled() and not builder.is_running()


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (MemoryError(), "not enough memory for this model"),
        (ValueError("bad init"), "the model could not be built: bad init"),
    ],
)
def test_a_failed_build_reports_and_turns_the_collector_back_on(qtbot, monkeypatch, error, message):
    import gc

    import explorer.ui.model.build_worker as build_worker
    from explorer.model.config import MLPConfig

    def build(config):
        raise error

    monkeypatch.setattr(MLPConfig, "build", build)
    builder = build_worker.BackgroundBuild()
    config = MLPConfig(input_features=5, hidden_sizes=(4,), output_features=3)
    with qtbot.waitSignal(builder.sigFailed, timeout=10_000) as blocker:
        builder.start(config)
    assert blocker.args == [message]
    assert gc.isenabled() and not builder.is_running()
