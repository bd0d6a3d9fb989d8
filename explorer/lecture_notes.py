"""The lecture notes' code blocks, read from ``resources/lecture_notes.json``.

The file holds every code block of the lecture notes, verbatim and in order, with a title,
the notes' section and, where a block needs them, ``setup`` (what the notes leave implicit,
run first) and ``then`` (code that uses what the block defined, run after). A block written
as an interactive session (``>>>``) runs without its prompts and the output lines the notes
show. The console's *Examples* menu offers :func:`load_blocks`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from explorer.resources import resource_path

RESOURCE = "lecture_notes.json"
_PROMPTS = (">>> ", "... ", ">>>", "...")


@dataclass(frozen=True)
class CodeBlock:
    """One code block of the lecture notes.

    Attributes
    ----------
    id : str
        ``"01-model-init"``: its position in the notes and a name.
    section, title : str
        The notes' heading above it, and what it is.
    code : str
        The block as the notes print it.
    session : bool
        Whether it is an interactive session (``>>>`` prompts, output lines).
    setup, then : str
        Code run before and after it ("" for none).
    """

    id: str
    section: str
    title: str
    code: str
    session: bool
    setup: str = ""
    then: str = ""

    @property
    def source(self) -> str:
        """The block as Python runs it: a session's statements without prompts or output."""
        if not self.session:
            return self.code
        lines = []
        for line in self.code.splitlines():
            stripped = line.rstrip()
            for prompt in _PROMPTS:
                if stripped.startswith(prompt):
                    lines.append(stripped[len(prompt) :])
                    break
        return "\n".join(lines) + "\n"


def load_blocks() -> tuple[CodeBlock, ...]:
    """Every code block of the lecture notes, in order."""
    document = json.loads(resource_path(RESOURCE).read_text(encoding="utf-8"))
    return tuple(_block(entry) for entry in document["blocks"])


def _block(entry: dict[str, Any]) -> CodeBlock:
    return CodeBlock(
        id=entry["id"],
        section=entry["section"],
        title=entry["title"],
        code=entry["code"],
        session=entry["session"],
        setup=entry.get("setup", ""),
        then=entry.get("then", ""),
    )
