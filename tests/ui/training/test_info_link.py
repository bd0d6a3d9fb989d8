"""The P/Q panel: H(P, Q) and the sample's loss agree to the digits shown, class names whole."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from explorer.ui.export.plot_data import csv_tables
from explorer.ui.training.info_link import InfoLinkPanel
from tests.ui.test_readout import choose_from_context_menu
from tests.ui.training.tab_helpers import make_tab

NUMBER = re.compile(r"(\S+) nats")


def shown_number(label) -> str:
    return NUMBER.search(label.text()).group(1)


def test_h_p_q_and_the_sample_loss_agree_for_a_confident_model(qtbot):
    tab = make_tab(qtbot, "moons", samples=120)
    tab.runner.adapt(confirmed=True)
    model = tab.document.model
    state = {key: np.zeros_like(value) for key, value in model.state_dict().items()}
    last = max(key for key in state if key.endswith(".bias"))
    # Logits (15.62, 0) for every sample: class 0 is right with a loss of e^-15.62 ≈ 1.6e-7,
    # which float32 rounds to 1.192e-07 (one step above 0).
    state[last] = np.array([15.62, 0.0], dtype=state[last].dtype)
    model.load_state_dict(state)
    tab.document.set_trained(True)
    tab.refresh_outputs()
    panel = tab.view.info_link
    first_zero = int(np.flatnonzero(tab.data.val.y == 0)[0])
    panel.sample.selectAll()
    qtbot.keyClicks(panel.sample, str(first_zero))
    qtbot.keyClick(panel.sample, Qt.Key.Key_Return)
    h, loss = shown_number(panel.cross_entropy_label), shown_number(panel.loss_label)
    assert h == loss and h.startswith("1.6")

    # Both are read-outs: Copy value pastes the full-precision number into a spreadsheet.
    tab.show()
    qtbot.waitExposed(tab)
    choose_from_context_menu(qtbot, panel.loss_label, "Copy value")
    copied = float(QGuiApplication.clipboard().text())
    assert copied == panel.loss_label.value() and f"{copied:.3e}" == h
    choose_from_context_menu(qtbot, panel.cross_entropy_label, "Copy H(P, Q)")
    assert QGuiApplication.clipboard().text() == f"H(P, Q) = {h} nats"
    tab.shutdown()


def test_class_names_are_whole_on_the_axis_and_in_the_csv(qtbot):
    panel = InfoLinkPanel()
    qtbot.addWidget(panel)
    names = ["setosa", "versicolor", "virginica"]
    logits = np.array([[0.0, 3.0, 1.0]])
    panel.set_outputs(logits, [1], [0.17], names)
    panel.resize(340, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.grab()
    QApplication.processEvents()
    panel.grab()
    axis = panel.plot_item.getAxis("bottom")
    assert axis.shown_names() == names
    (_, header, columns), *_ = csv_tables(panel.plot_item)
    assert list(columns[0]) == names


def test_a_long_class_name_never_widens_the_panel_and_keeps_its_numbers(qtbot):
    panel = InfoLinkPanel()
    qtbot.addWidget(panel)
    logits = np.array([[30.0, 0.0, 0.0]])
    panel.set_outputs(logits, [0], [9.4e-14], ["a", "b", "c"])
    panel.layout().activate()
    short = panel.minimumSizeHint().width()
    long = ["Iris-versicolor-from-the-northern-meadows", "b", "c"]
    panel.set_outputs(logits, [0], [9.4e-14], long)
    panel.layout().activate()
    assert panel.minimumSizeHint().width() == short
    panel.resize(short, 500)
    panel.show()
    qtbot.waitExposed(panel)
    detail = panel.detail_label
    assert detail.toolTip() == f"−log q({long[0]}) = −log (1 − 1.870e-13)"
    assert detail.text().startswith("−log q(Iris-") and "…" in detail.text()
    assert detail.text().endswith(") = −log (1 − 1.870e-13)")
