"""The loss picker and the options of the chosen loss (only the ones it has are shown)."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from explorer.lossbench.spec import (
    LOSSES,
    LossOptions,
    effective_reduction,
    replace_options,
    uses_legacy,
)
from explorer.ui.theme import theme
from explorer.ui.widgets.card import set_text_color
from explorer.ui.widgets.signals import signals_blocked
from explorer.ui.widgets.spin_box import DoubleSpinBox, SpinBox

_TOOLTIP = Qt.ItemDataRole.ToolTipRole
LEGACY_CHOICES = (("None (not given)", None), ("True", True), ("False", False))
REDUCTION_TIPS = {
    "none": "'none': no reduction, one loss per element (or per sample)",
    "mean": "'mean': the sum of the output divided by the number of elements "
    "(weighted mean for class weights)",
    "sum": "'sum': the output summed",
    "batchmean": "'batchmean': the sum divided by the batch size N: the true KL divergence",
}


def parse_vector(name: str, text: str) -> tuple[float, ...] | None:
    """``"1, 2, 0.5"`` as numbers; empty means None; ValueError quotes the text otherwise."""
    stripped = text.strip().strip("[]()")
    if not stripped:
        return None
    parts = [p for p in stripped.replace(";", ",").replace(",", " ").split() if p]
    try:
        return replace_options(LossOptions(), weight=[float(p) for p in parts]).weight
    except ValueError:
        raise ValueError(f"{name} is not a list of finite numbers: {text!r}") from None


def _combo(object_name: str) -> QComboBox:
    combo = QComboBox(objectName=object_name)
    # shrink with the panel instead of forcing it as wide as the longest item
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def _spin(object_name, what, tip, minimum, maximum, step, decimals=None) -> QWidget:
    spin = DoubleSpinBox(what) if decimals is not None else SpinBox(what)
    if decimals is not None:
        spin.setDecimals(decimals)
    spin.setRange(minimum, maximum)
    spin.setSingleStep(step)
    spin.setObjectName(object_name)
    spin.setToolTip(tip)
    return spin


class LossOptionsPanel(QWidget):
    """Loss picker plus a form of options; emits ``sigOptionsChanged`` on every change.

    :meth:`read` gives the kind and :class:`LossOptions`, or an error message when a text
    field (weights) holds something that is not a list of numbers.
    """

    sigOptionsChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._options = LossOptions()
        self._text_errors: dict[str, str] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = form

        self.kind = _combo("lossKind")
        for spec in LOSSES.values():
            self.kind.addItem(f"nn.{spec.class_name}", spec.kind)
            self.kind.setItemData(self.kind.count() - 1, spec.about, _TOOLTIP)
        self.kind.setToolTip("The loss: a torch.nn loss module, built by the engine")
        form.addRow("Loss", self.kind)

        self.formula = QLabel(objectName="lossFormula")
        self.formula.setToolTip("The per-element loss before the reduction")
        self.formula.setWordWrap(True)
        self.about = QLabel(objectName="lossAbout")
        self.about.setWordWrap(True)
        set_text_color(self.about, "muted")
        form.addRow(self.formula)
        form.addRow(self.about)

        self.reduction = _combo("reduction")
        self.reduction.setToolTip("reduction: how the per-element losses become the output")
        self.size_average = self._legacy_combo("sizeAverage", "size_average")
        self.reduce = self._legacy_combo("reduce", "reduce")
        self.effective = QLabel(objectName="effectiveReduction")
        self.effective.setWordWrap(True)
        self.effective.setToolTip(
            "_Loss.__init__: when size_average or reduce is given, "
            "_reduction.legacy_get_string(size_average, reduce) replaces reduction"
        )
        self.log_target = QCheckBox("log_target", objectName="logTarget")
        self.log_target.setToolTip(
            "log_target=True: the target holds log-probabilities (the table is converted)"
        )
        self.log_softmax = QCheckBox("apply log_softmax to input (dim=1)")
        self.log_softmax.setObjectName("applyLogSoftmax")
        self.log_softmax.setToolTip(
            "PyTorch expects log-probabilities as input: feed F.log_softmax(input, dim=1). "
            "Off: the input table is used as is and must hold log-probabilities."
        )
        self.probability_target = QCheckBox("class probabilities as target")
        self.probability_target.setObjectName("probabilityTarget")
        self.probability_target.setToolTip(
            "CrossEntropyLoss also takes a target of class probabilities, shaped like the input"
        )
        self.label_smoothing = _spin(
            "labelSmoothing",
            "label_smoothing",
            "label_smoothing: mixes the target with uniform",
            0,
            1,
            0.05,
            3,
        )
        self.ignore_index = _spin(
            "ignoreIndex",
            "ignore_index",
            "ignore_index: samples whose target is this class are skipped "
            "(and not counted by 'mean')",
            -1000,
            1000,
            1,
        )
        self.weight = QLineEdit(objectName="classWeights")
        self.weight.setPlaceholderText("None, or 1, 2, 0.5, …")
        self.weight.setToolTip(
            "weight: one rescaling weight per class, comma separated; empty: None"
        )
        self.pos_weight = QLineEdit(objectName="posWeight")
        self.pos_weight.setPlaceholderText("None, or 3, 1, 1, …")
        self.pos_weight.setToolTip(
            "pos_weight: weight of the positive examples, one per class; empty: None"
        )
        self.delta = _spin(
            "delta",
            "delta",
            "delta > 0: where HuberLoss turns from squared to linear (torch rejects 0)",
            0.001,
            10,
            0.1,
            3,
        )
        self.beta = _spin(
            "beta",
            "beta",
            "beta >= 0: where SmoothL1Loss turns from squared to linear",
            0,
            10,
            0.1,
            3,
        )

        self._rows = {
            "reduction": self.reduction,
            "size_average": self.size_average,
            "reduce": self.reduce,
            "effective": self.effective,
            "log_target": self.log_target,
            "log_softmax_input": self.log_softmax,
            "probability_target": self.probability_target,
            "label_smoothing": self.label_smoothing,
            "ignore_index": self.ignore_index,
            "weight": self.weight,
            "pos_weight": self.pos_weight,
            "delta": self.delta,
            "beta": self.beta,
        }
        labels = {
            "effective": "",
            "log_target": "",
            "log_softmax_input": "",
            "probability_target": "",
        }
        for name, widget in self._rows.items():
            label = labels.get(name, name)
            if label:
                form.addRow(label, widget)
            else:
                form.addRow(widget)
        self._fit_placeholders()

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.reduction.currentIndexChanged.connect(self._on_control_changed)
        self.size_average.currentIndexChanged.connect(self._on_control_changed)
        self.reduce.currentIndexChanged.connect(self._on_control_changed)
        for box in (self.log_target, self.log_softmax, self.probability_target):
            box.toggled.connect(self._on_control_changed)
        for spin in (self.label_smoothing, self.ignore_index, self.delta, self.beta):
            spin.valueChanged.connect(self._on_control_changed)
        self.weight.editingFinished.connect(self._on_control_changed)
        self.pos_weight.editingFinished.connect(self._on_control_changed)
        self.set_state("L1", LossOptions())
        theme().sigChanged.connect(self._on_theme_changed)

    def field_labels(self) -> list[QLabel]:
        """The labels of the form's rows, shown or not."""
        labels = (self.form.labelForField(w) for w in (self.kind, *self._rows.values()))
        return [label for label in labels if isinstance(label, QLabel)]

    def _legacy_combo(self, object_name: str, name: str) -> QComboBox:
        combo = _combo(object_name)
        for text, value in LEGACY_CHOICES:
            combo.addItem(text, value)
        combo.setToolTip(f"{name} (deprecated): when given, it overrides reduction")
        return combo

    # -- reading and writing ----------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def read(self) -> tuple[str, LossOptions, str | None]:
        """The chosen loss, its options and the first text-field error (None if none)."""
        errors = list(self._text_errors.values())
        return self.current_kind(), self._options, errors[0] if errors else None

    def set_state(self, kind: str, options: LossOptions) -> None:
        """Show ``kind`` with ``options`` without emitting a change."""
        if kind not in LOSSES:
            raise ValueError(f"unknown loss {kind!r}; choose one of {', '.join(LOSSES)}")
        spec = LOSSES[kind]
        if options.reduction not in spec.reductions:
            options = replace_options(options, reduction="mean")
        self._options = options
        self._text_errors.clear()
        widgets = [
            self.kind,
            self.reduction,
            self.size_average,
            self.reduce,
            self.log_target,
            self.log_softmax,
            self.probability_target,
            self.label_smoothing,
            self.ignore_index,
            self.delta,
            self.beta,
        ]
        with signals_blocked(*widgets):
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.reduction.clear()
            for reduction in spec.reductions:
                self.reduction.addItem(reduction, reduction)
                self.reduction.setItemData(
                    self.reduction.count() - 1, REDUCTION_TIPS[reduction], _TOOLTIP
                )
            self.reduction.setCurrentIndex(self.reduction.findData(options.reduction))
            self.size_average.setCurrentIndex(self.size_average.findData(options.size_average))
            self.reduce.setCurrentIndex(self.reduce.findData(options.reduce))
            self.log_target.setChecked(options.log_target)
            self.log_softmax.setChecked(options.log_softmax_input)
            self.probability_target.setChecked(options.probability_target)
            self.label_smoothing.setValue(options.label_smoothing)
            self.ignore_index.setValue(options.ignore_index)
            self.delta.setValue(options.delta)
            self.beta.setValue(options.beta)
        self.weight.setText(_vector_text(options.weight))
        self.pos_weight.setText(_vector_text(options.pos_weight))
        self.weight.setStyleSheet("")
        self.pos_weight.setStyleSheet("")
        self._show_rows(kind)

    def widest(self, width: Callable[[], int]) -> int:
        """The largest ``width()`` with each loss shown in turn (its rows and reductions);
        then the loss, options and typed texts shown before, errors included, come back."""
        kind, options, errors = self.current_kind(), self._options, dict(self._text_errors)
        texts = (self.weight.text(), self.pos_weight.text())
        try:
            widths = []
            for shown in LOSSES:
                self.set_state(shown, LossOptions())
                widths.append(width())
            return max(widths)
        finally:
            self.set_state(kind, options)
            self.weight.setText(texts[0])
            self.pos_weight.setText(texts[1])
            self._text_errors.update(errors)
            for name in errors:
                field = self.weight if name == "weight" else self.pos_weight
                field.setStyleSheet(f"background: {_hex('bad_background')};")

    def _show_rows(self, kind: str) -> None:
        spec = LOSSES[kind]
        self.formula.setText(f"<b>{html.escape(spec.formula)}</b>")
        self.about.setText(spec.about)
        for name, widget in self._rows.items():
            visible = name in spec.options or (name == "effective" and spec.has_legacy)
            self.form.setRowVisible(widget, visible)
        legacy = uses_legacy(spec, self._options)
        self.reduction.setEnabled(not legacy)
        if legacy:
            reduction = effective_reduction(self._options, spec)
            self.effective.setText(
                f"<span style='color:{_hex('warning')}'>size_average/reduce override "
                f"reduction → reduction='{reduction}'</span>"
            )
        else:
            self.effective.setText(
                f"<span style='color:{_hex('muted')}'>size_average/reduce not given: "
                "reduction is used</span>"
            )

    # -- slots ------------------------------------------------------------------------------
    def _fit_placeholders(self) -> None:
        for field in (self.weight, self.pos_weight):
            # The hint is never cut: the field is at least as wide as its (zoomed) placeholder.
            margins = field.textMargins()
            field.setMinimumWidth(
                field.fontMetrics().horizontalAdvance(field.placeholderText())
                + margins.left()
                + margins.right()
                + 12
            )

    def _on_theme_changed(self) -> None:
        self._fit_placeholders()
        self._show_rows(self.current_kind())
        for name in self._text_errors:
            field = self.weight if name == "weight" else self.pos_weight
            field.setStyleSheet(f"background: {_hex('bad_background')};")

    def _on_kind_changed(self, index: int) -> None:
        del index
        self.set_state(self.current_kind(), self._options)
        self.sigOptionsChanged.emit()

    def _on_control_changed(self, *args) -> None:
        del args
        changes = {
            "size_average": self.size_average.currentData(),
            "reduce": self.reduce.currentData(),
            "log_target": self.log_target.isChecked(),
            "log_softmax_input": self.log_softmax.isChecked(),
            "probability_target": self.probability_target.isChecked(),
            "label_smoothing": self.label_smoothing.value(),
            "ignore_index": self.ignore_index.value(),
            "delta": self.delta.value(),
            "beta": self.beta.value(),
        }
        if self.reduction.currentData() is not None:
            changes["reduction"] = self.reduction.currentData()
        for name, field in (("weight", self.weight), ("pos_weight", self.pos_weight)):
            try:
                changes[name] = parse_vector(name, field.text())
            except ValueError as error:
                self._text_errors[name] = str(error)
                field.setStyleSheet(f"background: {_hex('bad_background')};")
            else:
                self._text_errors.pop(name, None)
                field.setStyleSheet("")
        self._options = replace_options(self._options, **changes)
        self._show_rows(self.current_kind())
        self.sigOptionsChanged.emit()


def _hex(role: str) -> str:
    """'#rrggbb' of the theme's colour ``role``, readable as text on the window."""
    palette = theme().palette
    color = getattr(palette, role)
    if role != "bad_background":
        color = palette.text_color(color, palette.panel)
    return theme().hex(color)


def _vector_text(vector: tuple[float, ...] | None) -> str:
    return "" if vector is None else ", ".join(f"{v:g}" for v in vector)
