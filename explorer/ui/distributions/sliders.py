"""An equalizer of vertical sliders: for each category a P slider beside a Q slider.

Sliders run 0..1000 (probability x 1000); each shows its probability underneath. The widget
only reports moves (``sigProbabilityChanged``); the tab asks the core to renormalize and
writes every slider back with ``set_distributions`` (signals blocked: no ping-pong).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.distributions.style import qcolor
from explorer.ui.theme import theme
from explorer.ui.widgets.card import make_opaque, set_text_color
from explorer.ui.widgets.quiet_label import QuietLabelBox
from explorer.ui.widgets.zoom import follow_font

#: Slider steps per unit of probability.
RESOLUTION = 1000
_CHOSEN_FOCUS = frozenset(
    {
        Qt.FocusReason.MouseFocusReason,
        Qt.FocusReason.TabFocusReason,
        Qt.FocusReason.BacktabFocusReason,
        Qt.FocusReason.ShortcutFocusReason,
    }
)
#: Width of the probability labels at 100 %: "0.031" in 8 pt, and 32 columns fit 1280 pixels.
VALUE_LABEL_WIDTH = 34
#: A column's widest at 100 %.
COLUMN_WIDTH = 84

#: The round handle: its radius and the width of its ring, in pixels.
HANDLE_RADIUS = 6
HANDLE_RING = 2.0


def handle_pixmap(color: QColor, filled: bool, ratio: float, fill: QColor) -> QPixmap:
    """The round handle, drawn once per colour, state and pixel ratio: an antialiased circle
    costs a painter about fifteen times as much as copying its pixels."""
    size = 2 * HANDLE_RADIUS + 2  # the ring's outer half-width spills one pixel each way
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, HANDLE_RING))
    painter.setBrush(color if filled else fill)
    painter.drawEllipse(QRectF(1, 1, 2 * HANDLE_RADIUS, 2 * HANDLE_RADIUS))
    painter.end()
    return pixmap


class EqualizerSlider(QSlider):
    """A vertical slider painted as a thin colored bar with a round handle.

    Painted by hand rather than with a style sheet: style-sheet sliders cost ~0.3 ms each
    to paint, and 64 of them are repainted on every move. Geometry (and so mouse hit
    testing) still comes from the style, so the handle is drawn where Qt expects it.
    """

    #: The person gave the slider the keyboard focus (a click, Tab or a shortcut): its
    #: category becomes the selected one.
    sigFocused = Signal()

    def __init__(self, role: str, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.role = role
        self.color = qcolor(role)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._handles: dict[tuple, QPixmap] = {}
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        self.color = qcolor(self.role)
        self._groove = qcolor("groove")
        self._disabled = qcolor("neutral")
        self._fill = qcolor("background")
        self.update()

    def _handle(self, color: QColor, filled: bool) -> QPixmap:
        key = (color.rgba(), filled, self.devicePixelRatioF(), self._fill.rgba())
        if key not in self._handles:
            self._handles[key] = handle_pixmap(color, filled, key[2], self._fill)
        return self._handles[key]

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # An override rather than an event filter: a filter would run Python for every event
        # the slider gets (each paint, each mouse move of a drag).
        super().focusInEvent(event)
        # Only a person's choice selects: a tab switch or window activation that hands the
        # focus back to a slider must not replace the selection the tab was given.
        if event.reason() in _CHOSEN_FOCUS:
            self.sigFocused.emit()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        del event
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        painter = QPainter(self)
        x = self.width() // 2
        top, bottom = handle.height() // 2, self.height() - handle.height() // 2
        centre_y = handle.center().y()
        # Plain rectangles for the groove and its filled part (antialiased rounded ones
        # cost more than everything else here); only the round handle is antialiased.
        painter.fillRect(x - 3, top, 6, bottom - top, self._groove)
        color = self.color if self.isEnabled() else self._disabled
        painter.fillRect(x - 3, centre_y, 6, bottom - centre_y, color)
        corner = HANDLE_RADIUS + 1
        painter.drawPixmap(x - corner, centre_y - corner, self._handle(color, self.hasFocus()))
        painter.end()


def probability_text(value: float) -> str:
    """What the label under a slider says: always three decimals ('0.000', '0.125', '1.000')."""
    return f"{value + 0.0:.3f}"


class CategoryColumn(QWidget):
    """One category: its P and Q sliders side by side, their probabilities, its index."""

    def __init__(self, index: int, parent=None):
        super().__init__(parent)
        self.index = index
        self.sliders = {}
        self.labels = {}
        sliders_row = QHBoxLayout()
        sliders_row.setContentsMargins(0, 0, 0, 0)
        sliders_row.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addLayout(sliders_row, 1)
        for which, name in (("p", "P"), ("q", "Q")):
            slider = EqualizerSlider(which)
            slider.setObjectName(f"{which}Slider{index}")
            slider.setRange(0, RESOLUTION)
            slider.setSingleStep(10)
            slider.setPageStep(100)
            slider.setMinimumHeight(60)
            slider.setToolTip(
                f"{name}({index}): drag, or focus and use the arrow keys (±0.01; PgUp/PgDn "
                f"±0.1). The other categories of {name} are rescaled so it still sums to 1."
            )
            sliders_row.addWidget(slider)
            self.sliders[which] = slider
        for which in ("p", "q"):
            label = QLabel("0")
            label.setObjectName(f"{which}Probability{index}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            set_text_color(label, which)
            # A fixed size keeps a text change from relaying out the whole equalizer.
            follow_font(label, points=8.0, after=_fixed_value_size(label))
            label.setToolTip(f"{which.upper()}({index}), the probability of category {index}")
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels[which] = label
        self.index_label = QLabel(str(index))
        self.index_label.setObjectName(f"categoryLabel{index}")
        self.index_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A long class name must not widen the column: it is cut, and whole in the tooltip.
        self.set_label(None)
        # In a box without a layout: selecting the category (bold) or naming it then
        # repaints the label only, instead of asking every layout above for room.
        self.index_box = QuietLabelBox(self.index_label)
        layout.addWidget(self.index_box)
        self._selected = False
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # An opaque column spares Qt from repainting the card beneath it on every move.
        make_opaque(self)
        self._shown = {"p": None, "q": None}
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        self.setMaximumWidth(theme().px(COLUMN_WIDTH))
        bold = QFont(theme().font())
        bold.setBold(True)
        height = QFontMetrics(bold).height() + 4
        self.index_label.setFixedHeight(height)
        self.index_box.setFixedHeight(height)
        self.set_selected(self._selected)

    def set_selected(self, selected: bool) -> None:
        # A chip marks the selected category (palette + autofill: no style sheet).
        self._selected = selected
        label = self.index_label
        palette = label.palette()
        chip = qcolor("chip")
        palette.setColor(QPalette.ColorRole.Window, chip)
        palette.setColor(
            QPalette.ColorRole.WindowText, qcolor("background") if selected else qcolor("muted")
        )
        label.setPalette(palette)
        label.setAutoFillBackground(selected)
        label.setFont(theme().font(bold=selected))

    def set_label(self, name: str | None, limit: int = 10) -> None:
        """Show the category's ``name`` (cut to ``limit`` characters), or its index if None."""
        if name is None:
            self.index_label.setText(str(self.index))
            self.index_label.setToolTip(f"Category {self.index}")
        else:
            text = name if len(name) <= limit else name[: limit - 1] + "…"
            self.index_label.setText(text)
            self.index_label.setToolTip(f"Category {self.index}: {name}")

    def show_value(self, which: str, value: float) -> None:
        """Put the slider and its label at ``value`` without emitting anything."""
        slider = self.sliders[which]
        position = int(round(value * RESOLUTION))
        if slider.value() != position:
            with QSignalBlocker(slider):
                slider.setValue(position)
        text = probability_text(value)
        if self._shown[which] != text:
            self.labels[which].setText(text)
            self._shown[which] = text


class DistributionSliders(QWidget):
    """K category columns (2..32), each with a P and a Q slider.

    Signals
    -------
    sigProbabilityChanged(str, int, float)
        The user moved slider ``which`` ('p' or 'q') of category ``index`` to a probability.
    sigCategorySelected(int)
        The user pressed or focused a slider of a category.
    sigDragFinished()
        The user let go of a slider they were dragging.
    """

    sigProbabilityChanged = Signal(str, int, float)
    sigCategorySelected = Signal(int)
    sigDragFinished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: list[CategoryColumn] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._layout.setSpacing(2)
        self._layout.addStretch(1)
        self._layout.addStretch(1)
        self._selected = -1

    def count(self) -> int:
        return len(self.columns)

    def slider(self, which: str, index: int) -> QSlider:
        return self.columns[index].sliders[which]

    def set_count(self, k: int) -> None:
        """Show ``k`` columns: add or remove (and delete) columns at the end."""
        while len(self.columns) > k:
            column = self.columns.pop()
            self._layout.removeWidget(column)
            # Unparent first so findChildren stops seeing it before deleteLater runs.
            column.setParent(None)
            column.deleteLater()
        while len(self.columns) < k:
            column = CategoryColumn(len(self.columns), self)
            for which, slider in column.sliders.items():
                slider.valueChanged.connect(self._make_slot(which, column.index))
                slider.sliderPressed.connect(self._make_select(column.index))
                slider.sliderReleased.connect(self.sigDragFinished)
                slider.sigFocused.connect(self._make_select(column.index))
            self._layout.insertWidget(self._layout.count() - 1, column, 1)
            self.columns.append(column)
        if self._selected >= k:
            self._selected = -1

    def is_dragging(self) -> bool:
        """Whether the user holds a slider down (a mouse drag, between press and release)."""
        return any(
            slider.isSliderDown() for column in self.columns for slider in column.sliders.values()
        )

    def set_distributions(self, p: np.ndarray, q: np.ndarray) -> None:
        """Show P and Q (lengths must equal ``count()``) without emitting signals."""
        for column, p_i, q_i in zip(self.columns, p, q, strict=True):
            column.show_value("p", float(p_i))
            column.show_value("q", float(q_i))

    def set_labels(self, labels) -> None:
        """Name the categories under the sliders (a list of ``count()`` strings), or show
        their indices (None)."""
        limit = 10 if len(self.columns) <= 12 else 4
        for i, column in enumerate(self.columns):
            column.set_label(None if labels is None else labels[i], limit)

    def set_selected(self, index: int) -> None:
        if index == self._selected:
            return
        if 0 <= self._selected < len(self.columns):
            self.columns[self._selected].set_selected(False)
        self._selected = index
        self.columns[index].set_selected(True)

    def _make_slot(self, which: str, index: int):
        def slot(position: int) -> None:
            self.sigProbabilityChanged.emit(which, index, position / RESOLUTION)

        return slot

    def _make_select(self, index: int):
        return lambda: self.sigCategorySelected.emit(index)


def _fixed_value_size(label: QLabel):
    def fit() -> None:
        label.setFixedSize(theme().px(VALUE_LABEL_WIDTH), label.fontMetrics().height() + 2)

    return fit
