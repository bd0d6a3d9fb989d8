"""The learning-rate finder: the range test's loss against the rate, its two suggestions, and
one click that makes a suggestion the Training tab's learning rate.

The test runs :func:`explorer.training.lr_finder.lr_range_test` on a copy of the model, off
the GUI thread, with the Training tab's data and settings (read from the training document);
"Use" writes the rate into the training document, which the Training tab follows.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.inspect.number_format import format_value
from explorer.model.document import ModelDocument
from explorer.training.document import TrainingDocument
from explorer.training.lr_finder import (
    DIVERGENCE,
    END_LR,
    EVAL_ROWS,
    NUM_STEPS,
    START_LR,
    LRFinderResult,
    lr_range_test,
)
from explorer.ui.gradient.inputs import missing_input, snapshot
from explorer.ui.gradient.job_bar import JobBar
from explorer.ui.gradient.plot_style import controls_column, style_plot
from explorer.ui.plots.legend import legend_outside
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.tab_base import bind
from explorer.ui.theme import theme

RAW_ALPHA = 90
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}


class LRFinderPlot(ContentMinimum, pg.PlotWidget):
    """Loss against learning rate (log axis): raw and smoothed, with the suggestions marked."""

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = plot = self.getPlotItem()
        style_plot(plot, "Learning-rate range test", "loss", "learning rate")
        plot.setLogMode(x=True, y=False)
        self.legend = legend_outside(plot, columns=2)  # above the curves, never over them
        self.raw_curve = plot.plot([], [], name="loss after the step")
        self.smooth_curve = plot.plot([], [], name="smoothed")
        self.marks = pg.ScatterPlotItem(size=11, symbol="o")
        self.marks.csv_exclude = True
        plot.addItem(self.marks)
        self.lines = {}
        # Labels at two heights: the two rates may be close.
        for key, height in (("suggested", 0.93), ("steepest", 0.8)):
            line = pg.InfiniteLine(
                angle=90, movable=False, label="", labelOpts={"position": height}
            )
            line.csv_exclude = True
            line.hide()
            plot.addItem(line, ignoreBounds=True)
            self.lines[key] = line
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        raw = palette.color(0)
        self.raw_curve.setPen(pg.mkPen((*raw, RAW_ALPHA), width=1))
        self.smooth_curve.setPen(pg.mkPen(raw, width=2.5))
        colors = {"suggested": palette.good, "steepest": palette.color(1)}
        for key, line in self.lines.items():
            pen = pg.mkPen(colors[key], width=1.5, style=Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.label.setColor(palette.text_color(colors[key]))
            line.label.fill = pg.mkBrush((*palette.background, 200))
            line.label.setFont(theme().font(8))
        self.marks.setPen(pg.mkPen(palette.outline, width=1.5))
        self._mark_brushes = [pg.mkBrush(colors["suggested"]), pg.mkBrush(colors["steepest"])]
        self.marks.setBrush(self._mark_brushes[: len(self.marks.data)] or None)

    def show_result(self, result: LRFinderResult | None) -> None:
        if result is None or len(result.lrs) == 0:
            self.raw_curve.setData([], [])
            self.smooth_curve.setData([], [])
            self.marks.setData([], [])
            for line in self.lines.values():
                line.hide()
            return
        self.raw_curve.setData(result.lrs, result.losses)
        self.smooth_curve.setData(result.lrs, result.smoothed)
        points = []
        for key, rate in (("suggested", result.suggested), ("steepest", result.lr_steepest)):
            line = self.lines[key]
            if rate is None:
                line.hide()
                continue
            # The axis is log10(lr): lines and marks are placed in its coordinates.
            line.show()  # first: a hidden line's label ignores new text
            line.label.setFormat(f"{key} {format_value(rate, 3)}")
            line.setValue(np.log10(rate))
            points.append((np.log10(rate), float(np.interp(np.log10(rate), np.log10(result.lrs),
                                                          result.smoothed))))  # fmt: skip
        self.marks.setData([p[0] for p in points], [p[1] for p in points])
        self.marks.setBrush(self._mark_brushes[: len(points)])
        # From the lowest loss to a little above where the test started: the blow-up at
        # the end may reach far higher, and would flatten the part worth reading.
        low = float(np.nanmin(result.losses))
        start = float(result.smoothed[0])
        top = min(float(np.nanmax(result.losses)), low + 2.5 * max(start - low, 1e-6))
        self.plot_item.setYRange(low - 0.05 * (top - low), top, padding=0)
        self.plot_item.setXRange(np.log10(result.lrs[0]), np.log10(result.lrs[-1]), padding=0.02)


class LRFinderView(QWidget):
    """objectName ``lrFinder``: run the range test, read the suggestions, use one."""

    def __init__(self, model: ModelDocument, training: TrainingDocument, parent=None):
        super().__init__(parent)
        self.setObjectName("lrFinder")
        self.model_document = model
        self.training_document = training
        self._result: LRFinderResult | None = None
        self.plot = LRFinderPlot()
        self.job = JobBar(
            "Run range test",
            "lrFinder",
            f"Train a copy of the model for {NUM_STEPS} batches while the rate grows from "
            f"{START_LR:g} to {END_LR:g}; the model itself is not changed",
        )
        self.settings_label = QLabel(objectName="lrFinderSettings")
        self.settings_label.setWordWrap(True)
        self.suggestion_label = QLabel(objectName="lrFinderSuggestion")
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QPushButton("Use the suggestion", objectName="lrFinderUse")
        self.use_button.setToolTip("Make the suggested rate the Training tab's Learning rate")
        self.use_steepest_button = QPushButton("Use steepest", objectName="lrFinderUseSteepest")
        self.use_steepest_button.setToolTip(
            "Make the steepest descent's rate the Training tab's Learning rate (bolder)"
        )
        for button in (self.use_button, self.use_steepest_button):
            button.setEnabled(False)
        self._build_layout()
        self.job.run_button.clicked.connect(self.run)
        self.job.sigDone.connect(self._on_job_done)
        self.use_button.clicked.connect(lambda: self.use("suggested"))
        self.use_steepest_button.clicked.connect(lambda: self.use("steepest"))
        bind(self, training.config_changed, self._on_inputs_changed)
        bind(self, training.data_changed, self._on_inputs_changed)
        bind(self, model.model_changed, self._on_inputs_changed)
        self._on_inputs_changed()

    def _build_layout(self) -> None:
        about = QLabel(
            "Leslie Smith's range test, as fastai's <code>lr_find</code>: from the current "
            f"weights, {NUM_STEPS} batches with the rate growing from {START_LR:g} to "
            f"{END_LR:g}, each followed by the loss on {EVAL_ROWS} training samples; it stops "
            f"when the smoothed loss passes {DIVERGENCE:g}× its minimum. The model is not "
            "changed.",
            objectName="lrFinderAbout",
        )
        about.setWordWrap(True)
        # What is clicked comes first: on a short screen the explanations scroll.
        test_box = QGroupBox("Range test")
        box = QVBoxLayout(test_box)
        box.addWidget(self.job)
        box.addWidget(self.settings_label)
        use_box = QGroupBox("Suggestion")
        use = QVBoxLayout(use_box)
        use.addWidget(self.suggestion_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.use_steepest_button)
        use.addLayout(buttons)
        self.controls = controls_column("lrFinderControls", test_box, use_box, about)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.controls)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.plot, 1)

    # -- reading ------------------------------------------------------------------------------
    def result(self) -> LRFinderResult | None:
        """The last finished test's result (None before one finished)."""
        return self._result

    def suggestion(self) -> float | None:
        return None if self._result is None else self._result.suggested

    # -- actions ------------------------------------------------------------------------------
    def run(self) -> bool:
        """Start the range test in the background (False, with the reason shown, if it
        cannot run now)."""
        test = self._work()
        return test is not None and self.job.start(test, "Range test")

    def run_now(self) -> LRFinderResult | None:
        """Run the range test in this thread and show it (the command line's way)."""
        test = self._work()
        if test is None:
            return None
        result = test(None, None)
        self._on_job_done(result)
        return result

    def show_result(self, result: LRFinderResult) -> None:
        """Show a range test computed elsewhere."""
        self._on_job_done(result)

    def _work(self):
        reason = missing_input(self.model_document, self.training_document)
        if reason:
            self.job.say(reason, error=True)
            return None
        model, train, _, config = snapshot(self.model_document, self.training_document)

        def test(progress, should_stop):
            return lr_range_test(model, train, config, progress=progress, should_stop=should_stop)

        return test

    def use(self, which: str = "suggested") -> float | None:
        """Make the ``which`` ("suggested" or "steepest") rate the Training tab's learning
        rate, through the training document; returns the rate set."""
        result = self._result
        if result is None:
            return None
        rate = result.suggested if which == "suggested" else result.lr_steepest
        if rate is None:
            return None
        rate = float(min(rate, END_LR))
        self.training_document.set_lr(rate)
        shown = self.training_document.config.lr
        self.job.say(f"Learning rate set to {format_value(shown, 4)} in the Training tab.")
        return shown

    def shutdown(self) -> None:
        self.job.shutdown()

    # -- slots --------------------------------------------------------------------------------
    def _on_inputs_changed(self, *_args) -> None:
        config = self.training_document.config
        optimizer = OPTIMIZER_NAMES.get(config.optimizer, config.optimizer)
        loss = "cross entropy" if config.loss == "cross_entropy" else "MSE on one-hot"
        reason = missing_input(self.model_document, self.training_document)
        text = (
            f"With the Training tab's settings: {optimizer}, batch size {config.batch_size}, "
            f"{loss}, seed {config.seed}"
        )
        if reason:
            text += f"<br><b>{reason}</b>"
        self.settings_label.setText(text)
        self.job.run_button.setEnabled(not reason and not self.job.is_running())

    def _on_job_done(self, result: LRFinderResult | None) -> None:
        if result is None:
            return
        self._result = result
        self.plot.show_result(result)
        if result.suggested is None:
            self.suggestion_label.setText("The loss never fell: no rate to suggest.")
            self.use_button.setEnabled(False)
            self.use_steepest_button.setEnabled(False)
            self.job.say(f"{len(result.lrs)} steps.")
            return
        self.suggestion_label.setText(
            f"Suggested: <b>{format_value(result.suggested, 3)}</b> (the lowest loss's rate "
            f"÷ 10)<br>Steepest descent: {format_value(result.lr_steepest, 3)}"
        )
        self.use_button.setText(f"Use {format_value(result.suggested, 3)}")
        self.use_steepest_button.setText(f"Use {format_value(result.lr_steepest, 3)}")
        self.use_button.setEnabled(True)
        self.use_steepest_button.setEnabled(result.lr_steepest is not None)
        ended = f"; stopped: {result.stopped}" if result.stopped else ""
        self.job.say(f"{len(result.lrs)} steps{ended}. The model is unchanged.")
