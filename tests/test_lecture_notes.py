"""The lecture notes' code blocks, read from their resource file."""

import json

import pytest

import explorer.lecture_notes as lecture_notes
from explorer.lecture_notes import CodeBlock, load_blocks

SESSION = """>>> for param in model.parameters():
...     print(type(param), param.size())
<class 'torch.Tensor'> (20L,)
"""


def test_a_session_block_runs_without_its_prompts_and_output():
    block = CodeBlock("09-loop", "parameters()", "A loop", SESSION, session=True)
    expected = "for param in model.parameters():\n    print(type(param), param.size())\n"
    assert block.source == expected


def test_a_plain_block_runs_as_written():
    block = CodeBlock("01-model", "Module", "A model", "x = 1\n", session=False)
    assert block.source == "x = 1\n"


def test_blocks_are_read_in_order_with_their_setup_and_then(tmp_path, monkeypatch):
    path = tmp_path / "lecture_notes.json"
    entries = [
        {"id": "01-a", "section": "S", "title": "A", "code": "a = 1\n", "session": False},
        {
            "id": "02-b",
            "section": "S",
            "title": "B",
            "code": ">>> print(a)\n1\n",
            "session": True,
            "setup": "a = 2\n",
            "then": "print(a + 1)\n",
            "torch": {"stdout": "2\n3\n", "error": None, "warnings": []},
        },
    ]
    path.write_text(json.dumps({"about": "", "torch": "2.13.0", "blocks": entries}))
    monkeypatch.setattr(lecture_notes, "resource_path", lambda name: tmp_path / name)
    first, second = load_blocks()
    assert (first.id, first.setup, first.then) == ("01-a", "", "")
    assert (second.title, second.source, second.setup, second.then) == (
        "B",
        "print(a)\n",
        "a = 2\n",
        "print(a + 1)\n",
    )


def test_a_missing_file_is_named(tmp_path, monkeypatch):
    def missing(name):
        raise FileNotFoundError(f"resource {name!r} is missing")

    monkeypatch.setattr(lecture_notes, "resource_path", missing)
    with pytest.raises(FileNotFoundError, match="lecture_notes.json"):
        load_blocks()
