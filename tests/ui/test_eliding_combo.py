from explorer.ui.theme import theme
from explorer.ui.widgets.eliding_combo import ElidingComboBox
from tests.ui.seen import combo_shows_whole

ITEMS = ("float64 (exact match)", "float32 (PyTorch default)")


def make_combo(qtbot) -> ElidingComboBox:
    combo = ElidingComboBox(8)
    qtbot.addWidget(combo)
    for text in ITEMS:
        combo.addItem(text)
    combo.setToolTip("The dtype of input and target")
    combo.show()
    qtbot.waitExposed(combo)
    return combo


def test_at_its_preferred_width_every_item_shows_whole(qtbot):
    combo = make_combo(qtbot)
    combo.resize(combo.sizeHint())
    for index in range(combo.count()):
        combo.setCurrentIndex(index)
        assert combo_shows_whole(combo) and combo.shown_text() == combo.currentText()
        assert combo.toolTip() == "The dtype of input and target"


def test_narrower_it_elides_and_says_the_whole_text_on_hover(qtbot):
    combo = make_combo(qtbot)
    combo.resize(combo.minimumSizeHint())
    assert combo.width() < combo.sizeHint().width()
    shown = combo.shown_text()
    assert shown.endswith("…") and ITEMS[0].startswith(shown[:-1])
    assert combo.fontMetrics().horizontalAdvance(shown) <= combo.text_room()
    assert combo.toolTip() == f"{ITEMS[0]}\n\nThe dtype of input and target"
    combo.resize(combo.sizeHint())
    assert combo.toolTip() == "The dtype of input and target"


def test_a_zoom_that_makes_the_text_too_wide_elides_it(qtbot):
    combo = make_combo(qtbot)
    combo.setFixedWidth(combo.sizeHint().width())
    assert combo.shown_text() == ITEMS[0]
    theme().set(zoom=1.5)
    qtbot.waitUntil(lambda: combo.shown_text().endswith("…"))
    assert combo.toolTip().startswith(ITEMS[0])
