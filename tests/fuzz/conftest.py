"""The fuzz tests' child process and example count (see the package docstring)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.limits import LimitedWorker

FUZZ_EXAMPLES = int(os.environ.get("EXPLORER_FUZZ_EXAMPLES", "50"))
#: The address space a reader may add in the child, above its size at rest.
FUZZ_MEMORY = 300 << 20

fuzz_settings = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="session")
def worker():
    with LimitedWorker(extra_bytes=FUZZ_MEMORY) as child:
        yield child


@pytest.fixture(scope="session")
def scratch(tmp_path_factory):
    """A folder the examples write their files into (one example at a time)."""
    return tmp_path_factory.mktemp("fuzz")


def outcome(worker: LimitedWorker, reader: str, path, **options) -> dict:
    """Run ``reader`` in the capped child; fail unless it gave a result or its documented
    error."""
    answer = worker.call(reader, path, **options)
    assert answer["outcome"] in ("ok", "refused"), (
        f"{reader} let {answer['type']} escape:\n{answer['message']}"
    )
    return answer
