"""Draw a run: worker results -> the run's record and the plots; progress; overlays.

The tab forwards the controller's signals here. Points are buffered by the plots and
painted by :meth:`RunDisplay.tick`, which the tab's ~30 Hz display timer calls.
"""

from __future__ import annotations

import re
import time

import numpy as np

from explorer.data import DataError, Dataset
from explorer.engine import nn
from explorer.training.job import data_extent, model_view
from explorer.ui.training.data_loading import PreparedData
from explorer.ui.training.numbers import format_value
from explorer.ui.training.paint_meter import PAINT_METER
from explorer.ui.training.progress import SpeedMeter, progress_text
from explorer.ui.training.runs import Run, RunListModel
from explorer.ui.training.view import NO_PICTURE_TEXT, TrainingView

SLOW_VIEW_INTERVAL = 0.25  # seconds between repaints of regions, accuracy, confusion, P/Q
GUI_SHARE = 0.1  # the display's CPU time (ticks and paints) per second of wall time, at most
MAX_REFRESH_INTERVAL = 0.5  # seconds: the plots never lag further behind than this


class RunDisplay:
    """Keeps the current run's record and its plots in step with the worker's reports."""

    def __init__(self, view: TrainingView, runs: RunListModel):
        self.view = view
        self.runs = runs
        self.run: Run | None = None
        self.speed = SpeedMeter()
        self.step = 0
        self.steps_per_epoch = 1
        self.epochs = 1
        self.batch_size = 1
        self.val_labels = np.zeros(0, dtype=np.int64)
        self.class_names: list[str] = []
        self.state = ""
        self._pending: dict = {}
        self._last_slow = 0.0
        self._last_refresh = 0.0
        self._draining = False
        self._loss_waited = False  # a slow view took the last refresh: the loss curve is next
        self._painted_mark = PAINT_METER.total

    # -- a run begins, ends, is shown -----------------------------------------------------
    def begin(
        self,
        run: Run,
        steps_per_epoch: int,
        epochs: int,
        batch_size: int,
        val_labels: np.ndarray,
        class_names: list[str],
    ) -> None:
        self.run = run
        self.speed.reset()
        self.step = 0
        self.steps_per_epoch, self.epochs, self.batch_size = steps_per_epoch, epochs, batch_size
        self.val_labels = np.asarray(val_labels)
        self.class_names = list(class_names)
        self.state = ""
        self._pending = {}
        self.show(run)
        self.clear_outputs()
        self._update_progress()  # never "Ready" while a run is going

    def resumed(self) -> None:
        """The run steps again (Resume, Step): the bar and the runs list stop saying
        "paused", and the time left comes back."""
        run = self.run
        self.state = ""
        if run is not None and run.status == "paused":
            run.status = "running"
            self.runs.touch(run.run_id)
        self._update_progress()

    def show_data(self, train: Dataset, val: Dataset, raw_val: np.ndarray, data: Dataset) -> None:
        """Show the data before any training: points in the plane, or validation images."""
        v = self.view
        if data.is_2d:
            v.picture.setCurrentWidget(v.decision_plot)
            v.decision_plot.set_points(
                train.x, train.y, val.x, val.y, data.num_classes, data.class_names
            )
        elif data.is_image:
            v.picture.setCurrentWidget(v.sample_grid)
            images = raw_val.reshape(-1, *data.feature_shape)  # a view: a page is drawn
            v.sample_grid.set_samples(images, val.y, data.class_names)
            v.sample_grid.select(v.info_link.sample.value())  # the P/Q panel's sample
        else:
            v.no_picture.setText(NO_PICTURE_TEXT)
            v.picture.setCurrentWidget(v.no_picture)
        self.clear_outputs()

    def clear_data(self, note: str) -> None:
        """No data (it is loading, or did not load): ``note`` instead of earlier data's
        points or images, and no outputs."""
        v = self.view
        v.no_picture.setText(note)
        v.picture.setCurrentWidget(v.no_picture)
        self.clear_outputs()

    def clear_outputs(self, note: str | None = None) -> None:
        """Forget the model's outputs (regions, confusion, P/Q); ``note`` says why."""
        v = self.view
        v.decision_plot.clear_regions()
        v.confusion_plot.clear_matrix()
        if note is None:
            v.info_link.clear()
        else:
            v.info_link.clear(note)

    def reset_progress(self) -> None:
        self.view.progress.setValue(0)
        self.view.progress.setFormat("Ready")

    def show_model(self, model: nn.Module, data: PreparedData) -> None:
        """Draw what ``model`` makes of ``data`` outside a run (a restored session, a rebuilt
        or loaded model): decision regions, confusion matrix and the P/Q panel.

        One forward pass over the validation data and a 100×100 grid: milliseconds for the
        MLPs the tab trains, so it runs here rather than in a thread. Outputs that cannot be
        computed, or that overflow, leave the views empty with a note.
        """
        try:
            view = model_view(model, data.val, data_extent(data.train, data.val), final=True)
        except (DataError, ValueError) as error:
            self.clear_outputs(f"No outputs: {error}")
            return
        if not np.all(np.isfinite(view["logits"])):
            self.clear_outputs("The weights overflow (diverged): Reset draws fresh ones")
            return
        self.clear_outputs()
        self.val_labels = np.asarray(data.val.y)
        self.class_names = list(data.dataset.class_names)
        if "regions" in view and np.all(np.isfinite(view["regions"])):
            self.view.decision_plot.set_regions(view["extent"], view["regions"])
        self.on_outputs(view)

    def show(self, run: Run | None) -> None:
        """Draw ``run`` as the current run (None: an empty chart)."""
        self.run = run
        v = self.view
        if run is None:
            v.loss_plot.set_run([], [], [], [])
            v.loss_plot.set_run_name("current run")
            v.accuracy_plot.set_run([], [], [])
            self._color_next_run()
        else:
            v.loss_plot.set_run_color(run.color_index)
            v.accuracy_plot.set_run_color(run.color_index)
            v.loss_plot.set_run(run.steps, run.losses, run.val_steps, run.val_losses)
            v.loss_plot.set_run_name(run.name)
            epochs = np.arange(1, len(run.val_accuracy) + 1)
            v.accuracy_plot.set_run(epochs, run.val_accuracy, run.train_accuracy)
        v.accuracy_plot.set_run_name(run.name if run else "current run")
        self.update_overlays()

    def update_overlays(self) -> None:
        others = [r.curves() for r in self.runs.runs() if r.overlay and r is not self.run]
        self.view.loss_plot.set_overlays(others)
        self.view.accuracy_plot.set_overlays(others)
        if self.run is not None:
            self.view.loss_plot.set_run_name(self.run.name)
            self.view.accuracy_plot.set_run_name(self.run.name)
        else:
            self._color_next_run()

    def _color_next_run(self) -> None:
        # No run is current: the empty "current run" wears the next run's colour, which no
        # listed run has.
        index = self.runs.next_color()
        self.view.loss_plot.set_run_color(index)
        self.view.accuracy_plot.set_run_color(index)

    # -- worker reports -------------------------------------------------------------------
    def on_steps(self, payload: dict) -> None:
        run = self.run
        if run is None:
            return
        run.steps.extend(payload["steps"])
        run.losses.extend(payload["losses"])
        self.view.loss_plot.append_steps(payload["steps"], payload["losses"])
        self.speed.add(payload["samples"], payload["seconds"])
        self.step = payload["steps"][-1]

    def on_epoch(self, payload: dict) -> None:
        run, record = self.run, payload.get("record")
        if run is None or record is None:
            return
        run.val_steps.append(float(record.step))
        run.val_losses.append(record.val_loss)
        run.val_accuracy.append(record.val_accuracy)
        run.train_accuracy.append(record.train_accuracy)
        self.view.loss_plot.append_validation(run.val_steps[-1], run.val_losses[-1])
        self._pending["accuracy"] = True
        if "logits" in payload:
            self._pending["outputs"] = payload
        self._pending["summary"] = True

    def on_view(self, payload: dict) -> None:
        if "regions" in payload:
            self._pending["regions"] = payload
        if "sample_predictions" in payload:
            self._pending["samples"] = payload["sample_predictions"]
        if "logits" in payload:
            self._pending["outputs"] = payload

    def on_outputs(self, payload: dict) -> None:
        """Validation outputs: confusion matrix, sample captions, the P/Q panel."""
        if not np.all(np.isfinite(payload["logits"])):
            return  # overflowing weights on the way to divergence: keep the last good picture
        v = self.view
        v.confusion_plot.set_matrix(payload["confusion"], self.class_names)
        v.sample_grid.set_predictions(payload["predicted"])
        v.info_link.set_outputs(
            payload["logits"], self.val_labels, payload["losses"], self.class_names
        )

    def on_stopped(self, payload: dict) -> str:
        """Record how the run ended; returns the text for the tab's message line."""
        run = self.run
        reason, message = payload["reason"], payload.get("message", "")
        if run is None:
            return ""
        run.status = "paused" if reason == "paused" else reason
        run.message = message
        self.runs.touch(run.run_id)
        self.state = {
            "paused": "paused",
            "done": "done",
            "stopped": "stopped",
            "diverged": "diverged",
            "error": "failed",
        }[reason]
        if reason == "diverged":
            found = re.search(r"at step (\d+)", message)
            if found:  # the bar counts the same step as the message
                self.step = int(found.group(1))
            return f"{run.name} {message}"
        if reason == "error":
            return f"{run.name} failed: {message}"
        if reason == "done" and run.val_accuracy:
            return (
                f"{run.name} finished: validation accuracy "
                f"{100 * run.val_accuracy[-1]:.1f}%, loss {format_value(run.val_losses[-1])}"
            )
        return ""

    # -- painting -------------------------------------------------------------------------
    def tick(self, flush: bool = False) -> None:
        """Paint what changed (called by the ~30 Hz display timer; ``flush`` paints all).

        The progress bar follows every frame. The plots follow as often as keeps the GUI
        thread's display work (these ticks and the plots' paints) under :data:`GUI_SHARE`
        of the wall time (drawing on one CPU slows the training process on the other one
        on this kind of machine: see docs/performance.md), but at least every
        :data:`MAX_REFRESH_INTERVAL`, one plot per frame: the loss curve at least every
        other refresh, the slower views (regions, accuracy, confusion, P/Q) in between at
        most every :data:`SLOW_VIEW_INTERVAL` seconds.
        """
        cpu = time.thread_time()
        try:
            self._update_progress()
            now = time.perf_counter()
            painted = PAINT_METER.total - self._painted_mark
            wait = min(MAX_REFRESH_INTERVAL, painted / GUI_SHARE)
            if flush or now - self._last_refresh >= wait:
                self._refresh(flush, now)
        finally:
            PAINT_METER.add(time.thread_time() - cpu)

    def _refresh(self, flush: bool, now: float) -> None:
        self._painted_mark = PAINT_METER.total
        self._last_refresh = now
        loss = self.view.loss_plot
        if flush:
            loss.refresh()
            if self.run is not None:
                self._pending.setdefault("accuracy", True)  # fitted exactly, not followed
            self._paint_pending(everything=True)
            return
        slow_due = bool(self._pending) and (
            self._draining or now - self._last_slow >= SLOW_VIEW_INTERVAL
        )
        if slow_due and not (loss.dirty and self._loss_waited):
            self._paint_pending(everything=False)
            self._draining = bool(self._pending)
            self._last_slow = now
            self._loss_waited = True
        else:
            loss.refresh(live=True)
            self._loss_waited = False

    def _update_progress(self) -> None:
        if self.run is None:
            return
        total = self.steps_per_epoch * self.epochs
        epoch = min(self.epochs, self.step // self.steps_per_epoch + 1)
        if self.run.status == "done":
            epoch = self.epochs
        text = progress_text(
            epoch, self.epochs, self.step, total, self.speed.rate, self.batch_size, self.state
        )
        bar = self.view.progress
        if text != bar.format():
            # QProgressBar repaints itself at once on a new value; with updates off it
            # only schedules a paint, which joins the frame's other paints.
            bar.setUpdatesEnabled(False)
            bar.setValue(int(1000 * min(1.0, self.step / max(1, total))))
            bar.setFormat(text)
            bar.setUpdatesEnabled(True)

    def _paint_pending(self, everything: bool) -> None:
        """Apply pending view updates: all of them, or only the one waiting longest (one
        repaint a frame, so no single frame stalls the event loop with every plot at once).

        ``_pending`` keeps the order views first became due (a newer result replaces an
        older one in place), so views that change every epoch cannot starve the others.
        """
        v, run = self.view, self.run
        for key in list(self._pending):
            value = self._pending.pop(key)
            if key == "accuracy" and run is not None:
                epochs = np.arange(1, len(run.val_accuracy) + 1)
                v.accuracy_plot.set_run(
                    epochs, run.val_accuracy, run.train_accuracy, live=not everything
                )
            elif key == "regions" and np.all(np.isfinite(value["regions"])):
                v.decision_plot.set_regions(value["extent"], value["regions"])
            elif key == "samples":
                v.sample_grid.set_predictions(value)
            elif key == "outputs":
                self.on_outputs(value)
            elif key == "summary":
                if run is not None:
                    self.runs.touch(run.run_id)
                continue  # a line of text in the runs list: not worth a frame of its own
            if not everything:
                return
