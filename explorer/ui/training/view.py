"""The Training tab's widgets and their layout (no behaviour: the tab wires them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.training.pace import DEFAULT_PACE, PACES
from explorer.ui.colors import mix
from explorer.ui.theme import theme
from explorer.ui.training.accuracy_plot import AccuracyPlot
from explorer.ui.training.confusion import ConfusionMatrixPlot
from explorer.ui.training.dataset_panel import DatasetPanel
from explorer.ui.training.decision import DecisionRegionPlot
from explorer.ui.training.info_link import InfoLinkPanel
from explorer.ui.training.plots import LossCurvePlot
from explorer.ui.training.runs import RunListModel
from explorer.ui.training.runs_panel import RunsPanel
from explorer.ui.training.samples import SampleGrid
from explorer.ui.training.settings_panel import SettingsPanel

NO_PICTURE_TEXT = "Decision regions are drawn for 2-D data;\nsample images for image data."

#: The run buttons' keys (besides their Alt mnemonics), while the Training tab has the focus.
#: Space pauses and resumes unless the focused widget takes Space itself (a text field, a
#: check box, a button).
START_KEYS = ("Ctrl+Return", "Ctrl+Enter")
PAUSE_KEY = "Space"
STEP_KEY = "Ctrl+Right"
RESET_KEY = "Ctrl+R"
START_TIP = "Start a new run: fresh weights from the seed, then train"
START_PAUSED_TIP = "A run is paused: Resume continues it, Reset ends it so Start can begin anew"


def key_text(key: str) -> str:
    """``key`` as this platform writes it (Ctrl+R, or ⌘R on macOS)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def with_key(tip: str, key: str) -> str:
    """A tooltip that ends with the key that does the same."""
    return f"{tip} ({key_text(key)})"


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text, objectName=name)
    button.setToolTip(tip)
    return button


def _group(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 4, 6, 6)
    layout.addWidget(content)
    return box


class TrainingView(QWidget):
    """Controls on the left; progress, curves, decision regions and the P/Q link on the right."""

    def __init__(self, runs: RunListModel, parent=None):
        super().__init__(parent)
        self.dataset = DatasetPanel()
        self.settings = SettingsPanel()
        self.start = _button("&Start", "startTraining", with_key(START_TIP, START_KEYS[0]))
        self.pause = _button(
            "&Pause", "pauseTraining", with_key("Pause the run; press again to resume", PAUSE_KEY)
        )
        self.step = _button(
            "S&tep",
            "stepTraining",
            with_key("Train on exactly one batch, then wait (starts a run if needed)", STEP_KEY),
        )
        self.reset = _button(
            "R&eset",
            "resetTraining",
            with_key("Stop the run and draw fresh weights from the seed", RESET_KEY),
        )
        self.save_weights = _button(
            "Save weights…",
            "saveWeights",
            "Save the model's state_dict as .npz (linear1.weight, …)",
        )
        self.load_weights = _button(
            "Load weights…",
            "loadWeights",
            "Load a .npz state_dict into the model (keys and shapes must match)",
        )
        self.pace = QComboBox(objectName="trainingPace")
        for key, (label, _rate) in PACES.items():
            self.pace.addItem(label, key)
        self.pace.setCurrentIndex(self.pace.findData(DEFAULT_PACE))
        self.pace.setToolTip(
            "How fast a run trains. A watchable pace shows the decision regions, the curves "
            "and the confusion matrix change step by step; Full speed trains as fast as the "
            "computer can. A change applies at once, during a run too."
        )
        pace_label = QLabel("Pa&ce")
        pace_label.setBuddy(self.pace)
        self.runs_panel = RunsPanel(runs)

        data_box = _group("Data", self.dataset)
        settings_box = _group("Training", self.settings)
        self._buttons = buttons = QGridLayout()
        buttons.setSpacing(4)
        self._run_buttons = (self.start, self.pause, self.step, self.reset)
        for column, button in enumerate(self._run_buttons):
            buttons.addWidget(button, 0, column)
        buttons.addWidget(pace_label, 1, 0)
        buttons.addWidget(self.pace, 1, 1, 1, 3)
        buttons.addWidget(self.save_weights, 2, 0, 1, 2)
        buttons.addWidget(self.load_weights, 2, 2, 1, 2)
        runs_box = _group("Runs", self.runs_panel)

        controls = QWidget()
        left = QVBoxLayout(controls)
        left.setContentsMargins(0, 0, 4, 0)
        left.addWidget(data_box)
        left.addWidget(settings_box)
        left.addLayout(buttons)
        left.addWidget(runs_box, 1)
        self._controls = controls
        self._scroll = scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for combo in controls.findChildren(QComboBox):
            # Long item texts ("Digits 8×8 (1,797 images)") must not widen the column.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)

        self.progress = QProgressBar(objectName="trainingProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("Ready")
        self.progress.setToolTip("Epoch, step, training speed and the estimated time left")
        self.message = QLabel(objectName="trainingMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Always there, one line tall: a message appearing must not re-layout every plot.
        self.message.setWordWrap(False)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.adapt_banner = QFrame(objectName="adaptBanner")
        banner = QHBoxLayout(self.adapt_banner)
        banner.setContentsMargins(8, 4, 8, 4)
        self.adapt_label = QLabel()
        self.adapt_label.setWordWrap(True)
        self.adapt = _button(
            "Adapt model",
            "adaptModel",
            "Rebuild the Model tab's MLP with this data's input and output sizes "
            "(hidden layers kept)",
        )
        banner.addWidget(self.adapt_label, 1)
        banner.addWidget(self.adapt)
        self.adapt_banner.hide()

        self.loss_plot = LossCurvePlot()
        self.loss_plot.setObjectName("lossPlot")
        self.loss_plot.setToolTip(
            "Training loss per step (faint: raw, bold: smoothed) and "
            "validation loss per epoch (dashed); hover for values"
        )
        self.smoothing = QSlider(Qt.Orientation.Horizontal, objectName="lossSmoothing")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(60)
        self.smoothing.setToolTip("Smoothing of the loss curve (debiased EMA, as TensorBoard)")
        self.smoothing.setMinimumWidth(60)  # a narrow loss plot must not squeeze it away
        self.smoothing_label = QLabel("0.60")
        self.log_y = QCheckBox("log y", objectName="lossLogY")
        self.log_y.setToolTip("Logarithmic loss axis")
        # Offered when the ticked runs' losses differ by orders of magnitude (the tab says).
        self.log_offer = QToolButton(objectName="lossLogOffer")
        self.log_offer.setAutoRaise(True)
        self.log_offer.setToolTip(
            "The ticked runs' losses differ by orders of magnitude: on a linear axis the "
            "smaller ones lie flat at the bottom. Click for a logarithmic axis that shows each."
        )
        self.log_offer.hide()
        loss_tools = QHBoxLayout()
        loss_tools.addWidget(QLabel("Smoothing"))
        loss_tools.addWidget(self.smoothing, 1)
        loss_tools.addWidget(self.smoothing_label)
        loss_tools.addWidget(self.log_offer)
        loss_tools.addWidget(self.log_y)
        loss_box = QWidget()
        loss_layout = QVBoxLayout(loss_box)
        loss_layout.setContentsMargins(0, 0, 0, 0)
        loss_layout.addWidget(self.loss_plot, 1)
        loss_layout.addLayout(loss_tools)

        self.accuracy_plot = AccuracyPlot()
        self.accuracy_plot.setObjectName("accuracyPlot")
        self.accuracy_plot.setToolTip("Accuracy per epoch: validation (solid), training (dashed)")
        self.decision_plot = DecisionRegionPlot()
        self.decision_plot.setObjectName("decisionPlot")
        self.decision_plot.setToolTip(
            "The model's class for every point of the plane, live; "
            "outlined points are validation samples (click one)"
        )
        self.sample_grid = SampleGrid()
        self.sample_grid.setObjectName("sampleGrid")
        self.sample_grid.setToolTip(
            "Validation images with the model's prediction; red when "
            "wrong (true label in brackets); click one"
        )
        self.no_picture = QLabel(NO_PICTURE_TEXT)
        self.no_picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_picture.setWordWrap(True)
        self.picture = QStackedWidget()
        for widget in (self.decision_plot, self.sample_grid, self.no_picture):
            self.picture.addWidget(widget)
        self.confusion_plot = ConfusionMatrixPlot()
        self.confusion_plot.setObjectName("confusionPlot")
        self.confusion_plot.setToolTip(
            "Validation samples by true (rows) and predicted (columns) class, after each epoch"
        )
        self.info_link = InfoLinkPanel()
        self.info_link.setToolTip(
            "A sample's loss is the cross entropy H(P, Q) between its "
            "one-hot label P and the model's softmax output Q"
        )

        # Half the row each: the decision regions, a square plane, need about as much width
        # as the row's height.
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(loss_box)
        top.addWidget(self.picture)
        top.setSizes([500, 500])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.accuracy_plot)
        bottom.addWidget(self.confusion_plot)
        bottom.setSizes([320, 300])
        curves = QSplitter(Qt.Orientation.Vertical)
        curves.addWidget(top)
        curves.addWidget(bottom)
        curves.setSizes([420, 320])
        # The P/Q panel takes the full height beside the plots: its numbers stack under its
        # bars, so three plots side by side never squeeze a laptop screen. It is narrow (three
        # or ten bars need little width) and grows by a quarter of what the window gains.
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(curves)
        plots.addWidget(self.info_link)
        plots.setSizes([960, 280])
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 1)
        for splitter in (top, bottom, curves, plots):
            splitter.setChildrenCollapsible(False)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.adapt_banner)
        right_layout.addWidget(plots, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setSizes([300, 980])
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        """Sizes that follow the zoom, and the banner's colours."""
        current = theme()
        for button in self._run_buttons:
            # Four in a row must not widen the control column.
            button.setMinimumWidth(current.px(56))
        self._buttons.invalidate()  # the cached minimum predates the new widths
        self._controls.layout().invalidate()
        self._scroll.setMinimumWidth(
            self._controls.minimumSizeHint().width()
            + self._scroll.verticalScrollBar().sizeHint().width()
            + 2
        )
        self.message.setFixedHeight(self.message.fontMetrics().height() + 4)
        palette = current.palette
        border = current.hex(mix(palette.note_background, palette.warning, 0.4))
        self.adapt_banner.setStyleSheet(
            f"#adaptBanner {{ background: {current.hex(palette.note_background)}; "
            f"border: 1px solid {border}; border-radius: 4px; }}"
        )

    def plot_state(self) -> dict:
        return {
            "smoothing": self.smoothing.value(),
            "log_y": self.log_y.isChecked(),
            "pace": self.pace.currentData(),
        }

    def restore_plot_state(self, state: dict) -> None:
        smoothing = state.get("smoothing", 60)
        if (
            isinstance(smoothing, bool)
            or not isinstance(smoothing, int)
            or not (0 <= smoothing <= 99)
        ):
            raise ValueError(f"training smoothing must be an integer 0..99; got {smoothing!r}")
        pace = state.get("pace", DEFAULT_PACE)
        if pace not in PACES:
            raise ValueError(f"training pace must be one of {', '.join(PACES)}; got {pace!r}")
        self.smoothing.setValue(smoothing)
        self.log_y.setChecked(bool(state.get("log_y", False)))
        self.pace.setCurrentIndex(self.pace.findData(pace))
