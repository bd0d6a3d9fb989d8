from PySide6.QtGui import QPalette, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel, QTreeView

from explorer.ui.colors import DARK, contrast
from explorer.ui.theme import theme
from explorer.ui.widgets.card import set_text_color
from explorer.ui.widgets.zoom import follow_font, scale_columns


def test_a_font_of_its_own_follows_the_zoom_and_fits_after(qtbot):
    label = QLabel("0.125")
    qtbot.addWidget(label)
    base = QApplication.font().pointSizeF()
    heights = []
    follow_font(label, 4, bold=True, after=lambda: heights.append(label.fontMetrics().height()))
    assert label.font().pointSizeF() == base + 4 and label.font().bold()
    theme().set(zoom=1.5)
    assert label.font().pointSizeF() == 1.5 * (base + 4)
    assert heights[1] > heights[0]  # measured with the new font


def test_column_widths_keep_their_proportion_to_the_zoom(qtbot):
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(QStandardItemModel(1, 3, view))
    view.setColumnWidth(0, 100)
    view.setColumnWidth(1, 40)
    scale_columns(view)
    theme().set(zoom=1.5)
    assert (view.columnWidth(0), view.columnWidth(1)) == (150, 60)
    theme().set(zoom=1.0)
    assert (view.columnWidth(0), view.columnWidth(1)) == (100, 40)


def test_coloured_text_is_readable_in_either_appearance_and_can_be_plain_again(qtbot):
    label = QLabel("KL")
    qtbot.addWidget(label)
    set_text_color(label, "kl")
    theme().set(palette=DARK)
    color = label.palette().color(QPalette.ColorRole.WindowText).getRgb()[:3]
    assert contrast(color, DARK.panel) >= 4.5
    set_text_color(label, None)
    assert label.property("textRole") == ""
    plain = QApplication.palette().color(QPalette.ColorRole.WindowText)
    assert label.palette().color(QPalette.ColorRole.WindowText) == plain
