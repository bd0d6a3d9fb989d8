"""Fixtures for the engine's tests: running a test on the fast path and on the plain path."""

from __future__ import annotations

import pytest

from explorer.engine import fast


@pytest.fixture(params=["fast", "plain"])
def engine_path(request):
    """Run the test on each path: with the fast paths on, then with everything plain."""
    previous = fast.enabled()
    fast.set_fast_paths(request.param == "fast")
    try:
        yield request.param
    finally:
        fast.set_fast_paths(previous)
