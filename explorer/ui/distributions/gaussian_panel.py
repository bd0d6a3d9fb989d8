"""The Distributions tab's Gaussian mode: mu and sigma of P and Q, densities, KL integral."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from explorer.info import (
    format_value,
    gaussian_cross_entropy,
    gaussian_entropy,
    gaussian_grid,
    gaussian_kl,
    gaussian_kl_integrand,
    gaussian_kl_numeric,
    gaussian_pdf,
    unit_name,
)
from explorer.ui.distributions.gaussian_plots import GaussianDensitiesPlot, GaussianIntegrandPlot
from explorer.ui.theme import theme
from explorer.ui.widgets.card import Card, colored_label, set_text_color
from explorer.ui.widgets.readout import Readout
from explorer.ui.widgets.spin_box import DoubleSpinBox

#: name -> (minimum, maximum, default, what it is)
PARAMETERS = {
    "mu_p": (-5.0, 5.0, 0.0, "Mean μ of P"),
    "sigma_p": (0.1, 5.0, 1.0, "Standard deviation σ of P (must be > 0)"),
    "mu_q": (-5.0, 5.0, 1.0, "Mean μ of Q"),
    "sigma_q": (0.1, 5.0, 1.5, "Standard deviation σ of Q (must be > 0)"),
}
STEPS_PER_UNIT = 100
PLOT_POINTS = 801


class ParameterControl(QWidget):
    """A horizontal slider and a spin box showing the same value (0.01 resolution)."""

    sigValueChanged = Signal(float)

    def __init__(self, name: str, label: str, role: str, parent=None):
        super().__init__(parent)
        low, high, default, meaning = PARAMETERS[name]
        camel = name.replace("_p", "P").replace("_q", "Q")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName(f"{camel}Slider")
        self.slider.setRange(round(low * STEPS_PER_UNIT), round(high * STEPS_PER_UNIT))
        self.slider.setSingleStep(5)
        self.slider.setPageStep(50)
        what = f"{'μ' if name.startswith('mu') else 'σ'} of {name[-1].upper()}"
        self.spin = DoubleSpinBox(what)
        self.spin.setObjectName(f"{camel}Spin")
        self.spin.setRange(low, high)
        self.spin.setDecimals(2)
        self.spin.setSingleStep(0.05)
        self.spin.setKeyboardTracking(False)
        tip = f"{meaning}. Drag, use the arrow keys, or type a value."
        self.slider.setToolTip(tip)
        self.spin.setToolTip(tip)
        name_label = colored_label(label, role, bold=True)
        theme().watch(name_label, lambda: name_label.setMinimumWidth(theme().px(28)))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(name_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.spin.valueChanged.connect(self._on_spin_value_changed)
        self.set_value(default)

    def value(self) -> float:
        return float(self.spin.value())

    def set_value(self, value: float) -> None:
        """Show ``value`` in both controls without emitting."""
        for widget, shown in (
            (self.spin, value),
            (self.slider, round(value * STEPS_PER_UNIT)),
        ):
            with QSignalBlocker(widget):
                widget.setValue(shown)

    def _on_slider_value_changed(self, position: int) -> None:
        value = position / STEPS_PER_UNIT
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self.sigValueChanged.emit(value)

    def _on_spin_value_changed(self, value: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(value * STEPS_PER_UNIT))
        self.sigValueChanged.emit(float(value))


class GaussianPanel(QWidget):
    """Controls, read-outs and plots of KL between two Gaussians."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("gaussianPanel")
        self.base = 2.0
        self.controls: dict[str, ParameterControl] = {}
        side = Card()
        side.setObjectName("gaussianControls")
        theme().watch(side, lambda: side.setFixedWidth(theme().px(330)))
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 10, 12, 10)
        for title, color, names in (
            ("P = N(μ_P, σ_P²), the true distribution", "p", ("mu_p", "sigma_p")),
            ("Q = N(μ_Q, σ_Q²), the model", "q", ("mu_q", "sigma_q")),
        ):
            side_layout.addWidget(QLabel(f"<b>{title}</b>"))
            for name in names:
                control = ParameterControl(name, "μ" if name.startswith("mu") else "σ", color)
                control.sigValueChanged.connect(self._on_parameter_value_changed)
                side_layout.addWidget(control)
                self.controls[name] = control
            side_layout.addSpacing(6)
        side_layout.addWidget(QLabel("<b>KL divergence</b>"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel("<i>closed form</i>"), 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(QLabel("<i>∫ numeric</i>"), 0, 2, Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, Readout] = {}
        rows = (
            ("KL(P‖Q)", "gaussianKlPQValue", "gaussianKlPQNumericValue"),
            ("KL(Q‖P)", "gaussianKlQPValue", "gaussianKlQPNumericValue"),
        )
        for row, (symbol, closed_name, numeric_name) in enumerate(rows, start=1):
            label = colored_label(symbol, "kl", bold=True)
            grid.addWidget(label, row, 0)
            for column, name, tip in (
                (1, closed_name, "ln(σ_Q/σ_P) + (σ_P² + (μ_P−μ_Q)²)/(2σ_Q²) − ½, exact"),
                (2, numeric_name, "∫ p(x) log(p(x)/q(x)) dx by the trapezoid rule"),
            ):
                value = Readout(symbol if column == 1 else f"{symbol} (∫ numeric)")
                value.setObjectName(name)
                value.setToolTip(f"{symbol}: {tip}")
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(value, row, column)
                self.values[name] = value
        side_layout.addLayout(grid)
        formula = QLabel(
            "KL(P‖Q) = ∫ p(x) log(p(x)/q(x)) dx<br>"
            "= ln(σ_Q/σ_P) + (σ_P² + (μ_P−μ_Q)²)/(2σ_Q²) − ½<br>"
            "in nats; divide by ln 2 for bits. The numeric column integrates the red "
            "curve on the right."
        )
        formula.setWordWrap(True)
        set_text_color(formula, "muted")
        side_layout.addWidget(formula)
        side_layout.addSpacing(8)
        side_layout.addWidget(QLabel("<b>Entropies (differential)</b>"))
        entropies = QGridLayout()
        entropies.setHorizontalSpacing(10)
        for row, (symbol, name, color, tip) in enumerate(
            (
                ("h(P)", "gaussianEntropyPValue", "p", "½ log(2πe σ_P²); negative for small σ"),
                ("h(Q)", "gaussianEntropyQValue", "q", "½ log(2πe σ_Q²)"),
                (
                    "H(P,Q)",
                    "gaussianCrossEntropyValue",
                    "cross",
                    "−∫ p log q = h(P) + KL(P‖Q): the identity of the discrete page, continuous",
                ),
            )
        ):
            entropies.addWidget(colored_label(symbol, color, bold=True), row, 0)
            value = Readout(symbol)
            value.setObjectName(name)
            value.setToolTip(f"{symbol} = {tip}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            entropies.addWidget(value, row, 1)
            self.values[name] = value
        side_layout.addLayout(entropies)
        side_layout.addStretch(1)

        self.densities = GaussianDensitiesPlot()
        self.integrand = GaussianIntegrandPlot()
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(theme().palette.background)
        self.graphics.setToolTip(
            "Top: the densities of P and Q. Bottom: the integrand p log(p/q); the area under "
            "the red curve (above the axis minus below it) is KL(P‖Q)."
        )
        self.graphics.addItem(self.densities.plot, row=0, col=0)
        self.graphics.addItem(self.integrand.plot, row=1, col=0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(side)
        layout.addWidget(self.graphics, 1)
        self.refresh()

    # -- state ---------------------------------------------------------------------------
    def parameters(self) -> dict[str, float]:
        return {name: control.value() for name, control in self.controls.items()}

    def set_parameters(self, values: dict[str, float]) -> None:
        """Set some of mu_p, sigma_p, mu_q, sigma_q; ValueError naming a bad one."""
        for name, value in values.items():
            if name not in PARAMETERS:
                raise ValueError(
                    f"unknown Gaussian parameter {name!r}; expected {list(PARAMETERS)}"
                )
            low, high, _, _ = PARAMETERS[name]
            if not isinstance(value, (int, float)) or not (low <= value <= high):
                raise ValueError(f"{name} must be a number from {low:g} to {high:g}; got {value!r}")
        for name, value in values.items():
            self.controls[name].set_value(float(value))
        self.refresh()

    def set_base(self, base: float) -> None:
        self.base = base
        self.refresh()

    # -- updates ---------------------------------------------------------------------------
    def _on_parameter_value_changed(self, _value: float) -> None:
        self.refresh()

    def refresh(self) -> None:
        mu_p, sigma_p, mu_q, sigma_q = (self.parameters()[n] for n in PARAMETERS)
        base = self.base
        x = gaussian_grid(mu_p, sigma_p, mu_q, sigma_q, num=PLOT_POINTS, half_width=4.0)
        self.densities.update(x, gaussian_pdf(x, mu_p, sigma_p), gaussian_pdf(x, mu_q, sigma_q))
        self.integrand.update(
            x,
            gaussian_kl_integrand(x, mu_p, sigma_p, mu_q, sigma_q, base),
            gaussian_kl_integrand(x, mu_q, sigma_q, mu_p, sigma_p, base),
            unit_name(base),
        )
        numbers = {
            "gaussianKlPQValue": gaussian_kl(mu_p, sigma_p, mu_q, sigma_q, base),
            "gaussianKlPQNumericValue": gaussian_kl_numeric(mu_p, sigma_p, mu_q, sigma_q, base),
            "gaussianKlQPValue": gaussian_kl(mu_q, sigma_q, mu_p, sigma_p, base),
            "gaussianKlQPNumericValue": gaussian_kl_numeric(mu_q, sigma_q, mu_p, sigma_p, base),
            "gaussianEntropyPValue": gaussian_entropy(sigma_p, base),
            "gaussianEntropyQValue": gaussian_entropy(sigma_q, base),
            "gaussianCrossEntropyValue": gaussian_cross_entropy(mu_p, sigma_p, mu_q, sigma_q, base),
        }
        for name, value in numbers.items():
            self.values[name].show_value(value, format_value(value, base))

    def export_items(self) -> dict[str, pg.PlotItem]:
        return {
            "gaussian-densities": self.densities.plot,
            "gaussian-integrand": self.integrand.plot,
        }
