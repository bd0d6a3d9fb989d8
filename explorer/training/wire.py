"""Messages between the app and its training process: JSON with raw numpy buffers, no pickle.

A message is a dict of JSON values (str, int, float including NaN and inf, bool, None, lists,
dicts with str keys) and numpy arrays of plain numeric or bool dtypes, at any depth. On the
wire it is one frame::

    u64 frame length | u64 header length | header (UTF-8 JSON) | the arrays' bytes, in order

Each array becomes ``{"__array__": [offset, dtype, shape]}`` in the header. Decoding checks
every descriptor against the frame before it reads a byte (a dtype outside the numeric
whitelist, a shape that does not fit, a frame over :data:`MAX_FRAME`, a header nested deeper
than :data:`MAX_DEPTH`: :class:`WireError`, the only exception decoding raises), and nothing
is ever unpickled. A frame read from a stream takes memory as its bytes arrive, not as its
length claims. Tuples arrive as lists; numpy scalars as Python numbers.

>>> import numpy as np
>>> message = decode(encode({"kind": "state", "w": np.arange(3, dtype=np.float32)}))
>>> message["kind"], message["w"]
('state', array([0., 1., 2.], dtype=float32))
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

import numpy as np

from explorer.io.npz import check_array_form, check_array_size

_LENGTHS = struct.Struct("<QQ")
#: The largest frame either side accepts: a loaded MNIST training set (60,000 x 784 float32,
#: 188 MB) fits with room to spare; a corrupt length does not allocate gigabytes.
MAX_FRAME = 1 << 31
#: The deepest nesting of lists and dicts a message may have.
MAX_DEPTH = 64
_CHUNK = 16 << 20  # a frame grows by at most this much before its bytes have arrived
_ARRAY = "__array__"
_ALIGN = 8
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
    return b"".join(encode_parts(message))


def encode_parts(message: dict[str, Any]) -> list[bytes | memoryview]:
    """The frame for ``message`` in parts: lengths and header, then each array's memory as
    it is (no copy of a contiguous array), padded so every array starts 8-byte aligned."""
    buffers: list[bytes | memoryview] = []
    offset = 0

    def plain(value: Any) -> Any:
        nonlocal offset
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            if array.dtype.str not in _DTYPES:
                raise TypeError(f"cannot send an array of dtype {array.dtype}")
            pad = -offset % _ALIGN
            if pad:
                buffers.append(bytes(pad))
                offset += pad
            buffers.append(memoryview(array.reshape(-1)).cast("B") if array.size else b"")
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
    header += b" " * (-(_LENGTHS.size + len(header)) % _ALIGN)  # the body starts aligned
    lengths = _LENGTHS.pack(8 + len(header) + offset, len(header))
    return [lengths + header, *buffers]


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"cannot send a dict key of type {type(key).__name__}")
    return key


def decode(frame: bytes | bytearray) -> dict[str, Any]:
    """The message in ``frame`` (as :func:`encode` made it); WireError if malformed."""
    if len(frame) < _LENGTHS.size:
        raise WireError("truncated frame: no lengths")
    total, header_length = _LENGTHS.unpack_from(frame)
    if total != len(frame) - 8 or header_length > total - 8:
        raise WireError("frame lengths disagree with its size")
    start = _LENGTHS.size
    try:
        header = json.loads(frame[start : start + header_length])
    except RecursionError:
        raise WireError(f"frame header is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # not UTF-8, not JSON, or an integer of too many digits
        raise WireError(f"frame header is not JSON: {_short(error)}") from None
    body = memoryview(frame)[start + header_length :]

    def restore(value: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise WireError(f"frame header is nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            if _ARRAY in value:
                return _array(value[_ARRAY], body)
            return {k: restore(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [restore(v, depth + 1) for v in value]
        return value

    message = restore(header, 0)
    if not isinstance(message, dict):
        raise WireError("a message must be a JSON object")
    return message


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _array(descriptor: Any, body: memoryview) -> np.ndarray:
    bad = f"bad array descriptor {_short(repr(descriptor))}"
    if not isinstance(descriptor, list) or len(descriptor) != 3:
        raise WireError(bad)
    offset, dtype_text, shape = descriptor
    if not isinstance(dtype_text, str) or dtype_text not in _DTYPES:
        raise WireError(f"array dtype {_short(repr(dtype_text))} is not a plain numeric type")
    dtype = np.dtype(dtype_text)
    if type(offset) is not int or not 0 <= offset <= len(body) or not isinstance(shape, list):
        raise WireError(bad)
    try:
        shape = check_array_form("the array", tuple(shape), dtype)
    except ValueError as error:
        raise WireError(f"{bad}: {error}") from None
    try:
        nbytes = check_array_size("the array", shape, dtype, len(body) - offset)
    except ValueError:
        raise WireError(f"array of shape {_short(shape)} runs past the end of the frame") from None
    array = np.frombuffer(body, dtype=dtype, count=nbytes // dtype.itemsize, offset=offset)
    # A frame read from a stream is a bytearray: its arrays are used in place, writable. One
    # made of bytes is read-only: those arrays are copied, so every array is writable.
    return (array if array.flags.writeable else array.copy()).reshape(shape)


def write_message(stream: BinaryIO, message: dict[str, Any]) -> None:
    """Send ``message`` as one frame and flush it (arrays go out without a copy)."""
    for part in encode_parts(message):
        stream.write(part)
    stream.flush()


def read_message(stream: BinaryIO) -> dict[str, Any] | None:
    """The next message on ``stream``; None at a clean end of stream, WireError on a bad or
    truncated frame."""
    head = bytearray(_LENGTHS.size)
    if not _read_into(stream, memoryview(head), allow_empty=True):
        return None
    total, _ = _LENGTHS.unpack(head)
    if total > MAX_FRAME:
        raise WireError(f"frame of {total} bytes is over the limit of {MAX_FRAME}")
    if total < 8:
        raise WireError("frame lengths disagree with its size")
    # The frame grows as its bytes arrive (a bytearray grows in place), so a length that
    # lies costs what was really sent, not what was claimed.
    frame = head
    remaining = total + 8 - len(head)
    while remaining:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            raise WireError("stream ended inside a frame")
        frame += chunk
        remaining -= len(chunk)
    return decode(frame)


def _read_into(stream: BinaryIO, target: memoryview, allow_empty: bool = False) -> bool:
    """Fill ``target`` from ``stream``. False if the stream ends before the first byte and
    ``allow_empty``; WireError if it ends anywhere else."""
    filled = 0
    while filled < len(target):
        count = stream.readinto(target[filled:])
        if not count:
            if filled == 0 and allow_empty:
                return False
            raise WireError("stream ended inside a frame")
        filled += count
    return True
