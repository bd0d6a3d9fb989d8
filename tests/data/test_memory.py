import os

import pytest

from explorer.data import DataError, memory
from explorer.data.memory import (
    FALLBACK_MEMORY_BUDGET,
    check_memory_budget,
    default_memory_budget,
    format_bytes,
    total_memory,
    working_set,
)


def test_the_default_budget_is_a_quarter_of_the_ram():
    total = total_memory()
    assert total is not None and total > 1 << 28
    assert default_memory_budget() == int(total * 0.25)


def test_without_a_known_ram_size_the_budget_falls_back(monkeypatch):
    def no_sysconf(name):
        raise ValueError(name)

    monkeypatch.setattr(os, "sysconf", no_sysconf)
    monkeypatch.setattr(memory.sys, "platform", "linux")
    assert total_memory() is None
    assert default_memory_budget() == FALLBACK_MEMORY_BUDGET


def test_the_windows_answer_never_raises_elsewhere(monkeypatch):
    monkeypatch.setattr(memory.sys, "platform", "win32")
    total = total_memory()
    assert total is None if os.name != "nt" else total > 0


def test_check_memory_budget_names_what_it_needs_and_the_budget():
    check_memory_budget("x", working_set(10, 10), working_set(10, 10))
    with pytest.raises(DataError) as info:
        check_memory_budget("data.csv: 10 rows", 3 << 30, 2 << 30)
    assert str(info.value) == (
        "data.csv: 10 rows would need about 3.0 GiB of memory to load and train on, more "
        "than the memory budget of 2.0 GiB"
    )


def test_format_bytes():
    assert [format_bytes(n) for n in (512, 5 << 20, 3 << 30)] == ["512 bytes", "5 MiB", "3.0 GiB"]
