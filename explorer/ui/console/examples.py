"""The console's *Examples* menu: each code block of the lecture notes, pasted as a cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMenu

from explorer.lecture_notes import CodeBlock

#: What the menu shows when the notes' blocks cannot be read.
UNAVAILABLE = "The lecture notes' code is not available"


def example_text(block: CodeBlock) -> str:
    """The cell that runs ``block``: a title line, what the notes leave implicit, the block
    (a session without its prompts and output), and code that uses what it defined."""
    parts = [f"# {block.title} (the lecture notes: {block.section})"]
    if block.setup.strip():
        parts.append(block.setup.rstrip())
    parts.append(block.source.rstrip())
    if block.then.strip():
        parts.append("# using it\n" + block.then.rstrip())
    return "\n".join(parts)


def fill_examples_menu(
    menu: QMenu,
    load: Callable[[], Sequence[CodeBlock]],
    paste: Callable[[CodeBlock], None],
) -> None:
    """Fill ``menu`` with one action per block ``load()`` gives, under its section's heading;
    ``paste(block)`` when one is chosen. If the blocks cannot be read, one disabled entry
    says why."""
    menu.clear()
    try:
        blocks = load()
    except (OSError, ValueError, KeyError, TypeError) as error:
        action = menu.addAction(f"{UNAVAILABLE} ({error})")
        action.setEnabled(False)
        return
    section = None
    for block in blocks:
        if block.section != section:
            section = block.section
            menu.addSection(section)
        action = menu.addAction(block.title)
        action.setObjectName(f"example-{block.id}")
        action.setStatusTip(f"Paste the lecture notes' block {block.id} into the console")
        action.triggered.connect(lambda _checked=False, b=block: paste(b))
