"""What the Distributions tab keeps in a session, and the checks a saved state passes first.

A state is applied all or nothing: :func:`parse_state` validates every entry on a scratch
:class:`~explorer.info.DistributionPair` and returns what to show, or raises ValueError
naming the bad entry, before the tab touches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from explorer.info import DistributionPair, resolve_base
from explorer.info.units import base_label
from explorer.ui.distributions.gaussian_panel import PARAMETERS
from explorer.ui.distributions.presets import MAX_SEED

MODES = ("discrete", "gaussian")
STATE_KEYS = ("mode", "k", "p", "q", "base", "selected", "gaussian", "random_seed", "labels")
#: Longest category name accepted by ``set_distributions(..., labels=...)``.
MAX_LABEL_CHARS = 60


@dataclass(frozen=True)
class TabState:
    """Everything the tab shows that a session restores."""

    pair: DistributionPair
    base: float
    mode: str
    labels: tuple[str, ...] | None
    random_seed: int
    gaussian: dict[str, Any] = field(default_factory=dict)


def parse_state(state: Any, current: TabState) -> TabState:
    """``state`` (any subset of ``STATE_KEYS``) applied on top of ``current``, validated.

    Category names survive only while the categories do: a state that changes P, Q or K
    without naming them drops them.
    """
    if not isinstance(state, dict):
        raise ValueError(f"state must be a dict; got {type(state).__name__}")
    unknown = sorted(set(state) - set(STATE_KEYS))
    if unknown:
        raise ValueError(f"unknown Distributions state entries: {unknown}")
    scratch = DistributionPair(current.pair.p, current.pair.q)
    try:
        if "p" in state or "q" in state:
            scratch.set(state.get("p", current.pair.p), state.get("q", current.pair.q))
        if "k" in state and ("p" in state or "q" in state):
            if state["k"] != scratch.k:
                raise ValueError(f"k is {state['k']!r} but p and q have {scratch.k} categories")
        elif "k" in state:
            scratch.set_category_count(state["k"])
        if "selected" in state:
            scratch.select(state["selected"])
        base = resolve_base(state.get("base", base_label(current.base)))
        mode = state.get("mode", current.mode)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        gaussian = state.get("gaussian", {})
        if not isinstance(gaussian, dict):
            raise ValueError(f"gaussian must be a dict of {list(PARAMETERS)}; got {gaussian!r}")
        if "labels" in state:
            labels = state["labels"]
            labels = None if labels is None else check_labels(labels, scratch.k)
        elif scratch.k == current.pair.k and not {"p", "q", "k"} & set(state):
            labels = current.labels
        else:
            labels = None
        seed = state.get("random_seed", current.random_seed)
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"random_seed must be an integer 0..{MAX_SEED}; got {seed!r}")
    except (TypeError, ValueError) as error:
        raise ValueError(f"bad Distributions state: {error}") from None
    return TabState(scratch, base, mode, labels, seed, gaussian)


def check_labels(labels, k: int) -> tuple[str, ...]:
    """``labels`` as a tuple of K non-empty strings; ValueError naming what is wrong."""
    if isinstance(labels, str) or not isinstance(labels, list | tuple):
        raise ValueError(f"labels must be a list of {k} strings; got {labels!r}")
    if len(labels) != k:
        raise ValueError(f"labels must name all {k} categories; got {len(labels)}: {labels!r}")
    for i, label in enumerate(labels):
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL_CHARS:
            raise ValueError(
                f"label {i} must be a non-empty string of at most {MAX_LABEL_CHARS} "
                f"characters; got {label!r}"
            )
    return tuple(label.strip() for label in labels)


__all__ = ["MAX_LABEL_CHARS", "MODES", "STATE_KEYS", "TabState", "check_labels", "parse_state"]
