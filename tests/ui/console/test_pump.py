"""The pump: events are processed while code runs on the GUI thread, and it can be stopped."""

import signal
import sys

import pytest
from PySide6.QtCore import QTimer

from explorer.ui.console.pump import CellPump


def spin(until_interrupted: list) -> None:
    """A cell that never ends by itself."""
    try:
        while True:
            pass
    except KeyboardInterrupt:
        until_interrupted.append(True)
        raise


def test_a_loop_lets_timers_fire_and_stops_when_asked(qtbot):
    pump = CellPump(spin.__code__, interval=0.01)
    ticks = []

    def tick():
        ticks.append(pump.running())
        if len(ticks) == 3:
            pump.request_interrupt()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(1)
    handler = signal.getsignal(signal.SIGINT)
    interrupted = []
    pump.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            spin(interrupted)
    finally:
        pump.stop()
        timer.stop()
    assert interrupted == [True]
    assert ticks[:3] == [True, True, True]
    assert not pump.running()
    assert signal.getsignal(signal.SIGINT) is handler


def test_an_interrupt_waits_for_the_cells_own_frames(qtbot):
    # Outside the function that runs cells, a request waits (the shell's bookkeeping runs).
    pump = CellPump(spin.__code__)
    pump.start()
    try:
        pump.request_interrupt()
        pump._on_tick(signal.SIGINT, sys._getframe())  # not below spin(): nothing raised
    finally:
        pump.stop()


def test_between_cells_a_request_does_nothing(qtbot):
    pump = CellPump(spin.__code__)
    pump.request_interrupt()
    pump.start()
    try:
        pump._on_tick(signal.SIGINT, None)  # the earlier request was dropped
    finally:
        pump.stop()
