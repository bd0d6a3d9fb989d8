"""How ``nn.Module`` prints: torch's layout of ``extra_repr()`` and the indented children.

:class:`explorer.engine.nn.module.Module` takes :func:`module_repr` as its ``__repr__`` (and
keeps ``extra_repr`` and ``_get_name``, the parts layers override); the layout is a file of its
own because it is not Module's business of registering and routing, and because it is shared:
``Sequential``'s repr, which folds runs of identical children, indents with :func:`_addindent`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.engine.nn.module import Module


def _addindent(text: str, num_spaces: int) -> str:
    """Indent every line but the first by ``num_spaces`` (blank lines stay empty)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first = lines.pop(0)
    rest = [(num_spaces * " ") + line if line.strip() else "" for line in lines]
    return first + "\n" + "\n".join(rest)


def module_repr(self: Module) -> str:
    """``repr(module)``: the one-line ``extra_repr()`` inline, else its lines and then each
    child as ``(name): repr(child)``, indented by two spaces."""
    extra = self.extra_repr()
    extra_lines = extra.split("\n") if extra else []
    child_lines = [
        f"({key}): " + _addindent(repr(module), 2) for key, module in self._modules.items()
    ]
    lines = extra_lines + child_lines
    main = self._get_name() + "("
    if lines:
        if len(extra_lines) == 1 and not child_lines:
            main += extra_lines[0]
        else:
            main += "\n  " + "\n  ".join(lines) + "\n"
    return main + ")"
