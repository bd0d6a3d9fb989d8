from PySide6.QtWidgets import QSpinBox

from explorer.ui.widgets.signals import signals_blocked


def test_widgets_are_quiet_inside_the_block_and_as_before_after_it(qtbot):
    first, second = QSpinBox(), QSpinBox()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    heard = []
    for box in (first, second):
        box.valueChanged.connect(heard.append)
    second.blockSignals(True)  # already quiet: it stays so
    with signals_blocked(first, second):
        first.setValue(3)
        second.setValue(4)
    assert heard == []
    assert not first.signalsBlocked() and second.signalsBlocked()
    first.setValue(5)
    assert heard == [5]
