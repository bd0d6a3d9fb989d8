from PySide6.QtWidgets import QApplication

from explorer.ui.theme import theme
from explorer.ui.widgets.fitting_label import FittingLabel


def test_the_long_text_where_it_fits_and_the_short_one_once_a_zoom_makes_it_too_wide(qtbot):
    label = FittingLabel("Examples from the notes", "Notes")
    qtbot.addWidget(label)
    label.resize(label.sizeHint().width(), label.sizeHint().height())
    label.show()
    qtbot.waitExposed(label)
    assert label.text() == "Examples from the notes"
    width = label.width()
    theme().set(zoom=1.5)
    QApplication.processEvents()
    assert label.width() == width  # the same room, a larger font: no cut long text
    assert label.text() == "Notes"
    theme().set(zoom=1.0)
    assert label.text() == "Examples from the notes"
