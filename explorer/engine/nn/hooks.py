"""Hook handles, as ``torch.utils.hooks.RemovableHandle``."""

from __future__ import annotations

from collections import OrderedDict


class RemovableHandle:
    """Returned by ``register_*_hook``; :meth:`remove` unregisters the hook."""

    _next_id = 0

    def __init__(self, hooks_dict: OrderedDict):
        self.hooks_dict = hooks_dict
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1

    def remove(self) -> None:
        self.hooks_dict.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()
