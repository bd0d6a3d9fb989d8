"""Keep the window alive while console code runs on the GUI thread, and stop that code.

The console's kernel runs in the app's process and executes a cell on the GUI thread: the
cell then reads and changes the very model the Model tab paints, with no lock and no copy
(the engine is not thread-safe, and Qt widgets the cell makes must live on this thread). A
long cell would freeze the window, so while one runs a :class:`CellPump` asks Python to call
a handler on the GUI thread every ``interval`` seconds: a helper thread simulates SIGINT
(``_thread.interrupt_main``, which sends no OS signal and exists on every platform), and the
handler that catches it processes Qt's pending events (paints, clicks, the *Interrupt* button,
Ctrl+C) and raises KeyboardInterrupt when an interrupt was requested. Python calls signal
handlers between bytecodes, so a pure Python loop (``while True: pass``) stops at once; a
single long call into C (one huge matrix product, ``time.sleep``) is only stopped after it
returns, as Ctrl+C in a terminal does.
"""

from __future__ import annotations

import _thread
import signal
import threading
from collections.abc import Callable
from types import CodeType, FrameType, TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication

#: Seconds between two rounds of event processing while a cell runs.
INTERVAL = 0.05


class CellPump:
    """Process Qt's events during a cell, and raise KeyboardInterrupt in it on request.

    Parameters
    ----------
    boundary : CodeType
        The code of the function that runs a cell (IPython's ``run_code``): the interrupt is
        raised only in frames below it, so that the shell's own bookkeeping around the cell
        is never cut short (it would then never reply).
    interval : float
        Seconds between two rounds of event processing.

    ``start()`` when a cell starts, ``stop()`` when it ended (both on the GUI thread, which
    is Python's main thread: only it may set signal handlers); ``request_interrupt()`` from
    anything the events run (a button, a key).
    """

    def __init__(self, boundary: CodeType, interval: float = INTERVAL):
        self._boundary = boundary
        self._interval = interval
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._previous: Callable | int | None = None
        self._armed = False  # the handler acts only between start() and stop()
        self._pumping = False  # events are being processed: a tick now would nest
        self._requested = False

    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`: a cell runs."""
        return self._armed

    def start(self) -> None:
        if self._armed:
            return
        self._requested = False
        self._previous = signal.signal(signal.SIGINT, self._on_tick)
        self._armed = True
        self._stopping.clear()
        self._thread = threading.Thread(target=self._tick, name="console-pump", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if not self._armed:
            return
        self._armed = False
        self._stopping.set()
        self._thread.join()
        self._thread = None
        self._requested = False
        # signal.signal first runs a tick still pending, with the disarmed handler: a no-op.
        signal.signal(signal.SIGINT, self._previous)

    def request_interrupt(self) -> None:
        """Stop the running cell at its next bytecode (nothing happens between cells)."""
        if self._armed:
            self._requested = True

    def _tick(self) -> None:
        while not self._stopping.wait(self._interval):
            _thread.interrupt_main(signal.SIGINT)

    def _on_tick(self, _signum: int, frame: FrameType | None) -> None:
        __tracebackhide__ = True  # show_interrupt leaves this frame out of the traceback
        if not self._armed:
            return
        if not self._pumping:
            self._pumping = True
            try:
                QCoreApplication.processEvents()
            finally:
                self._pumping = False
        if self._requested and self._armed and self._inside_cell(frame):
            self._requested = False
            raise KeyboardInterrupt

    def _inside_cell(self, frame: FrameType | None) -> bool:
        while frame is not None:
            if frame.f_code is self._boundary:
                return True
            frame = frame.f_back
        return False


def show_interrupt(
    shell: Any, etype: type, value: BaseException, tb: TracebackType, tb_offset=None
) -> None:
    """Show a KeyboardInterrupt as IPython does, ending at the line the cell was running.

    For ``shell.set_custom_exc((KeyboardInterrupt,), show_interrupt)``: the interrupt is
    raised by the pump's handler, whose frame (marked ``__tracebackhide__``) is the last
    of the traceback, a frame IPython always shows.
    """
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    while len(entries) > 1 and entries[-1].tb_frame.f_locals.get("__tracebackhide__"):
        entries.pop()
    entries[-1].tb_next = None
    shell.showtraceback((etype, value, entries[0]), tb_offset=tb_offset)
