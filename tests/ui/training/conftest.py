"""Fixtures for the Training tab's parts: no worker thread may outlive a test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_training_thread_left():
    yield
    from tests.ui.training.tab_helpers import assert_no_training_thread_left

    assert_no_training_thread_left()
