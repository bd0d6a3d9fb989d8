from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from explorer.model.document import Event
from explorer.ui.tab_base import ExplorerTab, bind


def test_a_binding_ends_with_its_view(qtbot):
    event, calls = Event(), []
    view = QWidget()
    bind(view, event, calls.append)
    event.emit(1)
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    event.emit(2)  # the view is gone: nothing is called on it
    assert calls == [1]


def test_every_ability_a_tab_may_offer_has_a_default(qtbot):
    tab = ExplorerTab()
    qtbot.addWidget(tab)
    assert tab.export_items() == tab.export_tables() == tab.export_texts() == {}
    assert tab.state() == {} and tab.session_arrays() == {}
    tab.restore_state({})
    tab.restore_session_arrays({})
    tab.shutdown()
