"""``torch.device`` and ``torch.cuda`` for an engine that runs on the CPU only.

``torch.device("cuda" if torch.cuda.is_available() else "cpu")`` picks the CPU here, so code
written for either runs; asking for a GPU outright (``.cuda()``, ``.to("cuda")``) raises
:func:`no_gpu`'s error, which says what to change.
"""

from __future__ import annotations

from typing import Any


class device:  # noqa: N801 (torch's name)
    """A device name, as ``torch.device``: ``device("cpu")``, ``device("cuda", 0)``.

    Examples
    --------
    >>> device("cpu")
    device(type='cpu')
    >>> print(device("cuda:0"))
    cuda:0
    """

    __slots__ = ("index", "type")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index  # noqa: A001
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: {type!r}")
        name, _, number = type.partition(":")
        if name not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError(
                "Expected one of cpu, cuda, mps, meta device type at start of device string: "
                f"{type}"
            )
        self.type = name
        self.index = int(number) if number else index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")


def no_gpu(asked: Any) -> RuntimeError:
    """The error for asking for a GPU (``asked``: what the code asked for, e.g. ``.cuda()``)."""
    return RuntimeError(
        f"{asked}: the numpy engine runs on the CPU only. Leave the tensors and the model on "
        "the CPU (remove .cuda() / .to('cuda')), or choose the device with "
        "torch.device('cuda' if torch.cuda.is_available() else 'cpu')."
    )


def is_device(value: Any) -> bool:
    """Whether ``value`` names a device (``"cpu"``, ``"cuda:0"``, a :class:`device`)."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in ("cpu", "cuda", "mps", "meta")


def check_device(value: Any, asked: str | None = None) -> None:
    """Accept None or the CPU; raise :func:`no_gpu`'s error for any other device."""
    if value is None:
        return
    if device(value).type != "cpu":
        raise no_gpu(asked or f"device={str(value)!r}")
