"""Set a run up from a :class:`~explorer.training.config.RunSpec`: data, model, trainer.

The CLI (``explorer export training``) and the Training tab build runs the same way:

>>> from explorer.training import DEFAULT_RUN, setup_run
>>> run = setup_run(DEFAULT_RUN.with_training(epochs=1, seed=3))
>>> run.model.input_features, run.model.output_features
(2, 3)

Seeds: ``RunSpec.dataset_params["seed"]`` (default 0) draws a synthetic dataset;
``TrainingConfig.seed`` draws the split, the weight initialisation and the batch order.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from explorer.data import (
    SYNTHETIC_DATASETS,
    DataError,
    Dataset,
    Standardizer,
    load_digits,
    make_synthetic,
    train_val_split,
)
from explorer.engine import nn
from explorer.model.budget import ParameterBudget
from explorer.model.config import MLPConfig
from explorer.quoting import quoted
from explorer.training.config import DEFAULT_RUN, DIGITS_RUN, RunSpec, TrainingConfig
from explorer.training.run_setup import RunSetup
from explorer.training.trainer import Trainer

DATASET_NAMES: tuple[str, ...] = (*SYNTHETIC_DATASETS, "digits")


def load_dataset(name: str, **params: Any) -> Dataset:
    """A built-in dataset by name: a synthetic generator (validated params) or ``"digits"``."""
    if name == "digits":
        if params:
            raise DataError(f"digits takes no parameters; got {', '.join(sorted(params))}")
        return load_digits()
    if name not in SYNTHETIC_DATASETS:
        raise DataError(f"unknown dataset {quoted(name)}; choose one of {', '.join(DATASET_NAMES)}")
    return make_synthetic(name, **params)


def default_run_for(name: str) -> RunSpec:
    """A fresh copy of the recommended run for a built-in dataset.

    ``"digits"`` gets :data:`DIGITS_RUN`; every other name the default run's settings
    (:data:`DEFAULT_RUN`) with that dataset and its default parameters.
    """
    if name == "digits":
        return copy.deepcopy(DIGITS_RUN)
    return replace(copy.deepcopy(DEFAULT_RUN), dataset=name, dataset_params={})


def prepare_data(
    dataset: Dataset, config: TrainingConfig, standardize: bool | None = None
) -> tuple[Dataset, Dataset, Standardizer | None]:
    """Split with ``config.val_fraction``/``config.seed`` and optionally standardize.

    ``standardize=None`` standardizes data that is not 2-D. Returns ``(train, val, scaler)``
    with ``scaler`` None when not standardized.
    """
    train, val = train_val_split(dataset, config.val_fraction, seed=config.seed)
    if standardize is None:
        standardize = not dataset.is_2d
    if not standardize:
        return train, val, None
    scaler = Standardizer().fit(train)
    # The split's parts are fresh copies: standardize them in place, not into second copies.
    train = train.with_x(scaler.transform_array(train.x, out=train.x))
    val = val.with_x(scaler.transform_array(val.x, out=val.x))
    return train, val, scaler


def run_model_config(spec: RunSpec, input_features: int, output_features: int) -> MLPConfig:
    """``spec.model`` with the data's widths, its weights drawn from ``spec.training.seed``."""
    return replace(spec.model.adapted(input_features, output_features), seed=spec.training.seed)


def build_model(spec: RunSpec, input_features: int, output_features: int) -> nn.MLP:
    """``nn.MLP`` as ``spec`` describes, initialised from ``spec.training.seed``."""
    return run_model_config(spec, input_features, output_features).build()


@dataclass
class PreparedRun:
    """Everything :func:`setup_run` built (``model_config`` is the model's, adapted to the
    data)."""

    spec: RunSpec
    dataset: Dataset
    train: Dataset
    val: Dataset
    standardizer: Standardizer | None
    model_config: MLPConfig
    model: nn.MLP
    trainer: Trainer

    def run_setup(self, run_id: int) -> RunSetup:
        """This run, from the model's current weights, as a training process takes it."""
        state = self.model.state_dict()
        return RunSetup.create(
            run_id, self.model_config, state, self.train, self.val, self.spec.training
        )


def setup_run(
    spec: RunSpec, dataset: Dataset | None = None, budget: ParameterBudget | None = None
) -> PreparedRun:
    """Load (or take) the dataset, split it, build the model and its trainer.

    Parameters
    ----------
    spec : RunSpec
        Validated here (ValueError naming a bad field).
    dataset : Dataset, optional
        Use this data (e.g. a loaded IDX or CSV file) instead of ``spec.dataset``.
    budget : ParameterBudget, optional
        The model is priced against it before it is built (default: the default budget);
        a larger one raises :class:`~explorer.model.budget.BudgetError` and allocates nothing.
    """
    spec.validate()
    data = dataset if dataset is not None else load_dataset(spec.dataset, **spec.dataset_params)
    config = run_model_config(spec, data.num_features, data.num_classes)
    (budget or ParameterBudget()).check(config)
    train, val, scaler = prepare_data(data, spec.training, spec.standardize)
    model = config.build()
    # The spec was validated and the model made for this data: nothing to check again.
    trainer = Trainer(model, train, val, spec.training, checked=True)
    return PreparedRun(spec, data, train, val, scaler, config, model, trainer)
