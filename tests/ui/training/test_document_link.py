"""The Training tab and the training document: settings and data published, a learning rate
set elsewhere followed, and each run's path recorded epoch by epoch."""

import numpy as np
import pytest

from explorer.training.document import TrainingDocument
from explorer.training.trajectory import weight_vector
from explorer.ui.training.tab import TrainingTab
from tests.ui.training.tab_helpers import (
    click,
    make_tab,
    wait_stopped,
)


def test_the_settings_and_the_data_are_published(qtbot):
    tab = make_tab(qtbot)
    document = tab.training_document
    assert document.config == tab.data.config()
    assert document.train is tab.data.train and document.val is tab.data.val
    assert document.data_name == "moons"
    tab.view.settings.batch_size.setValue(7)
    assert document.config.batch_size == 7
    tab.view.dataset.val_fraction.setValue(0.3)
    assert document.config.val_fraction == pytest.approx(0.3)


def test_a_learning_rate_set_in_the_document_shows_in_the_tab(qtbot):
    document = TrainingDocument()
    tab = TrainingTab(training=document)
    qtbot.addWidget(tab, before_close_func=lambda widget: widget.shutdown())
    document.set_lr(0.0425)
    assert tab.view.settings.learning_rate.value() == pytest.approx(0.0425)
    assert tab.data.config().lr == pytest.approx(0.0425)
    document.set_lr(0.123456789)  # more digits than the box keeps: the box's value wins
    assert document.config.lr == tab.view.settings.learning_rate.value() == pytest.approx(0.12346)


def test_a_runs_path_starts_at_its_first_weights_and_has_a_point_per_epoch(qtbot):
    tab = make_tab(qtbot, epochs=3)
    document = tab.training_document
    click(qtbot, tab.view.adapt)
    start = weight_vector(tab.document.model)
    tab.view.settings.keep_weights.setChecked(True)  # the path starts from these weights
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    path = document.trajectory
    assert path.epochs().tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(path.points()[0], start)
    np.testing.assert_array_equal(path.points()[-1], weight_vector(tab.document.model))
    tab.document.build(tab.document.config.adapted(4, 2))  # another model: no path
    assert len(path) == 0
