"""How much memory the machine has, and the budget a dataset may take of it.

Data files are checked against a memory budget before their data is read
(:func:`explorer.data.load_idx`, :func:`explorer.data.load_csv`): the memory that loading,
splitting, standardizing and training on the data would take (:func:`working_set`) may not
exceed it. By default it is a quarter of the machine's RAM, so that training on a large
dataset leaves room for the rest of the app and of the machine.

>>> from explorer.data.memory import default_memory_budget, format_bytes
>>> default_memory_budget() > 0
True
>>> format_bytes(3 * 2**30)
'3.0 GiB'
"""

from __future__ import annotations

import ctypes
import os
import sys

from explorer.data.dataset import DataError

MEMORY_BUDGET_SHARE = 0.25
#: The budget when the machine's RAM cannot be found.
FALLBACK_MEMORY_BUDGET = 2 << 30
#: Bytes of memory per feature value while a dataset is loaded, split, standardized and
#: trained on: the float32 values the dataset keeps (4), its training and validation parts,
#: split and standardized in place (4), the validation part in the data's units for the
#: plots (up to 2, at the largest validation share, 0.5), the training process's copy of
#: both parts (4), and the blocks loading and standardizing work in (measured:
#: tests/data/test_idx.py).
WORKING_SET_PER_VALUE = 15
#: Bytes per sample beyond its features: int64 labels in the dataset, its parts and the
#: training process, and the split's index arrays.
WORKING_SET_PER_ROW = 64


def working_set(rows: int, features: int) -> int:
    """Estimated peak memory, in bytes, of training on ``rows`` samples of ``features``
    values: loading, splitting, standardizing, and the training process's copy."""
    return rows * (features * WORKING_SET_PER_VALUE + WORKING_SET_PER_ROW)


def check_memory_budget(what: str, need: int, budget: int | None) -> None:
    """Raise :class:`DataError` when ``need`` bytes exceed ``budget`` (None: the default).

    ``what`` starts the message, naming the file and its size:
    ``"<what> would need about 3.1 GiB of memory to load and train on, more than the
    memory budget of 2.0 GiB"``.
    """
    budget = default_memory_budget() if budget is None else budget
    if need > budget:
        raise DataError(
            f"{what} would need about {format_bytes(need)} of memory to load and train on, "
            f"more than the memory budget of {format_bytes(budget)}"
        )


def total_memory() -> int | None:
    """The machine's physical memory in bytes, or None if it cannot be found.

    POSIX systems (Linux, macOS) answer through ``os.sysconf``; Windows through
    ``GlobalMemoryStatusEx``.
    """
    if sys.platform == "win32":
        return _windows_total_memory()
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return pages * page_size if pages > 0 and page_size > 0 else None


def _windows_total_memory() -> int | None:
    class MemoryStatus(ctypes.Structure):
        _fields_ = [
            ("dwLength", ctypes.c_ulong),
            ("dwMemoryLoad", ctypes.c_ulong),
            ("ullTotalPhys", ctypes.c_ulonglong),
            ("ullAvailPhys", ctypes.c_ulonglong),
            ("ullTotalPageFile", ctypes.c_ulonglong),
            ("ullAvailPageFile", ctypes.c_ulonglong),
            ("ullTotalVirtual", ctypes.c_ulonglong),
            ("ullAvailVirtual", ctypes.c_ulonglong),
            ("ullAvailExtendedVirtual", ctypes.c_ulonglong),
        ]

    status = MemoryStatus()
    status.dwLength = ctypes.sizeof(MemoryStatus)
    try:
        ok = ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))
    except (AttributeError, OSError):
        return None
    return int(status.ullTotalPhys) if ok and status.ullTotalPhys > 0 else None


def default_memory_budget() -> int:
    """A quarter of the machine's RAM, in bytes (:data:`FALLBACK_MEMORY_BUDGET` if unknown)."""
    total = total_memory()
    return FALLBACK_MEMORY_BUDGET if total is None else int(total * MEMORY_BUDGET_SHARE)


def format_bytes(count: int) -> str:
    """``count`` bytes for a person: ``"512 MiB"``, ``"3.0 GiB"``."""
    if count < 1 << 10:
        return f"{count} bytes"
    if count < 1 << 20:
        return f"{count / 1024:.0f} KiB"
    if count < 1 << 30:
        return f"{count / (1 << 20):.0f} MiB"
    return f"{count / (1 << 30):.1f} GiB"
