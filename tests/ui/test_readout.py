import math

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from explorer.info import compare
from explorer.ui import MainWindow
from explorer.ui.widgets.readout import Readout


def choose_from_context_menu(qtbot, widget, text: str) -> None:
    """Right-click ``widget`` and choose the menu entry ``text``, as a person would."""
    chosen = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        action = next(a for a in menu.actions() if a.text() == text)
        menu.setActiveAction(action)
        qtbot.keyClick(menu, Qt.Key.Key_Return)
        chosen.append(action)

    QTimer.singleShot(0, choose)  # runs inside the menu's own event loop
    centre = widget.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, widget.mapToGlobal(centre))
    QApplication.sendEvent(widget, event)
    assert chosen, f"the menu of {widget.objectName()} offered no {text!r}"


@pytest.fixture
def window(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_copy_value_gives_the_full_number_without_its_unit(qtbot, window):
    window.show_tab("distributions")
    tab = window.tab("distributions")
    tab.set_base("nats")
    p, q = [0.7, 0.2, 0.1], [1e-6, 0.5, 0.499999]
    tab.set_distributions(p, q)
    label = tab.readouts.values["crossEntropyValue"]
    expected = compare(tab.distributions()[0], tab.distributions()[1], math.e).cross_entropy_pq
    assert label.text() == f"{expected:.4f} nats"
    choose_from_context_menu(qtbot, label, "Copy value")
    assert QGuiApplication.clipboard().text() == repr(expected)
    assert float(QGuiApplication.clipboard().text()) == expected
    choose_from_context_menu(qtbot, label, "Copy H(P,Q)")
    assert QGuiApplication.clipboard().text() == f"H(P,Q) = {expected:.4f} nats"


def test_the_losses_value_copies_its_full_number(qtbot, window):
    window.show_tab("losses")
    tab = window.tab("losses")
    label = tab.results.value
    choose_from_context_menu(qtbot, label, "Copy value")
    assert QGuiApplication.clipboard().text() == repr(float(tab.last_result.value))
    assert label.text() == f"{float(tab.last_result.value):.6f}"


def test_every_read_out_of_every_tab_offers_both_copies(window):
    readouts = window.findChildren(Readout)
    names = {r.objectName() for r in readouts}
    assert {"crossEntropyValue", "gaussianKlPQValue", "lossValue"} <= names
    assert len(readouts) >= 7 + 7 + 1
    for readout in readouts:
        texts = [a.text() for a in readout.actions()]
        assert texts[:2] == [f"Copy {readout.symbol}", "Copy value"], readout.objectName()
        assert readout.text() and float(readout.value_text()) == readout.value()
