"""The Model tab's saved state: what it holds and how a saved copy is checked (the model's
configuration is the model document's, saved in its own section)."""

from __future__ import annotations

from typing import Any

VIEWS = ("weights", "forward")
SAMPLE_SOURCES = ("random", "dataset")
DEFAULT_STATE: dict[str, Any] = {
    "selected": "",
    "recurse": True,
    "view": "weights",
    "sample_source": "random",
    "sample_index": 0,
}


def validate_tab_state(state: Any) -> dict[str, Any]:
    """A complete, checked copy of ``state`` (missing keys take the defaults).

    Raises ValueError naming the bad key and quoting its value.
    """
    if not isinstance(state, dict):
        raise ValueError(f"model tab state must be a dict; got {state!r}")
    unknown = sorted(set(state) - set(DEFAULT_STATE))
    if unknown:
        raise ValueError(f"unknown model tab state key(s): {', '.join(unknown)}")
    merged = {**DEFAULT_STATE, **state}
    recurse, view = merged["recurse"], merged["view"]
    source, index, selected = merged["sample_source"], merged["sample_index"], merged["selected"]
    if not isinstance(recurse, bool):
        raise ValueError(f"recurse must be true or false; got {recurse!r}")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}; got {view!r}")
    if source not in SAMPLE_SOURCES:
        raise ValueError(f"sample_source must be 'random' or 'dataset'; got {source!r}")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"sample_index must be a whole number >= 0; got {index!r}")
    if not isinstance(selected, str):
        raise ValueError(f"selected must be a qualified name such as 'linear1'; got {selected!r}")
    return merged
