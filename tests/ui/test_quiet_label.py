from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from explorer.ui.widgets.quiet_label import QuietLabelBox
from tests.ui.event_counts import EventCount


def test_a_new_text_asks_no_layout_above_the_box_for_room(qtbot):
    row = QWidget()
    qtbot.addWidget(row)
    layout = QHBoxLayout(row)
    quiet, loud = QLabel("short"), QLabel("short")
    box = QuietLabelBox(quiet)
    layout.addWidget(box, 1)
    layout.addWidget(loud)
    row.resize(400, 40)
    row.show()
    qtbot.waitExposed(row)
    qtbot.wait(50)  # the first layout is done
    requests = EventCount(QEvent.Type.LayoutRequest)
    row.installEventFilter(requests)
    quiet.setText("a much longer text than before, with numbers 0.123456")
    qtbot.wait(20)
    assert requests.count == 0
    assert quiet.width() == box.width() and quiet.text().startswith("a much longer")
    loud.setText("a much longer text than before")  # a plain label does ask
    qtbot.waitUntil(lambda: requests.count > 0)
