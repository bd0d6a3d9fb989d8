"""Run code written for torch against the engine: inside :func:`torch_modules`, ``import torch``
(and ``torch.nn``, ``torch.nn.functional``, ``torch.nn.modules.loss``...) imports the engine.

This is how the lecture notes' code runs unchanged (``explorer/lecture_notes.py``), and how a
console can take what a learner types: :func:`run_code` runs it and gives back what it printed,
raised and warned. The aliases live in ``sys.modules`` only while the context is open, so a
real torch (if installed) is untouched outside it.

Examples
--------
>>> with torch_modules():
...     import torch
...     from torch.nn.modules.loss import _Loss
>>> torch.__name__, _Loss.__module__
('explorer.engine', 'explorer.engine.nn.loss')
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# torch's module -> the engine's module that plays it
ALIASES: dict[str, str] = {
    "torch": "explorer.engine",
    "torch.nn": "explorer.engine.nn",
    "torch.nn.functional": "explorer.engine.nn.functional",
    "torch.nn.init": "explorer.engine.nn.init",
    "torch.nn.parameter": "explorer.engine.nn.parameter",
    "torch.nn.modules.module": "explorer.engine.nn.module",
    "torch.nn.modules.loss": "explorer.engine.nn.loss",
    "torch.nn.modules.linear": "explorer.engine.nn.linear",
    "torch.nn.modules.activation": "explorer.engine.nn.activation",
    "torch.nn.modules.container": "explorer.engine.nn.container",
    "torch.nn.modules.dropout": "explorer.engine.nn.dropout",
    "torch.nn.modules.flatten": "explorer.engine.nn.flatten",
    "torch.optim": "explorer.engine.optim",
    "torch.special": "explorer.engine.special",
    "torch.cuda": "explorer.engine.cuda",
}


def _modules_package() -> types.ModuleType:
    """``torch.nn.modules``: the engine's layer files under torch's names, and every layer."""
    package = types.ModuleType("torch.nn.modules", "The engine's nn modules, as torch.nn.modules.")
    package.__path__ = []  # a package, so that its submodules can be imported from it
    nn = importlib.import_module("explorer.engine.nn")
    for name in nn.__all__:
        setattr(package, name, getattr(nn, name))
    for alias, target in ALIASES.items():
        if alias.startswith("torch.nn.modules."):
            setattr(package, alias.rsplit(".", 1)[1], importlib.import_module(target))
    return package


def aliased_modules() -> dict[str, Any]:
    """The ``sys.modules`` entries that make torch's module names import the engine."""
    modules = {alias: importlib.import_module(target) for alias, target in ALIASES.items()}
    modules["torch.nn.modules"] = _modules_package()
    return modules


@contextlib.contextmanager
def torch_modules() -> Iterator[None]:
    """Context manager under which ``import torch`` (and its submodules) gives the engine."""
    modules = aliased_modules()
    previous = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in previous.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def torch_namespace() -> dict[str, Any]:
    """The names code written for torch usually starts with: ``torch``, ``nn``, ``F``, ``np``,
    as ``import torch; from torch import nn; import torch.nn.functional as F`` gives them."""
    import numpy as np

    engine = importlib.import_module("explorer.engine")
    return {
        "__name__": "__main__",
        "torch": engine,
        "nn": engine.nn,
        "F": importlib.import_module("explorer.engine.nn.functional"),
        "np": np,
    }


@dataclass(frozen=True)
class Outcome:
    """What running a piece of code gave.

    Attributes
    ----------
    stdout : str
        What it printed.
    error : str or None
        The exception it ended with, as ``"RuntimeError: message"``; None if it ran through.
    warnings : tuple of str
        Its warnings in order, as ``"UserWarning: message"``.
    """

    stdout: str
    error: str | None
    warnings: tuple[str, ...]


def run_code(code: str, namespace: dict[str, Any], filename: str = "<code>") -> Outcome:
    """Run ``code`` in ``namespace`` as a learner would, capturing its output.

    Any exception is caught and reported (a learner's code may raise, and torch's errors are
    part of what it shows); every warning is recorded, repeats included.
    """
    out = io.StringIO()
    error = None
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            exec(compile(code, filename, "exec"), namespace)  # noqa: S102 (the learner's code)
        except Exception as exc:  # noqa: BLE001 (reported, as a console shows it)
            error = f"{type(exc).__name__}: {exc}"
    shown = tuple(f"{w.category.__name__}: {w.message}" for w in caught)
    return Outcome(out.getvalue(), error, shown)


_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)")
_ANOMALY_HINT = re.compile(r" Hint: enable anomaly detection .*? check_nan=False\)\.")


def comparable(text: str) -> str:
    """``text`` with what cannot match between torch and the engine taken out.

    Object addresses become ``0x…``; the engine's module paths read as torch's
    (``explorer.engine.nn.parameter.Parameter`` as ``torch.nn.parameter.Parameter``); torch's
    "(Triggered internally at <build path>)" notes and its hint to turn on anomaly detection
    (an API the engine does not have) are dropped.
    """
    text = _ANOMALY_HINT.sub("", _TRIGGERED.sub("", _ADDRESS.sub("0x…", text)))
    return text.replace("explorer.engine", "torch")
