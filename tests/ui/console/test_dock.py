"""View > Console in a real window: the live model, data, output, errors, history,
completion, the Examples menu, Interrupt, and the app's appearance and zoom."""

import json
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget

import explorer.lecture_notes as lecture_notes
from explorer.data import Dataset
from explorer.model.config import MLPConfig
from explorer.ui import MainWindow
from explorer.ui.colors import DARK, LIGHT
from explorer.ui.console.dock import TRAINING_WARNING
from explorer.ui.theme import theme

NOTES = {
    "about": "a fixture in the format of resources/lecture_notes.json",
    "torch": "2.13.0+cpu",
    "blocks": [
        {
            "id": "01-model",
            "section": "torch.nn.Module",
            "title": "A model",
            "code": "class Model(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.linear1 = nn.Linear(4, 2)\n",
            "session": False,
            "then": "print(Model())\n",
        },
        {
            "id": "02-loss",
            "section": "Loss",
            "title": "A loss",
            "code": ">>> import torch\n>>> loss = nn.L1Loss()\n>>> print(loss)\nL1Loss()\n",
            "session": True,
        },
    ],
}


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    (tmp_path / "lecture_notes.json").write_text(json.dumps(NOTES), encoding="utf-8")
    monkeypatch.setattr(lecture_notes, "resource_path", lambda name: tmp_path / name)
    window = MainWindow()
    qtbot.addWidget(window)
    window.model_document.build(MLPConfig(input_features=4, hidden_sizes=(5,), output_features=3))
    window.show()
    return window


@pytest.fixture
def console(window, qtbot):
    window.view_menu.show()  # the menu's action, as a person chooses it
    window.console_action.trigger()
    window.view_menu.hide()
    dock = window.findChild(QDockWidget, "console")
    qtbot.waitUntil(dock.console.ready, timeout=30_000)  # its banner and first prompt came
    return dock


def test_view_console_opens_a_dock_with_its_banner(window, console, qtbot):
    assert console.isVisible() and window.console_action.isChecked()
    assert window.dockWidgetArea(console) == Qt.DockWidgetArea.BottomDockWidgetArea
    qtbot.waitUntil(lambda: "model   the model the Model tab shows" in console.console.text())
    assert not console.interrupt_button.isEnabled()
    window.console_action.trigger()
    assert console.isHidden() and not window.console_action.isChecked()
    window.console_action.trigger()
    assert console.isVisible() and window.findChildren(QDockWidget, "console") == [console]


def test_print_and_the_last_expression_are_shown_and_returned(console):
    assert console.execute("print('hi')\n1 + 1") == "hi\n2\n"
    assert "Out[" in console.console.text() and "hi" in console.console.text()
    assert console.execute("torch.__name__, nn.Linear.__name__, F.__name__, np.__name__") == (
        "('explorer.engine', 'Linear', 'explorer.engine.nn.functional', 'numpy')\n"
    )
    assert console.execute("import torch\ntorch.__name__") == "'explorer.engine'\n"


def test_an_error_shows_its_traceback_and_the_console_goes_on(console):
    printed = console.execute("def f():\n    return 1 / 0\nf()")
    assert "ZeroDivisionError: division by zero" in printed
    assert "----> 2     return 1 / 0" in printed
    assert console.execute("'still here'") == "'still here'\n"


def test_model_is_always_the_model_the_model_tab_shows(window, console):
    document = window.model_document
    console.shell.push({"_doc_model": document.model})
    assert console.execute("model is _doc_model") == "True\n"
    document.build(MLPConfig(input_features=4, hidden_sizes=(7,), output_features=3))
    assert console.execute("model.linear1.out_features") == "7\n"


def test_changing_weights_in_the_console_changes_the_model_tab_at_once(window, console):
    window.show_tab("model")
    tab = window.tab("model")
    tab.select("linear1.weight")
    assert np.abs(tab.weights.image.image).max() > 0
    console.execute("model.linear1.weight.data[:] = 0")
    np.testing.assert_array_equal(tab.weights.image.image, np.zeros((5, 4)))


def test_the_manual_update_loop_moves_the_weights_the_model_tab_shows(window, console):
    window.show_tab("model")
    tab = window.tab("model")
    tab.select("linear2.weight")
    before = tab.weights.image.image.copy()
    console.execute(
        "x = torch.tensor(np.ones((2, 4), dtype=np.float32))\n"
        "loss = model(x).sum()\n"
        "loss.backward()\n"
        "with torch.no_grad():\n"
        "    for p in model.parameters():\n"
        "        p.data[...] = p.data - 0.5 * p.grad\n"
    )
    shown = tab.weights.image.image
    np.testing.assert_allclose(shown, window.model_document.model.linear2.weight.data)
    assert not np.allclose(shown, before)


def test_data_is_the_training_tabs_split(window, console):
    x = np.zeros((6, 4), dtype=np.float32)
    y = np.array([0, 1, 2, 0, 1, 2])
    train = Dataset(x[:4], y[:4], 3, name="toy")
    val = Dataset(x[4:], y[4:], 3, name="toy")
    window.model_document.set_data(train, val)
    assert console.execute("data.train.x.shape, data.val.y.tolist(), data.class_names") == (
        "((4, 4), [1, 2], ['0', '1', '2'])\n"
    )


def test_a_cell_during_a_training_run_is_told_the_run_owns_the_weights(window, console):
    window.model_document.set_training(True)
    try:
        assert console.execute("1") == f"{TRAINING_WARNING}1\n"
    finally:
        window.model_document.set_training(False)
    assert console.execute("2") == "2\n"


def _while_running(qtbot, console, after_ticks, act):
    """Run ``while True: pass``; a timer counts its ticks (the window processes events) and
    calls ``act()`` after ``after_ticks`` of them, noting whether Interrupt was enabled."""
    seen = []

    def tick():
        seen.append(console.interrupt_button.isEnabled())
        if len(seen) == after_ticks:
            act()

    timer = QTimer()
    timer.timeout.connect(tick)

    def on_running(running):  # ticks count from the moment the cell runs
        if running:
            timer.start(5)

    console.sigRunningChanged.connect(on_running)
    try:
        printed = console.execute("n = 0\nwhile True:\n    n += 1")
    finally:
        timer.stop()
        console.sigRunningChanged.disconnect(on_running)
    return printed, seen


def test_interrupt_stops_a_loop_while_the_window_keeps_processing_events(console, qtbot):
    def click():
        qtbot.mouseClick(console.interrupt_button, Qt.MouseButton.LeftButton)

    printed, seen = _while_running(qtbot, console, 4, click)
    assert printed.rstrip().endswith("KeyboardInterrupt:")
    assert re.search(r"Cell In\[\d+\], line [23]\n      1 n = 0\n", printed)
    assert "pump" not in printed  # the traceback ends in the cell
    assert seen[:4] == [True] * 4 and len(seen) >= 4
    assert not console.interrupt_button.isEnabled() and console.status.text() == ""
    assert console.execute("n > 0") == "True\n"


def test_ctrl_c_in_the_console_stops_a_loop(console, qtbot):
    def ctrl_c():
        qtbot.keyClick(console.console._control, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)

    printed, _seen = _while_running(qtbot, console, 2, ctrl_c)
    assert "KeyboardInterrupt" in printed


@pytest.mark.parametrize("events_before_the_reply", [False, True])
def test_closing_the_window_stops_a_running_loop(window, console, qtbot, events_before_the_reply):
    from PySide6.QtCore import QCoreApplication

    def flush(_result):  # the kernel's output streams may process events before its reply
        QCoreApplication.processEvents()

    if events_before_the_reply:
        console.shell.events.register("post_run_cell", flush)
    try:
        printed, _seen = _while_running(qtbot, console, 2, window.close)
    finally:
        if events_before_the_reply:
            console.shell.events.unregister("post_run_cell", flush)
    assert "KeyboardInterrupt" in printed
    assert not window.isVisible()


def test_history_recalls_the_last_cell(console, qtbot):
    console.execute("a = 1")
    console.execute("b = 2")
    control = console.console._control
    control.setFocus()
    qtbot.keyClick(control, Qt.Key.Key_Up)
    assert console.console.input_buffer == "b = 2"


def test_tab_completes_a_name(console, qtbot):
    console.console.input_buffer = "torch.no_gr"
    qtbot.keyClick(console.console._control, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: console.console.input_buffer == "torch.no_grad")


def test_examples_paste_each_block_of_the_notes(console, qtbot):
    actions = [a for a in console.examples_menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["A model", "A loss"]
    actions[0].trigger()
    assert console.console.input_buffer.splitlines()[:2] == [
        "# A model (the lecture notes: torch.nn.Module)",
        "class Model(nn.Module):",
    ]
    assert "Shift+Enter" in console.status.text()
    printed = console.execute(console.console.input_buffer)
    assert "(linear1): Linear(in_features=4, out_features=2, bias=True)" in printed
    actions[1].trigger()
    assert console.execute(console.console.input_buffer) == "L1Loss()\n"


def test_the_console_follows_dark_mode_and_zoom(window, console):
    window.set_appearance("dark")
    assert f"background-color: {theme().hex(DARK.background)}" in console.console.style_sheet
    assert console.console.syntax_style == "monokai"
    size = console.console.font.pointSizeF()
    window.set_zoom(1.5)
    assert console.console.font.pointSizeF() == pytest.approx(size * 1.5, rel=0.05)
    window.set_appearance("light")
    window.set_zoom(1.0)
    assert f"background-color: {theme().hex(LIGHT.background)}" in console.console.style_sheet


@pytest.mark.parametrize("size", [(1024, 640), (1600, 1000)])
def test_the_console_opens_below_the_tabs_leaving_them_the_larger_part(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    window.console_action.trigger()
    dock = window.findChild(QDockWidget, "console")
    qtbot.waitUntil(lambda: dock.isVisible() and dock.height() > 0)
    qtbot.waitUntil(lambda: window.tabs.height() >= 1.5 * dock.height())
    assert dock.height() >= 150  # a few lines of it are there to type in


def test_weights_changed_in_the_console_redraw_the_training_tabs_outputs(window, console, qtbot):
    training = window.tab("training")
    window.model_document.build(window.model_document.config.adapted(2, 3))  # fits the spiral
    qtbot.waitUntil(lambda: training.view.confusion_plot.matrix is not None)
    before = training.view.confusion_plot.matrix.copy()
    console.execute("with torch.no_grad():\n    for p in model.parameters():\n        p.zero_()")
    # Zero weights: every logit equal, every sample predicted as class 0.
    matrix = training.view.confusion_plot.matrix
    assert matrix.sum() == before.sum() and (matrix[:, 1:] == 0).all()
    assert not np.array_equal(matrix, before)
