"""Weights files: every difference named, a model that fits offered, folders remembered."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.model.config import MLPConfig
from explorer.training import save_weights
from explorer.ui.training import tab as tab_module
from tests.ui.training.tab_helpers import click, make_tab


def test_a_file_for_another_model_lists_every_difference_and_offers_a_rebuild(qtbot, tmp_path):
    lecture = MLPConfig(seed=3).build()  # 784-256-10
    path = tmp_path / "lecture.npz"
    save_weights(lecture, path)
    tab = make_tab(qtbot, "spiral", samples=150)
    assert tab.document.config.describe() == "2-256-3"
    tab.ask_open_path = lambda: str(path)
    asked = []
    tab.confirm = lambda parent, title, text: asked.append(text) or False
    click(qtbot, tab.view.load_weights)
    message = tab.message()
    assert message.startswith("Weights not loaded: ")
    for difference in (
        "linear1.weight has shape (256, 784) but the model's linear1.weight has shape (256, 2)",
        "linear2.weight has shape (10, 256) but the model's linear2.weight has shape (3, 256)",
        "linear2.bias has shape (10,) but the model's linear2.bias has shape (3,)",
    ):
        assert difference in message and difference in asked[0]
    assert "Rebuild the model as 784-256-10 and load them?" in asked[0]
    assert tab.document.config.describe() == "2-256-3"

    tab.confirm = lambda parent, title, text: True
    click(qtbot, tab.view.load_weights)
    assert tab.document.config.describe() == "784-256-10" and tab.document.trained
    for key, value in lecture.state_dict().items():
        np.testing.assert_array_equal(tab.document.model.state_dict()[key], value)
    assert tab.message().startswith(f"Loaded {path}")
    assert not tab.view.adapt_banner.isHidden()  # the person's model, not spiral's
    tab.shutdown()


def test_the_weights_dialogs_open_in_the_last_weights_folder(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "saved"
    folder.mkdir()
    opened = []

    def save_dialog(parent, title, start, filters):
        opened.append(("save", start))
        return str(folder / "mine.npz"), filters

    def open_dialog(parent, title, start, filters):
        opened.append(("open", start))
        return "", filters

    monkeypatch.setattr(tab_module.QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(tab_module.QFileDialog, "getOpenFileName", open_dialog)
    tab = make_tab(qtbot, "moons")
    click(qtbot, tab.view.save_weights)
    click(qtbot, tab.view.load_weights)
    again = make_tab(qtbot, "moons")  # a new window: the folder is in the settings
    click(qtbot, again.view.save_weights)
    assert opened[1] == ("open", str(folder))
    assert opened[2] == ("save", str(folder / "weights.npz"))
    tab.shutdown()
    again.shutdown()


@pytest.fixture(autouse=True)
def _forget_folders():
    yield
    from explorer.ui.settings import make_settings

    make_settings().remove("folders")
