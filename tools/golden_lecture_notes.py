"""Record what torch prints, raises and warns for each lecture-notes code block (dev-only).

The blocks live in ``resources/lecture_notes.json`` (the app ships them: see
``explorer/lecture_notes.py``); this fills in each block's ``torch`` entry, running its setup,
code and then with torch 2.13 as ``explorer.lecture_notes.run_block`` runs them on the engine,
through ``explorer.engine.as_torch.comparable`` (object addresses as ``0x…``).
tests/engine/test_lecture_notes.py runs every block on the engine and compares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (torch's alias)
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the worktree, for explorer
from explorer.engine.as_torch import comparable  # noqa: E402 (after the path)
from explorer.lecture_notes import RESOURCE, load_blocks, run_block  # noqa: E402

RESOURCE_PATH = ROOT / "resources" / RESOURCE


def write_golden(out_dir: Path) -> list[Path]:
    """Run every block with torch and record the outcomes in the resource (not ``out_dir``:
    the app shows them beside the engine's)."""
    document = json.loads(RESOURCE_PATH.read_text(encoding="utf-8"))
    by_id = {block.id: block for block in load_blocks()}
    for entry in document["blocks"]:
        torch.manual_seed(0)
        namespace = {"torch": torch, "nn": nn, "F": F, "np": np, "__name__": "__main__"}
        outcome = run_block(by_id[entry["id"]], namespace)
        entry["torch"] = {
            "stdout": comparable(outcome.stdout),
            "error": None if outcome.error is None else comparable(outcome.error),
            "warnings": [comparable(w) for w in outcome.warnings],
        }
    document["torch"] = torch.__version__
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    RESOURCE_PATH.write_text(text, encoding="utf-8")
    return [RESOURCE_PATH]
