"""What the Gradient tab's GUI tests share: documents holding a small trained run, a tab."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from explorer.lossbench.document import LossCallDocument
from explorer.model.document import ModelDocument
from explorer.training import DEFAULT_RUN, setup_run
from explorer.training.document import TrainingDocument
from explorer.training.trajectory import weight_vector
from explorer.ui.gradient.tab import GradientTab

WAIT_MS = 30_000


def small_run(hidden=(8,), epochs=4, samples=150):
    spec = replace(DEFAULT_RUN, model=replace(DEFAULT_RUN.model, hidden_sizes=hidden))
    spec = spec.with_training(epochs=epochs)
    spec.dataset_params = {"n_samples": samples, "seed": 1}
    return setup_run(spec)


def documents(run=None, record_path=True):
    """A model, training and loss call document holding ``run`` (trained, with its path)."""
    run = run or small_run()
    model = ModelDocument(run.model_config)
    model.install(run.model_config, run.model)
    training = TrainingDocument(run.spec.training)
    training.set_data(run.train, run.val, run.dataset.name)
    if record_path:
        training.trajectory.begin(weight_vector(run.model))

        def on_step(result):
            if result.epoch_finished is not None:
                training.trajectory.record(result.epoch_finished.epoch, weight_vector(run.model))

        run.trainer.run(callback=on_step)
    return model, training, LossCallDocument()


def make_tab(qtbot, run=None, record_path=True) -> GradientTab:
    tab = GradientTab(*documents(run, record_path))
    qtbot.addWidget(tab, before_close_func=lambda widget: widget.shutdown())
    return tab


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
