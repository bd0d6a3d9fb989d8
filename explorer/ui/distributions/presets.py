"""The bar above the equalizer: K, the per-distribution presets, the seed, the selection."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from explorer.info.editing import MAX_CATEGORIES, MIN_CATEGORIES
from explorer.ui.theme import theme
from explorer.ui.widgets.card import colored_label, set_text_color
from explorer.ui.widgets.fitting_label import FittingLabel
from explorer.ui.widgets.spin_box import SpinBox

MAX_SEED = 1_000_000


def tool_button(text: str, name: str, tip: str, slot) -> QPushButton:
    """A push button with an objectName and a tooltip, wired to ``slot``."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.clicked.connect(slot)
    return button


def caption(text: str, short: str | None = None) -> QLabel:
    """A muted label naming the control beside it; ``short`` where ``text`` has no room."""
    if short is None:
        return colored_label(text, "muted")
    label = FittingLabel(text, short)
    set_text_color(label, "muted")
    return label


class PresetBar(QWidget):
    """Spin boxes ``categoryCount``, ``randomSeed``, ``selectedCategory`` and the buttons
    ``pUniform``, ``pOneHot``, ``pRandom``, ``qUniform``, ``qOneHot``, ``qRandom``.

    Signals
    -------
    sigPresetRequested(str, str, int)
        ('p' or 'q', 'uniform' / 'one-hot' / 'random', seed); after a 'random' request the
        seed box moves on by one, so the next draw differs but stays reproducible.
    """

    sigPresetRequested = Signal(str, str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(caption("Categories K", "K"))
        self.count_spin = SpinBox("K")
        self.count_spin.setObjectName("categoryCount")
        self.count_spin.setRange(MIN_CATEGORIES, MAX_CATEGORIES)
        self.count_spin.setToolTip(
            "Number of categories K. New categories get 1/K each; removed ones give their "
            "mass back to the rest."
        )
        bar.addWidget(self.count_spin)
        bar.addSpacing(16)
        for which in ("p", "q"):
            name = which.upper()
            swatch = QLabel()
            theme().watch(swatch, self._swatch_painter(swatch, which))
            swatch.setToolTip(
                "P: the true distribution (the labels)"
                if which == "p"
                else "Q: the model's distribution (the prediction)"
            )
            bar.addWidget(swatch)
            for preset, text, tip in (
                ("uniform", "Uniform", f"Set {name} to 1/K in every category"),
                ("one-hot", "One-hot", f"Put all of {name}'s mass on the selected category"),
                ("random", "Random", f"Draw {name} at random from the simplex with the seed"),
            ):
                button_name = f"{which}{''.join(w.title() for w in preset.split('-'))}"
                slot = self._make_preset_slot(which, preset)
                bar.addWidget(tool_button(text, button_name, tip, slot))
            bar.addSpacing(8)
        bar.addWidget(caption("seed"))
        self.seed_spin = SpinBox("seed")
        self.seed_spin.setObjectName("randomSeed")
        self.seed_spin.setRange(0, MAX_SEED)
        self.seed_spin.setToolTip("Seed of the next Random preset (it then moves on by one)")
        bar.addWidget(self.seed_spin)
        bar.addStretch(1)
        bar.addWidget(caption("Selected category", "Selected"))
        self.selected_spin = SpinBox("selected category")
        self.selected_spin.setObjectName("selectedCategory")
        self.selected_spin.setToolTip(
            "The selected category: shaded in the bars, its q swept in the sensitivity plot, "
            "and where One-hot puts the mass. Pressing a slider selects its category too."
        )
        bar.addWidget(self.selected_spin)

    def show_counts(self, k: int, selected: int) -> None:
        """Show K and the selected category without emitting valueChanged."""
        # Touch the boxes only on a change: even an unchanged setMaximum repaints them.
        for spin, value, maximum in (
            (self.count_spin, k, MAX_CATEGORIES),
            (self.selected_spin, selected, k - 1),
        ):
            if spin.maximum() == maximum and spin.value() == value:
                continue
            with QSignalBlocker(spin):
                if spin.maximum() != maximum:  # a new range asks the layouts above for room
                    spin.setMaximum(maximum)
                spin.setValue(value)

    @staticmethod
    def _swatch_painter(swatch: QLabel, which: str):
        def apply() -> None:
            palette = theme().palette
            color = theme().hex(palette.text_color(getattr(palette, which), palette.panel))
            swatch.setText(f"<b style='color:{color}'>■ {which.upper()}</b>")

        return apply

    def _make_preset_slot(self, which: str, preset: str):
        def slot() -> None:
            seed = self.seed_spin.value()
            if preset == "random":
                self.seed_spin.setValue((seed + 1) % (MAX_SEED + 1))
            self.sigPresetRequested.emit(which, preset, seed)

        return slot
