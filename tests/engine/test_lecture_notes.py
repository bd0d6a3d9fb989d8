"""Every code block of the lecture notes runs on the engine as it runs on torch.

``resources/lecture_notes.json`` holds the blocks and what torch 2.13 printed, raised and
warned for each (recorded by ``tools/make_golden.py``; this test never imports torch). Each
block runs with ``torch``, ``nn`` and ``F`` the engine's, on the fast path and on the plain
path, and must give the same output, exception and warnings (compared through
``as_torch.comparable``: the engine's module paths read as torch's).
"""

from __future__ import annotations

import pytest

from explorer.engine.as_torch import comparable
from explorer.lecture_notes import load_blocks, run_on_engine

BLOCKS = load_blocks()


def test_every_block_of_the_lecture_notes_is_there_with_torchs_outcome():
    assert len(BLOCKS) == 21  # 20 code blocks and the KLDivLoss written inline
    assert len({block.id for block in BLOCKS}) == len(BLOCKS)
    assert all(block.torch is not None and block.title for block in BLOCKS)


def test_a_session_runs_without_its_prompts_and_output_lines():
    loop = next(block for block in BLOCKS if block.id == "09-parameters-loop")
    assert loop.session
    assert loop.source == "for param in model.parameters():\n    print(type(param), param.size())\n"
    assert not BLOCKS[0].session and BLOCKS[0].source == BLOCKS[0].code


@pytest.mark.usefixtures("engine_path")
@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.id)
def test_the_block_gives_what_torch_gives(block):
    outcome = run_on_engine(block)
    assert comparable(outcome.stdout) == block.torch.stdout
    assert (outcome.error and comparable(outcome.error)) == block.torch.error
    assert [comparable(w) for w in outcome.warnings] == list(block.torch.warnings)
