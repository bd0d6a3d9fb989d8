"""The loss landscape around the model's weights, and the path the last run took on it.

:func:`explorer.model.landscape.compute_landscape` runs off the GUI thread on a copy of the
model, with the Training tab's data and loss (read from the training document); the
directions are filter-normalized random ones or the top two PCA directions of the run's
recorded path (the training document's trajectory).
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QWidget,
)

from explorer.model.document import ModelDocument
from explorer.model.landscape import (
    MAX_RESOLUTION,
    Landscape,
    compute_landscape,
    fitted_range,
    parameter_arrays,
    pca_directions,
    project,
    random_directions,
)
from explorer.training.document import TrainingDocument
from explorer.ui.gradient.inputs import missing_input, snapshot
from explorer.ui.gradient.job_bar import JobBar
from explorer.ui.gradient.landscape_plots import LandscapePlot, SlicePlot
from explorer.ui.gradient.plot_style import controls_column, lay_out_beside, stacked
from explorer.ui.tab_base import bind
from explorer.ui.widgets.spin_box import DoubleSpinBox, SpinBox

DIRECTION_TITLES = {
    "random": "Random (filter-normalized)",
    "pca": "PCA of the run's path",
}
SPLIT_TITLES = {"train": "Training data", "val": "Validation data"}


class LossLandscapeView(QWidget):
    """objectName ``lossLandscape``: choose directions and a grid, compute, look."""

    def __init__(self, model: ModelDocument, training: TrainingDocument, parent=None):
        super().__init__(parent)
        self.setObjectName("lossLandscape")
        self.model_document = model
        self.training_document = training
        self._landscape: Landscape | None = None
        self._started = 0.0
        self.heatmap = LandscapePlot()
        self.slice_plot = SlicePlot()
        self.directions_box = QComboBox(objectName="landscapeDirections")
        for key, title in DIRECTION_TITLES.items():
            self.directions_box.addItem(title, key)
        self.directions_box.setToolTip(
            "Random: two Gaussian directions, each row of a weight (and each bias) rescaled "
            "to the norm of the same row of the weights (Li et al. 2018). PCA: the two main "
            "axes of the weights the last run went through, with its path drawn"
        )
        self.seed = SpinBox("seed", objectName="landscapeSeed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("Seed of the random directions")
        self.span = DoubleSpinBox("span", objectName="landscapeSpan")
        self.span.setRange(0.01, 100.0)
        self.span.setDecimals(2)
        self.span.setValue(1.0)
        self.span.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.span.setToolTip("α and β run from -span to +span (random directions)")
        self.split = QComboBox(objectName="landscapeSplit")
        for key, title in SPLIT_TITLES.items():
            self.split.addItem(title, key)
        self.split.setToolTip("The loss is the mean over this part of the Training tab's data")
        self.resolution = SpinBox("resolution", objectName="landscapeResolution")
        self.resolution.setRange(3, MAX_RESOLUTION)
        self.resolution.setValue(MAX_RESOLUTION)
        self.resolution.setToolTip("Grid points along each direction")
        self.job = JobBar(
            "Compute",
            "landscape",
            "Evaluate the loss over the plane, off the GUI thread; the model is not changed",
        )
        self.info = QLabel(objectName="landscapeInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._build_layout()
        self.job.run_button.clicked.connect(self.compute)
        self.job.sigDone.connect(self._on_job_done)
        self.directions_box.currentIndexChanged.connect(self._update_enabled)
        bind(self, training.data_changed, self._on_inputs_changed)
        bind(self, model.model_changed, self._on_inputs_changed)
        self._on_inputs_changed()

    def _build_layout(self) -> None:
        about = QLabel(
            "The loss on a plane through the weights θ: L(θ + α·d₁ + β·d₂), as in Li et al., "
            "<i>Visualizing the Loss Landscape of Neural Nets</i> (2018).",
            objectName="landscapeAbout",
        )
        about.setWordWrap(True)
        plane_box = QGroupBox("Plane")
        form = QFormLayout(plane_box)
        form.addRow("Directions", self.directions_box)
        form.addRow("Seed", self.seed)
        form.addRow("Span ±", self.span)
        form.addRow("Loss on", self.split)
        form.addRow("Grid", self.resolution)
        form.addRow(self.job)
        # The explanation last: on a short screen it is what scrolls.
        self.controls = controls_column("landscapeControls", plane_box, self.info, about)
        plots = stacked("landscapePlots", self.heatmap, self.slice_plot)
        lay_out_beside(self, self.controls, plots)

    # -- reading ------------------------------------------------------------------------------
    def landscape(self) -> Landscape | None:
        """The last computed landscape (None before one finished)."""
        return self._landscape

    def directions(self):
        """``(d₁, d₂)``, each a dict of arrays by parameter name, of the last landscape."""
        if self._landscape is None:
            return None
        return self._landscape.directions.first, self._landscape.directions.second

    def grid_rows(self) -> list[tuple[float, float, float]]:
        """``(α, β, loss)`` of every grid point of the last landscape (the CSV's rows)."""
        return [] if self._landscape is None else self._landscape.rows()

    # -- settings -----------------------------------------------------------------------------
    def set_directions(self, kind: str) -> None:
        index = self.directions_box.findData(kind)
        if index < 0:
            raise ValueError(f"directions must be one of {', '.join(DIRECTION_TITLES)}")
        self.directions_box.setCurrentIndex(index)

    def set_split(self, split: str) -> None:
        index = self.split.findData(split)
        if index < 0:
            raise ValueError(f"the loss is on 'train' or 'val'; got {split!r}")
        self.split.setCurrentIndex(index)

    def state(self) -> dict:
        return {
            "directions": self.directions_box.currentData(),
            "seed": self.seed.value(),
            "span": self.span.value(),
            "split": self.split.currentData(),
            "resolution": self.resolution.value(),
        }

    def restore_state(self, state: dict) -> None:
        """Take back :meth:`state`'s dict; ValueError naming a bad entry (nothing changes)."""
        directions = state.get("directions", "random")
        split = state.get("split", "train")
        if directions not in DIRECTION_TITLES:
            raise ValueError(f"directions must be one of {', '.join(DIRECTION_TITLES)}")
        if split not in SPLIT_TITLES:
            raise ValueError(f"the loss is on 'train' or 'val'; got {split!r}")
        boxes = {"seed": self.seed, "span": self.span, "resolution": self.resolution}
        values = {}
        for key, box in boxes.items():
            value = state.get(key, box.value())
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"landscape {key} must be a number; got {value!r}")
            if not box.minimum() <= value <= box.maximum():
                raise ValueError(
                    f"landscape {key} must be from {box.minimum():g} to {box.maximum():g}; "
                    f"got {value!r}"
                )
            values[key] = value
        self.set_directions(directions)
        self.set_split(split)
        for key, value in values.items():
            boxes[key].setValue(value)

    # -- computing ----------------------------------------------------------------------------
    def compute(self) -> bool:
        """Start computing the landscape in the background (False, with the reason shown,
        if it cannot start now)."""
        work = self._work()
        if work is None:
            return False
        self._started = time.perf_counter()
        n = self.resolution.value()
        return self.job.start(work, f"{n} × {n} grid")

    def compute_now(self) -> Landscape | None:
        """Compute the landscape in this thread and show it (the command line's way)."""
        work = self._work()
        if work is None:
            return None
        self._started = time.perf_counter()
        landscape = work(None, None)
        self._on_job_done(landscape)
        return landscape

    def _work(self):
        """The computation the current settings ask for, as ``work(progress, should_stop)``
        on copies of the inputs; None (and the reason shown) if it cannot run now."""
        reason = missing_input(self.model_document, self.training_document) or self._path_problem()
        if reason:
            self.job.say(reason, error=True)
            return None
        model, train, val, config = snapshot(self.model_document, self.training_document)
        split = self.split.currentData()
        data = train if split == "train" else val
        kind = self.directions_box.currentData()
        seed, span, resolution = self.seed.value(), self.span.value(), self.resolution.value()
        points = self.training_document.trajectory.points() if kind == "pca" else None

        def work(progress, should_stop):
            if kind == "pca":
                center = parameter_arrays(model)
                directions = pca_directions(points, center)
                path = project(points, center, directions)
                extent = fitted_range(path)
            else:
                directions, path = random_directions(model, seed), None
                extent = (-span, span, -span, span)
            return compute_landscape(
                model, data, config.loss, directions, resolution, extent,
                split=split, path=path, progress=progress, should_stop=should_stop,
            )  # fmt: skip

        return work

    def _path_problem(self) -> str:
        if self.directions_box.currentData() != "pca":
            return ""
        trajectory = self.training_document.trajectory
        if len(trajectory) < 3:
            return (
                f"PCA directions need the path of a run: at least 3 recorded weights (now "
                f"{len(trajectory)}). Train in the Training tab for a few epochs first."
            )
        parameters = sum(p.size for p in parameter_arrays(self.model_document.model).values())
        if trajectory.points().shape[1] != parameters:
            return "The recorded path belongs to another model: train this one first."
        return ""

    def shutdown(self) -> None:
        self.job.shutdown()

    # -- slots --------------------------------------------------------------------------------
    def _update_enabled(self, *_args) -> None:
        random = self.directions_box.currentData() == "random"
        self.seed.setEnabled(random)
        self.span.setEnabled(random)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._on_inputs_changed()  # the path may have grown meanwhile (it grows every epoch)

    def _on_inputs_changed(self, *_args) -> None:
        self._update_enabled()
        reason = missing_input(self.model_document, self.training_document)
        if reason:
            self.job.say(reason, error=True)
        elif not self.job.is_running() and (self.job.is_error() or self._landscape is None):
            runs = len(self.training_document.trajectory)
            path = f" The last run's path has {runs} recorded weights." if runs else ""
            self.job.say(f"Ready.{path}")  # what the last computation said stays otherwise

    def _on_job_done(self, landscape: Landscape | None) -> None:
        if landscape is None:
            return
        seconds = time.perf_counter() - self._started
        self._landscape = landscape
        self.heatmap.show_landscape(landscape)
        self.slice_plot.show_landscape(landscape)
        self.info.setText(describe(landscape, self.training_document))
        n = len(landscape.alphas)
        self.job.say(f"{n} × {n} grid in {seconds:.2f} s. The model is unchanged.")


def describe(landscape: Landscape, training: TrainingDocument) -> str:
    """What the picture shows, in a few lines of HTML."""
    directions = landscape.directions
    data = training.train if landscape.split == "train" else training.val
    samples = f" ({len(data):,} samples)" if data is not None else ""
    lines = [f"Loss at θ: <b>{landscape.center_loss:.4g}</b>, on the "
             f"{SPLIT_TITLES[landscape.split].lower()}{samples}."]  # fmt: skip
    finite = landscape.losses[np.isfinite(landscape.losses)]
    if finite.size:
        lines.append(f"On the plane: from {finite.min():.4g} to {finite.max():.4g}.")
    if directions.kind == "pca" and directions.explained is not None:
        first, second = directions.explained
        points = 0 if landscape.path is None else len(landscape.path)
        lines.append(
            f"PCA of the run's {points} recorded weights: d₁ explains {100 * first:.1f} % of "
            f"their variance, d₂ {100 * second:.1f} %. The path is drawn on the plane."
        )
    else:
        lines.append(
            f"Random directions (seed {directions.seed}), filter-normalized: α = 1 moves "
            "every unit's weights by their own norm."
        )
    return "<br>".join(lines)
