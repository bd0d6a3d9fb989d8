"""The training document: settings, data and the last run's path, observable."""

import pytest

from explorer.data import make_synthetic, train_val_split
from explorer.training import DEFAULT_RUN, TrainingConfig
from explorer.training.document import TrainingDocument


def test_settings_are_validated_and_announced_once_per_change():
    document = TrainingDocument()
    assert document.config == DEFAULT_RUN.training
    seen = []
    document.config_changed.connect(seen.append)
    document.set_lr(0.02)
    document.set_lr(0.02)
    assert [config.lr for config in seen] == [0.02]
    with pytest.raises(ValueError, match="lr must be"):
        document.set_lr(0.0)
    with pytest.raises(ValueError, match="TrainingConfig"):
        document.set_config({"lr": 1})
    assert document.config.lr == 0.02
    document.set_config(TrainingConfig(optimizer="sgd"))
    assert seen[-1].optimizer == "sgd"


def test_data_comes_as_a_pair():
    document = TrainingDocument()
    train, val = train_val_split(make_synthetic("moons", n_samples=50), 0.2, seed=0)
    seen = []
    document.data_changed.connect(lambda: seen.append(document.data_name))
    document.set_data(train, val, "moons")
    document.set_data(train, val, "moons")
    assert seen == ["moons"] and document.train is train and document.val is val
    with pytest.raises(ValueError, match="together"):
        document.set_data(train, None)
    document.set_data(None, None)
    assert document.train is None and seen == ["moons", ""]
