"""Fuzz tests of every reader of user files and of the training process's wire format.

Each test feeds a reader arbitrary bytes and bytes mutated from a valid file (truncations,
bit flips, overwritten sizes, lying headers) and accepts only a valid result or the
reader's documented error: ``SessionError`` (sessions and their arrays), ``DataError`` (CSV,
IDX), ``ValueError`` (weights), ``WireError`` (wire frames). The readers run in a child
process capped with ``RLIMIT_AS`` at a few hundred megabytes above its size at rest
(:mod:`tests.limits`), so an input that makes a reader allocate too much fails the test
with the MemoryError it raises there. Linux only (the cap reads ``/proc``).

Environment
-----------
EXPLORER_FUZZ_EXAMPLES
    Examples per test (default 50: the whole folder takes about 15 seconds on one core).
    Raise it to search longer, e.g. ``EXPLORER_FUZZ_EXAMPLES=2000 pytest tests/fuzz``.
    Under ``CI`` the examples are derandomized (tests/conftest.py's "ci" profile), so a run
    draws the same inputs every time.
"""
