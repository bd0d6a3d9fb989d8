import gc
import threading

import pytest

from explorer.ui.background import BackgroundCall, CancellableCall


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


def test_a_cancellable_call_reports_progress_and_stops_when_asked(qtbot):
    call = CancellableCall()
    started, release = threading.Event(), threading.Event()
    reports = []
    call.sigProgress.connect(lambda done, total: reports.append((done, total)))

    def work(progress, should_stop):
        progress(1, 3)
        started.set()
        release.wait(5)
        if should_stop():
            return None
        progress(3, 3)
        return "finished"

    with qtbot.waitSignal(call.sigDone, timeout=5000) as done:
        call.start(work)
        assert started.wait(5)
        call.cancel()
        release.set()
    assert done.args == [None]
    assert reports == [(1, 3)]  # queued before the result, so delivered before it
    release.clear()
    with qtbot.waitSignal(call.sigDone, timeout=5000) as done:
        call.start(lambda progress, should_stop: (progress(2, 2), "again")[1])
    assert done.args == ["again"]  # a new call starts without the old request to stop
