"""The Qt layer: the only package that imports PySide6 or pyqtgraph."""

from explorer.ui.main_window import MainWindow

__all__ = ["MainWindow"]
