"""Training settings: loss, optimizer and its parameters, batch size, epochs, seed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QWidget,
)

from explorer.training import DEFAULT_RUN, TrainingConfig
from explorer.training.config import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_SEED
from explorer.ui.widgets.spin_box import DoubleSpinBox, SpinBox

LOSS_TITLES = {
    "cross_entropy": ("Cross entropy", "F.cross_entropy(logits, y): the usual choice"),
    "mse": (
        "MSE on one-hot",
        "F.mse_loss(softmax(logits), one_hot(y)): learns slower when "
        "confidently wrong; compare it with cross entropy",
    ),
}
OPTIMIZER_TITLES = {
    "sgd": ("SGD", "optim.SGD(params, lr)"),
    "momentum": ("SGD + momentum", "optim.SGD(params, lr, momentum)"),
    "adam": ("Adam", "optim.Adam(params, lr)"),
}


class SettingsPanel(QWidget):
    """The TrainingConfig controls; ``config()`` reads them, ``sigChanged`` on any edit."""

    sigChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setVerticalSpacing(3)
        form.setContentsMargins(0, 0, 0, 0)
        self.loss = _combo("trainingLoss", LOSS_TITLES, "The loss the optimizer minimizes")
        self.optimizer = _combo("optimizer", OPTIMIZER_TITLES, "How gradients update weights")
        self.learning_rate = DoubleSpinBox("learning rate", objectName="learningRate")
        self.learning_rate.setDecimals(5)
        self.learning_rate.setRange(1e-5, 10.0)
        self.learning_rate.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate.setToolTip(
            "Learning rate (lr): the size of each step; too large and the loss diverges"
        )
        self.momentum = DoubleSpinBox("momentum", objectName="momentum")
        self.momentum.setRange(0.0, 0.999)
        self.momentum.setDecimals(3)
        self.momentum.setSingleStep(0.05)
        self.momentum.setToolTip("Momentum of SGD + momentum (ignored by the others)")
        self.weight_decay = DoubleSpinBox("weight decay", objectName="weightDecay")
        self.weight_decay.setRange(0.0, 1.0)
        self.weight_decay.setDecimals(5)
        self.weight_decay.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.weight_decay.setToolTip("L2 penalty (weight_decay) passed to the optimizer")
        self.batch_size = SpinBox("batch size", objectName="batchSize")
        self.batch_size.setRange(1, MAX_BATCH_SIZE)
        self.batch_size.setToolTip("Samples per optimizer step")
        self.epochs = SpinBox("number of epochs", objectName="epochs")
        self.epochs.setRange(1, MAX_EPOCHS)
        self.epochs.setToolTip("Passes over the training data")
        self.seed = SpinBox("seed", objectName="trainingSeed")
        self.seed.setRange(0, MAX_SEED)
        self.seed.setToolTip(
            "Seeds the split, the initial weights and the batch order: "
            "the same seed gives the same run"
        )
        self.keep_weights = QCheckBox("Continue from current weights", objectName="keepWeights")
        self.keep_weights.setToolTip(
            "Start from the model's weights as they are (e.g. loaded "
            "from a file) instead of fresh ones drawn from the seed"
        )
        form.addRow("Loss", self.loss)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Momentum", self.momentum)
        form.addRow("Weight decay", self.weight_decay)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Epochs", self.epochs)
        form.addRow("Seed", self.seed)
        form.addRow(self.keep_weights)
        self.set_config(DEFAULT_RUN.training)
        for combo in (self.loss, self.optimizer):
            combo.currentIndexChanged.connect(self._on_any_changed)
        for box in (
            self.learning_rate,
            self.momentum,
            self.weight_decay,
            self.batch_size,
            self.epochs,
            self.seed,
        ):
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self._on_any_changed)
        self._update_enabled()

    def config(self, val_fraction: float = 0.2) -> TrainingConfig:
        return TrainingConfig(
            loss=self.loss.currentData(),
            optimizer=self.optimizer.currentData(),
            lr=float(self.learning_rate.value()),
            momentum=float(self.momentum.value()),
            weight_decay=float(self.weight_decay.value()),
            batch_size=int(self.batch_size.value()),
            epochs=int(self.epochs.value()),
            seed=int(self.seed.value()),
            val_fraction=float(val_fraction),
        ).validate()

    def set_config(self, config: TrainingConfig) -> None:
        config.validate()
        self.loss.setCurrentIndex(self.loss.findData(config.loss))
        self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
        self.learning_rate.setValue(config.lr)
        self.momentum.setValue(config.momentum)
        self.weight_decay.setValue(config.weight_decay)
        self.batch_size.setValue(config.batch_size)
        self.epochs.setValue(config.epochs)
        self.seed.setValue(config.seed)

    def state(self) -> dict[str, Any]:
        state = self.config().to_dict()
        state.pop("val_fraction")
        state["keep_weights"] = self.keep_weights.isChecked()
        return state

    def restore_state(self, state: dict[str, Any]) -> None:
        state = dict(state)
        keep = state.pop("keep_weights", False)
        config = TrainingConfig.from_dict(state)  # ValueError names a bad field
        with QSignalBlocker(self):
            self.set_config(config)
            self.keep_weights.setChecked(bool(keep))
        self._on_any_changed()

    def _update_enabled(self) -> None:
        self.momentum.setEnabled(self.optimizer.currentData() == "momentum")

    def _on_any_changed(self, *_args) -> None:
        self._update_enabled()
        self.sigChanged.emit()


def _combo(name: str, titles: dict[str, tuple[str, str]], tip: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    combo.setToolTip(tip)
    for key, (title, item_tip) in titles.items():
        combo.addItem(title, key)
        combo.setItemData(combo.count() - 1, item_tip, 3)  # 3 = Qt.ToolTipRole
    return combo
