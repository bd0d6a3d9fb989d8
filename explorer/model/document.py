"""The model document: what the app knows about its one model, in one observable object.

:class:`ModelDocument` holds the MLP configuration, the model built from it, whether its
weights are trained, whether a run is training it, the parameter budget and where samples for
it come from. The main window owns one; the Model and Training tabs (and any later view) bind
to its events and never call each other. Setters validate and emit only on a real change;
every mutation happens first, then the events fire, so a callback always sees a consistent
document::

    >>> document = ModelDocument(MLPConfig(input_features=2, hidden_sizes=(8,),
    ...                                    output_features=3))
    >>> seen = []
    >>> document.trained_changed.connect(seen.append)
    >>> document.set_trained(True); document.set_trained(True)
    >>> seen
    [True]
    >>> model = document.build(document.config.adapted(4, 3))  # a new model: not trained
    >>> seen, document.model.input_features
    ([True, False], 4)

It is plain Python (no Qt): callbacks run in the caller's thread, which in the app is the GUI
thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from explorer.data import Dataset
from explorer.engine import nn
from explorer.model.budget import ParameterBudget
from explorer.model.config import MLPConfig, reinitialize_model
from explorer.model.events import Event
from explorer.model.run_stream import RunStream
from explorer.quoting import quoted

#: ``provider(index)`` gives a sample's features, or ``(features, label)``; None when there is
#: none to give.
SampleProvider = Callable[[int], Any]


class ModelDocument:
    """The app's model: configuration, instance, trained, training, budget, samples.

    Parameters
    ----------
    config : MLPConfig, optional
        The first model's configuration, built at once after :meth:`price` checked it. The
        default, the lecture notes' 784-256-10 (0.8 MB), is built whatever the budget, so a
        small remembered budget never leaves the app without a model; its input and output
        sizes :attr:`follows_data` until someone sets them.
    budget : ParameterBudget, optional
        The largest model :meth:`build` and :meth:`restore_state` accept.

    Events
    ------
    model_changed(model)
        A new model was built or installed (``config`` changed with it).
    weights_changed()
        The model's parameters changed in place (a training step arrived, weights were loaded
        or drawn afresh): views re-read them.
    trained_changed(trained), training_changed(training)
        Whether the weights are trained; whether a run is training this model (running or
        paused).
    budget_changed(budget)
        The parameter budget changed.
    samples_changed(provider, name)
        Where samples for the model come from (the Training tab's data) changed.
    data_changed(data)
        The data the model is trained on changed: ``(train, val)`` Datasets, or None.
    unit_selected(selection)
        A unit was picked (``(layer name, unit index)``, e.g. ``("linear1", 3)``), or None.

    ``run_stream`` (a :class:`~explorer.model.run_stream.RunStream`) carries the live run's
    reports and the recorded runs' layer histories.
    """

    def __init__(self, config: MLPConfig | None = None, budget: ParameterBudget | None = None):
        self.model_changed = Event()
        self.weights_changed = Event()
        self.trained_changed = Event()
        self.training_changed = Event()
        self.budget_changed = Event()
        self.samples_changed = Event()
        self.data_changed = Event()
        self.unit_selected = Event()
        self.run_stream = RunStream()
        self._budget = budget or ParameterBudget()
        if config is not None:
            self._budget.check(config)
        self._config = config or MLPConfig()
        self._model = self._config.build()
        self._trained = False
        self._training = False
        self._follows_data = config is None
        self._samples: tuple[SampleProvider | None, str] = (None, "")
        self._data: tuple[Dataset, Dataset] | None = None
        self._selected_unit: tuple[str, int] | None = None

    # -- reading --------------------------------------------------------------------------
    @property
    def config(self) -> MLPConfig:
        """The configuration :attr:`model` was built from."""
        return self._config

    @property
    def model(self) -> nn.MLP:
        """The model every view shows and the Training tab trains (changed in place)."""
        return self._model

    @property
    def trained(self) -> bool:
        return self._trained

    @property
    def training(self) -> bool:
        return self._training

    @property
    def follows_data(self) -> bool:
        """True while the input and output sizes are nobody's choice: the default model's on
        a fresh start, or sizes :meth:`adapt` gave. A view may then :meth:`adapt` the model,
        while it is untrained, to the data without asking; a model built with other sizes
        (the Model tab's, a session's) keeps them."""
        return self._follows_data

    @property
    def budget(self) -> ParameterBudget:
        return self._budget

    @property
    def sample_provider(self) -> SampleProvider | None:
        return self._samples[0]

    @property
    def sample_name(self) -> str:
        return self._samples[1]

    @property
    def data(self) -> tuple[Dataset, Dataset] | None:
        """The ``(train, val)`` split the model is trained on, or None."""
        return self._data

    @property
    def selected_unit(self) -> tuple[str, int] | None:
        """The picked unit, ``(layer name, index)``, or None."""
        return self._selected_unit

    def fits(self, num_features: int, num_classes: int) -> bool:
        """True when the model takes ``num_features`` inputs and gives ``num_classes``
        outputs."""
        config = self._config
        return (config.input_features, config.output_features) == (num_features, num_classes)

    # -- the model ------------------------------------------------------------------------
    def price(self, config: MLPConfig) -> int:
        """The parameter count of ``config``; :class:`~explorer.model.budget.BudgetError` if
        it is above the budget (nothing is built)."""
        if not isinstance(config, MLPConfig):
            raise ValueError(f"a model configuration must be an MLPConfig; got {quoted(config)}")
        return self._budget.check(config)

    def build(self, config: MLPConfig) -> nn.MLP:
        """Price ``config``, build it and make it the model (its weights are not trained).

        Raises ValueError (a BudgetError above the budget) before anything is allocated.
        """
        self.price(config)
        model = config.build()
        self.install(config, model)
        return model

    def install(self, config: MLPConfig, model: nn.MLP) -> None:
        """Make ``model``, built from ``config`` elsewhere (a background build), the model.

        ValueError if ``model`` is not what ``config`` describes or ``config`` is above the
        budget.
        """
        self._install(config, model, self._follows_data and self._same_sizes(config))

    def adapt(self, num_features: int, num_classes: int) -> nn.MLP:
        """Build the configuration with ``num_features`` inputs and ``num_classes`` outputs
        (hidden layers and the rest kept), as :meth:`build` does; from now on its sizes
        :attr:`follows_data`."""
        config = self._config.adapted(num_features, num_classes)
        self.price(config)
        model = config.build()
        self._install(config, model, follows_data=True)
        return model

    def _same_sizes(self, config: MLPConfig) -> bool:
        old = self._config
        return (old.input_features, old.output_features) == (
            config.input_features,
            config.output_features,
        )

    def _install(self, config: MLPConfig, model: nn.MLP, follows_data: bool) -> None:
        self.price(config)
        if not config.describes(model):
            raise ValueError(f"the model is not the {config.describe()} MLP it should be")
        was_trained = self._trained
        self._config, self._model, self._trained = config, model, False
        self._follows_data = follows_data
        self._selected_unit = None  # the old model's unit
        self.model_changed.emit(model)
        if was_trained:
            self.trained_changed.emit(False)

    def reinitialize(self, seed: int) -> None:
        """Draw fresh weights from ``seed`` (as building with that seed would); untrained."""
        reinitialize_model(self._model, seed)
        self.notify_weights_changed()
        self.set_trained(False)

    def notify_weights_changed(self) -> None:
        """Say the model's parameters changed in place (views re-read them)."""
        self.weights_changed.emit()

    # -- flags ----------------------------------------------------------------------------
    def set_trained(self, trained: bool) -> None:
        if not isinstance(trained, bool):
            raise ValueError(f"trained must be true or false; got {quoted(trained)}")
        if trained != self._trained:
            self._trained = trained
            self.trained_changed.emit(trained)

    def set_training(self, training: bool) -> None:
        if not isinstance(training, bool):
            raise ValueError(f"training must be true or false; got {quoted(training)}")
        if training != self._training:
            self._training = training
            self.training_changed.emit(training)

    def set_budget(self, budget: ParameterBudget) -> None:
        """A new budget, for the next build (the current model stays, whatever its size)."""
        if not isinstance(budget, ParameterBudget):
            raise ValueError(f"a budget must be a ParameterBudget; got {quoted(budget)}")
        if budget != self._budget:
            self._budget = budget
            self.budget_changed.emit(budget)

    def set_sample_source(self, provider: SampleProvider | None, name: str = "") -> None:
        """Where samples come from: ``provider(index)`` and the data's name (None: nowhere)."""
        if provider is not None and not callable(provider):
            raise ValueError(f"a sample provider must be callable; got {quoted(provider)}")
        if (provider, name) != self._samples:
            self._samples = (provider, name)
            self.samples_changed.emit(provider, name)

    def set_data(self, train: Dataset | None, val: Dataset | None = None) -> None:
        """The data the model is trained on: its training and validation parts (None: none)."""
        data = None if train is None or val is None else (train, val)
        if data is not None and not all(isinstance(part, Dataset) for part in data):
            raise ValueError(f"data must be two Datasets; got {quoted(data)}")
        same = data is self._data or (
            data is not None
            and self._data is not None
            and all(a is b for a, b in zip(data, self._data, strict=True))
        )
        if not same:
            self._data = data
            self.data_changed.emit(data)

    def select_unit(self, layer: str, unit: int) -> None:
        """Pick unit ``unit`` of the Linear layer ``layer`` (row ``unit`` of its weight);
        ValueError quoting what the model does not have."""
        module = dict(self._model.named_children()).get(layer)
        if not isinstance(module, nn.Linear):
            raise ValueError(f"the model has no Linear layer {quoted(layer)}")
        if isinstance(unit, bool) or not isinstance(unit, int | np.integer):
            raise ValueError(f"a unit must be a whole number; got {quoted(unit)}")
        if not 0 <= unit < module.out_features:
            raise ValueError(
                f"{layer} has units 0 to {module.out_features - 1}; got {quoted(unit)}"
            )
        selection = (layer, int(unit))
        if selection != self._selected_unit:
            self._selected_unit = selection
            self.unit_selected.emit(selection)

    # -- sessions -------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The JSON part of a session: the configuration and whether the model is trained."""
        return {"config": self._config.to_dict(), "trained": self._trained}

    def restore_state(self, state: Any) -> None:
        """Build the model a :meth:`state` describes (fresh weights: :meth:`restore_arrays`
        loads saved ones). Everything is checked first, so ValueError (a configuration that
        is invalid or above the budget) changes nothing and allocates nothing."""
        if not isinstance(state, dict):
            raise ValueError(f"the model's state must be an object; got {quoted(state)}")
        unknown = sorted(set(state) - {"config", "trained"})
        if unknown:
            raise ValueError(f"unknown model state key(s): {', '.join(unknown)}")
        config = MLPConfig.from_dict(state.get("config", {}))
        trained = state.get("trained", False)
        if not isinstance(trained, bool):
            raise ValueError(f"trained must be true or false; got {quoted(trained)}")
        self.build(config)
        self.set_trained(trained)

    def arrays(self) -> dict[str, np.ndarray]:
        """The weights for a session's arrays file (copies, keyed like ``state_dict``)."""
        return {key: np.array(value) for key, value in self._model.state_dict().items()}

    def restore_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Load saved weights; ValueError naming the first key or shape that does not fit
        (then nothing changes)."""
        self._config.check_state(arrays)
        self._model.load_state_dict(dict(arrays))
        self.notify_weights_changed()
