"""Run readers in a child process whose address space is capped, so a reader that tries to
allocate gigabytes fails there (MemoryError) instead of exhausting the machine running pytest.

:class:`LimitedWorker` starts ``python -m tests.limits``, which imports the readers, measures
its own size and caps itself with ``RLIMIT_AS`` at that size plus ``extra_bytes``. It then
answers calls, one per line of JSON: ``[reader name, file path, options]`` gives back
``{"outcome": "ok" | "refused" | "escaped", "type": ..., "message": ...}``, where "refused"
means the reader raised its documented error type and "escaped" any other exception (its
traceback in the message). POSIX only (``resource``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXTRA = 400 << 20

needs_limits = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc/self/statm: Linux only"
)


def _readers() -> dict:
    """name -> (function(path, options), the documented error type)."""
    import numpy as np

    from explorer.data import DataError, load_csv, load_idx
    from explorer.engine import manual_seed, nn
    from explorer.io.session import SessionError, load_arrays, load_session
    from explorer.training import load_weights
    from explorer.training.wire import WireError, decode, read_message

    def weights(path, options):
        manual_seed(0)
        model = nn.MLP(*options.get("sizes", [2, [5], 3]))
        load_weights(model, path)
        return sum(float(np.abs(v).sum()) for v in model.state_dict().values())

    def stream(path, options):
        with open(path, "rb") as handle:
            while read_message(handle) is not None:
                pass

    return {
        "session": (
            lambda p, o: load_session(p, keep_state=o.get("keep_state", False)),
            SessionError,
        ),
        "arrays": (lambda p, o: load_arrays(p), SessionError),
        "csv": (lambda p, o: load_csv(p, **o), DataError),
        "idx": (lambda p, o: load_idx(p, o.pop("labels"), **o), DataError),
        "weights": (weights, ValueError),
        "wire": (lambda p, o: decode(Path(p).read_bytes()), WireError),
        "wire_stream": (stream, WireError),
    }


def _address_space() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _serve(extra: int) -> None:
    import resource

    readers = _readers()
    limit = _address_space() + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    out = sys.stdout
    for line in sys.stdin:
        name, path, options = json.loads(line)
        function, documented = readers[name]
        try:
            result = function(path, options)
            answer = {"outcome": "ok", "type": type(result).__name__, "message": repr(result)[:500]}
        except documented as error:
            answer = {"outcome": "refused", "type": type(error).__name__, "message": str(error)}
        except BaseException as error:  # noqa: BLE001 (reported to the test)
            answer = {
                "outcome": "escaped",
                "type": type(error).__name__,
                "message": "".join(traceback.format_exception(error))[-3000:],
            }
        out.write(json.dumps(answer) + "\n")
        out.flush()


class LimitedWorker:
    """A child process that runs readers under an address-space cap (see the module).

    A call that kills the child, or gives no answer within ``timeout`` seconds (a reader
    that hangs), fails with AssertionError; the next call starts a new child.
    """

    def __init__(self, extra_bytes: int = DEFAULT_EXTRA, timeout: float = 300):
        self._extra = extra_bytes
        self._timeout = timeout
        self._process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        return subprocess.Popen(
            [sys.executable, "-m", "tests.limits", str(self._extra)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
            text=True,
        )

    def call(self, reader: str, path: str | os.PathLike, **options) -> dict:
        """Run ``reader`` on ``path`` in the child; its answer (see the module docstring)."""
        import select

        if self._process is None or self._process.poll() is not None:
            self._process = self._start()
        process = self._process
        process.stdin.write(json.dumps([reader, str(path), options]) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], self._timeout)
        if not ready:
            process.kill()
            process.wait()
            raise AssertionError(f"the reader {reader!r} hung on {path}")
        line = process.stdout.readline()
        if not line:
            code = process.wait()
            raise AssertionError(
                f"the reader {reader!r} killed its process (exit {code}) on {path}"
            )
        return json.loads(line)

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait()

    def __enter__(self) -> LimitedWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
