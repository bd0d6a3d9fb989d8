"""The Qt side of the command line: build tabs offscreen, export them, take screenshots.

The CLI sets ``QT_QPA_PLATFORM=offscreen`` before importing this module. Every widget made
here is closed and deleted before the QApplication goes away (otherwise PySide6 can crash at
interpreter exit, which would turn a good export into a bad exit code).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QSettings,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from explorer.io.atomic import atomic_path
from explorer.ui.export.files import (
    ExportError,
    ExportOptions,
    export_items,
    planned_files,
    shown_items,
    with_data,
)
from explorer.ui.tab_base import ExplorerTab

WINDOW_SIZE = (1280, 820)


@contextlib.contextmanager
def offscreen_app() -> Iterator[list[QWidget]]:
    """A QApplication on the offscreen platform; yields a list to put made widgets in.

    On exit those widgets are shut down, closed and deleted while the application still
    exists (closing every top-level widget instead would also hit pyqtgraph's menus, which
    Python owns, and crash).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from explorer.ui.settings import SETTINGS_APP, SETTINGS_ORG

    app = QApplication.instance() or QApplication(["explorer"])
    app.setOrganizationName(SETTINGS_ORG)
    app.setApplicationName(SETTINGS_APP)
    made: list[QWidget] = []
    previous = qInstallMessageHandler(_quiet_qt_messages)
    # Headless runs start from the app's defaults and never touch the person's settings
    # (remembered tab, window geometry): QSettings go to a throw-away folder.
    with tempfile.TemporaryDirectory(prefix="explorer-headless-") as settings_dir:
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
        try:
            yield made
        finally:
            release(made)
            qInstallMessageHandler(previous)


# Harmless notices of the offscreen platform that would only confuse a terminal user.
_QUIET = ("propagateSizeHints",)


def _quiet_qt_messages(mode, context, message: str) -> None:
    if any(text in message for text in _QUIET):
        return
    if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        print(f"Qt: {message}", file=sys.stderr)


def release(widgets: list[QWidget]) -> None:
    """Shut down, close and delete ``widgets`` now (every tab in them shuts down first)."""
    for widget in widgets:
        tabs = widget.findChildren(ExplorerTab)
        if isinstance(widget, ExplorerTab):
            tabs.insert(0, widget)
        for tab in tabs:
            tab.shutdown()
        widget.hide()  # not close(): a window's closeEvent would save settings and a session
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def show_offscreen(widget: QWidget, width: int, height: int) -> None:
    """Lay ``widget`` out at ``width`` x ``height`` as if on screen, and paint it once."""
    widget.resize(width, height)
    widget.show()
    for _ in range(3):
        QApplication.processEvents()


def build_tab(export_name: str):
    """A fresh tab (as the app builds it, with a model document of its own) by export name;
    KeyError if it does not exist."""
    from explorer.model.document import ModelDocument
    from explorer.ui.main_window import build_tabs

    tabs = build_tabs(ModelDocument())
    chosen = None
    for tab in tabs:
        if tab.export_name == export_name:
            chosen = tab
        else:
            release([tab])
    if chosen is None:
        raise KeyError(f"no tab named {export_name!r}")
    return chosen


def export_tab(
    tab,
    out: Path,
    options: dict,
    overwrite: bool,
    refuse: Callable[[list[Path], bool], None] | None = None,
) -> list[Path]:
    """Lay ``tab`` out offscreen and write its plots into ``out``."""
    show_offscreen(tab, *WINDOW_SIZE)
    export_options = ExportOptions(**options)
    items, skipped = with_data(shown_items(tab))
    for name in skipped:
        print(f"skipped {tab.export_name}-{name}: the plot has no data yet", file=sys.stderr)
    if not items:
        raise ExportError(f"the {tab.title} tab has no plots with data to export")
    if refuse is not None:
        refuse(planned_files(items, out, tab.export_name, export_options), overwrite)
    return export_items(items, out, tab.export_name, export_options, overwrite=overwrite)


def export_distributions(p, q, base: float, out: Path, options: dict, overwrite: bool, refuse=None):
    """The Distributions tab for P and Q in ``base``, exported into ``out``."""
    with offscreen_app() as made:
        tab = build_tab("distributions")
        made.append(tab)
        tab.set_base(base)
        tab.set_distributions(p, q)
        return export_tab(tab, out, options, overwrite, refuse)


def screenshot(tab_name: str, out: Path, width: int, height: int) -> Path:
    """The main window showing ``tab_name``, rendered offscreen to the PNG ``out``."""
    with offscreen_app() as made:
        from explorer.ui.main_window import MainWindow

        window = MainWindow()
        made.append(window)
        window.show_tab(tab_name)
        show_offscreen(window, width, height)
        if (window.width(), window.height()) != (width, height):
            print(
                f"explorer screenshot: the window needs at least {window.width()} x "
                f"{window.height()} pixels; rendered at that size",
                file=sys.stderr,
            )
        image = window.grab().toImage()
        with atomic_path(out) as tmp:
            if not image.save(str(tmp), "PNG"):
                raise ExportError(f"could not write {str(out)!r}")
            check = QImage(str(tmp))
            if check.isNull():
                raise ExportError(f"{str(out)!r} did not come out as a readable PNG")
        return out


def export_training_figures(run, out: Path, options: dict, overwrite: bool, layers=None):
    """A finished run's figures, drawn by the Training and Network tabs' own plot classes.

    ``run`` is a ``explorer.training.PreparedRun`` after training: its loss and accuracy
    curves, the decision regions (2-D data) and the validation confusion matrix; with
    ``layers`` (the run's :class:`~explorer.inspect.layer_history.LayerHistory`) also the
    network view and each layer's history (:func:`network_figures`). The image
    plots carry ``export_matrix`` and ``export_axes`` so their CSV holds the predicted class
    per grid cell (rows x₂, columns x₁) and the counts (rows true, columns predicted class),
    not colours.
    """
    from PySide6.QtWidgets import QGridLayout

    from explorer.model.evaluate import confusion_matrix, decision_grid, outputs
    from explorer.training.job import GRID_RESOLUTION, data_extent
    from explorer.ui.training.confusion import ConfusionMatrixPlot
    from explorer.ui.training.decision import DecisionRegionPlot
    from explorer.ui.training.plots import AccuracyPlot, LossCurvePlot

    history, spec, trainer = run.trainer.history, run.spec, run.trainer
    with offscreen_app() as made:
        host = QWidget()
        made.append(host)
        grid = QGridLayout(host)
        loss_plot, accuracy_plot = LossCurvePlot(), AccuracyPlot()
        grid.addWidget(loss_plot, 0, 0)
        grid.addWidget(accuracy_plot, 0, 1)
        name = f"{spec.dataset}, {spec.training.optimizer} lr {spec.training.lr:g}"
        loss_plot.set_run_name(name)
        accuracy_plot.set_run_name(name)
        loss_plot.set_run(
            history.step_numbers(),
            history.step_losses(),
            history.epoch_column("step"),
            history.epoch_column("val_loss"),
        )
        accuracy_plot.set_run(
            history.epoch_column("epoch"),
            history.epoch_column("val_accuracy"),
            history.epoch_column("train_accuracy"),
        )
        items = {"loss": loss_plot.plot_item, "accuracy": accuracy_plot.plot_item}
        if run.dataset.is_2d:
            regions = DecisionRegionPlot()
            grid.addWidget(regions, 1, 0)
            regions.set_points(
                run.train.x,
                run.train.y,
                run.val.x,
                run.val.y,
                run.dataset.num_classes,
                run.dataset.class_names,
            )
            if not trainer.diverged:
                extent = data_extent(run.train, run.val)
                x0, x1, y0, y1 = extent
                probabilities = decision_grid(run.model, (x0, x1), (y0, y1), GRID_RESOLUTION)
                regions.set_regions(extent, probabilities)
            items["decision-regions"] = regions.plot_item
        confusion = ConfusionMatrixPlot()
        grid.addWidget(confusion, 1, 1)
        if not trainer.diverged:
            predicted = outputs(run.model, run.val).predicted
            matrix = confusion_matrix(run.val.y, predicted, run.val.num_classes)
            confusion.set_matrix(matrix, run.dataset.class_names or None)
        items["confusion-matrix"] = confusion.plot_item
        if layers is not None:
            items.update(network_figures(run, layers, made))
        show_offscreen(host, *WINDOW_SIZE)
        return export_items(items, out, "training", ExportOptions(**options), overwrite=overwrite)


def network_figures(run, layers, made: list[QWidget]) -> dict:
    """The network view of ``run``'s model and, for each Linear layer, its weights and
    gradients over the steps, then the gradient norms, update ratios and (ReLU) dead units
    from ``layers``; the widgets go into ``made``."""
    from explorer.ui.network.content import network_content
    from explorer.ui.network.history_view import HistoryView
    from explorer.ui.network.network_view import NetworkView

    view = NetworkView()
    made.append(view)
    show_offscreen(view, 900, 700)
    content = network_content(run.model, (run.train, run.val))
    if content is not None:
        view.show_content(content)
    items = {"network": view.plot_item}
    if not layers.num_scalars:
        return items
    for index, name in enumerate(layers.layers):
        history = HistoryView()
        made.append(history)
        history.set_layer(index)
        history.show_history(layers)
        show_offscreen(history, 900, 700)
        if layers.num_distributions:
            items[f"weights-{name}"] = history.heatmaps["weight"]
            items[f"gradients-{name}"] = history.heatmaps["grad"]
        if index == 0:
            items["gradient-norms"] = history.norm_plot
            items["update-ratios"] = history.ratio_plot
            if history.dead_curves and any(c.isVisible() for c in history.dead_curves):
                items["dead-units"] = history.dead_plot
    return items


def export_model(config, parameter: str, out: Path, options: dict, overwrite: bool, refuse):
    """The Model tab showing ``config`` (an ``MLPConfig``) built, its ``parameter`` selected,
    exported into ``out``."""
    with offscreen_app() as made:
        tab = build_tab("model")
        made.append(tab)
        tab.set_model_config(config)
        tab.select(parameter)
        return export_tab(tab, out, options, overwrite, refuse)


def export_losses(kind, options, n, c, seed, dtype, out, export_options, overwrite, refuse):
    """The Losses tab set up as given, exported into ``out``; returns (files, tab state)."""
    with offscreen_app() as made:
        tab = build_tab("losses")
        made.append(tab)
        tab.set_dtype(dtype)
        tab.set_loss(kind, **options.to_dict())
        tab.set_shape(n, c)
        tab.set_seed(seed)
        written = export_tab(tab, out, export_options, overwrite, refuse)
        return written, tab.state()
