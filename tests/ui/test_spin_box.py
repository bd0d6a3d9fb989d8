from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QMainWindow

from explorer.ui import MainWindow
from explorer.ui.widgets.spin_box import DoubleSpinBox, SpinBox


def type_into(qtbot, box, text: str) -> None:
    """Select the box's text, type ``text`` and press Enter, as a person would."""
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def learning_rate_box(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    box = DoubleSpinBox("learning rate")
    box.setDecimals(5)
    box.setRange(1e-5, 10.0)
    box.setValue(0.005)
    box.setToolTip("The size of each step")
    window.setCentralWidget(box)
    window.show()
    qtbot.waitExposed(window)
    return window, box


def test_the_tooltip_states_the_range(qtbot):
    _, box = learning_rate_box(qtbot)
    assert box.toolTip() == "The size of each step\nAccepts 0.00001 to 10."
    box.setMaximum(2.5)
    assert box.toolTip().endswith("Accepts 0.00001 to 2.5.")


def test_a_typed_value_above_the_range_is_refused_aloud_and_the_old_one_kept(qtbot):
    window, box = learning_rate_box(qtbot)
    with qtbot.waitSignal(box.sigRefused) as refused:
        type_into(qtbot, box, "1000")
    message = "1000 is above the largest learning rate, 10; kept 0.005"
    assert refused.args == [message]
    assert box.value() == 0.005 and box.lineEdit().text() == "0.00500"
    assert window.statusBar().currentMessage() == message
    assert box.toolTip().startswith(message)
    assert box.refusal() == message


def test_with_keyboard_tracking_the_value_before_the_edit_comes_back(qtbot):
    _, box = learning_rate_box(qtbot)
    box.setKeyboardTracking(True)  # "1" and "10" are taken while typing 1000
    seen = []
    box.valueChanged.connect(seen.append)
    type_into(qtbot, box, "1000")
    assert box.value() == 0.005 and seen[-1] == 0.005


def test_below_the_range_a_negative_number_and_too_many_decimals_are_refused(qtbot):
    _, box = learning_rate_box(qtbot)
    type_into(qtbot, box, "0.000001")
    assert box.refusal() == ("0.000001 is below the smallest learning rate, 0.00001; kept 0.005")
    type_into(qtbot, box, "-3")
    assert box.refusal().startswith("-3 is below the smallest learning rate")
    type_into(qtbot, box, "0.123456")
    assert (
        box.refusal() == "0.123456 has more decimals than the learning rate keeps (5); kept 0.005"
    )
    assert box.value() == 0.005


def test_an_accepted_value_clears_the_refusal(qtbot):
    _, box = learning_rate_box(qtbot)
    type_into(qtbot, box, "1000")
    type_into(qtbot, box, "0.5")
    assert box.value() == 0.5 and box.refusal() == ""
    assert not box.toolTip().startswith("1000")


def test_a_whole_number_box_refuses_a_fraction_and_keeps_its_value(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    box = SpinBox("K")
    box.setRange(2, 32)
    box.setValue(3)
    window.setCentralWidget(box)
    window.show()
    type_into(qtbot, box, "2.5")  # Qt would drop the point and take 25
    assert box.value() == 3 and box.refusal() == "2.5 is not a whole number; kept 3"


def test_every_numeric_box_of_the_app_is_the_shared_one(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    boxes = window.findChildren(QAbstractSpinBox)
    assert len(boxes) > 20
    plain = [b.objectName() for b in boxes if not isinstance(b, (SpinBox, DoubleSpinBox))]
    assert plain == []
    assert all("Accepts" in box.toolTip() for box in boxes)


def test_training_learning_rate_of_1000_is_refused_in_the_status_bar(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_tab("training")
    window.show()
    qtbot.waitExposed(window)
    box = window.findChild(DoubleSpinBox, "learningRate")
    before = box.value()
    type_into(qtbot, box, "1000")
    assert box.value() == before
    assert window.statusBar().currentMessage() == (
        f"1000 is above the largest learning rate, 10; kept {box.number_text(before)}"
    )
    epochs = window.findChild(SpinBox, "epochs")
    type_into(qtbot, epochs, "0")
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("0 is below the smallest number of epochs, 1")
    )


def test_distributions_k_of_50_is_refused_and_k_stays(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_tab("distributions")
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab("distributions")
    p_before = tab.distributions()[0]
    type_into(qtbot, tab.count_spin, "50")
    assert tab.pair.k == 3 and tab.count_spin.value() == 3
    assert (tab.distributions()[0] == p_before).all()
    assert window.statusBar().currentMessage() == "50 is above the largest K, 32; kept 3"
