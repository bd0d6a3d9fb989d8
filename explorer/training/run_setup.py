"""The run a training process is given: :class:`RunSetup`, checked once, where it is made.

The app (or any caller) makes a setup with :meth:`RunSetup.create` from the model's
configuration, the weights to start from, the training and validation data and the training
settings; that is where everything is checked. It travels as one message
(:meth:`RunSetup.to_message`, JSON and raw arrays through :mod:`explorer.training.wire`, whose
decoder refuses malformed frames), and the process rebuilds it with
:meth:`RunSetup.from_message` and trains it with :meth:`RunSetup.trainer`, trusting what was
checked.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from explorer.data import Dataset
from explorer.model.config import MLPConfig
from explorer.quoting import quoted
from explorer.training.config import TrainingConfig
from explorer.training.trainer import Trainer, check_data_pair


def dataset_message(data: Dataset) -> dict[str, Any]:
    """A :class:`Dataset` as a message part (:func:`dataset_from_message` reverses it)."""
    return {
        "x": data.x,
        "y": data.y,
        "num_classes": data.num_classes,
        "name": data.name,
        "feature_shape": list(data.feature_shape),
        "class_names": list(data.class_names),
    }


def dataset_from_message(part: dict[str, Any]) -> Dataset:
    return Dataset(
        x=part["x"],
        y=part["y"],
        num_classes=part["num_classes"],
        name=part["name"],
        feature_shape=tuple(part["feature_shape"]),
        class_names=list(part["class_names"]),
    )


@dataclass(frozen=True, eq=False)
class RunSetup:
    """Everything a run needs: its id, the MLP's configuration and starting weights, the data
    and the training settings.

    Make one with :meth:`create` (which checks it); the plain constructor trusts its
    arguments, as the training process does when it rebuilds a setup from its message.
    """

    run_id: int
    model: MLPConfig
    state: dict[str, np.ndarray]
    train: Dataset
    val: Dataset
    config: TrainingConfig

    @classmethod
    def create(
        cls,
        run_id: int,
        model: MLPConfig,
        state: dict[str, np.ndarray],
        train: Dataset,
        val: Dataset,
        config: TrainingConfig,
    ) -> RunSetup:
        """A checked setup: ValueError if the settings are invalid, the data's parts differ,
        the model does not fit the data or the weights do not fit the model (nothing is run
        or built to find out). The weights are copied."""
        if isinstance(run_id, bool) or not isinstance(run_id, int):
            raise ValueError(f"a run id must be an integer; got {quoted(run_id)}")
        if not isinstance(model, MLPConfig):
            raise ValueError(f"a run's model must be an MLPConfig; got {quoted(model)}")
        config.validate()
        check_data_pair(train, val)
        if model.input_features != train.num_features:
            raise ValueError(
                f"the model takes {model.input_features} inputs but the data has "
                f"{train.num_features} features"
            )
        if model.output_features != train.num_classes:
            raise ValueError(
                f"the model gives {model.output_features} outputs but the data has "
                f"{train.num_classes} classes"
            )
        model.check_state(state)
        copies = {key: np.array(value) for key, value in state.items()}
        return cls(run_id, model, copies, train, val, config)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.train) / self.config.batch_size)

    def to_message(self) -> dict[str, Any]:
        """The ``setup`` message (a dict of JSON values and numpy arrays)."""
        return {
            "kind": "setup",
            "run": self.run_id,
            "model": self.model.to_dict(),
            "state": self.state,
            "train": dataset_message(self.train),
            "val": dataset_message(self.val),
            "config": asdict(self.config),
        }

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> RunSetup:
        """The setup a ``setup`` message carries, trusting what :meth:`create` checked
        (ValueError if it is not a setup message at all)."""
        if message.get("kind") != "setup":
            raise ValueError(f"expected a setup message first; got {quoted(message.get('kind'))}")
        return cls(
            run_id=int(message["run"]),
            model=MLPConfig.from_dict(message["model"]),
            state=message["state"],
            train=dataset_from_message(message["train"]),
            val=dataset_from_message(message["val"]),
            config=TrainingConfig(**message["config"]),
        )

    def trainer(self) -> Trainer:
        """The model built and given the weights, and its :class:`Trainer` (unchecked: the
        setup was)."""
        model = self.model.build()
        model.load_state_dict(self.state)
        return Trainer(model, self.train, self.val, self.config, checked=True)
