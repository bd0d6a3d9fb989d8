import io
import json
import math
import struct
import tracemalloc

import numpy as np
import pytest

from explorer.training.wire import (
    MAX_FRAME,
    WireError,
    decode,
    encode,
    encode_parts,
    read_message,
    write_message,
)


def test_nested_messages_round_trip_with_arrays_of_every_plain_dtype():
    arrays = {
        name: (np.arange(6) % 3).astype(name).reshape(2, 3)
        for name in ("bool", "int8", "int32", "int64", "uint8", "float16", "float32", "float64")
    }
    message = {
        "kind": "view",
        "arrays": arrays,
        "list": [1, 2.5, "three", None, True, [np.zeros(0, dtype=np.float32)]],
        "tuple": (1, 2),
        "scalars": [np.int64(7), np.float32(0.5), np.bool_(True)],
        "special": [math.nan, math.inf, -math.inf],
    }
    got = decode(encode(message))
    for name, array in arrays.items():
        assert got["arrays"][name].dtype == array.dtype
        np.testing.assert_array_equal(got["arrays"][name], array)
    assert got["list"][:5] == [1, 2.5, "three", None, True]
    assert got["list"][5][0].shape == (0,)
    assert got["tuple"] == [1, 2]
    assert got["scalars"] == [7, 0.5, True] and type(got["scalars"][0]) is int
    assert math.isnan(got["special"][0]) and got["special"][1:] == [math.inf, -math.inf]


def test_arrays_arrive_writable_and_contiguous_even_from_a_strided_view():
    source = np.arange(20, dtype=np.float32).reshape(4, 5)[:, ::2]
    got = decode(encode({"a": source}))["a"]
    np.testing.assert_array_equal(got, source)
    assert got.flags.writeable and got.flags.c_contiguous
    got[0, 0] = 99  # a copy, not a view of the frame


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (np.array([object()], dtype=object), "cannot send an array of dtype object"),
        (np.array(["a"]), "cannot send an array of dtype <U1"),
        ({1: 2}, "cannot send a dict key of type int"),
        (object(), "cannot send a value of type object"),
        ({1.5, 2.5}, "cannot send a value of type set"),
    ],
)
def test_values_that_cannot_travel_are_refused_by_name(value, match):
    with pytest.raises(TypeError, match=match):
        encode({"value": value})


def frame(header: dict, body: bytes = b"") -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<QQ", 8 + len(text) + len(body), len(text)) + text + body


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x01\x02", "truncated frame"),
        (struct.pack("<QQ", 100, 2) + b"{}", "lengths disagree"),
        (struct.pack("<QQ", 10, 2) + b"{x", "not JSON"),
        (frame([1, 2]), "must be a JSON object"),
        (frame({"a": {"__array__": [0, "|O", [1]]}}, b"x" * 8), "not a plain numeric type"),
        (frame({"a": {"__array__": [0, "<f4", [3]]}}, b"x" * 8), "runs past the end"),
        (frame({"a": {"__array__": [0, "<f4", [-1]]}}, b"x" * 8), "bad array descriptor"),
        (frame({"a": {"__array__": "nonsense"}}), "bad array descriptor"),
        (frame({"a": {"__array__": [0, "<f4", [math.inf]]}}), "bad array descriptor"),
        (frame({"a": {"__array__": [0, "<f4", [2**70, 0]]}}), "runs past the end"),
        (frame({"a": {"__array__": [0, "<f4", [2.0]]}}, b"x" * 8), "bad array descriptor"),
        (frame({"a": {"__array__": [0, ["<f4"], [2]]}}, b"x" * 8), "not a plain numeric"),
        (frame({"a": {"__array__": [True, "<f4", [1]]}}, b"x" * 8), "bad array descriptor"),
        (frame({"a": {"__array__": {"0": 1, "1": 2, "2": 3}}}), "bad array descriptor"),
        (frame({"a": {"__array__": [0, "<f4", [1] * 40]}}, b"x" * 8), "bad array descriptor"),
        (frame({"a": {"__array__": [10**30, "<f4", [1]]}}, b"x" * 8), "bad array descriptor"),
    ],
)
def test_malformed_frames_are_refused_before_anything_is_read_from_them(data, match):
    with pytest.raises(WireError, match=match):
        decode(data)


def test_a_stream_carries_messages_in_order_and_ends_cleanly():
    stream = io.BytesIO()
    write_message(stream, {"kind": "run"})
    write_message(stream, {"kind": "state", "w": np.ones((2, 2), dtype=np.float32)})
    stream.seek(0)
    assert read_message(stream) == {"kind": "run"}
    second = read_message(stream)
    assert second["kind"] == "state" and second["w"].sum() == 4
    assert read_message(stream) is None  # a clean end of stream


def test_a_stream_that_ends_inside_a_frame_or_claims_too_much_is_an_error():
    whole = encode({"kind": "run"})
    with pytest.raises(WireError, match="ended inside a frame"):
        read_message(io.BytesIO(whole[:-3]))
    with pytest.raises(WireError, match="ended inside a frame"):
        read_message(io.BytesIO(whole[:5]))
    huge = struct.pack("<QQ", MAX_FRAME + 1, 0)
    with pytest.raises(WireError, match="over the limit"):
        read_message(io.BytesIO(huge))


def test_arrays_go_out_without_a_copy_and_come_in_aligned_and_in_place():
    big = np.arange(1000, dtype=np.float64)
    parts = encode_parts({"a": np.zeros(3, dtype=np.int8), "big": big})
    view = next(p for p in parts if isinstance(p, memoryview) and p.nbytes == big.nbytes)
    assert np.shares_memory(np.frombuffer(view, dtype=np.float64), big)  # no copy going out
    stream = io.BytesIO()
    write_message(stream, {"a": np.zeros(3, dtype=np.int8), "big": big})
    stream.seek(0)
    got = read_message(stream)
    for array in got.values():
        assert array.flags.aligned and array.flags.writeable
        assert array.__array_interface__["data"][0] % 8 == 0
    assert got["a"].base is not None  # a view of the frame it came in, not a copy
    np.testing.assert_array_equal(got["big"], big)


def test_a_shape_of_infinity_is_a_wire_error_not_an_overflow():
    text = b'{"a":{"__array__":[0,"<f4",[Infinity]]}}'
    data = struct.pack("<QQ", 8 + len(text), len(text)) + text
    with pytest.raises(WireError, match="bad array descriptor"):
        decode(data)


@pytest.mark.parametrize("depth", [100, 100_000])
def test_a_deeply_nested_header_is_a_wire_error(depth):
    text = b'{"a":' + b"[" * depth + b"]" * depth + b"}"
    data = struct.pack("<QQ", 8 + len(text), len(text)) + text
    with pytest.raises(WireError, match="nested deeper than 64 levels"):
        decode(data)


def test_an_integer_of_too_many_digits_is_a_wire_error():
    text = b'{"a":' + b"9" * 5000 + b"}"
    data = struct.pack("<QQ", 8 + len(text), len(text)) + text
    with pytest.raises(WireError, match="not JSON"):
        decode(data)


def test_a_frame_length_that_lies_costs_only_the_bytes_sent():
    lying = struct.pack("<QQ", MAX_FRAME - 8, 2) + b"{}" + bytes(1000)
    tracemalloc.start()
    try:
        with pytest.raises(WireError, match="ended inside a frame"):
            read_message(io.BytesIO(lying))
        assert tracemalloc.get_traced_memory()[1] < 64 << 20
    finally:
        tracemalloc.stop()
