"""The form that configures the MLP, with inline validation and a live parameter price."""

from __future__ import annotations

import html

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
)

from explorer.engine import nn
from explorer.model.budget import (
    DEFAULT_PARAMETER_BUDGET,
    MAX_PARAMETER_BUDGET,
    MIN_PARAMETER_BUDGET,
    ParameterBudget,
)
from explorer.model.config import (
    DTYPES,
    MAX_FEATURES,
    MAX_HIDDEN_LAYERS,
    MAX_SEED,
    MLPConfig,
    format_hidden_sizes,
    parse_hidden_sizes,
)
from explorer.ui.theme import theme
from explorer.ui.widgets.card import set_text_color
from explorer.ui.widgets.signals import signals_blocked
from explorer.ui.widgets.spin_box import SpinBox


def _bad_field_style() -> str:
    palette = theme().palette
    color = theme().hex(palette.text_color(palette.error, palette.panel))
    return f"QLineEdit {{ border: 1px solid {color}; }}"


def _spin(name: str, what: str, low: int, high: int, tip: str) -> SpinBox:
    spin = SpinBox(what)
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setGroupSeparatorShown(True)
    spin.setToolTip(tip)
    spin.setKeyboardTracking(True)
    return spin


def _combo(name: str, items, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItems(list(items))
    combo.setToolTip(tip)
    return combo


class ModelConfigForm(QGroupBox):
    """Inputs for ``nn.MLP(...)``; :meth:`config` returns the :class:`MLPConfig` or raises."""

    sigBuildRequested = Signal()
    sigBudgetChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__("nn.MLP configuration", parent)
        self.budget = DEFAULT_PARAMETER_BUDGET
        self.built_config: MLPConfig | None = None
        self.input_features = _spin(
            "inputFeatures",
            "input_features",
            1,
            MAX_FEATURES,
            "input_features: the width of each sample (784 = 28×28)",
        )
        self.hidden_sizes = QLineEdit()
        self.hidden_sizes.setObjectName("hiddenSizes")
        self.hidden_sizes.setPlaceholderText("empty = no hidden layer")
        self.hidden_sizes.setToolTip(
            "hidden_sizes: widths of the hidden layers, e.g. '256' or '256, 128, 64' or "
            f"'256 128 64' (0 to {MAX_HIDDEN_LAYERS} layers; empty means a single Linear)"
        )
        self.output_features = _spin(
            "outputFeatures",
            "output_features",
            1,
            MAX_FEATURES,
            "output_features: one logit per class",
        )
        self.activation = _combo(
            "activation", nn.MLP.ACTIVATIONS, "activation applied after every hidden Linear"
        )
        self.init_weight = _combo(
            "initWeight", nn.MLP.INIT_WEIGHTS, "init_weight: how every Linear's weight is filled"
        )
        self.init_bias = _combo(
            "initBias", nn.MLP.INIT_BIASES, "init_bias: how every Linear's bias is filled"
        )
        self.dtype = _combo("dtype", DTYPES, "dtype of every parameter")
        self.seed = _spin(
            "seed", "seed", 0, MAX_SEED, "explorer.engine.manual_seed(seed) before building"
        )
        self.budget_spin = _spin(
            "parameterBudget",
            "budget",
            MIN_PARAMETER_BUDGET,
            MAX_PARAMETER_BUDGET,
            "The largest model (in parameters) that may be built; a larger configuration is "
            "refused before anything is allocated. Saved in the settings.",
        )
        self.budget_spin.setValue(self.budget)
        self.budget_spin.setSingleStep(1_000_000)
        self.build_button = QPushButton("Build model")
        self.build_button.setObjectName("buildModel")
        self.build_button.setToolTip(
            "Build a new nn.MLP with these settings (Ctrl+B); the Training tab trains it"
        )
        self.build_button.setShortcut("Ctrl+B")
        self.build_button.setDefault(True)
        self.message = QLabel(" ")
        self.message.setObjectName("configMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setToolTip("The layer sizes and parameter count, or what is wrong")
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        theme().watch(self.message, self._fit_message_height)

        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        rows = [
            [
                ("Input features", self.input_features),
                ("Hidden sizes", self.hidden_sizes),
                ("Output features", self.output_features),
            ],
            [
                ("Activation", self.activation),
                ("init_weight", self.init_weight),
                ("init_bias", self.init_bias),
            ],
            [("Seed", self.seed), ("dtype", self.dtype), ("Budget", self.budget_spin)],
        ]
        for r, row in enumerate(rows):
            for c, (text, widget) in enumerate(row):
                label = QLabel(text)
                label.setBuddy(widget)
                grid.addWidget(label, r, 2 * c)
                grid.addWidget(widget, r, 2 * c + 1)
        grid.addWidget(self.message, 3, 0, 1, 5)
        grid.addWidget(self.build_button, 3, 5)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

        self.set_config(MLPConfig())
        for spin in (self.input_features, self.output_features, self.seed):
            spin.valueChanged.connect(self._on_field_edited)
        self.hidden_sizes.textChanged.connect(self._on_field_edited)
        self.hidden_sizes.returnPressed.connect(self.sigBuildRequested)
        for combo in (self.activation, self.init_weight, self.init_bias, self.dtype):
            combo.currentIndexChanged.connect(self._on_field_edited)
        self.build_button.clicked.connect(self.sigBuildRequested)
        self.budget_spin.valueChanged.connect(self._on_budget_spin_changed)
        self._on_field_edited()

    def set_budget(self, budget: int) -> None:
        """Use ``budget`` (parameters) without announcing it (it came from the settings)."""
        self.budget = int(budget)
        with QSignalBlocker(self.budget_spin):
            self.budget_spin.setValue(self.budget)
        self._on_field_edited()

    def _on_budget_spin_changed(self, value: int) -> None:
        self.budget = value
        self._on_field_edited()
        self.sigBudgetChanged.emit(value)

    def set_config(self, config: MLPConfig) -> None:
        """Show ``config`` in the fields (signals blocked: no validation ping-pong)."""
        widgets = (
            self.input_features,
            self.output_features,
            self.seed,
            self.hidden_sizes,
            self.activation,
            self.init_weight,
            self.init_bias,
            self.dtype,
        )
        with signals_blocked(*widgets):
            self.input_features.setValue(config.input_features)
            self.hidden_sizes.setText(format_hidden_sizes(config.hidden_sizes))
            self.output_features.setValue(config.output_features)
            self.activation.setCurrentText(config.activation)
            self.init_weight.setCurrentText(config.init_weight)
            self.init_bias.setCurrentText(config.init_bias)
            self.dtype.setCurrentText(config.dtype)
            self.seed.setValue(config.seed)
        self._on_field_edited()

    def config(self) -> MLPConfig:
        """The configuration in the fields; ValueError (quoting the bad entry) if invalid."""
        return MLPConfig(
            input_features=self.input_features.value(),
            hidden_sizes=parse_hidden_sizes(self.hidden_sizes.text()),
            output_features=self.output_features.value(),
            activation=self.activation.currentText(),
            init_weight=self.init_weight.currentText(),
            init_bias=self.init_bias.currentText(),
            dtype=self.dtype.currentText(),
            seed=self.seed.value(),
        )

    def set_built_config(self, config: MLPConfig) -> None:
        """Remember what the current model was built from, to flag unapplied edits."""
        self.built_config = config
        self._on_field_edited()

    def show_busy(self, text: str) -> None:
        """Say a build is running (the Build button is disabled); '' ends it."""
        self.build_button.setEnabled(not text)
        if text:
            set_text_color(self.message, "muted")
            self.message.setText(html.escape(text, quote=False))
        else:
            self._on_field_edited()

    def show_error(self, text: str) -> None:
        set_text_color(self.message, "error")
        self.message.setText(html.escape(text, quote=False))

    def _fit_message_height(self) -> None:
        # Room for two lines from the start (at the zoomed size): a longer text wraps without
        # moving what is below.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())

    def _on_field_edited(self, *_args) -> None:
        try:
            config = self.config()
            count = ParameterBudget(self.budget).check(config)
        except ValueError as error:
            self.show_error(str(error))
            self.hidden_sizes.setStyleSheet(_bad_field_style() if "hidden" in str(error) else "")
            return
        self.hidden_sizes.setStyleSheet("")
        set_text_color(self.message, "muted")
        pending = self.built_config is not None and config != self.built_config
        self.message.setText(
            f"{config.describe()}: {len(config.layer_sizes) - 1} Linear layer(s), "
            f"{count:,} parameters ({config.nbytes / 1e6:.2f} MB)"
            + (" · <b>edited: press Build model to apply</b>" if pending else "")
        )
