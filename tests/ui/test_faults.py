import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from explorer.ui.faults import FaultDialog, FaultHandler, setup_logging


@pytest.fixture
def handler(qtbot, tmp_path):
    shown = []
    log_path = setup_logging(tmp_path)
    fault = FaultHandler(
        show=lambda message, details: shown.append((message, details)), log_path=log_path
    )
    fault.shown = shown
    fault.install()
    yield fault
    fault.uninstall()
    logger = logging.getLogger("explorer")
    for h in list(logger.handlers):
        if getattr(h, "baseFilename", "").startswith(str(tmp_path)):
            logger.removeHandler(h)
            h.close()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_shown_logged_and_the_app_keeps_running(handler, qtbot):
    button = QPushButton("boom")
    qtbot.addWidget(button)

    def explode():
        raise RuntimeError("the slot failed")

    button.clicked.connect(explode)
    button.click()
    assert len(handler.shown) == 1
    message, details = handler.shown[0]
    assert message == "RuntimeError: the slot failed"
    assert "Traceback" in details and "explode" in details
    for h in logging.getLogger("explorer").handlers:
        h.flush()
    assert "the slot failed" in handler.log_path.read_text()
    # The event loop still runs afterwards.
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True])


def test_install_and_uninstall_restore_the_previous_hook(qtbot):
    before = sys.excepthook
    fault = FaultHandler(show=lambda m, d: None)
    fault.install()
    assert sys.excepthook == fault.handle
    fault.uninstall()
    assert sys.excepthook is before


def test_dialog_shows_message_and_copies_details(qtbot):
    dialog = FaultDialog("ValueError: bad <value>", "Traceback...\nValueError: bad <value>")
    qtbot.addWidget(dialog)
    assert "bad &lt;value&gt;" in dialog.message_label.text()
    dialog.copy_button.click()
    assert QApplication.clipboard().text().startswith("Traceback")
    assert dialog.copy_button.text() == "Copied"


def test_default_display_is_one_non_modal_dialog_at_a_time(qtbot):
    fault = FaultHandler()
    fault.install()
    try:
        for _ in range(3):
            try:
                raise ValueError("again")
            except ValueError:
                fault.handle(*sys.exc_info())
        assert fault.dialog is not None and fault.dialog.isVisible()
        assert not fault.dialog.isModal()
        assert fault.dialog.details.count("ValueError: again") == 3
        assert fault.count == 3
    finally:
        fault.uninstall()
        if fault.dialog is not None:
            fault.dialog.close()


@pytest.mark.qt_no_exception_capture
def test_the_main_window_installs_the_handler_and_reports_in_the_status_bar(
    qtbot, tmp_path, monkeypatch
):
    from explorer.ui import MainWindow

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    window = MainWindow()
    qtbot.addWidget(window)
    before = sys.excepthook
    window.install_fault_handler()
    shown = []
    window.faults._show = lambda message, details: shown.append(message)
    try:
        QTimer.singleShot(0, lambda: 1 / 0)
        qtbot.waitUntil(lambda: shown == ["ZeroDivisionError: division by zero"])
        assert window.statusBar().currentMessage() == "Error: ZeroDivisionError: division by zero"
        assert window.faults.log_path == tmp_path / "data" / "explorer" / "explorer.log"
    finally:
        window.close()
        logger = logging.getLogger("explorer")
        for h in list(logger.handlers):
            logger.removeHandler(h)
            h.close()
    assert sys.excepthook is before
