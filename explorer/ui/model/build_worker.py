"""Build a large MLP off the GUI thread: allocating and initializing tens of millions of
parameters takes seconds, and the window must stay responsive meanwhile (a
:class:`~explorer.ui.background.BackgroundCall`, which keeps the garbage collector out of
its thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from explorer.model.config import MLPConfig
from explorer.ui.background import BackgroundCall


class BackgroundBuild(QObject):
    """Builds one model at a time from a config; the result comes by signal."""

    sigBuilt = Signal(object, object)  # (model, config)
    sigFailed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._call = BackgroundCall(self)
        self._call.sigDone.connect(self._on_call_done)
        self._call.sigFailed.connect(self._on_call_failed)
        self._config: MLPConfig | None = None

    def is_running(self) -> bool:
        return self._call.is_running()

    def start(self, config: MLPConfig) -> None:
        if self._call.is_running():
            raise RuntimeError("a model is already being built")
        self._config = config
        self._call.start(config.build)

    def wait(self) -> None:
        """Block until the build ends and drop its result (initialization cannot be
        interrupted midway; this is for shutting down)."""
        self._call.wait()

    def _on_call_done(self, model) -> None:
        self.sigBuilt.emit(model, self._config)

    def _on_call_failed(self, error) -> None:
        if isinstance(error, MemoryError):
            self.sigFailed.emit("not enough memory for this model")
        else:
            self.sigFailed.emit(f"the model could not be built: {error}")
