"""Build a large MLP off the GUI thread: allocating and initializing tens of millions of
parameters takes seconds, and the window must stay responsive meanwhile.

While the worker runs, Python's cyclic garbage collector is kept out of its thread (it could
free the GUI's Qt objects there and crash Qt); see
:class:`~explorer.ui.training.worker.GuiThreadGarbageCollection`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from explorer.inspect.mlp_config import build_mlp
from explorer.ui.training.worker import GuiThreadGarbageCollection


class BuildWorker(QObject):
    """Builds one model from a validated config; the result crosses threads by signal."""

    sigBuilt = Signal(object, object)  # (model, config)
    sigFailed = Signal(str)

    def __init__(self, config: dict[str, Any]):
        super().__init__()  # no parent: it is moved to its own thread
        self._config = config

    def run(self) -> None:
        try:
            model = build_mlp(self._config)
        except MemoryError:
            self.sigFailed.emit("not enough memory for this model")
            return
        except Exception as error:  # noqa: BLE001 (reported, so the build never hangs)
            self.sigFailed.emit(f"the model could not be built: {error}")
            return
        self.sigBuilt.emit(model, self._config)


class BackgroundBuild(QObject):
    """Owns the thread of one :class:`BuildWorker` and cleans both up when it ends."""

    sigBuilt = Signal(object, object)
    sigFailed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: BuildWorker | None = None
        self._cancelled = False

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, config: dict[str, Any]) -> None:
        if self._thread is not None:
            raise RuntimeError("a model is already being built")
        self._cancelled = False
        GuiThreadGarbageCollection.worker_starts()  # ended in _cleanup, in this thread too
        self._thread = QThread()
        self._worker = BuildWorker(config)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sigBuilt.connect(self._on_worker_built)
        self._worker.sigFailed.connect(self._on_worker_failed)
        self._thread.start()

    def wait(self) -> None:
        """Block until the build ends and drop its result (initialization cannot be
        interrupted midway; this is for shutting down)."""
        self._cancelled = True
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._cleanup()

    def _on_worker_built(self, model, config) -> None:
        self._finish()
        if not self._cancelled:
            self.sigBuilt.emit(model, config)

    def _on_worker_failed(self, message: str) -> None:
        self._finish()
        if not self._cancelled:
            self.sigFailed.emit(message)

    def _finish(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._cleanup()

    def _cleanup(self) -> None:
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = None
        GuiThreadGarbageCollection.worker_stops()
        GuiThreadGarbageCollection.collect()  # what piled up during the build, here
