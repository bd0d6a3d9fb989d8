import gc
import threading

import pytest

from explorer.ui.background import BackgroundCall


def test_a_call_runs_off_the_gui_thread_and_its_result_comes_back(qtbot):
    call = BackgroundCall()
    where = []

    def work():
        where.append(threading.current_thread() is threading.main_thread())
        return 42

    with qtbot.waitSignal(call.sigDone, timeout=5000) as done:
        call.start(work)
        assert call.is_running() and not gc.isenabled()  # the collector stays out of it
    assert done.args == [42] and where == [False]
    assert not call.is_running() and gc.isenabled()


def test_an_exception_comes_back_as_it_was_raised(qtbot):
    call = BackgroundCall()

    def work():
        raise OSError("no such file: x.csv")

    with qtbot.waitSignal(call.sigFailed, timeout=5000) as failed:
        call.start(work)
    assert isinstance(failed.args[0], OSError) and "x.csv" in str(failed.args[0])


def test_one_call_at_a_time_and_an_abandoned_call_reports_nothing(qtbot):
    call = BackgroundCall()
    release = threading.Event()
    got = []
    call.sigDone.connect(got.append)
    call.start(lambda: release.wait(5) and "old")
    with pytest.raises(RuntimeError, match="still running"):
        call.start(lambda: "again")
    release.set()
    call.wait()  # shutting down: the result is dropped
    with qtbot.waitSignal(call.sigDone, timeout=5000):
        call.start(lambda: "new")
    qtbot.wait(20)
    assert got == ["new"]
