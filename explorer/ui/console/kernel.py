"""The console's IPython kernel: one per process, inside the app's process, and its clients.

An in-process kernel (qtconsole's, as napari embeds it) shares the app's objects: ``model``
in the console *is* the model the Model tab shows. Its history lives in the app's data
folder, not in the person's ``~/.ipython``.
"""

from __future__ import annotations

from ipykernel.inprocess.ipkernel import InProcessInteractiveShell, InProcessKernel
from IPython import get_ipython
from IPython.core.profiledir import ProfileDir
from PySide6.QtCore import QTimer
from qtconsole.inprocess import QtInProcessKernelClient, QtInProcessKernelManager

from explorer.ui.console.pump import show_interrupt
from explorer.ui.faults import data_dir


class _Dispatch:
    """Whether a request is with the kernel (there is one kernel, so one flag)."""

    busy = False


class ConsoleKernelClient(QtInProcessKernelClient):
    """A client that hands the kernel one request at a time.

    The in-process kernel answers a request before returning, on the GUI thread. While a cell
    runs, the window keeps processing events (see ``pump.py``), and a key typed meanwhile may
    ask for a completion: a second request inside the first would find the kernel's asyncio
    loop running and be run on another thread. It waits until the cell ends instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._deferred: list = []
        self.last_execute = ""  # the id of the last cell sent (not a silent one)

    def execute(self, code: str, silent: bool = False, *args, **kwargs) -> str:
        msg_id = super().execute(code, silent, *args, **kwargs)
        if not silent:
            self.last_execute = msg_id
        return msg_id

    def _dispatch_to_kernel(self, msg) -> None:
        if _Dispatch.busy:
            self._deferred.append(msg)
            return
        _Dispatch.busy = True
        try:
            super()._dispatch_to_kernel(msg)
        finally:
            _Dispatch.busy = False
        if self._deferred:
            QTimer.singleShot(0, self._dispatch_deferred)

    def _dispatch_deferred(self) -> None:
        deferred, self._deferred = self._deferred, []
        for msg in deferred:
            self._dispatch_to_kernel(msg)

    def stop_channels(self) -> None:
        super().stop_channels()
        # The kernel outlives this client: it must stop sending it output.
        if self.kernel is not None and self in self.kernel.frontends:
            self.kernel.frontends.remove(self)


class ConsoleKernelManager(QtInProcessKernelManager):
    """Starts the process's kernel with the app's IPython folder; makes ConsoleKernelClients."""

    client_class = __module__ + ".ConsoleKernelClient"

    def start_kernel(self, **kwds) -> None:
        # IPython names a profile by its folder: "profile_default" keeps the banner quiet.
        folder = data_dir() / "ipython" / "profile_default"
        profile = ProfileDir.create_profile_dir(str(folder))
        self.kernel = InProcessKernel(parent=self, session=self.session, profile_dir=profile)


def kernel_manager() -> ConsoleKernelManager:
    """A manager of the process's kernel, which starts with the first one.

    RuntimeError when the app runs inside another IPython shell (a terminal's, a
    notebook's): that shell already is a console.
    """
    shell = get_ipython()
    if isinstance(shell, InProcessInteractiveShell) and shell.kernel is not None:
        return ConsoleKernelManager(kernel=shell.kernel)
    if shell is not None:
        raise RuntimeError(
            "the console cannot start inside another IPython shell; use that shell instead"
        )
    manager = ConsoleKernelManager()
    manager.start_kernel()
    kernel = manager.kernel
    kernel.gui = "qt"  # %matplotlib and friends draw in the app's own event loop
    shell = kernel.shell
    shell.banner1 = shell.banner2 = ""  # the console shows its own banner
    shell.enable_tip = False
    shell.set_custom_exc((KeyboardInterrupt,), show_interrupt)
    return manager
