"""The Distributions tab: drag P and Q, watch entropy, cross entropy, KL and JS follow.

The tab only wires controls to ``explorer.info``: a ``DistributionPair`` holds P and Q, every
change goes through it, and ``_refresh`` shows one ``compare`` result everywhere. Plot items
are created once (see ``explorer.ui.distributions.plots``) and only updated.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.info import (
    LECTURE_EXAMPLES,
    DistributionPair,
    compare,
    resolve_base,
)
from explorer.info.comparison import sensitivity_grid
from explorer.info.units import base_label
from explorer.ui.distributions.gaussian_panel import GaussianPanel
from explorer.ui.distributions.measure_readouts import MeasureReadouts
from explorer.ui.distributions.plots import (
    ContributionsPlot,
    DecompositionPlot,
    DistributionBarsPlot,
)
from explorer.ui.distributions.presets import PresetBar, caption, tool_button
from explorer.ui.distributions.sensitivity_plot import SensitivityPlot, SweepCache
from explorer.ui.distributions.sliders import DistributionSliders
from explorer.ui.distributions.state import MODES, TabState, check_labels, parse_state
from explorer.ui.tab_base import ExplorerTab
from explorer.ui.theme import theme
from explorer.ui.widgets.card import Card

UNIT_TEXT = {2.0: "bits (log₂)", math.e: "nats (ln)", 10.0: "hartleys (log₁₀)"}
EXAMPLE_BUTTONS = {
    "q-close": ("exampleQClose", "Q ≈ P"),
    "q-wrong": ("exampleQWrong", "Q wrong"),
    "q-equals-p": ("exampleQEqualsP", "Q = P"),
}
SENSITIVITY_T = sensitivity_grid()


class DistributionsTab(ExplorerTab):
    """Two discrete distributions P and Q (or two Gaussians) and every measure between them.

    Automation: ``set_distributions(p, q, labels=None)``, ``distributions()``, ``labels()``,
    ``set_base(base)``, ``set_mode(mode)``, ``state()``/``restore_state()``, ``export_items()``.
    """

    title = "Distributions"
    export_name = "distributions"
    sigDistributionsChanged = Signal(object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("distributionsTab")
        self.pair = DistributionPair()
        self.base = 2.0
        self.comparison = None
        self._labels: tuple[str, ...] | None = None
        self._shown_labels = None
        self._sweeps = SweepCache()

        self.modes = QStackedWidget()
        self.modes.setObjectName("distributionsModes")
        self.modes.addWidget(self._build_discrete_page())
        self.gaussian = GaussianPanel()
        self.modes.addWidget(self.gaussian)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(self._build_top_bar())
        layout.addWidget(self.modes, 1)

        self.sliders.set_count(self.pair.k)
        self.sliders.sigProbabilityChanged.connect(self._on_sliders_probability_changed)
        self.sliders.sigCategorySelected.connect(self._on_sliders_category_selected)
        self.sliders.sigDragFinished.connect(self._on_sliders_drag_finished)
        self._refresh()

    # -- construction ------------------------------------------------------------------------
    def _build_top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.mode_group = QButtonGroup(self)
        for index, (name, text, tip) in enumerate(
            (
                (
                    "modeDiscrete",
                    "Discrete P, Q",
                    "Two distributions over K categories, edited with sliders",
                ),
                (
                    "modeGaussian",
                    "Gaussians",
                    "Two normal densities: KL as an integral, in closed form and numerically",
                ),
            )
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setCheckable(True)
            button.setToolTip(tip)
            self.mode_group.addButton(button, index)
            bar.addWidget(button)
        self.mode_group.button(0).setChecked(True)
        self.mode_group.idClicked.connect(self._on_mode_group_id_clicked)
        bar.addSpacing(16)
        bar.addWidget(caption("Unit"))
        self.base_combo = QComboBox()
        self.base_combo.setObjectName("logBase")
        for base, text in UNIT_TEXT.items():
            self.base_combo.addItem(text, base_label(base))
        self.base_combo.setToolTip(
            "The logarithm's base: 2 gives bits, e gives nats (PyTorch's losses use nats), "
            "10 gives hartleys. Every number and plot follows."
        )
        self.base_combo.currentIndexChanged.connect(self._on_base_combo_index_changed)
        bar.addWidget(self.base_combo)
        # Presets that only make sense for the discrete page live in a box hidden with it.
        self.discrete_only = QWidget()
        extra = QHBoxLayout(self.discrete_only)
        extra.setContentsMargins(16, 0, 0, 0)
        extra.setSpacing(6)
        extra.addWidget(
            tool_button(
                "Q := P",
                "copyPToQ",
                "Copy P into Q: KL becomes 0 and H(P,Q) = H(P)",
                self._on_copy_clicked,
            )
        )
        extra.addWidget(
            tool_button(
                "Swap P ↔ Q",
                "swapPQ",
                "Exchange P and Q: KL(P‖Q) and KL(Q‖P) trade places",
                self._on_swap_clicked,
            )
        )
        extra.addSpacing(16)
        extra.addWidget(caption("Examples from the notes", "Notes"))
        for example, (name, text) in EXAMPLE_BUTTONS.items():
            p, q, what = LECTURE_EXAMPLES[example]
            tip = f"The lecture notes' example P = {list(p)}, Q = {list(q)}: {what}"
            extra.addWidget(tool_button(text, name, tip, self._make_example_slot(example)))
        bar.addWidget(self.discrete_only)
        bar.addStretch(1)
        return bar

    def _build_discrete_page(self) -> QWidget:
        page = QWidget()
        self.readouts = MeasureReadouts()
        self.bars = DistributionBarsPlot()
        self.contributions = ContributionsPlot()
        self.decomposition = DecompositionPlot()
        self.sensitivity = SensitivityPlot()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("distributionPlots")
        self.graphics.setBackground(theme().palette.background)
        self.graphics.addItem(self.bars.plot, row=0, col=0)
        self.graphics.addItem(self.contributions.plot, row=0, col=1)
        self.graphics.addItem(self.decomposition.plot, row=1, col=0)
        self.graphics.addItem(self.sensitivity.plot, row=1, col=1)
        self.graphics.setToolTip(
            "Top: P and Q, and what each category adds to KL(P‖Q) (∞ marks a qᵢ = 0 < pᵢ). "
            "Bottom: cross entropy split into entropy + KL in both directions, and how KL "
            "and cross entropy change as the selected category's q moves."
        )
        upper = QWidget()
        upper_layout = QHBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.readouts)
        upper_layout.addWidget(self.graphics, 1)

        lower = Card()
        lower.setObjectName("equalizer")
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(8, 6, 8, 4)
        lower_layout.setSpacing(4)
        self.presets = PresetBar()
        self.count_spin = self.presets.count_spin
        self.seed_spin = self.presets.seed_spin
        self.selected_spin = self.presets.selected_spin
        self.count_spin.valueChanged.connect(self._on_count_spin_value_changed)
        self.selected_spin.valueChanged.connect(self._on_selected_spin_value_changed)
        self.presets.sigPresetRequested.connect(self._on_presets_preset_requested)
        lower_layout.addWidget(self.presets)
        self.sliders = DistributionSliders()
        self.sliders.setObjectName("distributionSliders")
        lower_layout.addWidget(self.sliders, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([470, 260])
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        return page

    # -- public API ----------------------------------------------------------------------------
    def distributions(self) -> tuple[np.ndarray, np.ndarray]:
        """(P, Q) as float arrays summing to 1 (copies)."""
        return self.pair.p.copy(), self.pair.q.copy()

    def set_distributions(self, p, q, labels=None) -> None:
        """Show P and Q (normalized; K = their common length, 2..32). ValueError if bad.

        ``labels``: optional names of the K categories (class names), shown on the plots'
        x axes and under the sliders until K changes or a preset replaces P or Q. Switches
        to the discrete page if the Gaussians were shown.
        """
        names = None if labels is None else check_labels(labels, np.size(p))
        self.pair.set(p, q)
        self._labels = names
        # P and Q are what the caller wants seen, not the Gaussians.
        if self.mode() != "discrete":
            self.set_mode("discrete")
        self._refresh()

    def labels(self) -> tuple[str, ...] | None:
        """The category names given to ``set_distributions``, or None (indices are shown)."""
        return self._labels

    def set_base(self, base: float | str) -> None:
        """Switch the unit: 2 / e / 10 or "bits" / "nats" / "hartleys". ValueError if other."""
        self.base = resolve_base(base)
        index = self.base_combo.findData(base_label(self.base))
        with QSignalBlocker(self.base_combo):
            self.base_combo.setCurrentIndex(index)
        self.gaussian.set_base(self.base)
        self._refresh()

    def set_mode(self, mode: str) -> None:
        """Show the 'discrete' or the 'gaussian' page."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        index = MODES.index(mode)
        self.mode_group.button(index).setChecked(True)
        self.modes.setCurrentIndex(index)
        self.discrete_only.setVisible(mode == "discrete")

    def mode(self) -> str:
        return MODES[self.modes.currentIndex()]

    def export_items(self) -> dict[str, pg.PlotItem]:
        items = {
            "p-and-q": self.bars.plot,
            "kl-contributions": self.contributions.plot,
            "decomposition": self.decomposition.plot,
            "sensitivity": self.sensitivity.plot,
        }
        items.update(self.gaussian.export_items())
        return items

    def state(self) -> dict[str, Any]:
        return {
            "mode": self.mode(),
            "k": self.pair.k,
            "p": self.pair.p.tolist(),
            "q": self.pair.q.tolist(),
            "base": base_label(self.base),
            "selected": self.pair.selected,
            "gaussian": self.gaussian.parameters(),
            "random_seed": self.seed_spin.value(),
            "labels": None if self._labels is None else list(self._labels),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Apply a ``state()`` dict (any subset of its keys); ValueError naming a bad entry,
        and then nothing changed."""
        current = TabState(self.pair, self.base, self.mode(), self._labels, self.seed_spin.value())
        new = parse_state(state, current)
        self.gaussian.set_parameters(new.gaussian)
        self.seed_spin.setValue(new.random_seed)
        self.pair = new.pair
        self._labels = new.labels
        self.set_base(new.base)
        self.set_mode(new.mode)

    def select_category(self, index: int) -> None:
        """Make category ``index`` the selected one (the sensitivity plot sweeps its q)."""
        if not 0 <= index < self.selected_spin.maximum() + 1:
            raise ValueError(f"category must be 0 to {self.selected_spin.maximum()}; got {index}")
        self.selected_spin.setValue(index)

    # -- slots ---------------------------------------------------------------------------------
    def _on_sliders_probability_changed(self, which: str, index: int, value: float) -> None:
        self.pair.set_probability(which, index, value)
        self.pair.select(index)
        self._refresh(refit=False)

    def _on_sliders_drag_finished(self) -> None:
        # The scales held still during the drag; now they may shrink again (to fit data that
        # spans less than half of them). An exact refit here would only make the next drag
        # grow them back at its first move.
        self._refresh(refit=False)

    def _on_sliders_category_selected(self, index: int) -> None:
        if index != self.pair.selected:
            self.pair.select(index)
            # Only the sensitivity curve depends on the selection. Its range is not refitted
            # here: a press that selects is followed by a drag, which would only grow it
            # back at its first move; it follows the data as in a drag (and may shrink when
            # the slider is let go).
            self._refresh(refit=False)

    def _on_selected_spin_value_changed(self, index: int) -> None:
        self._on_sliders_category_selected(index)

    def _on_count_spin_value_changed(self, k: int) -> None:
        self.pair.set_category_count(k)
        if k != len(self._labels or ()):
            self._labels = None
        self._refresh()

    def _on_base_combo_index_changed(self, index: int) -> None:
        self.set_base(self.base_combo.itemData(index))

    def _on_mode_group_id_clicked(self, index: int) -> None:
        self.set_mode(MODES[index])

    def _on_copy_clicked(self) -> None:
        self.pair.copy_p_to_q()
        self._refresh()

    def _on_swap_clicked(self) -> None:
        self.pair.swap()
        self._refresh()

    def _on_presets_preset_requested(self, which: str, preset: str, seed: int) -> None:
        self.pair.apply_preset(which, preset, seed=seed)
        self._labels = None
        self._refresh()

    def _make_example_slot(self, example: str):
        def slot() -> None:
            self.pair.apply_lecture_example(example)
            self._labels = None
            self._refresh()

        return slot

    # -- the one place that shows the state ----------------------------------------------------
    def _refresh(self, refit: bool = True) -> None:
        """Show ``self.pair`` everywhere. With ``refit`` (a wholesale change: preset, K, unit)
        the plots' y ranges fit the data afresh; otherwise (a slider) they only grow or
        halve, and only grow while a slider is held down (steady axes)."""
        held = self.sliders.is_dragging()
        for plot in (self.bars, self.contributions, self.decomposition, self.sensitivity):
            plot.y_range.steady = held and not refit
            if refit:
                plot.y_range.reset()
        pair, base = self.pair, self.base
        k, selected = pair.k, pair.selected
        if self.sliders.count() != k:
            self.sliders.set_count(k)
        if self._labels is not None and len(self._labels) != k:
            self._labels = None
        if self._shown_labels != (k, self._labels):
            self.sliders.set_labels(self._labels)
            self._shown_labels = (k, self._labels)
        self.presets.show_counts(k, selected)
        self.sliders.set_distributions(pair.p, pair.q)
        self.sliders.set_selected(selected)
        c = compare(pair.p, pair.q, base)
        self.comparison = c
        self.readouts.show_comparison(c)
        self.bars.update(pair.p, pair.q, selected, self._labels)
        self.contributions.update(c.kl_pq_terms, c.unit, self._labels)
        self.decomposition.update(c)
        t, kl, cross = self._sweeps.curve(pair.p, pair.q, selected, base, SENSITIVITY_T)
        self.sensitivity.update(
            t,
            kl,
            cross,
            float(pair.q[selected]),
            c.kl_pq,
            c.cross_entropy_pq,
            c.entropy_p,
            selected,
            c.unit,
        )
        self.sigDistributionsChanged.emit(pair.p.copy(), pair.q.copy())


__all__ = ["DistributionsTab", "check_labels"]
