"""The Examples menu: one entry per block of the lecture notes, each pasting a cell."""

from PySide6.QtWidgets import QMenu

from explorer.lecture_notes import CodeBlock
from explorer.ui.console.examples import UNAVAILABLE, example_text, fill_examples_menu

BLOCKS = (
    CodeBlock("01-a", "Module", "A class", "class A:\n    pass\n", session=False),
    CodeBlock(
        "02-b",
        "Loss",
        "A session",
        ">>> print(A)\n<class 'A'>\n",
        session=True,
        setup="import math\n",
        then="print(math.pi)\n",
    ),
)


def test_a_cell_has_a_title_line_the_setup_the_block_and_what_uses_it():
    assert example_text(BLOCKS[0]) == "# A class (the lecture notes: Module)\nclass A:\n    pass"
    assert example_text(BLOCKS[1]) == (
        "# A session (the lecture notes: Loss)\nimport math\nprint(A)\n# using it\n"
        "print(math.pi)"
    )


def test_the_menu_lists_blocks_under_their_sections_and_pastes_the_chosen_one(qtbot):
    menu = QMenu()
    pasted = []
    fill_examples_menu(menu, lambda: BLOCKS, pasted.append)
    texts = [(a.text(), a.isSeparator()) for a in menu.actions()]
    assert texts == [("Module", True), ("A class", False), ("Loss", True), ("A session", False)]
    menu.actions()[3].trigger()
    assert pasted == [BLOCKS[1]]


def test_unreadable_notes_leave_one_disabled_entry_that_says_why(qtbot):
    def missing():
        raise FileNotFoundError("resource 'lecture_notes.json' is missing")

    menu = QMenu()
    fill_examples_menu(menu, missing, print)
    (action,) = menu.actions()
    assert not action.isEnabled()
    assert action.text().startswith(UNAVAILABLE) and "lecture_notes.json" in action.text()
