import json
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QTabWidget

from explorer.io.session import SESSION_VERSION, arrays_path
from explorer.ui import MainWindow
from explorer.ui.file_menu import build_file_menu
from explorer.ui.settings import make_settings
from explorer.ui.tab_base import PendingTab
from tests.ui.fake_tab import FakeTab


class LightWindow(QMainWindow):
    """The main window's session wiring around fake tabs (building the real tabs is slow)."""

    def __init__(self):
        super().__init__()
        self.tabs = QTabWidget(self)
        self.tabs.addTab(FakeTab("first"), "First")
        self.tabs.addTab(FakeTab("fake"), "Fake")
        self.setCentralWidget(self.tabs)
        self.file_menu = build_file_menu(self, make_settings)

    def tab(self, name):
        return next(t for t in self.all_tabs() if t.export_name == name)

    def all_tabs(self):
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def show_tab(self, name):
        self.tabs.setCurrentWidget(self.tab(name))


@pytest.fixture(autouse=True)
def _no_remembered_last_session():
    # The last session's path lives in QSettings, which all tests of a run share.
    make_settings().remove("session/last")
    yield
    make_settings().remove("session/last")


def _collect_errors(win):
    win.errors = []
    win.sessions.report_error = win.errors.append
    return win


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    win = LightWindow()
    qtbot.addWidget(win)
    return _collect_errors(win)


@pytest.fixture
def main_window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    win = MainWindow()
    qtbot.addWidget(win)
    return _collect_errors(win)


def test_round_trip_restores_states_arrays_and_current_tab(window, tmp_path):
    fake = window.tab("fake")
    fake.count.setValue(42)
    fake.arrays = {"linear1.weight": np.arange(6.0).reshape(2, 3)}
    window.show_tab("fake")
    path = tmp_path / "lab.json"
    assert window.sessions.save_to(path)
    assert arrays_path(path).exists()
    assert json.loads(path.read_text())["version"] == SESSION_VERSION

    fake.count.setValue(1)
    fake.arrays = {}
    window.tabs.setCurrentIndex(0)
    assert window.sessions.open_from(path)
    assert fake.count.value() == 42
    assert fake.arrays["linear1.weight"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert window.tabs.currentWidget() is fake
    assert window.sessions.recent()[0] == str(path.resolve())
    assert window.errors == []


def test_suffix_is_added(window, tmp_path):
    assert window.sessions.save_to(tmp_path / "lab")
    assert (tmp_path / "lab.json").exists()


@pytest.mark.parametrize(
    "content",
    ["", "{", "not json", '{"format": "explorer-session", "version": 99}', "[1]"],
)
def test_corrupt_files_give_a_message_and_keep_the_window_working(window, tmp_path, content):
    fake = window.tab("fake")
    fake.count.setValue(7)
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert not window.sessions.open_from(path)
    assert fake.count.value() == 7
    assert len(window.errors) == 1 and str(path) in window.errors[0]
    assert window.statusBar().currentMessage()


def test_a_wrongly_typed_tab_state_resets_that_tab_to_defaults(window, tmp_path):
    fake = window.tab("fake")
    path = tmp_path / "typed.json"
    doc = {
        "format": "explorer-session",
        "version": 1,
        "tabs": {"fake": {"count": "many"}},
    }
    path.write_text(json.dumps(doc))
    fake.count.setValue(50)
    assert not window.sessions.open_from(path)
    assert fake.count.value() == 3  # the default the tab was built with
    assert "count" in window.errors[0] and "Fake" in window.errors[0]


def test_states_of_pending_and_unknown_tabs_survive_a_save(window, tmp_path):
    pending = PendingTab("Later", "later", "A tab that is not built yet.")
    window.tabs.addTab(pending, pending.title)
    path = tmp_path / "in.json"
    doc = {
        "format": "explorer-session",
        "version": 1,
        "tabs": {pending.export_name: {"x": 1}, "future-tab": {"y": [1, 2]}},
    }
    path.write_text(json.dumps(doc))
    assert window.sessions.open_from(path)
    out = tmp_path / "out.json"
    window.sessions.save_to(out)
    tabs = json.loads(out.read_text())["tabs"]
    assert tabs[pending.export_name] == {"x": 1}
    assert tabs["future-tab"] == {"y": [1, 2]}
    assert tabs["fake"] == {"count": 3} and tabs["first"] == {"count": 3}


def test_last_session_is_saved_on_quit_and_restored_on_start(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = MainWindow()
    qtbot.addWidget(first)
    assert not first.sessions.restore_last()  # nothing saved yet; enables autosave
    first.tabs.setCurrentIndex(2)
    first.close()
    assert first.sessions.autosave_path().exists()
    second = MainWindow()
    qtbot.addWidget(second)
    second.tabs.setCurrentIndex(0)
    assert second.sessions.restore_last()
    assert second.tabs.currentIndex() == 2
    second.sessions.autosave_enabled = False


def _window_with_last_session(qtbot, tmp_path, monkeypatch, content: bytes | None = None):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = _collect_errors(MainWindow())
    qtbot.addWidget(window)
    path = window.sessions.autosave_path()
    if content is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return window, path


def _folders_kept_aside(path):
    return sorted(p for p in path.parent.iterdir() if p.is_dir() and "not restored" in p.name)


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "explorer-session", "vers',
        json.dumps({"format": "explorer-session", "version": SESSION_VERSION + 1}).encode(),
    ],
    ids=["damaged", "from-a-newer-version"],
)
def test_a_last_session_that_cannot_be_restored_is_moved_aside_not_overwritten(
    qtbot, tmp_path, monkeypatch, content
):
    window, path = _window_with_last_session(qtbot, tmp_path, monkeypatch, content)
    assert not window.sessions.restore_last()
    assert "starting with defaults" in window.errors[0]
    [folder] = _folders_kept_aside(path)
    assert (folder / path.name).read_bytes() == content
    assert str(folder) in window.errors[0]
    window.close()  # autosave writes the defaults where the file was: nothing is lost
    assert path.exists() and (folder / path.name).read_bytes() == content


def test_a_last_session_moved_aside_keeps_its_weights_and_opens_again(qtbot, tmp_path, monkeypatch):
    window, path = _window_with_last_session(qtbot, tmp_path, monkeypatch)
    assert not window.sessions.restore_last()
    window.tab("model").model()  # built, so the session has weights
    window.close()
    weights = arrays_path(path)
    text = path.read_text().replace(f'"version": {SESSION_VERSION}', '"version": 999')
    path.write_text(text)
    again, _ = _window_with_last_session(qtbot, tmp_path, monkeypatch)
    assert not again.sessions.restore_last()
    [folder] = _folders_kept_aside(path)
    assert sorted(p.name for p in folder.iterdir()) == sorted([path.name, weights.name])
    # A newer explorer (here: the file edited back) opens it from there, weights and all.
    kept = folder / path.name
    kept.write_text(text.replace('"version": 999', f'"version": {SESSION_VERSION}'))
    assert again.sessions.open_from(kept), again.errors
    again.sessions.autosave_enabled = False


def test_a_partly_restored_last_session_is_copied_aside_first(qtbot, tmp_path, monkeypatch):
    window, path = _window_with_last_session(qtbot, tmp_path, monkeypatch)
    assert not window.sessions.restore_last()
    window.tab("model").model()
    window.close()
    arrays_path(path).write_bytes(b"not a zip file")  # the weights are damaged
    again, _ = _window_with_last_session(qtbot, tmp_path, monkeypatch)
    assert not again.sessions.restore_last()
    [folder] = _folders_kept_aside(path)
    assert (folder / arrays_path(path).name).read_bytes() == b"not a zip file"
    assert "copied to" in again.errors[0] and str(folder) in again.errors[0]
    assert again.sessions.autosave_enabled
    again.sessions.autosave_enabled = False


def test_when_the_last_session_cannot_be_kept_aside_it_is_never_saved_over(
    qtbot, tmp_path, monkeypatch
):
    from explorer.ui import session_ui

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(session_ui, "keep_aside", refuse)
    content = b'{"format": "explorer-session", "vers'
    window, path = _window_with_last_session(qtbot, tmp_path, monkeypatch, content)
    assert not window.sessions.restore_last()
    assert "will not be saved over" in window.errors[0] and str(path) in window.errors[0]
    window.close()
    assert path.read_bytes() == content


def test_an_unusable_data_folder_never_stops_the_app_nor_its_quit(
    qtbot, tmp_path, monkeypatch, caplog
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    window = _collect_errors(MainWindow())
    qtbot.addWidget(window)
    stopped = []
    for tab in window.all_tabs():
        monkeypatch.setattr(tab, "shutdown", lambda name=tab.export_name: stopped.append(name))
    with caplog.at_level("WARNING", logger="explorer"):
        assert not window.sessions.restore_last()
        window.close()
    assert window.errors == []  # no dialog
    assert len(stopped) == len(window.all_tabs())
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "not be kept across restarts" in warnings[0].getMessage()


def test_the_quit_path_shuts_the_tabs_down_whatever_fails_before(qtbot, monkeypatch):
    window = MainWindow()
    qtbot.addWidget(window)
    stopped = []
    for tab in window.all_tabs():
        monkeypatch.setattr(tab, "shutdown", lambda name=tab.export_name: stopped.append(name))

    def broken():
        raise RuntimeError("autosave bug")

    monkeypatch.setattr(window.sessions, "autosave", broken)
    window.close()
    assert len(stopped) == len(window.all_tabs())


def test_recent_menu_lists_sessions_and_clears(window, tmp_path):
    for name in ("a", "b"):
        window.sessions.save_to(tmp_path / f"{name}.json")
    window.sessions.fill_recent_menu(window.recent_menu)
    texts = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert texts[:2] == ["&1 b.json", "&2 a.json"]
    window.recent_menu.actions()[-1].trigger()
    assert window.sessions.recent() == []


def test_save_failure_is_reported(window, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not window.sessions.save_to(blocker / "s.json")
    assert "Could not save" in window.errors[0]


def test_the_model_weights_travel_in_the_npz_once(main_window, tmp_path):
    window = main_window
    document = window.model_document
    weight = document.model.linear1.weight
    weight.data[...] = 0.25
    path = tmp_path / "weights.json"
    assert window.sessions.save_to(path)
    with np.load(arrays_path(path), allow_pickle=False) as saved:
        assert np.all(saved["model/linear1.weight"] == 0.25)
        assert sorted(saved.files) == sorted(f"model/{key}" for key in document.model.state_dict())
    saved_json = json.loads(path.read_text())
    assert saved_json["documents"]["model"]["config"]["hidden_sizes"] == [256]
    assert "config" not in saved_json["tabs"]["model"]
    weight.data[...] = -1.0
    document.set_trained(True)
    assert window.sessions.open_from(path)
    assert np.all(document.model.linear1.weight.data == 0.25)
    assert window.tab("model").model() is document.model is window.tab("training").document.model
    assert not document.trained  # saved before any training
    assert window.errors == []


def test_weights_that_do_not_fit_are_refused_by_name(main_window):
    document = main_window.model_document
    with pytest.raises(ValueError, match="linear1.weight"):
        document.restore_arrays({**document.arrays(), "linear1.weight": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="missing"):
        document.restore_arrays({"linear1.weight": np.zeros((2, 2))})


def test_a_version_1_session_opens_with_its_weights_once(main_window, tmp_path):
    import shutil

    # Written by the explorer that kept the configuration in the Model tab's state and the
    # weights under both model/ and training/: a 2-4-3 MLP with weights set to known values.
    data = Path(__file__).parent.parent / "io" / "data"
    for name in ("session-v1.json", "session-v1.npz"):
        shutil.copy(data / name, tmp_path / name)
    with np.load(data / "session-v1.npz", allow_pickle=False) as old:
        weights = {key.partition("/")[2]: old[key] for key in old.files if key.startswith("model/")}
    window, document = main_window, main_window.model_document
    assert window.sessions.open_from(tmp_path / "session-v1.json"), window.errors
    assert document.config.layer_sizes == (2, 4, 3) and document.config.seed == 5
    for key, value in weights.items():
        np.testing.assert_array_equal(document.model.state_dict()[key], value)
    assert document.trained and "trained" in window.tab("model").totals.text()
    assert window.tab("training").document.model is document.model
    assert window.tabs.currentWidget() is window.tab("training")

    again = tmp_path / "again.json"
    assert window.sessions.save_to(again)
    saved = json.loads(again.read_text())
    assert saved["version"] == SESSION_VERSION == 2
    assert saved["documents"]["model"] == {"config": document.config.to_dict(), "trained": True}
    assert "config" not in saved["tabs"]["model"]
    with np.load(arrays_path(again), allow_pickle=False) as arrays:
        assert sorted(arrays.files) == sorted(f"model/{key}" for key in weights)


def test_a_session_above_the_budget_is_refused_and_nothing_is_built(
    main_window, tmp_path, monkeypatch
):
    from explorer.model.budget import ParameterBudget
    from explorer.model.config import MLPConfig

    window, document = main_window, main_window.model_document
    path = tmp_path / "big.json"
    assert window.sessions.save_to(path)
    saved = json.loads(path.read_text())
    saved["documents"]["model"]["config"]["hidden_sizes"] = [8192, 8192]
    path.write_text(json.dumps(saved))
    before = document.model
    monkeypatch.setattr(MLPConfig, "build", lambda config: pytest.fail("allocated"))
    assert not window.sessions.open_from(path)
    assert "2-8192-8192-3 would hold 67,166,211 parameters" in window.errors[0]  # spiral's
    assert "the current model was kept" in window.errors[0]
    assert document.model is before
    document.set_budget(ParameterBudget(10_000_000))
    window.errors.clear()
    saved["documents"]["model"]["config"]["hidden_sizes"] = [4096, 4096]  # 20,037,642
    path.write_text(json.dumps(saved))
    assert not window.sessions.open_from(path)
    assert "above the parameter budget of 10,000,000" in window.errors[0]
    assert document.model is before
    make_settings().remove("model/parameter_budget")


def test_a_tab_that_crashes_while_restoring_does_not_stop_the_others(window, tmp_path, monkeypatch):
    first, fake = window.tab("first"), window.tab("fake")

    def broken(state):
        raise AttributeError("bug in the tab")

    monkeypatch.setattr(first, "restore_state", broken)
    path = tmp_path / "s.json"
    fake.count.setValue(9)
    window.sessions.save_to(path)
    fake.count.setValue(1)
    assert not window.sessions.open_from(path)
    assert fake.count.value() == 9
    assert "First: unexpected AttributeError: bug in the tab" in window.errors[0]


def test_every_real_tab_comes_back_the_same(main_window, qtbot, tmp_path):
    window = main_window
    window.tab("distributions").set_distributions([0.7, 0.2, 0.1], [0.1, 0.3, 0.6])
    window.tab("distributions").set_base("nats")
    window.tab("losses").set_loss("Huber", reduction="sum", delta=0.5)
    window.show_tab("losses")
    before = {tab.export_name: tab.state() for tab in window.all_tabs()}
    path = tmp_path / "all.json"
    assert window.sessions.save_to(path)

    again = MainWindow()
    qtbot.addWidget(again)
    _collect_errors(again)
    assert again.sessions.open_from(path), again.errors
    after = {tab.export_name: tab.state() for tab in again.all_tabs()}
    assert after == before
    assert again.tabs.currentWidget() is again.tab("losses")


def test_a_corrupt_weights_file_keeps_the_rest_of_the_session(window, tmp_path):
    fake = window.tab("fake")
    fake.count.setValue(42)
    fake.arrays = {"linear1.weight": np.ones((2, 2))}
    path = tmp_path / "lab.json"
    assert window.sessions.save_to(path)
    arrays_path(path).write_bytes(b"not a zip")
    fake.count.setValue(1)
    fake.arrays = {}
    assert not window.sessions.open_from(path)
    assert fake.count.value() == 42 and fake.arrays == {}
    (message,) = window.errors
    assert "corrupt" in message and "weights were reset" in message


def test_a_state_of_the_wrong_kind_is_named_in_plain_words(window, tmp_path):
    path = tmp_path / "typed.json"
    doc = {"format": "explorer-session", "version": 1, "tabs": {"fake": {"settings": "oops"}}}
    path.write_text(json.dumps(doc))
    window.sessions._defaults["fake"] = {"count": 3, "settings": {"lr": 0.1}}
    assert not window.sessions.open_from(path)
    assert "Fake: 'settings' must be a JSON object; got a string" in window.errors[0]


def test_session_messages_show_numbers_not_numpy_reprs():
    from explorer.ui.session_ui import plain

    assert plain(ValueError("p has a NaN entry np.float64(nan) at index 0")) == (
        "p has a NaN entry nan at index 0"
    )


def answer_message_box(qtbot, button) -> list:
    """Click ``button`` (a QMessageBox.StandardButton) of the next message box, as a person
    would; the returned list gets the box's texts."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen = []

    def click(tries: int = 500) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(10, lambda: click(tries - 1))  # not shown yet
            return
        try:
            seen.append((box.text(), box.informativeText()))
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
        finally:
            if box.isVisible():  # never leave a modal box waiting (the test then fails)
                box.done(QMessageBox.StandardButton.Cancel)

    QTimer.singleShot(0, click)
    return seen


def test_opening_a_session_over_changes_asks_and_discard_opens_it(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    fake = window.tab("fake")
    path = tmp_path / "lab.json"
    fake.count.setValue(42)
    assert window.sessions.save_to(path)
    assert not window.sessions.is_modified()
    fake.count.setValue(7)  # unsaved work
    assert window.sessions.is_modified()
    window.sessions.ask_open_path = lambda: str(path)
    seen = answer_message_box(qtbot, QMessageBox.StandardButton.Discard)
    window.open_session_action.trigger()
    assert seen and seen[0][0] == "Discard the changes?"
    assert fake.count.value() == 42
    assert not window.sessions.is_modified()


def test_cancel_keeps_the_changes_and_save_saves_them_first(qtbot, window, tmp_path):
    from explorer.ui.session_ui import CANCEL, SAVE

    fake = window.tab("fake")
    other = tmp_path / "other.json"
    assert window.sessions.save_to(other)
    fake.count.setValue(9)
    asked = []
    window.sessions.ask_discard = lambda what: asked.append(what) or CANCEL
    window.sessions.ask_open_path = lambda: str(other)
    window.open_session_action.trigger()
    assert asked == ["Opening a session"] and fake.count.value() == 9
    kept = tmp_path / "kept.json"
    window.sessions.ask_discard = lambda what: SAVE
    window.sessions.ask_save_path = lambda: str(kept)
    window.open_session_action.trigger()
    assert json.loads(kept.read_text())["tabs"]["fake"] == {"count": 9}
    assert fake.count.value() == 3  # then other.json was opened


def test_an_unchanged_window_opens_without_asking(window, tmp_path):
    path = tmp_path / "lab.json"
    assert window.sessions.save_to(path)
    window.sessions.ask_discard = lambda what: pytest.fail("asked without changes")
    window.sessions.ask_open_path = lambda: str(path)
    window.open_session_action.trigger()
    window.show_tab("fake")  # the tab showing is no change
    assert not window.sessions.is_modified()


def test_recent_asks_before_replacing_changes(window, tmp_path):
    from explorer.ui.session_ui import CANCEL

    fake = window.tab("fake")
    assert window.sessions.save_to(tmp_path / "a.json")
    fake.count.setValue(5)
    asked = []
    window.sessions.ask_discard = lambda what: asked.append(what) or CANCEL
    window.sessions.fill_recent_menu(window.recent_menu)
    window.recent_menu.actions()[0].trigger()
    assert asked == ["Opening a.json"] and fake.count.value() == 5


def test_a_missing_recent_session_is_removed_from_the_list(window, tmp_path):
    window.sessions.clear_recent()  # the settings are shared by the tests of a run
    gone = tmp_path / "gone.json"
    assert window.sessions.save_to(gone)
    assert window.sessions.save_to(tmp_path / "here.json")
    gone.unlink()
    window.sessions.fill_recent_menu(window.recent_menu)
    entry = next(a for a in window.recent_menu.actions() if a.text().endswith("gone.json"))
    entry.trigger()
    assert "No such file or directory" in window.errors[0]
    assert window.errors[0].endswith("It was removed from Recent sessions.")
    assert window.sessions.recent() == [str((tmp_path / "here.json").resolve())]
    window.sessions.fill_recent_menu(window.recent_menu)
    assert not any("gone" in a.text() for a in window.recent_menu.actions())


def test_the_save_message_names_both_files(window, tmp_path):
    path = tmp_path / "lab.json"
    assert window.sessions.save_to(path)
    arrays = arrays_path(path)
    assert re.fullmatch(r"lab\.[0-9a-f]{16}\.npz", arrays.name) and arrays.exists()
    assert window.statusBar().currentMessage() == f"Session saved to {path} and {arrays.name}"
    for tab in window.all_tabs():
        tab.arrays = {}
    assert window.sessions.save_to(tmp_path / "plain.json")
    assert window.statusBar().currentMessage() == f"Session saved to {tmp_path / 'plain.json'}"


def test_the_status_bar_sums_up_tabs_reset_in_one_line(window, tmp_path):
    path = tmp_path / "typed.json"
    doc = {
        "format": "explorer-session",
        "version": 1,
        "tabs": {"fake": {"count": "many"}, "first": {"count": 0}},
    }
    path.write_text(json.dumps(doc))
    assert not window.sessions.open_from(path)
    assert window.statusBar().currentMessage() == (
        "Session typed.json opened; 2 tabs were reset to defaults (see the message)"
    )
    assert window.errors[0].count("\n") == 2


def test_the_main_window_starts_unmodified_and_a_change_modifies_it(main_window, tmp_path):
    sessions = main_window.sessions
    assert not sessions.is_modified()
    main_window.show_tab("losses")
    assert not sessions.is_modified()
    main_window.tab("distributions").count_spin.setValue(5)
    assert sessions.is_modified()
    assert sessions.save_to(tmp_path / "lab.json")
    assert not sessions.is_modified()



def test_a_change_of_the_shared_model_modifies_the_window(main_window):
    sessions = main_window.sessions
    assert not sessions.is_modified()
    main_window.model_document.set_trained(True)  # held by the document, not by a tab
    assert sessions.is_modified()

# -- files built to hang, exhaust memory or escape as another error ---------------------------
def _session_naming(folder, arrays_name, tabs=None):
    path = folder / "lab.json"
    document = {"format": "explorer-session", "version": 1, "tabs": tabs or {}}
    document["arrays"] = arrays_name
    path.write_text(json.dumps(document))
    return path


def test_a_session_that_is_a_fifo_or_a_device_is_refused_with_a_message(window, tmp_path):
    import os

    fake = window.tab("fake")
    fake.count.setValue(7)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        assert not window.sessions.open_from(tmp_path / "pipe.json")
        assert (
            "not a regular file but a pipe (FIFO). The current state is kept."
            in (window.errors[-1])
        )
    if os.path.exists("/dev/zero"):
        (tmp_path / "zero.json").symlink_to("/dev/zero")
        assert not window.sessions.open_from(tmp_path / "zero.json")
        assert "zero.json': not a regular file but a device" in window.errors[-1]
    assert fake.count.value() == 7


def test_a_4301_digit_integer_is_a_message_not_a_fault(window, tmp_path):
    path = tmp_path / "digits.json"
    path.write_text(
        '{"format": "explorer-session", "version": 1, "tabs": {"fake": {"count": '
        + "9" * 4301
        + "}}}"
    )
    assert not window.sessions.open_from(path)
    assert "holds a number of more than 4,300 digits" in window.errors[-1]


def test_arrays_with_an_absurd_shape_or_nan_keep_the_state_and_say_why(window, tmp_path):
    from tests.io.crafted import npy_header, raw_zip, stored

    fake = window.tab("fake")
    (tmp_path / "lab.npz").write_bytes(
        raw_zip([stored("fake/w.npy", npy_header("<f4", (2**70, 0)))])
    )
    path = _session_naming(tmp_path, "lab.npz", {"fake": {"count": 42}})
    assert not window.sessions.open_from(path)
    assert fake.count.value() == 42
    assert "Trained weights: arrays file" in window.errors[-1]
    assert "has shape (1180591620717411303424, 0)" in window.errors[-1]
    np.savez(tmp_path / "lab.npz", **{"fake/w": np.array([1.0, np.nan])})
    assert not window.sessions.open_from(path)
    assert "'fake/w' holds a non-finite value (nan) at index 1" in window.errors[-1]
