"""What the Gradient tab's views work on: the model document's model and the training
document's data and settings, and why a view cannot run when they do not fit together."""

from __future__ import annotations

import copy

from explorer.data import Dataset
from explorer.engine import nn
from explorer.model.document import ModelDocument
from explorer.training.config import TrainingConfig
from explorer.training.document import TrainingDocument


def missing_input(model: ModelDocument, training: TrainingDocument) -> str:
    """Why the landscape and the range test cannot run now ("" when they can)."""
    if training.train is None or training.val is None:
        return "No data yet: choose a dataset in the Training tab."
    data = training.train
    if not model.fits(data.num_features, data.num_classes):
        return (
            f"The model ({model.config.describe()}) does not fit the Training tab's data "
            f"({data.num_features} features, {data.num_classes} classes): press Adapt or Start "
            "there first."
        )
    return ""


def snapshot(
    model: ModelDocument, training: TrainingDocument
) -> tuple[nn.Module, Dataset, Dataset, TrainingConfig]:
    """A copy of the model (a background computation must not share the one the views
    read), the training and validation data, and the settings."""
    return copy.deepcopy(model.model), training.train, training.val, training.config
