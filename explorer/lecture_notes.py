"""The lecture notes' code blocks, and running them on the engine as torch runs them.

``resources/lecture_notes.json`` holds every code block of the lecture notes, verbatim and in
order, with a title, the notes' section, what torch 2.13 printed, raised and warned for it
(recorded by ``tools/make_golden.py``), and, where a block needs them, ``setup`` (what the
notes leave implicit, run first) and ``then`` (code that uses what the block defined, run
after). A block written as an interactive session (``>>>``) runs without its prompts and the
output lines the notes show.

:func:`run_on_engine` runs a block with ``import torch`` meaning the engine
(:mod:`explorer.engine.as_torch`); a console's *Examples* menu can offer :func:`load_blocks`.

Examples
--------
>>> blocks = load_blocks()
>>> blocks[-1].title
'torch.nn.KLDivLoss (inline code in the notes; indentation restored)'
>>> print(run_on_engine(blocks[-1]).stdout, end="")
KLDivLoss() batchmean tensor(0.1438)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from explorer.engine.as_torch import Outcome, run_code, torch_modules, torch_namespace
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
    torch : Outcome or None
        What torch 2.13 gave for setup, block and then; None if not recorded.
    """

    id: str
    section: str
    title: str
    code: str
    session: bool
    setup: str = ""
    then: str = ""
    torch: Outcome | None = None

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
    recorded = entry.get("torch")
    torch = None
    if recorded is not None:
        torch = Outcome(recorded["stdout"], recorded["error"], tuple(recorded["warnings"]))
    return CodeBlock(
        id=entry["id"],
        section=entry["section"],
        title=entry["title"],
        code=entry["code"],
        session=entry["session"],
        setup=entry.get("setup", ""),
        then=entry.get("then", ""),
        torch=torch,
    )


def run_block(block: CodeBlock, namespace: dict[str, Any]) -> Outcome:
    """Run ``block``'s setup, source and then in ``namespace``, stopping at an exception."""
    stdout, warned = [], []
    error = None
    for part, code in (("setup", block.setup), ("block", block.source), ("then", block.then)):
        if not code:
            continue
        outcome = run_code(code, namespace, f"<lecture notes {block.id}: {part}>")
        stdout.append(outcome.stdout)
        warned.extend(outcome.warnings)
        if outcome.error is not None:
            error = outcome.error
            break
    return Outcome("".join(stdout), error, tuple(warned))


def run_on_engine(block: CodeBlock) -> Outcome:
    """Run ``block`` with ``torch``, ``nn`` and ``F`` (and ``import torch``) the engine's."""
    with torch_modules():
        return run_block(block, torch_namespace())
