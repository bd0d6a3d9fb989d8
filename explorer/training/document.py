"""The training document: what the Training tab is set to, for every view that works with it.

:class:`TrainingDocument` holds the training settings (a :class:`TrainingConfig`), the data
the model trains on (the training and validation split) and the weights the last run went
through (:class:`~explorer.training.trajectory.WeightTrajectory`). The Training tab keeps it
up to date and follows a change made elsewhere (the learning-rate finder's "use this rate"
sets :meth:`set_lr`); other views read it. Plain Python, as the model document: setters
validate, change, then emit, and only on a real change::

    >>> document = TrainingDocument()
    >>> seen = []
    >>> document.config_changed.connect(lambda config: seen.append(config.lr))
    >>> document.set_lr(0.003); document.set_lr(0.003)
    >>> seen
    [0.003]
"""

from __future__ import annotations

from dataclasses import replace

from explorer.data import Dataset
from explorer.model.document import Event
from explorer.quoting import quoted
from explorer.training.config import DEFAULT_RUN, TrainingConfig
from explorer.training.trajectory import WeightTrajectory


class TrainingDocument:
    """The Training tab's settings, data and the last run's path, observable.

    Events
    ------
    config_changed(config)
        The settings changed (a new, validated :class:`TrainingConfig`).
    data_changed()
        The training and validation data changed (or went: both None).
    """

    def __init__(self, config: TrainingConfig | None = None):
        self.config_changed = Event()
        self.data_changed = Event()
        self._config = (config or DEFAULT_RUN.training).validate()
        self._train: Dataset | None = None
        self._val: Dataset | None = None
        self._data_name = ""
        self.trajectory = WeightTrajectory()

    @property
    def config(self) -> TrainingConfig:
        return self._config

    @property
    def train(self) -> Dataset | None:
        """The training split (None until data is loaded)."""
        return self._train

    @property
    def val(self) -> Dataset | None:
        """The validation split (None until data is loaded)."""
        return self._val

    @property
    def data_name(self) -> str:
        return self._data_name

    def set_config(self, config: TrainingConfig) -> None:
        """New settings (ValueError naming a bad field; nothing changes then)."""
        if not isinstance(config, TrainingConfig):
            raise ValueError(f"training settings must be a TrainingConfig; got {quoted(config)}")
        config.validate()
        if config != self._config:
            self._config = config
            self.config_changed.emit(config)

    def set_lr(self, lr: float) -> None:
        """Set the learning rate only (ValueError quoting a bad one)."""
        self.set_config(replace(self._config, lr=lr))

    def set_data(self, train: Dataset | None, val: Dataset | None, name: str = "") -> None:
        """The split the Training tab trains on (both None: no data)."""
        if (train is None) != (val is None):
            raise ValueError("training and validation data come together, or not at all")
        if train is not self._train or val is not self._val or name != self._data_name:
            self._train, self._val, self._data_name = train, val, name
            self.data_changed.emit()
