"""What console code sees: the engine as torch, the document's model and data."""

import sys

import numpy as np

import explorer.engine
from explorer.data import Dataset
from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.ui.console.namespace import TrainingData, console_namespace, engine_as_torch


def _split():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    y = np.array([0, 1, 2, 0, 1, 2])
    train = Dataset(x[:4], y[:4], 3, name="toy", class_names=["a", "b", "c"])
    val = Dataset(x[4:], y[4:], 3, name="toy", class_names=["a", "b", "c"])
    return train, val


def test_the_namespace_holds_the_engine_and_the_documents_model():
    document = ModelDocument(MLPConfig(input_features=2, hidden_sizes=(4,), output_features=3))
    names = console_namespace(document)
    assert names["torch"] is explorer.engine
    assert names["nn"] is explorer.engine.nn
    assert names["F"] is sys.modules["explorer.engine.nn.functional"]
    assert names["np"] is np
    assert names["model"] is document.model
    assert isinstance(names["data"], TrainingData)


def test_data_reads_the_document_each_time():
    document = ModelDocument(MLPConfig(input_features=2, hidden_sizes=(4,), output_features=3))
    data = TrainingData(document)
    assert data.train is None and data.val is None and data.class_names == []
    assert repr(data) == "no data yet: choose a dataset in the Training tab"
    train, val = _split()
    document.set_data(train, val)
    assert data.train is train and data.val is val
    assert data.name == "toy" and data.class_names == ["a", "b", "c"]
    assert repr(data) == "toy: train 4, val 2 samples of 2 features; 3 classes: a, b, c"


def test_import_torch_gives_the_engine_only_while_open():
    before = sys.modules.get("torch")
    with engine_as_torch():
        import torch
        import torch.nn.functional as functional

        assert torch is explorer.engine
        assert functional is sys.modules["explorer.engine.nn.functional"]
    assert sys.modules.get("torch") is before
