"""The runs list: Delete and Backspace delete the selected run after the same question as the
button; a name being edited keeps its keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explorer.ui.training.runs import Run
from explorer.ui.training.tab import TrainingTab


def tab_with_runs(qtbot, count=3):
    tab = TrainingTab()
    qtbot.addWidget(tab, before_close_func=lambda widget: widget.shutdown())
    for run_id in range(1, count + 1):
        tab.runs.add(Run(run_id=run_id, name=f"#{run_id} moons", status="done"))
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def click_row(qtbot, tab, row):
    view = tab.view.runs_panel.view
    rect = view.visualRect(tab.runs.index(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.view.runs_panel.selected_row() == row


def test_the_delete_key_deletes_the_selected_run_after_asking(qtbot):
    tab = tab_with_runs(qtbot)
    view = tab.view.runs_panel.view
    questions = []
    answer = False
    tab.confirm = lambda parent, title, text: questions.append(text) or answer
    click_row(qtbot, tab, 1)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(questions) == 1 and "#2 moons" in questions[0]
    assert [r.name for r in tab.runs.runs()] == ["#1 moons", "#2 moons", "#3 moons"]  # "No"
    answer = True
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert [r.name for r in tab.runs.runs()] == ["#1 moons", "#3 moons"]
    click_row(qtbot, tab, 0)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert [r.name for r in tab.runs.runs()] == ["#3 moons"]
    tab.close()


def test_keys_in_a_name_being_edited_stay_in_the_name(qtbot):
    tab = tab_with_runs(qtbot, count=1)
    view = tab.view.runs_panel.view
    tab.confirm = lambda parent, title, text: True
    click_row(qtbot, tab, 0)
    qtbot.keyClick(view, Qt.Key.Key_F2)  # rename
    qtbot.waitUntil(lambda: view.findChild(QLineEdit) is not None)
    editor = view.findChild(QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)  # the commit is queued
    assert [r.name for r in tab.runs.runs()] == ["#1 moon"]
    tab.close()
