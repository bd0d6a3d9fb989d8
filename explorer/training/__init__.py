"""The training loop shared by the Training tab, the CLI and the tests (numpy only, no Qt).

- :class:`TrainingConfig`: loss, optimizer, lr, momentum, weight_decay, batch_size, epochs,
  seed, shuffle, val_fraction (``validate()``, ``to_dict``/``from_dict``).
- :class:`RunSpec` and :data:`DEFAULT_RUN` / :data:`DIGITS_RUN`: dataset + MLP + config.
- :func:`setup_run` builds ``(dataset, train, val, standardizer, model_config, model,
  trainer)`` from a spec, pricing the model against the parameter budget first;
  :func:`load_dataset`, :func:`prepare_data`, :func:`build_model` are its parts.
- :class:`~explorer.training.run_setup.RunSetup`: a run as a training process is given it.
- :class:`Trainer`: ``step()``, ``run_epoch()``, ``run(callback, should_stop)``,
  ``iter_steps()``, ``reset()``, ``extend()``; ``done``, ``diverged``, ``history``,
  ``progress``, ``total_steps``. Evaluation is :mod:`explorer.model.evaluate`'s.
- :class:`History` (``history.csv`` columns in :data:`HISTORY_COLUMNS`), :class:`EpochRecord`.
- :func:`save_weights` / :func:`load_weights` (.npz keyed like ``state_dict``).
- :func:`ema_debiased`: TensorBoard's smoothing for loss curves.
"""

from explorer.training.config import (
    DEFAULT_RUN,
    DIGITS_RUN,
    OPTIMIZERS,
    TRAINING_LOSSES,
    RunSpec,
    TrainingConfig,
)
from explorer.training.history import HISTORY_COLUMNS, STEP_COLUMNS, EpochRecord, History
from explorer.training.optimizer import make_optimizer
from explorer.training.run import (
    DATASET_NAMES,
    PreparedRun,
    build_model,
    default_run_for,
    load_dataset,
    prepare_data,
    setup_run,
)
from explorer.training.smoothing import ema_debiased
from explorer.training.trainer import StepResult, Trainer
from explorer.training.weights import WeightsMismatch, load_weights, save_weights

__all__ = [
    "DATASET_NAMES",
    "DEFAULT_RUN",
    "DIGITS_RUN",
    "HISTORY_COLUMNS",
    "OPTIMIZERS",
    "STEP_COLUMNS",
    "TRAINING_LOSSES",
    "EpochRecord",
    "History",
    "PreparedRun",
    "RunSpec",
    "StepResult",
    "Trainer",
    "TrainingConfig",
    "WeightsMismatch",
    "build_model",
    "default_run_for",
    "ema_debiased",
    "load_dataset",
    "load_weights",
    "make_optimizer",
    "prepare_data",
    "save_weights",
    "setup_run",
]
