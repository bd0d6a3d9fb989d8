"""Hypothesis strategies for the fuzz tests: mutations of valid files and lying headers."""

from __future__ import annotations

import struct

from hypothesis import strategies as st

# Sizes and counts a lying header might claim.
INTERESTING = [0, 1, 2, 7, 8, 255, 256, 65535, 2**16, 2**24, 2**31 - 1, 2**31, 2**32 - 1]


@st.composite
def mutated(draw, valid: bytes, max_mutations: int = 4) -> bytes:
    """``valid`` with a few mutations: truncation, bit flips, bytes replaced, inserted or
    deleted, and 2-, 4- or 8-byte fields overwritten with sizes that lie."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, max_mutations))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(
            st.sampled_from(["truncate", "flip", "byte", "insert", "delete", "field", "field"])
        )
        if kind == "truncate":
            del data[at:]
        elif kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            size = draw(st.sampled_from([2, 4, 8]))
            value = draw(st.sampled_from(INTERESTING) | st.integers(0, 2 ** (8 * size) - 1))
            value %= 2 ** (8 * size)
            order = draw(st.sampled_from("<>"))
            packed = struct.pack(order + {2: "H", 4: "L", 8: "Q"}[size], value)
            data[at : at + size] = packed
    return bytes(data)


dims = st.integers(0, 8) | st.sampled_from([2**31, 2**32, 2**63, 2**70, -1, -(2**40)])
shapes = st.lists(dims, max_size=4).map(tuple) | st.sampled_from(
    [(2**70, 0), (0, 2**70), (1,) * 40, "[1, 2]", "(1.5,)", "(True,)", "()"]
)
descrs = st.sampled_from(
    ["<f4", "<f8", ">f8", "|u1", "<i8", "|b1", "<f2", "|O", "<U3", "<c8", "|V8", "<M8[s]"]
) | st.just([("a", "<f8")])
