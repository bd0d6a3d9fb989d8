"""What the console's code sees: ``torch`` (the engine), ``nn``, ``F``, ``np``, ``model`` and
``data``, and ``import torch`` meaning the engine while a cell runs."""

from __future__ import annotations

from typing import Any

from explorer.data import Dataset
from explorer.engine.as_torch import torch_modules, torch_namespace
from explorer.model.document import ModelDocument

BANNER = """\
Python with the engine that mirrors PyTorch, in the app: what you change here, the tabs show.

  torch   the engine (import explorer.engine as torch; "import torch" gives it too)
  nn, F   torch.nn and torch.nn.functional;  np  numpy
  model   the model the Model tab shows, e.g. model.linear1.weight. A rebuild in the Model
          tab makes a new model and "model" then names it: an old reference keeps the old one.
  data    the Training tab's data: data.train.x, data.train.y, data.val, data.class_names

After each cell the tabs re-read the weights. Ctrl+C or Interrupt stops running code;
Examples pastes the lecture notes' code blocks (Shift+Enter runs them).
"""


class TrainingData:
    """``data`` in the console: the data the model is trained on, as the document holds it.

    ``train`` and ``val`` are :class:`~explorer.data.Dataset` (``.x`` float32 features,
    ``.y`` int64 labels, ``.class_names``), or None before the Training tab has data. It reads
    the document each time, so it is never out of date.
    """

    def __init__(self, document: ModelDocument):
        self._document = document

    @property
    def train(self) -> Dataset | None:
        data = self._document.data
        return None if data is None else data[0]

    @property
    def val(self) -> Dataset | None:
        data = self._document.data
        return None if data is None else data[1]

    @property
    def name(self) -> str:
        train = self.train
        return "" if train is None else train.name

    @property
    def class_names(self) -> list[str]:
        train = self.train
        return [] if train is None else list(train.class_names)

    def __repr__(self) -> str:
        train, val = self.train, self.val
        if train is None or val is None:
            return "no data yet: choose a dataset in the Training tab"
        features = " × ".join(str(size) for size in train.feature_shape or (train.x.shape[1],))
        return (
            f"{train.name}: train {len(train.y)}, val {len(val.y)} samples of {features} "
            f"features; {train.num_classes} classes: {', '.join(self.class_names)}"
        )


def console_namespace(document: ModelDocument) -> dict[str, Any]:
    """The names the console starts with: ``torch``, ``nn``, ``F``, ``np`` (as code written
    for torch starts), ``model`` and ``data``."""
    names = torch_namespace()
    del names["__name__"]  # the shell's own
    return names | {"model": document.model, "data": TrainingData(document)}


#: While open, ``import torch`` (and ``torch.nn``, ``torch.nn.functional``...) imports the
#: engine; a real torch, if installed, is untouched outside.
engine_as_torch = torch_modules
