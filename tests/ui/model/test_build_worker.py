from PySide6.QtCore import Qt

from tests.ui.model.helpers import child, configure


def test_large_models_build_in_the_background(qtbot, tab, monkeypatch):
    import explorer.ui.tabs.model as model_tab

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
    import explorer.ui.tabs.model as model_tab

    monkeypatch.setattr(model_tab, "BACKGROUND_BUILD_THRESHOLD", 1000)
    before = tab.model()
    configure(qtbot, tab, 64, "32", 10)
    assert tab.build_model(background=True)
    tab.shutdown()
    assert not tab.is_building()
    qtbot.wait(10)
    assert tab.model() is before


def test_background_build_hands_over_the_model_and_ends_its_thread(qtbot):
    from explorer.inspect.mlp_config import validate_config
    from explorer.ui.model.build_worker import BackgroundBuild

    builder = BackgroundBuild()
    config = validate_config({"input_features": 5, "hidden_sizes": [4], "output_features": 3})
    with qtbot.waitSignal(builder.sigBuilt, timeout=10_000) as blocker:
        builder.start(config)
        assert builder.is_running()
    model, built_from = blocker.args
    assert built_from == config
    assert [tuple(p.shape) for p in model.parameters()] == [(4, 5), (4,), (3, 4), (3,)]
    assert not builder.is_running()
