"""View > Console: a dock with an IPython console bound to the model document.

The console's kernel runs in the app's process, and each cell on the GUI thread (see
``pump.py`` for why, and for how the window stays responsive and Ctrl+C stops a cell):
``model`` is the document's model, so typing ``model.linear1.weight.data[0] = 0`` changes the
weights the tabs show, and after each cell the document says the weights may have changed.
While a training run holds the model (running or paused), its process owns the weights and
overwrites them at its next report: a cell still runs (reading is useful) but is told so.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.lecture_notes import CodeBlock, load_blocks
from explorer.model.document import ModelDocument
from explorer.ui.console.examples import example_text, fill_examples_menu
from explorer.ui.console.kernel import kernel_manager
from explorer.ui.console.namespace import console_namespace, engine_as_torch
from explorer.ui.console.pump import CellPump
from explorer.ui.console.widget import ConsoleWidget
from explorer.ui.tab_base import bind

TRAINING_WARNING = (
    "A training run holds the model (running or paused): its process owns the weights and "
    "overwrites changes made here at its next report. Stop the run to change them.\n"
)
RUNNING_TEXT = "Running… Ctrl+C in the console or Interrupt stops it."
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class ConsoleDock(QDockWidget):
    """The console dock (objectName ``console``): an Examples menu, an Interrupt button and
    the console, whose namespace holds ``torch``, ``nn``, ``F``, ``np``, ``model``, ``data``.

    ``execute(code)`` runs code as if typed and returns what the console printed for it;
    ``interrupt()`` stops the running cell; ``shutdown()`` (the window calls it on close)
    stops a running cell and lets go of the kernel.
    """

    sigRunningChanged = Signal(bool)

    def __init__(
        self,
        document: ModelDocument,
        parent=None,
        load_examples: Callable[[], Sequence[CodeBlock]] = load_blocks,
    ):
        super().__init__("Console", parent)
        self.setObjectName("console")
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.document = document
        self._closing = False
        self._torch_imports = None  # engine_as_torch(), open while a cell runs

        self.manager = kernel_manager()
        self.client = self.manager.client()
        self.client.start_channels()
        self.shell = self.manager.kernel.shell
        self.console = ConsoleWidget()
        self.console.kernel_manager = self.manager
        self.console.kernel_client = self.client
        self.console.custom_interrupt_requested.connect(self.interrupt)
        self.pump = CellPump(type(self.shell).run_code.__code__)

        self.examples_menu = QMenu("Examples", self)
        self.examples_menu.setObjectName("consoleExamplesMenu")
        fill_examples_menu(self.examples_menu, load_examples, self.paste_example)
        self.examples_button = QToolButton()
        self.examples_button.setObjectName("consoleExamples")
        self.examples_button.setText("Examples")
        self.examples_button.setToolTip("Paste a code block of the lecture notes")
        self.examples_button.setMenu(self.examples_menu)
        self.examples_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.interrupt_button = QToolButton()
        self.interrupt_button.setObjectName("consoleInterrupt")
        self.interrupt_button.setText("Interrupt")
        self.interrupt_button.setToolTip("Stop the code that is running (Ctrl+C in the console)")
        self.interrupt_button.setEnabled(False)
        self.interrupt_button.clicked.connect(self.interrupt)
        self.status = QLabel()
        self.status.setObjectName("consoleStatus")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.examples_button)
        bar.addWidget(self.interrupt_button)
        bar.addWidget(self.status, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.console, 1)
        self.setWidget(body)
        self.setFocusProxy(self.console)

        self.shell.push(console_namespace(document))
        bind(self, document.model_changed, self._on_document_model_changed)
        self._hooks = (
            ("pre_run_cell", self._on_cell_started),
            ("post_run_cell", self._on_cell_finished),
        )
        for event, callback in self._hooks:
            self.shell.events.register(event, callback)
        shell, client, hooks = self.shell, self.client, self._hooks
        self.destroyed.connect(lambda *_: _let_go(shell, client, hooks))

    # -- running code -----------------------------------------------------------------------
    def running(self) -> bool:
        """True while a cell runs."""
        return self.pump.running()

    def interrupt(self) -> None:
        """Stop the running cell (a KeyboardInterrupt, shown with its traceback)."""
        self.pump.request_interrupt()

    def execute(self, code: str, timeout: float = 120.0) -> str:
        """Run ``code`` as if typed and return what the console printed for it: stdout and
        stderr, the repr of the last expression, the traceback of an error (without colour).

        RuntimeError while another cell runs; TimeoutError if it has not ended after
        ``timeout`` seconds (the window processes events meanwhile).
        """
        if self.running():
            raise RuntimeError("code is running in the console: interrupt it first")
        self._wait(self.console.ready, timeout)
        messages: list[dict] = []
        replies: set[str] = set()
        self.client.iopub_channel.message_received.connect(messages.append)
        on_reply = lambda msg: replies.add(msg["parent_header"].get("msg_id"))  # noqa: E731
        self.client.shell_channel.message_received.connect(on_reply)
        try:
            self.console.execute(code)
            msg_id = self.client.last_execute

            def ended() -> bool:
                return msg_id in replies and any(
                    msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"
                    and msg["parent_header"].get("msg_id") == msg_id
                    for msg in messages
                )

            self._wait(ended, timeout)
        finally:
            self.client.iopub_channel.message_received.disconnect(messages.append)
            self.client.shell_channel.message_received.disconnect(on_reply)
        return _printed(messages, msg_id)

    def _wait(self, condition: Callable[[], bool], timeout: float) -> None:
        """Process events until ``condition()``; TimeoutError after ``timeout`` seconds."""
        loop = QEventLoop()
        check = QTimer()
        check.timeout.connect(lambda: condition() and loop.quit())
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        if not condition():
            check.start(5)
            deadline.start(int(timeout * 1000))
            loop.exec()
            check.stop()
            deadline.stop()
        if not condition():
            raise TimeoutError(f"the console did not answer within {timeout:g} s")

    def paste_example(self, block: CodeBlock) -> None:
        """Put ``block`` in the console's input, ready to run (Shift+Enter)."""
        self.console.input_buffer = example_text(block)
        self.status.setText(f"Pasted “{block.title}”: Shift+Enter runs it.")
        self.console.setFocus()

    # -- the kernel's cells -----------------------------------------------------------------
    def _ours(self) -> bool:
        # The kernel is the process's: run only this console's cells (tests open several).
        parent = self.manager.kernel.get_parent()
        return parent.get("header", {}).get("session") == self.client.session.session

    def _on_cell_started(self, _info) -> None:
        if not self._ours():
            return
        if self.document.training:
            sys.stderr.write(TRAINING_WARNING)
        self._torch_imports = engine_as_torch()
        self._torch_imports.__enter__()
        self.pump.start()
        self._show_running(True)

    def _on_cell_finished(self, _result) -> None:
        if not self.pump.running():
            return
        self.pump.stop()
        self._torch_imports.__exit__(None, None, None)
        self._torch_imports = None
        self._show_running(False)
        self.document.notify_weights_changed()  # the cell may have changed them in place
        if self._closing:
            cell = self.manager.kernel.get_parent().get("header", {}).get("msg_id")
            self._disconnect_after(cell)

    def _show_running(self, running: bool) -> None:
        self.interrupt_button.setEnabled(running)
        self.status.setText(RUNNING_TEXT if running else "")
        self.setWindowTitle("Console (running)" if running else "Console")
        self.sigRunningChanged.emit(running)

    def _on_document_model_changed(self, model) -> None:
        self.shell.push({"model": model})

    # -- closing ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop a running cell and let go of the kernel (the window is closing)."""
        self._closing = True
        if self.running():
            self.interrupt()  # it ends, then _on_cell_finished lets go
        else:
            self._disconnect()

    def _disconnect_after(self, cell: str | None) -> None:
        """Let go of the kernel once ``cell``'s reply and its last output ("idle") reached
        this console: they come after the cell ends, delivered later by the event loop,
        which the kernel may run before it even sends them."""
        channel = self.client.iopub_channel

        def on_message(msg: dict) -> None:
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg["parent_header"].get("msg_id") == cell
            ):
                channel.message_received.disconnect(on_message)
                QTimer.singleShot(0, self._disconnect)  # after the others read this message

        channel.message_received.connect(on_message)

    def _disconnect(self) -> None:
        _let_go(self.shell, self.client, self._hooks)


def _let_go(shell, client, hooks) -> None:
    """Unhook a console from the process's kernel (it stays for the next console)."""
    for event, callback in hooks:
        if callback in shell.events.callbacks[event]:
            shell.events.unregister(event, callback)
    if client.channels_running:
        client.stop_channels()


def _printed(messages: list[dict], msg_id: str) -> str:
    """What the console shows for the cell ``msg_id``, as plain text, from the output
    messages in the order they came."""
    ids = [msg["parent_header"].get("msg_id") for msg in messages]
    first, last = ids.index(msg_id), len(ids) - 1 - ids[::-1].index(msg_id)
    parts = []
    for msg, parent in zip(messages[first : last + 1], ids[first : last + 1], strict=True):
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            # The in-process kernel may label a print with the previous cell: order tells.
            parts.append(content["text"])
        elif parent != msg_id:
            continue
        elif kind in ("execute_result", "display_data"):
            parts.append(content["data"].get("text/plain", "") + "\n")
        elif kind == "error":
            parts.append(_ANSI.sub("", "\n".join(content["traceback"])) + "\n")
    return "".join(parts)
