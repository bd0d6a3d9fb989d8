"""What a training run is: :class:`TrainingConfig` (the loop's settings) and :class:`RunSpec`.

:class:`TrainingConfig` holds only the loop's settings (loss, optimizer, learning rate, batch
size, epochs, seed, ...), never the dataset's. :class:`RunSpec` bundles a dataset name and its
parameters, the MLP's configuration (an :class:`~explorer.model.config.MLPConfig`, adapted to
the data's sizes when the run is set up) and a TrainingConfig: everything needed to reproduce
a run. :data:`DEFAULT_RUN` is the app's (and ``explorer export training``'s) default run.

The loss choice (``"cross_entropy"`` or ``"mse"`` on softmax against one-hot, the lecture
notes' comparison) is :mod:`explorer.model.loss`'s: MSE's gradient vanishes where the model is
confidently wrong, which is why it learns more slowly; the Training tab lets a person see it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from explorer.model.config import MAX_SEED, MLPConfig
from explorer.model.loss import TRAINING_LOSSES
from explorer.quoting import quoted

OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")
MAX_EPOCHS = 100_000
MAX_BATCH_SIZE = 1_000_000


@dataclass
class TrainingConfig:
    """Settings of the training loop (not of the dataset or the model).

    Parameters
    ----------
    loss : {"cross_entropy", "mse"}
        See :mod:`explorer.model.loss` for what ``"mse"`` computes.
    optimizer : {"sgd", "momentum", "adam"}
        ``optim.SGD`` (no momentum), ``optim.SGD(momentum=momentum)``, ``optim.Adam``.
    lr : float
        Learning rate, > 0.
    momentum : float
        Used by ``"momentum"`` only; in [0, 1).
    weight_decay : float
        L2 penalty passed to the optimizer, >= 0.
    batch_size : int
        Samples per step; the last batch of an epoch may be smaller (like ``drop_last=False``).
    epochs : int
        Passes over the training data.
    seed : int
        Seeds the train/validation split, the per-epoch shuffling and the weight
        initialisation (:func:`explorer.training.build_model`, Start in the app).
    shuffle : bool
        Reshuffle the training samples every epoch.
    val_fraction : float
        Share of the dataset held out for validation, in (0, 1).
    """

    loss: str = "cross_entropy"
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9
    weight_decay: float = 0.0
    batch_size: int = 32
    epochs: int = 10
    seed: int = 0
    shuffle: bool = True
    val_fraction: float = 0.2

    def validate(self) -> TrainingConfig:
        """Return ``self`` if every field is valid, else ValueError naming the field and value."""
        _choice("loss", self.loss, TRAINING_LOSSES)
        _choice("optimizer", self.optimizer, OPTIMIZERS)
        _number("lr", self.lr, 0, 10, low_open=True)
        _number("momentum", self.momentum, 0, 1, high_open=True)
        _number("weight_decay", self.weight_decay, 0, 10)
        _integer("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        _integer("epochs", self.epochs, 1, MAX_EPOCHS)
        _integer("seed", self.seed, 0, MAX_SEED)
        if not isinstance(self.shuffle, bool):
            raise ValueError(f"shuffle must be True or False; got {quoted(self.shuffle)}")
        _number("val_fraction", self.val_fraction, 0, 1, low_open=True, high_open=True)
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        return asdict(self)

    @classmethod
    def from_dict(cls, state: Any) -> TrainingConfig:
        """Rebuild and validate; unknown keys or bad values -> ValueError naming them.

        Missing keys take their defaults, so sessions from older versions still load.
        """
        if not isinstance(state, dict):
            raise ValueError(f"training config must be a dict; got {type(state).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(state) - known)
        if unknown:
            raise ValueError(f"unknown training config field {quoted(unknown[0])}")
        return cls(**state).validate()


def _choice(name: str, value: Any, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise ValueError(f"{name} must be one of {', '.join(valid)}; got {quoted(value)}")


def _number(
    name: str,
    value: Any,
    low: float,
    high: float,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (
            value < high if high_open else value <= high
        )
    if not ok:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        raise ValueError(
            f"{name} must be a number in {left}{low}, {high}{right}; got {quoted(value)}"
        )


def _integer(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}; got {quoted(value)}")


@dataclass
class RunSpec:
    """A reproducible run: dataset, MLP configuration and training settings.

    Parameters
    ----------
    dataset : str
        A name from :data:`explorer.training.DATASET_NAMES` (synthetic generators and
        ``"digits"``).
    dataset_params : dict
        Parameters of a synthetic generator (see ``explorer.data.SYNTHETIC_DATASETS``);
        missing ones take their defaults.
    model : MLPConfig
        The MLP; its input and output widths are replaced by the data's when the run is set
        up (as the Training tab adapts the model), and its weights are drawn from
        ``training.seed``.
    standardize : bool or None
        Standardize features (fitted on the training part). None means: only for data that is
        not 2-D (the synthetic sets are already on a unit scale, and their decision regions
        are easier to read in the original coordinates).
    training : TrainingConfig
    """

    dataset: str = "spiral"
    dataset_params: dict[str, Any] = field(default_factory=dict)
    model: MLPConfig = MLPConfig()
    standardize: bool | None = None
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def validate(self) -> RunSpec:
        """Check the fields and the training config; ValueError naming the bad one."""
        if not isinstance(self.dataset, str) or not self.dataset:
            raise ValueError(f"dataset must be a name; got {quoted(self.dataset)}")
        if not isinstance(self.dataset_params, dict):
            raise ValueError(f"dataset_params must be a dict; got {quoted(self.dataset_params)}")
        if not isinstance(self.model, MLPConfig):
            raise ValueError(f"model must be an MLPConfig; got {quoted(self.model)}")
        if self.standardize not in (None, True, False):
            raise ValueError(
                f"standardize must be true, false or null; got {quoted(self.standardize)}"
            )
        self.training.validate()
        return self

    def with_training(self, **changes: Any) -> RunSpec:
        """A copy with some TrainingConfig fields changed (e.g. ``epochs=5, seed=1``)."""
        return replace(
            self,
            dataset_params=dict(self.dataset_params),
            training=replace(self.training, **changes),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``model`` and ``training`` nested)."""
        return {
            "dataset": self.dataset,
            "dataset_params": dict(self.dataset_params),
            "model": self.model.to_dict(),
            "standardize": self.standardize,
            "training": self.training.to_dict(),
        }

    @classmethod
    def from_dict(cls, state: Any) -> RunSpec:
        """Rebuild and validate; ValueError naming an unknown key or bad value."""
        if not isinstance(state, dict):
            raise ValueError(f"run spec must be a dict; got {type(state).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(state) - known)
        if unknown:
            raise ValueError(f"unknown run spec field {quoted(unknown[0])}")
        values = dict(state)
        values["training"] = TrainingConfig.from_dict(values.get("training", {}))
        values["model"] = MLPConfig.from_dict(values.get("model", {}))
        return cls(**values).validate()


# The app's first Start and ``explorer export training`` run exactly this: the Model tab's
# default model 784-256-10 (relu, he, zero), adapted to the data's 2 inputs and 3 classes.
# benchmarks/training_throughput.py: ~97.8% validation accuracy (>= 95% from epoch ~30), about
# 0.6 s headless on 2 cores; lr 0.005 rather than 0.01 keeps the validation curve free of
# Adam's spikes.
DEFAULT_RUN = RunSpec(
    dataset="spiral",
    model=MLPConfig(),
    training=TrainingConfig(optimizer="adam", lr=0.005, batch_size=32, epochs=100, seed=0),
)

# Digits: >= 95% validation accuracy well within 20 epochs.
DIGITS_RUN = RunSpec(
    dataset="digits",
    model=MLPConfig(hidden_sizes=(64,)),
    training=TrainingConfig(optimizer="adam", lr=0.003, batch_size=32, epochs=20),
)
