"""The main window: the tabs, File, View and Help menus, a status bar, remembered geometry.

The window owns the documents the tabs share (they bind to them and never call each other):
the model document (Model, Training, Network and Gradient tabs, and the console), which
sessions save, the training document (Training and Gradient tabs) and the loss call document
(Losses and Gradient tabs). The console (View > Console) is a dock made when first opened.
"""

from __future__ import annotations

import logging

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
)

import explorer
from explorer.lossbench.document import LossCallDocument
from explorer.model.document import ModelDocument
from explorer.tabs import TAB_NAMES
from explorer.training.document import TrainingDocument
from explorer.ui.appearance import Appearance
from explorer.ui.distributions.tab import DistributionsTab
from explorer.ui.faults import LOGGER_NAME
from explorer.ui.file_menu import build_file_menu
from explorer.ui.gradient.tab import GradientTab
from explorer.ui.losses.tab import LossesTab
from explorer.ui.model.tab import ModelTab
from explorer.ui.network.tab import NetworkTab
from explorer.ui.plots.focus_frame import install_plot_focus_frame
from explorer.ui.settings import make_settings, model_document
from explorer.ui.tab_base import ExplorerTab
from explorer.ui.training.tab import TrainingTab
from explorer.ui.view_menu import build_view_menu

log = logging.getLogger(LOGGER_NAME)


def build_tabs(
    document: ModelDocument,
    training: TrainingDocument | None = None,
    loss_call: LossCallDocument | None = None,
) -> list[ExplorerTab]:
    """Create the tabs in their order on screen (:data:`explorer.tabs.TAB_NAMES`); the Model,
    Training, Network and Gradient tabs are views of ``document``, the Training and Gradient
    tabs of ``training`` and the Losses and Gradient tabs of ``loss_call`` (made here when not
    given)."""
    training = training if training is not None else TrainingDocument()
    loss_call = loss_call if loss_call is not None else LossCallDocument()
    makers = {
        DistributionsTab.export_name: DistributionsTab,
        LossesTab.export_name: lambda: LossesTab(call=loss_call),
        ModelTab.export_name: lambda: ModelTab(document),
        TrainingTab.export_name: lambda: TrainingTab(document, training=training),
        NetworkTab.export_name: lambda: NetworkTab(document),
        GradientTab.export_name: lambda: GradientTab(document, training, loss_call),
    }
    # The order, and the names the command line offers, are explorer.tabs'.
    return [makers[name]() for name in TAB_NAMES]


class MainWindow(QMainWindow):
    """The explorer's window. Tests construct it with ``qtbot.addWidget(MainWindow())``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("explorer")
        # Before the tabs: their plots are built in the remembered colours and zoom.
        self.appearance = Appearance(make_settings, self)
        self.faults = None
        self.console = None  # View > Console makes it (importing IPython takes a while)
        self.model_document = model_document()
        self.training_document = TrainingDocument()
        self.loss_call_document = LossCallDocument()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        documents = (self.model_document, self.training_document, self.loss_call_document)
        for tab in build_tabs(*documents):
            self.tabs.addTab(tab, tab.title)
        self.setCentralWidget(self._scrolled(self.tabs))
        self._build_menus()
        self.statusBar().showMessage("Ready")
        self._restore_settings()
        self._size_to_current_tab()
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        install_plot_focus_frame()  # the plot with the keyboard focus shows it
        self.tab("training").sigOpenDistributions.connect(self._on_training_open_distributions)

    @staticmethod
    def _scrolled(tabs: QTabWidget) -> QScrollArea:
        # Smaller than the tabs need (a large zoom on a small screen), the window scrolls
        # them rather than growing past the screen or squeezing them.
        scroll = QScrollArea()
        scroll.setObjectName("tabsScroll")
        scroll.setWidget(tabs)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return scroll

    # -- tabs -----------------------------------------------------------------------------
    def tab(self, export_name: str) -> ExplorerTab:
        """The tab whose export name is ``export_name`` ('distributions', 'losses', ...)."""
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget.export_name == export_name:
                return widget
        raise KeyError(f"no tab named {export_name!r}")

    def all_tabs(self) -> list[ExplorerTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]

    def show_tab(self, export_name: str) -> None:
        self.tabs.setCurrentWidget(self.tab(export_name))

    def _on_training_open_distributions(self, p, q, labels=None) -> None:
        # A sample's one-hot label P and softmax output Q; in nats H(P, Q) is its loss.
        distributions = self.tab("distributions")
        distributions.set_mode("discrete")  # P and Q must be what the user sees
        distributions.set_distributions(p, q, labels=labels)
        distributions.set_base("nats")
        # The sensitivity plot then sweeps q of the true class: the one the loss is about.
        distributions.select_category(int(np.argmax(p)))
        self.show_tab("distributions")

    # -- menus ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        # File menu (export, sessions, quit) lives in explorer/ui/file_menu.py.
        self.file_menu = build_file_menu(self, make_settings, {"model": self.model_document})
        self.view_menu = build_view_menu(self)  # zoom and appearance

        help_menu = self.menuBar().addMenu("&Help")
        about_action = QAction("&About explorer", self)
        about_action.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about_action)
        self.help_menu = help_menu

    def set_zoom(self, zoom: float) -> None:
        """Scale every text, plots' included, by ``zoom`` (0.8 to 2), as View > Zoom does."""
        self.appearance.set_zoom(zoom)
        self.statusBar().showMessage(f"Zoom {round(self.appearance.zoom() * 100)} %", 3000)

    def set_appearance(self, name: str) -> None:
        """Follow the system's colours ("system") or force "light" or "dark", as View >
        Appearance does."""
        self.appearance.set_preference(name)
        self.appearance_actions[name].setChecked(True)

    def show_console(self) -> bool:
        """Open the console dock (made the first time), as View > Console does; False with a
        message when it cannot start."""
        if self.console is None:
            try:
                from explorer.ui.console.dock import ConsoleDock

                console = ConsoleDock(self.model_document, self)
            except (ImportError, RuntimeError) as error:
                log.exception("the console could not start")
                self.console_action.setChecked(False)
                QMessageBox.warning(self, "Console", f"The console could not start: {error}")
                return False
            self.console = console
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, console)
            # A third of the window: the tab above stays the larger part, on a laptop too.
            height = max(160, self.height() // 3)
            self.resizeDocks([console], [height], Qt.Orientation.Vertical)
            console.visibilityChanged.connect(self._on_console_visibility_changed)
        self.console.show()
        self.console.raise_()
        self.console.setFocus()
        return True

    def hide_console(self) -> None:
        if self.console is not None:
            self.console.hide()

    def _on_console_visibility_changed(self, visible: bool) -> None:
        # Hidden behind another dock's tab counts as open: only closing unchecks it.
        self.console_action.setChecked(visible or not self.console.isHidden())

    def about_text(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        return (
            f"<h3>explorer {explorer.__version__}</h3>"
            "<p>A visual explorer for the mathematics of training a neural network: "
            "information theory, PyTorch's losses, nn.Module internals and training, "
            "on a numpy engine that mirrors torch.nn.</p>"
            f"<p>Qt {qVersion()} · PySide6 {pyside_version} · pyqtgraph {pg.__version__} · "
            f"numpy {np.__version__}</p>"
        )

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, "About explorer", self.about_text())

    def install_fault_handler(self) -> None:
        """Show exceptions that escape slots in a dialog and log them (the app calls this)."""
        from explorer.ui.faults import FaultHandler, setup_logging

        self.faults = FaultHandler(
            self,
            status=lambda text: self.statusBar().showMessage(text, 10000),
            log_path=setup_logging(),
        )
        self.faults.install()

    # -- settings -------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = make_settings()
        geometry = settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 820)
        index = settings.value("window/tab", 0)
        try:
            index = int(index)
        except (TypeError, ValueError):
            index = 0
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def _on_tabs_current_changed(self, index: int) -> None:
        make_settings().setValue("window/tab", index)
        self._size_to_current_tab()

    def _size_to_current_tab(self) -> None:
        # A stack is as large as its largest page; hidden pages that ignore their size let
        # the window scroll only when the tab shown needs more room than it has.
        shown = self.tabs.currentWidget()
        for tab in self.all_tabs():
            policy = QSizePolicy.Policy.Preferred if tab is shown else QSizePolicy.Policy.Ignored
            tab.setSizePolicy(policy, policy)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Training and threads stop whatever else fails on the way out.
        try:
            settings = make_settings()
            settings.setValue("window/geometry", self.saveGeometry())
            settings.setValue("window/tab", self.tabs.currentIndex())
            self.sessions.autosave()
        except Exception:
            log.exception("could not keep the window's state for the next start")
        finally:
            self.appearance.stop_following()
            if self.console is not None:
                self.console.shutdown()
            for tab in self.all_tabs():
                try:
                    tab.shutdown()
                except Exception:
                    log.exception("tab %s: shutdown failed", tab.export_name)
            if self.faults is not None:
                self.faults.uninstall()
        super().closeEvent(event)
