"""Special files in place of a user's file: a symlink to /dev/zero, a FIFO."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def dev_zero_link(folder: Path, name: str) -> Path:
    link = folder / name
    link.symlink_to("/dev/zero")
    return link


def refuses_without_blocking(fifo: Path, read) -> BaseException | None:
    """Run ``read()`` on a thread; the exception it raised. A read that blocks on the FIFO
    is released by opening the FIFO for writing, and the test fails."""
    outcome = {}

    def target():
        try:
            read()
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    if thread.is_alive():
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(writer)
        thread.join()
        pytest.fail(f"reading the FIFO {fifo} blocked")
    return outcome.get("error")
