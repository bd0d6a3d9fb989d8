"""Code a learner types gives what torch gives: output, exception and warnings.

Each snippet in tests/golden/semantics.json (written by ``tools/make_golden.py`` with torch
2.13; this test never imports torch) runs with ``torch`` bound to ``explorer.engine``, on the
fast path and on the plain path, and must print, raise and warn what torch did (compared
through ``as_torch.comparable``). A snippet marked ``prefix`` compares its exception message up
to the tensor's type: torch's in-place error then names the transposed view of the weight its
linear kernel saved, where the engine names the weight.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.engine.as_torch import comparable, run_code, torch_modules, torch_namespace

pytestmark = pytest.mark.usefixtures("engine_path")

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "semantics.json"
DOCUMENT = json.loads(GOLDEN.read_text(encoding="utf-8"))
SNIPPETS = DOCUMENT["snippets"]


def test_written_by_torch_2_13():
    assert DOCUMENT["torch"].startswith("2.13.0")
    assert len(SNIPPETS) > 300


def _error(text: str | None, compare: str) -> str | None:
    if text is None or compare != "prefix" or "Tensor [" not in text:
        return text
    return text[: text.index("Tensor [") + len("Tensor")]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s["id"])
def test_the_engine_prints_raises_and_warns_as_torch(snippet):
    with torch_modules():
        outcome = run_code(snippet["code"], torch_namespace(), "<snippet>")
    compare = snippet.get("compare", "exact")
    error = None if outcome.error is None else comparable(outcome.error)
    assert _error(error, compare) == _error(snippet.get("error"), compare)
    assert comparable(outcome.stdout) == snippet["stdout"]
    assert [comparable(w) for w in outcome.warnings] == snippet["warnings"]
