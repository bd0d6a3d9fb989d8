"""Hand-made .npy members and zip archives, for headers and sizes that numpy would not write."""

from __future__ import annotations

import struct
import zlib

import numpy as np


def npy_header(descr: str, shape: object, fortran: bool = False, version: int = 1) -> bytes:
    """A .npy header claiming ``descr`` and ``shape`` (any text: it is not checked here)."""
    body = f"{{'descr': {descr!r}, 'fortran_order': {fortran}, 'shape': {shape}, }}"
    length = struct.Struct("<H" if version == 1 else "<I")
    prefix = 8 + length.size
    encoded = body.encode("latin1")
    encoded += b" " * (-(prefix + len(encoded) + 1) % 64) + b"\n"
    return b"\x93NUMPY" + bytes([version, 0]) + length.pack(len(encoded)) + encoded


def npy(array: np.ndarray) -> bytes:
    """What np.save writes for ``array``."""
    return npy_header(array.dtype.str, tuple(array.shape)) + np.ascontiguousarray(array).tobytes()


def deflated_zeros(name: str, prefix: bytes, megabytes: int) -> tuple[str, bytes, int, int, int]:
    """A deflated member for :func:`raw_zip`: ``prefix`` then ``megabytes`` MiB of zeros,
    built from one compressed MiB repeated (each block byte-aligned with a fresh
    dictionary), so a gigabyte of zeros takes a kilobyte per MiB and no time to build."""
    mib = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(prefix)
    for _ in range(megabytes):
        crc = zlib.crc32(mib, crc)
    data = head + block * megabytes + b"\x03\x00"
    return (name, data, 8, crc, len(prefix) + (megabytes << 20))


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of ``(name, data as stored, method (0 stored, 8 deflated), crc32, size)``
    members, written byte by byte so sizes and checksums may lie."""
    out, directory = bytearray(), bytearray()
    for name, data, method, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data), size,
            len(encoded), 0,
        )  # fmt: skip
        out += encoded + data
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(data), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += encoded
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0
    )
    return bytes(out + directory + end)


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    """A stored member for :func:`raw_zip` whose sizes and checksum tell the truth."""
    return (name, data, 0, zlib.crc32(data), len(data))


def gzip_zeros(prefix: bytes, megabytes: int) -> bytes:
    """A gzip file of ``prefix`` then ``megabytes`` MiB of zeros (see :func:`deflated_zeros`)."""
    _, data, _, crc, size = deflated_zeros("", prefix, megabytes)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + data + struct.pack("<LL", crc, size & 0xFFFFFFFF)
