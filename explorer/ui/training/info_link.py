"""The link to information theory: a sample's label P, the model's output Q, and H(P, Q).

For one validation sample, P is its one-hot label and Q the softmax of the model's
logits. The cross entropy H(P, Q) in nats is exactly that sample's cross-entropy loss, and
the panel shows both numbers side by side: H(P, Q) from P and Q (:mod:`explorer.info`), the
loss as the engine's ``F.cross_entropy`` computes it, both from the same logits in float64.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.info import cross_entropy
from explorer.ui.plots.category_axis import CategoryAxis
from explorer.ui.theme import set_title, style_plot, theme
from explorer.ui.training.numbers import format_probability, format_value
from explorer.ui.training.paint_meter import TimedPlotWidget
from explorer.ui.widgets.readout import Readout
from explorer.ui.widgets.spin_box import SpinBox


def _keep_widest(label: QLabel) -> None:
    """Fix ``label``'s size to its text's, growing for a longer text but not shrinking.

    While training, new numbers in a label of free size asked the layouts above it for room
    with every update, up to the main window's tab widget, which then repainted the whole
    window. A fixed size asks nothing; only a text wider than any before resizes it.
    """
    hint = label.sizeHint()
    width = max(hint.width(), label.minimumWidth())
    if label.minimumWidth() != width or label.maximumWidth() != width:
        label.setFixedSize(width, hint.height())


class NameLine(QLabel):
    """One line of text that names a class: where the line is wider than the room the panel
    gives it, the name is shortened ("Iris-vers…"), never the numbers; the whole line is the
    tooltip. It never asks for more width, so a longer name or number does not widen the
    panel (and squeeze the plots beside it)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._parts = ("", "", "")

    def set_line(self, before: str, name: str = "", after: str = "") -> None:
        """Show ``before + name + after``, shortening only ``name`` when it does not fit."""
        self._parts = (before, name, after)
        self.setToolTip(self.full_text())
        self._fit()

    def full_text(self) -> str:
        return "".join(self._parts)

    def _fit(self) -> None:
        before, name, after = self._parts
        metrics = self.fontMetrics()
        room = self.contentsRect().width() - metrics.horizontalAdvance(before + after)
        if name and metrics.horizontalAdvance(name) > room:
            name = metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0))
            name = name or "…"
        text = before + name + after
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.setFixedHeight(self.fontMetrics().height() + 2)
            self._fit()


QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
MAX_OPEN_CLASSES = 32  # the Distributions tab shows at most 32 categories
NO_OUTPUTS = "Train or step first"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis in float64 (stable: the max is subtracted first)."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class InfoLinkPanel(QWidget):
    """Bars of P (one-hot label) and Q (softmax output) for the chosen validation sample."""

    sigOpenDistributions = Signal(object, object, object)  # p, q (float lists), class names
    sigSampleChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("Validation sample"))
        self.sample = SpinBox("validation sample", objectName="infoSample")
        self.sample.setRange(0, 0)
        self.sample.setToolTip("Which validation sample to look at (or click one in the plots)")
        self.sample.valueChanged.connect(self._on_sample_value_changed)
        top.addWidget(self.sample)
        self.hardest = QPushButton("Hardest", objectName="infoHardest")
        self.hardest.setToolTip("Pick the validation sample with the largest loss")
        self.hardest.clicked.connect(self._on_hardest_clicked)
        top.addWidget(self.hardest)
        top.addStretch(1)
        layout.addLayout(top)
        self.open_button = QPushButton("Open in Distributions", objectName="openInDistributions")
        self.open_button.setToolTip("Show this P and Q in the Distributions tab (in nats)")
        self.open_button.clicked.connect(self._on_open_clicked)

        self.plot = TimedPlotWidget(
            background=theme().palette.background,
            axisItems={"bottom": CategoryAxis("bottom")},  # full names, shortened if crowded
        )
        self.plot_item = self.plot.getPlotItem()
        self.plot_item.setLabel("left", "probability")
        style_plot(self.plot_item)
        self.plot_item.setYRange(0, 1.05, padding=0)
        self.plot_item.setMouseEnabled(x=False, y=False)
        self.plot_item.hideButtons()
        # Names head the columns of the CSV export.
        self.p_bars = pg.BarGraphItem(x=[], height=[], width=0.38, name="P (one-hot label)")
        self.q_bars = pg.BarGraphItem(x=[], height=[], width=0.38, name="Q (softmax output)")
        self.plot_item.addItem(self.p_bars)
        self.plot_item.addItem(self.q_bars)
        theme().watch(self.plot, self._on_theme_changed)
        layout.addWidget(self.plot, 1)

        numbers = QGridLayout()
        numbers.setHorizontalSpacing(6)
        # Read-outs: right-click copies the text, or the value at full precision.
        self.cross_entropy_label = Readout("H(P, Q)", objectName="infoCrossEntropy")
        self.cross_entropy_label.setToolTip(
            "H(P, Q) = -Σ p log q in nats (explorer.info), Q the softmax of the model's "
            "logits in float64; right-click to copy"
        )
        self.loss_label = Readout("sample loss", objectName="infoLoss")
        self.loss_label.setToolTip(
            "This sample's loss: the engine's F.cross_entropy(logits, y) of the same logits "
            "in float64 (in float32 a loss near 0 rounds to a multiple of 1.2e-07, or to 0); "
            "right-click to copy"
        )
        bold = QFont()
        bold.setBold(True)  # only the weight: size and family still follow the zoom
        for readout in (self.cross_entropy_label, self.loss_label):
            readout.setTextFormat(Qt.TextFormat.PlainText)
            readout.setFont(bold)
        self.detail_label = NameLine(objectName="infoDetail")
        self.detail_label.setFixedHeight(self.detail_label.fontMetrics().height() + 2)
        # Room for the usual texts from the start (see _keep_widest), at every zoom.
        self._usual_texts = (
            (self.cross_entropy_label, "0.0000 nats"),
            (self.loss_label, "0.0000 nats"),
        )
        theme().watch(self, self._fit_labels)
        for row, readout in enumerate((self.cross_entropy_label, self.loss_label)):
            symbol = QLabel(f"<b>{readout.symbol}</b> =")
            symbol.setToolTip(readout.toolTip())
            symbol.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            numbers.addWidget(symbol, row, 0)
            numbers.addWidget(readout, row, 1)
        numbers.setColumnStretch(2, 1)
        numbers.addWidget(self.detail_label, 2, 0, 1, 3)
        numbers.addWidget(self.open_button, 3, 0, 1, 3, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(numbers)

        self._logits = np.zeros((0, 0))
        self._labels = np.zeros(0, dtype=np.int64)
        self._losses = np.zeros(0)
        self._class_names: list[str] = []
        self._p = np.zeros(0)
        self._q = np.zeros(0)
        self._note = NO_OUTPUTS
        self._update()

    def _fit_labels(self) -> None:
        for label, usual in self._usual_texts:
            shown = label.text()
            label.setMinimumSize(0, 0)
            label.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)
            label.setText(usual)
            _keep_widest(label)
            label.setText(shown)
            _keep_widest(label)

    # -- data -----------------------------------------------------------------------------
    def _on_theme_changed(self) -> None:
        """P's bars grey (a label has no colour of its own), Q's in the data colour; the title
        is their key."""
        palette = theme().palette
        p, q = palette.axis, palette.p
        self.p_bars.setOpts(brush=pg.mkBrush(p), pen=pg.mkPen(palette.axis))
        self.q_bars.setOpts(brush=pg.mkBrush(q), pen=pg.mkPen(palette.axis))
        p_key, q_key = (theme().hex(palette.text_color(c)) for c in (p, q))
        set_title(
            self.plot_item,
            f"<span style='color:{p_key}'>■</span> P: one-hot label<br>"
            f"<span style='color:{q_key}'>■</span> Q: softmax output",
        )

    def set_outputs(self, logits, labels, losses, class_names: list[str]) -> None:
        """The model's validation logits (n, C), true labels and per-sample CE losses."""
        self._logits = np.asarray(logits, dtype=np.float64)
        self._labels = np.asarray(labels, dtype=np.int64)
        self._losses = np.asarray(losses, dtype=np.float64)
        if class_names != self._class_names:
            self._class_names = list(class_names)
            self.plot_item.getAxis("bottom").set_names(self._class_names)
        top = max(0, len(self._labels) - 1)
        if self.sample.maximum() != top:  # a new range asks the layouts above for room
            with QSignalBlocker(self.sample):
                self.sample.setRange(0, top)
        self._update()

    def clear(self, note: str = NO_OUTPUTS) -> None:
        """Forget the outputs; ``note`` says why the panel is empty."""
        self._note = note
        self.set_outputs(np.zeros((0, 0)), np.zeros(0), np.zeros(0), [])

    def has_outputs(self) -> bool:
        return bool(self._p.size)

    def select(self, index: int) -> None:
        self.sample.setValue(index)

    def values(self) -> tuple[np.ndarray, np.ndarray, float, float]:
        """(P, Q, H(P, Q) in nats, the sample's loss) as shown; empty before any output."""
        if not self._p.size:
            return self._p, self._q, math.nan, math.nan
        i = self.sample.value()
        return self._p, self._q, cross_entropy(self._p, self._q, base=math.e), self._losses[i]

    # -- view -----------------------------------------------------------------------------
    def _update(self) -> None:
        i = self.sample.value()
        has = 0 <= i < len(self._labels) and self._logits.ndim == 2
        self.open_button.setEnabled(has)
        self.hardest.setEnabled(has)
        if not has:
            self._p = self._q = np.zeros(0)
            self.p_bars.setOpts(x=[], height=[])
            self.q_bars.setOpts(x=[], height=[])
            self.cross_entropy_label.show_value(math.nan, "—")
            self.loss_label.show_value(math.nan, "—")
            self.detail_label.set_line(self._note)
            for text in (self.cross_entropy_label, self.loss_label):
                _keep_widest(text)
            return
        classes = self._logits.shape[1]
        self._p = np.eye(classes)[self._labels[i]]
        self._q = softmax(self._logits[i])
        xs = np.arange(classes)
        self.p_bars.setOpts(x=xs - 0.2, height=self._p)
        self.q_bars.setOpts(x=xs + 0.2, height=self._q)
        self.plot_item.setXRange(-0.6, classes - 0.4, padding=0)
        h = cross_entropy(self._p, self._q, base=math.e)
        label = self._labels[i]
        true = self._class_names[label] if self._class_names else str(label)
        self.open_button.setEnabled(classes <= MAX_OPEN_CLASSES)
        loss = float(self._losses[i])
        self.cross_entropy_label.show_value(h, f"{format_value(h)} nats")
        self.loss_label.show_value(loss, f"{format_value(loss)} nats")
        q = format_probability(self._q[label])
        self.detail_label.set_line("−log q(", true, f") = −log {q}")
        for text in (self.cross_entropy_label, self.loss_label):
            _keep_widest(text)

    def _on_sample_value_changed(self, index: int) -> None:
        self._update()
        self.sigSampleChanged.emit(index)

    def _on_hardest_clicked(self) -> None:
        if self._losses.size:
            self.sample.setValue(int(np.argmax(self._losses)))

    def _on_open_clicked(self) -> None:
        if self._p.size:
            names = self._class_names or [str(i) for i in range(self._p.size)]
            self.sigOpenDistributions.emit(self._p.tolist(), self._q.tolist(), list(names))
