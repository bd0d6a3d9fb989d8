"""What a module's iterators yield and what its registries hold, as text a student can read.

Each listing is written as the Python a person would type and what it prints, so the tab
reads like the lecture notes' slides: ``for param in model.parameters(recurse=False): ...`` followed
by its (possibly empty) output, with an explanation when it is empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.inspect.module_info import ROOT_NAME, TreeNode, format_shape

# The registries the lecture notes' __init__ slide lists, in its order; absent ones are skipped.
INTERNALS = (
    "training",
    "_parameters",
    "_buffers",
    "_non_persistent_buffers_set",
    "_backward_hooks",
    "_is_full_backward_hook",
    "_forward_hooks",
    "_forward_pre_hooks",
    "_state_dict_hooks",
    "_load_state_dict_pre_hooks",
    "_modules",
)


def _qualified_names(root) -> dict[int, str]:
    """id(parameter) -> its name from the root, to say which object each yield is."""
    return {id(p): f"{ROOT_NAME}.{name}" for name, p in root.named_parameters()}


def _empty_reason(node: TreeNode) -> str:
    module = node.obj
    kind = type(module).__name__
    children = list(module._modules)
    if children and any(True for _ in module.parameters(recurse=True)):
        where = ", ".join(children)
        return (
            f"(nothing: {kind} keeps no parameters of its own; "
            f"they live in its {'child' if len(children) == 1 else 'children'} {where})"
        )
    return f"(nothing: {kind} has no parameters at all)"


def parameter_listing(node: TreeNode, root, recurse: bool) -> str:
    """What ``parameters(recurse)``, ``named_parameters(recurse=recurse)`` and
    ``state_dict()`` give for the module at ``node``, as a Python session would print them.

    For a parameter or buffer node, explains that it is a tensor held in its owner's
    registry rather than a module (a Parameter has no ``parameters()``).
    """
    if not node.is_module:
        return _tensor_listing(node)
    module, code, flag = node.obj, node.code, f"recurse={recurse}"
    names = _qualified_names(root)
    params = list(module.parameters(recurse=recurse))
    named = list(module.named_parameters(recurse=recurse))
    other = sum(1 for _ in module.parameters(recurse=not recurse))
    lines = [
        f">>> for param in {code}.parameters({flag}):",
        "...     print(type(param).__name__, tuple(param.shape))",
    ]
    if params:
        width = max(len(f"Parameter {tuple(p.shape)}") for p in params)
        for p in params:
            text = f"{type(p).__name__} {tuple(p.shape)}"
            lines.append(f"{text:<{width}}   # is {names.get(id(p), '?')}")
    else:
        lines.append(_empty_reason(node))
    lines += [
        "",
        f">>> for name, param in {code}.named_parameters({flag}):",
        "...     print(name, tuple(param.shape))",
    ]
    lines += [f"{name} {tuple(p.shape)}" for name, p in named] or [_empty_reason(node)]
    lines += [
        "",
        f"# {len(params)} parameter{'s' * (len(params) != 1)} with {flag}; "
        f"recurse={not recurse} would yield {other}.",
        "",
        f">>> list({code}.state_dict().keys())",
        repr(list(module.state_dict().keys())),
    ]
    return "\n".join(lines)


def _tensor_listing(node: TreeNode) -> str:
    owner = node.parent
    registry = "_parameters" if node.kind == "parameter" else "_buffers"
    data = np.asarray(node.obj)
    return "\n".join(
        [
            f"{node.code} is a {type(node.obj).__name__}, not a Module: it has no parameters().",
            f"It is stored in its owner's registry: {owner.code}.{registry}[{node.name!r}]",
            "",
            f">>> {node.code}.shape, {node.code}.dtype, {node.code}.requires_grad",
            f"({format_shape(data.shape)}, {data.dtype}, "
            f"{bool(getattr(node.obj, 'requires_grad', False))})",
            "",
            f">>> {owner.code}.{registry}[{node.name!r}] is {node.code}",
            "True",
            "",
            f"Select {owner.code} to see what its parameters() yield.",
        ]
    )


def short_repr(value: Any) -> str:
    """A one-line repr for a registry value (a parameter's full repr prints every number)."""
    if hasattr(value, "_parameters") and hasattr(value, "_modules"):
        text = repr(value)
        return text if "\n" not in text else f"{type(value).__name__}(...)"
    if hasattr(value, "__array__") and hasattr(value, "requires_grad"):
        return (
            f"{type(value).__name__}(shape={format_shape(np.shape(value))}, "
            f"dtype={np.asarray(value).dtype}, requires_grad={bool(value.requires_grad)})"
        )
    if callable(value):
        name = getattr(value, "__qualname__", None) or type(value).__name__
        return f"<function {name}>"
    return repr(value)


def _format_registry(value: Any) -> str:
    if isinstance(value, dict):
        if not value:
            return f"{type(value).__name__}()"
        items = "".join(f"\n    ({k!r}, {short_repr(v)})," for k, v in value.items())
        return f"{type(value).__name__}([{items}\n])"
    return repr(value)


def internals_listing(node: TreeNode) -> str:
    """The module's own state as ``__init__`` created it: ``training`` and its OrderedDicts."""
    module = node.module()
    code = node.code if node.is_module else node.parent.code
    lines = [f"# {code}: the state nn.Module.__init__ created, live"]
    for name in INTERNALS:
        if name not in vars(module):
            continue
        lines.append(f"{code}.{name} = {_format_registry(vars(module)[name])}")
    plain = {k: v for k, v in vars(module).items() if k not in INTERNALS and k[0] != "_"}
    lines += [
        "",
        "# Plain attributes stay in __dict__; Module.__setattr__ routed every Parameter",
        "# into _parameters and every Module into _modules, so they are not here:",
        f"{{k: v for k, v in vars({code}).items() if not k.startswith('_')}} == "
        + (_format_plain(plain) if plain else "{}"),
    ]
    return "\n".join(lines)


def _format_plain(attributes: dict[str, Any]) -> str:
    items = "".join(f"\n    {k!r}: {short_repr(v)}," for k, v in attributes.items())
    return "{" + items + "\n}"
