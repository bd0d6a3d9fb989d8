"""The fast paths' own tests run with the fast paths on, whatever EXPLORER_ENGINE_PLAIN says."""

from __future__ import annotations

import pytest

from explorer.engine import fast


@pytest.fixture(autouse=True)
def _fast_paths_on():
    previous = fast.enabled()
    fast.set_fast_paths(True)
    try:
        yield
    finally:
        fast.set_fast_paths(previous)
