"""Train in a process of its own: the app's display never competes with training for the GIL.

The app (any Python caller; the Training tab relays it through a QThread) starts one
:class:`TrainingProcess` per run. The process runs ``python -m explorer.training.process``,
which builds the model, data and :class:`~explorer.training.Trainer` from a
:class:`~explorer.training.run_setup.RunSetup` and then obeys commands, all as
:mod:`explorer.training.wire` frames (JSON and raw numpy buffers; nothing is pickled) on its
stdin and stdout:

- to the process: ``setup`` (first: a RunSetup, checked where it was made: run id, the
  ``MLPConfig``, the weights to start from, train and validation data, the training config),
  then ``run`` / ``steps`` (each may carry ``state``, weights to continue from), ``pause``,
  ``stop`` and ``pace`` (``steps_per_second``, null for full speed, the default; it applies
  at once, between two steps or in the wait between them);
- from it (:class:`~explorer.training.run_loop.RunLoop`'s reports): ``steps`` (every ~1/30 s:
  step numbers, losses, samples, seconds, epoch reports),
  ``view`` (decision regions or sample predictions; validation outputs), ``state`` (the
  model's weights and gradients, a few times a second and whenever stepping stops, so the
  app's copy of the model follows) and ``stopped`` (``reason``: paused, stopped, done,
  diverged or error).

"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, BinaryIO

from explorer.training.job import TrainerJob
from explorer.training.run_loop import RunLoop
from explorer.training.run_setup import RunSetup
from explorer.training.wire import read_message, write_message

STOP_TIMEOUT = 5.0  # seconds a stopping process may take before it is killed


# -- the process's side -------------------------------------------------------------------
def job_from_setup(message: dict[str, Any]) -> TrainerJob:
    """The run a setup message describes (the process's side of ``RunSetup.to_message``)."""
    setup = RunSetup.from_message(message)
    return TrainerJob(setup.run_id, setup.trainer())


def serve(instream: BinaryIO, outstream: BinaryIO) -> int:
    """The process's main loop: a setup message, then commands until ``stop`` or the end
    of ``instream``. Returns the exit code."""

    def send(message: dict[str, Any]) -> None:
        write_message(outstream, message)

    setup = read_message(instream)
    if setup is None:
        return 0
    try:
        job = job_from_setup(setup)
    except Exception as exc:  # the app shows the reason; nothing else can be done here
        send(
            {
                "kind": "stopped",
                "run": setup.get("run"),
                "reason": "error",
                "message": f"the training process could not set up the run: {exc}",
                "details": traceback.format_exc(),
            }
        )
        return 1
    loop = RunLoop(job, send)
    commands: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read_commands() -> None:
        # Flags flip here, in arrival order, so a pause sent right after a run is not lost
        # and a stop interrupts the steps in progress.
        try:
            while (message := read_message(instream)) is not None:
                kind = message.get("kind")
                if kind == "run":
                    loop.clear_pause()
                elif kind == "pause":
                    loop.request_pause()
                elif kind == "stop":
                    loop.request_stop()
                elif kind == "pace":
                    try:
                        loop.set_pace(message.get("steps_per_second"))
                    except ValueError as error:  # the run goes on at the pace it had
                        print(f"pace not changed: {error}", file=sys.stderr)
                commands.put(message)
        except Exception:  # a broken pipe or frame: the app is gone or confused; stop
            traceback.print_exc()
        loop.request_stop()
        commands.put(None)

    threading.Thread(target=read_commands, name="commands", daemon=True).start()
    while (command := commands.get()) is not None:
        kind = command.get("kind")
        if kind == "stop" or loop.stop_requested:
            break
        if kind not in ("run", "steps"):
            continue
        if command.get("state") is not None:
            job.load_state(command["state"])
        loop.run(max_steps=int(command["count"]) if kind == "steps" else None)
    return 0


def main() -> None:
    # Messages own the real stdout; anything printed (a stray print, a warning) goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    code = 0
    try:
        code = serve(sys.stdin.buffer, out)
        out.flush()
    except BrokenPipeError:  # the app went away
        pass
    # Exit at once: the command reader may still be blocked reading stdin, and an
    # interpreter shutdown with a daemon thread inside a buffered read aborts.
    os._exit(code)


# -- the app's side ------------------------------------------------------------------------
class TrainingProcess:
    """The app's handle on one training process: send commands, read its messages.

    ``TrainingProcess(setup)`` starts a process for a run. ``TrainingProcess()`` starts one
    ahead of its run: it loads Python, numpy and the engine (a few tenths of a second) while
    nothing waits for it, and :meth:`start` gives it the run later (a
    :class:`~explorer.training.run_setup.RunSetup`). :meth:`send` never blocks
    (a writer thread, started with the run, feeds the pipe, so a large setup does not hold up
    the caller); :meth:`read` blocks until the next message and is meant for one reader
    thread. :meth:`close` asks the process to stop, waits up to :data:`STOP_TIMEOUT` and
    kills it past that.
    """

    def __init__(self, setup: RunSetup | None = None):
        # The package may run from a checkout that is not installed: the child finds it too.
        root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "explorer.training.process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.pid = self._process.pid
        self._outbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._closed = False
        if setup is not None:
            self.start(setup)

    @property
    def started(self) -> bool:
        """True once the process has been given its run."""
        return self._writer is not None

    def alive(self) -> bool:
        return self._process.poll() is None

    def start(self, setup: RunSetup) -> None:
        """Give the process its run (the first message); commands may follow at once."""
        if self._writer is not None:
            raise RuntimeError("this training process already has its run")
        self._outbox.put(setup.to_message())
        self._writer = threading.Thread(target=self._write, name="training-commands")
        self._writer.daemon = True
        self._writer.start()

    def _write(self) -> None:
        stdin = self._process.stdin
        try:
            while (message := self._outbox.get()) is not None:
                write_message(stdin, message)
        except (BrokenPipeError, OSError):  # the process ended; read() reports how
            pass
        finally:
            try:
                stdin.close()
            except (BrokenPipeError, OSError):
                pass

    def send(self, message: dict[str, Any]) -> None:
        if self._writer is None:
            raise RuntimeError("a training process takes commands only after its run (start)")
        if not self._closed:
            self._outbox.put(message)

    def read(self) -> dict[str, Any] | None:
        """The next message; None once the process has closed its output."""
        return read_message(self._process.stdout)

    def exit_code(self) -> int | None:
        return self._process.poll()

    def close(self) -> int:
        """Stop the process (between two steps), wait for it; returns its exit code.

        Whoever reads its messages keeps reading until :meth:`read` gives None: a process
        whose output nobody reads blocks on its next message and is killed after
        :data:`STOP_TIMEOUT` (exit code -9 on POSIX)."""
        if not self._closed:
            self._closed = True
            if self._writer is None:  # it still waits for a run: the end of its input ends it
                try:
                    self._process.stdin.close()
                except (BrokenPipeError, OSError):
                    pass
            else:
                self._outbox.put({"kind": "stop"})
                self._outbox.put(None)
        try:
            code = self._process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        if self._writer is not None:
            self._writer.join()
        return code

    def __del__(self) -> None:  # a handle dropped without close() leaves no process behind
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            process.kill()


if __name__ == "__main__":
    main()
