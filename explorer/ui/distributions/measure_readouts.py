"""The seven read-outs of the Distributions tab: entropies, cross entropies, KLs and JS."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel

from explorer.info import Comparison, format_value
from explorer.ui.theme import theme
from explorer.ui.widgets.card import Card, colored_label, make_opaque, set_text_color
from explorer.ui.widgets.readout import Readout
from explorer.ui.widgets.zoom import follow_font

#: (objectName, Comparison field, symbol, colour role, what it means)
READOUTS = (
    (
        "entropyPValue",
        "entropy_p",
        "H(P)",
        "p",
        "Entropy of P: the average surprise −Σ pᵢ log pᵢ of outcomes drawn from P.",
    ),
    ("entropyQValue", "entropy_q", "H(Q)", "q", "Entropy of Q: −Σ qᵢ log qᵢ."),
    (
        "crossEntropyValue",
        "cross_entropy_pq",
        "H(P,Q)",
        "cross",
        "Cross entropy −Σ pᵢ log qᵢ: the average surprise when outcomes come from P but you "
        "expect Q. The classification loss with P the labels and Q the prediction.",
    ),
    (
        "crossEntropyQPValue",
        "cross_entropy_qp",
        "H(Q,P)",
        "cross",
        "Cross entropy the other way round: −Σ qᵢ log pᵢ.",
    ),
    (
        "klPQValue",
        "kl_pq",
        "KL(P‖Q)",
        "kl",
        "Kullback–Leibler divergence Σ pᵢ log(pᵢ/qᵢ) = H(P,Q) − H(P) ≥ 0: the extra surprise "
        "of expecting Q when P is true. ∞ when some qᵢ = 0 < pᵢ.",
    ),
    (
        "klQPValue",
        "kl_qp",
        "KL(Q‖P)",
        "kl",
        "KL the other way round: Σ qᵢ log(qᵢ/pᵢ). Differs from KL(P‖Q): KL is not symmetric.",
    ),
    (
        "jsValue",
        "js",
        "JS(P,Q)",
        "cross",
        "Jensen–Shannon divergence ½KL(P‖M) + ½KL(Q‖M) with M = (P+Q)/2: symmetric, always "
        "finite, at most 1 bit.",
    ),
)


#: The card's width at 100 % zoom, in pixels.
READOUTS_WIDTH = 250


class MeasureReadouts(Card):
    """A card of labelled values; each value label's text starts with the number (or ∞)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("measureReadouts")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        # Rows close enough that the whole card, notes included, fits a 640-pixel-high window.
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        title = QLabel("<b>Measures</b>")
        self.copy_all = QAction("Copy all measures", self)
        self.copy_all.setObjectName("copyMeasures")
        self.copy_all.triggered.connect(self._on_copy_all_triggered)
        self.addAction(self.copy_all)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._symbols: dict[str, str] = {}
        grid.addWidget(title, 0, 0, 1, 2)
        self.values: dict[str, Readout] = {}
        self._fields: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        for row, (name, field, symbol, color, meaning) in enumerate(READOUTS, start=1):
            symbol_label = colored_label(symbol, color, bold=True)
            symbol_label.setToolTip(meaning)
            value = Readout(symbol, objectName=name)
            value.setToolTip(meaning)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            # Fixed size: a new number must not relayout the card (it repaints in place).
            follow_font(value, 1, monospace=True, after=_fixed_size_for(value))
            make_opaque(value)
            grid.addWidget(symbol_label, row, 0)
            grid.addWidget(value, row, 1)
            value.addAction(self.copy_all)
            self.values[name] = value
            self._fields[name] = field
            self._symbols[name] = symbol
        # The identities with today's numbers, in plain text: a rich-text label lays out an
        # HTML document on every slider move.
        identity_title = QLabel("<b>Identities</b>")
        grid.addWidget(identity_title, len(READOUTS) + 1, 0, 1, 2)
        self.identity = QLabel("")
        self.identity.setObjectName("identityCheck")
        self.identity.setTextFormat(Qt.TextFormat.PlainText)
        self.identity.setToolTip(
            "The identity that ties the measures together, checked with the current numbers."
        )
        set_text_color(self.identity, "muted")
        make_opaque(self.identity)
        theme().watch(
            self.identity,
            lambda: self.identity.setFixedSize(
                theme().px(READOUTS_WIDTH - 24), 4 * self.identity.fontMetrics().lineSpacing() + 4
            ),
        )
        grid.addWidget(self.identity, len(READOUTS) + 2, 0, 1, 2)
        notes = QLabel(
            "<p style='margin-bottom:2px'><b>Reading it</b></p>"
            "P is the truth (the labels), Q the model. Training a classifier with cross "
            "entropy lowers H(P,Q); since H(P) is fixed, that is the same as lowering "
            "KL(P‖Q). A q<sub>i</sub> = 0 where p<sub>i</sub> &gt; 0 makes both infinite (∞)."
        )
        notes.setObjectName("readingNotes")
        notes.setWordWrap(True)
        set_text_color(notes, "muted")
        grid.addWidget(notes, len(READOUTS) + 3, 0, 1, 2)
        grid.setRowStretch(len(READOUTS) + 4, 1)
        grid.setColumnStretch(1, 1)
        theme().watch(self, self._fit_size)

    def _fit_size(self) -> None:
        width = theme().px(READOUTS_WIDTH)
        self.setFixedWidth(width)
        # As tall as the wrapped notes need at that width: in a shorter card the grid lays
        # the notes over the identities (a window too small for it scrolls instead).
        self.setMinimumHeight(self.layout().totalHeightForWidth(width))

    def show_comparison(self, c: Comparison) -> None:
        for name, label in self.values.items():
            value = getattr(c, self._fields[name])
            label.show_value(value, format_value(value, c.base))
        identity = (
            "H(P,Q) = H(P) + KL(P‖Q)\n"
            f"{_short(c.cross_entropy_pq)} = {_short(c.entropy_p)} + {_short(c.kl_pq)}\n"
            "H(Q,P) = H(Q) + KL(Q‖P)\n"
            f"{_short(c.cross_entropy_qp)} = {_short(c.entropy_q)} + {_short(c.kl_qp)}"
        )
        if self._shown.get("identity") != identity:
            self.identity.setText(identity)
            self._shown["identity"] = identity

    def text(self, name: str) -> str:
        return self.values[name].text()

    def as_text(self) -> str:
        """Every measure as "symbol<TAB>value" lines (what "Copy all measures" copies)."""
        return "\n".join(f"{self._symbols[n]}\t{label.text()}" for n, label in self.values.items())

    def _on_copy_all_triggered(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())


def _fixed_size_for(value: QLabel):
    def fit() -> None:
        metrics = value.fontMetrics()
        value.setFixedSize(metrics.horizontalAdvance("0.0000 hartleys") + 4, metrics.height() + 2)

    return fit


def _short(value: float) -> str:
    return format_value(value, None, decimals=4)
