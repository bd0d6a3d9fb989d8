"""Messages between the app and its training process: JSON with raw numpy buffers, no pickle.

A message is a dict of JSON values (str, int, float including NaN and inf, bool, None, lists,
dicts with str keys) and numpy arrays of plain numeric or bool dtypes, at any depth. On the
wire it is one frame::

    u64 frame length | u64 header length | header (UTF-8 JSON) | the arrays' bytes, in order

Each array becomes ``{"__array__": [offset, dtype, shape]}`` in the header. Decoding checks
every descriptor against the frame before it reads a byte (a dtype outside the numeric
whitelist, a shape that does not fit, a frame over :data:`MAX_FRAME`: :class:`WireError`), and
nothing is ever unpickled. Tuples arrive as lists; numpy scalars as Python numbers.

>>> import numpy as np
>>> message = decode(encode({"kind": "state", "w": np.arange(3, dtype=np.float32)}))
>>> message["kind"], message["w"]
('state', array([0., 1., 2.], dtype=float32))
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any, BinaryIO

import numpy as np

_LENGTHS = struct.Struct("<QQ")
#: The largest frame either side accepts: a loaded MNIST training set (60,000 x 784 float32,
#: 188 MB) fits with room to spare; a corrupt length does not allocate gigabytes.
MAX_FRAME = 1 << 31
_ARRAY = "__array__"
_DTYPES = frozenset(
    np.dtype(name).str
    for name in (
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64",
    )
)  # fmt: skip


class WireError(ValueError):
    """A frame that is not a well-formed message (truncated, oversized, bad descriptor)."""


def encode(message: dict[str, Any]) -> bytes:
    """One frame for ``message`` (TypeError names a value that cannot be sent)."""
    buffers: list[bytes] = []
    offset = 0

    def plain(value: Any) -> Any:
        nonlocal offset
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            if array.dtype.str not in _DTYPES:
                raise TypeError(f"cannot send an array of dtype {array.dtype}")
            buffers.append(array.tobytes())
            descriptor = [offset, array.dtype.str, list(array.shape)]
            offset += array.nbytes
            return {_ARRAY: descriptor}
        if isinstance(value, dict):
            return {_key(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (np.bool_, np.integer, np.floating)):
            return value.item()
        raise TypeError(f"cannot send a value of type {type(value).__name__}")

    header = json.dumps(plain(message), separators=(",", ":")).encode()
    body = b"".join(buffers)
    return _LENGTHS.pack(8 + len(header) + len(body), len(header)) + header + body


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"cannot send a dict key of type {type(key).__name__}")
    return key


def decode(frame: bytes) -> dict[str, Any]:
    """The message in ``frame`` (as :func:`encode` made it); WireError if malformed."""
    if len(frame) < _LENGTHS.size:
        raise WireError("truncated frame: no lengths")
    total, header_length = _LENGTHS.unpack_from(frame)
    if total != len(frame) - 8 or header_length > total - 8:
        raise WireError("frame lengths disagree with its size")
    start = _LENGTHS.size
    try:
        header = json.loads(frame[start : start + header_length])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WireError(f"frame header is not JSON: {error}") from error
    body = memoryview(frame)[start + header_length :]

    def restore(value: Any) -> Any:
        if isinstance(value, dict):
            if _ARRAY in value:
                return _array(value[_ARRAY], body)
            return {k: restore(v) for k, v in value.items()}
        if isinstance(value, list):
            return [restore(v) for v in value]
        return value

    message = restore(header)
    if not isinstance(message, dict):
        raise WireError("a message must be a JSON object")
    return message


def _array(descriptor: Any, body: memoryview) -> np.ndarray:
    try:
        offset, dtype_text, shape = descriptor
        dtype = np.dtype(dtype_text) if dtype_text in _DTYPES else None
        shape = tuple(int(n) for n in shape)
    except (TypeError, ValueError) as error:
        raise WireError(f"bad array descriptor {descriptor!r}") from error
    if dtype is None:
        raise WireError(f"array dtype {dtype_text!r} is not a plain numeric type")
    if any(n < 0 for n in shape) or not isinstance(offset, int) or offset < 0:
        raise WireError(f"bad array descriptor {descriptor!r}")
    nbytes = math.prod(shape) * dtype.itemsize
    if offset + nbytes > len(body):
        raise WireError(f"array of shape {shape} runs past the end of the frame")
    # A copy: the frame's bytes are released, and the array is writable like any other.
    return (
        np.frombuffer(body, dtype=dtype, count=math.prod(shape), offset=offset)
        .reshape(shape)
        .copy()
    )


def write_message(stream: BinaryIO, message: dict[str, Any]) -> None:
    """Send ``message`` as one frame and flush it."""
    stream.write(encode(message))
    stream.flush()


def read_message(stream: BinaryIO) -> dict[str, Any] | None:
    """The next message on ``stream``; None at a clean end of stream, WireError on a bad or
    truncated frame."""
    head = _read_exactly(stream, _LENGTHS.size)
    if head is None:
        return None
    total, _ = _LENGTHS.unpack(head)
    if total > MAX_FRAME:
        raise WireError(f"frame of {total} bytes is over the limit of {MAX_FRAME}")
    if total < 8:
        raise WireError("frame lengths disagree with its size")
    rest = _read_exactly(stream, total - 8)
    if rest is None:
        raise WireError("stream ended inside a frame")
    return decode(head + rest)


def _read_exactly(stream: BinaryIO, count: int) -> bytes | None:
    """``count`` bytes, or None if the stream ends before the first; WireError if it ends
    after some."""
    parts: list[bytes] = []
    remaining = count
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            if remaining == count:
                return None
            raise WireError("stream ended inside a frame")
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)
