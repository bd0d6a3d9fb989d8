import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from explorer.io.npz import NpzError, first_non_finite, open_npz
from tests.io.crafted import deflated_zeros, npy, npy_header, raw_zip, stored

MIB = 1 << 20


def write(tmp_path, data: bytes, name="a.npz"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path, max_total=64 * MIB, max_arrays=100) -> str:
    with pytest.raises(NpzError) as info:
        with open_npz(path, 64 * MIB, max_total, max_arrays) as npz:
            for name in npz.headers:
                npz.read(name)
    assert str(path) in str(info.value)
    return info.value.reason


def test_headers_come_first_then_the_data(tmp_path):
    path = tmp_path / "ok.npz"
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.savez(path, a=a, b=np.array([True, False]), c=np.asfortranarray(a.astype(np.int16)))
    with open_npz(path, MIB, MIB) as npz:
        assert {n: (h.shape, h.dtype.str) for n, h in npz.headers.items()} == {
            "a": ((2, 3), "<f4"),
            "b": ((2,), "|b1"),
            "c": ((2, 3), "<i2"),
        }
        np.testing.assert_array_equal(npz.read("a"), a)
        np.testing.assert_array_equal(npz.read("c"), a)
        assert npz.read("b").tolist() == [True, False]


def test_compressed_archives_are_read(tmp_path):
    path = tmp_path / "z.npz"
    np.savez_compressed(path, w=np.ones((50, 50)))
    with open_npz(path, MIB, MIB) as npz:
        assert npz.read("w").sum() == 2500


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (npy_header("|O", (2,)), "has dtype object; only numbers"),
        (npy_header("<U3", (2,)), "has dtype <U3"),
        (npy_header("<c16", (2,)), "has dtype complex128"),
        (npy_header([("a", "<f8")], (2,)), "only numbers"),
        (npy_header("<f8", (-1, 3)), r"shape \(-1, 3\); dimensions must be whole numbers >= 0"),
        (npy_header("<f8", (2**70, 0)), "more than the limit"),
        (npy_header("<f8", (2**20, 2**20)), "more than the limit"),
        (npy_header("<f8", (1,) * 40), "not a tuple of dimensions"),
        (npy_header("<f8", "(" * 300 + ")" * 300), "not a readable .npy"),
        (npy_header("<f8", "(" + "-" * 6000 + "1,)"), "nested too deeply"),
        (npy_header("<f8", (2,)).replace(b"'descr'", b"1: 2, 'descr'"), "not a readable .npy"),
        (b"\x93NUMPY\x03\x00" + npy_header("<f8", (2,))[8:], r"format version \(3, 0\)"),
        (b"garbage!", "not a readable .npy"),
        (npy_header("<f8", (2,))[:20], "not a readable .npy"),
    ],
)
def test_a_bad_header_is_refused_before_any_data(tmp_path, header, reason):
    path = write(tmp_path, raw_zip([stored("w.npy", header + bytes(16))]))
    assert reason_matches(refusal(path), reason)


def reason_matches(reason: str, pattern: str) -> bool:
    import re

    assert re.search(pattern, reason), reason
    return True


def test_a_header_that_lies_about_the_data_is_refused_before_allocating(tmp_path):
    # 800 GB promised, a few bytes present: refused from the header, nothing allocated.
    path = write(tmp_path, raw_zip([stored("w.npy", npy_header("<f8", (10**11,)) + bytes(8))]))
    tracemalloc.start()
    try:
        assert "more than the limit" in refusal(path)
        assert tracemalloc.get_traced_memory()[1] < 4 * MIB
    finally:
        tracemalloc.stop()
    # Within the limit but more than the member holds: refused from the zip's sizes.
    path = write(tmp_path, raw_zip([stored("w.npy", npy_header("<f8", (1000,)) + bytes(80))]))
    assert "promises 8,000 bytes of data but the archive says it holds 80" in refusal(path)


def test_a_zip_bomb_is_refused_from_its_header_without_decompressing(tmp_path):
    header = npy_header("<f8", (512 * MIB // 8,))
    path = write(tmp_path, raw_zip([deflated_zeros("w.npy", header, 512)]))
    assert path.stat().st_size < MIB
    tracemalloc.start()
    try:
        assert "more than the limit of 67,108,864 bytes" in refusal(path)
        assert tracemalloc.get_traced_memory()[1] < 4 * MIB
    finally:
        tracemalloc.stop()


def test_a_member_whose_stream_outgrows_its_declared_size_is_cut_at_it(tmp_path):
    header = npy_header("<f8", (MIB // 8,))
    name, data, method, crc, size = deflated_zeros("w.npy", header, 64)
    # The zip says 1 MiB; the deflate stream holds 64 MiB: only what was declared is read.
    path = write(tmp_path, raw_zip([(name, data, method, crc, len(header) + MIB)]))
    tracemalloc.start()
    try:
        assert "corrupt" in refusal(path)  # the checksum of the first MiB does not match
        assert tracemalloc.get_traced_memory()[1] < 8 * MIB
    finally:
        tracemalloc.stop()


def test_a_checksum_mismatch_is_refused(tmp_path):
    body = npy(np.arange(4.0))
    path = write(tmp_path, raw_zip([("w.npy", body, 0, zlib.crc32(body) ^ 1, len(body))]))
    assert "Bad CRC-32" in refusal(path)


def test_too_many_members_are_refused_from_the_end_record(tmp_path):
    members = [stored(f"a{i}.npy", npy(np.zeros(1))) for i in range(30)]
    path = write(tmp_path, raw_zip(members))
    assert "lists 30 members" in refusal(path, max_arrays=10)
    data = bytearray(raw_zip(members[:2]))
    data[-10:-6] = struct.pack("<L", 10**9)  # a directory of a gigabyte, claimed
    assert "at most 100 arrays" in refusal(write(tmp_path, bytes(data), "b.npz"))


def test_members_that_are_not_plain_npy_arrays_are_refused(tmp_path):
    body = npy(np.zeros(2))
    assert "which is not a .npy array" in refusal(
        write(tmp_path, raw_zip([stored("notes.txt", b"hi")]))
    )
    assert "two arrays named 'w'" in refusal(
        write(tmp_path, raw_zip([stored("w.npy", body), stored("w.npy", body)]), "b.npz")
    )
    bz2 = [("w.npy", body, 12, zlib.crc32(body), len(body))]
    assert "compression other than deflate" in refusal(write(tmp_path, raw_zip(bz2), "c.npz"))
    path = write(tmp_path, raw_zip([stored("w.npy", body)]), "d.npz")
    data = bytearray(path.read_bytes())
    directory = data.index(b"PK\x01\x02")
    data[directory + 8] |= 1  # the encrypted flag
    path.write_bytes(bytes(data))
    assert "is encrypted" in refusal(path)


def test_not_a_zip_truncated_and_empty(tmp_path):
    assert "is not an .npz (zip) file" in refusal(write(tmp_path, b"not a zip"))
    path = tmp_path / "ok.npz"
    np.savez(path, w=np.zeros(100))
    for cut in (10, 100, 300):
        truncated = write(tmp_path, path.read_bytes()[:cut], f"cut{cut}.npz")
        assert "corrupt or truncated" in refusal(truncated) or "not" in refusal(truncated)
    assert "No such file" in refusal(tmp_path / "missing.npz")


def test_non_finite_values_are_refused_naming_the_first(tmp_path):
    path = tmp_path / "nan.npz"
    w = np.zeros((3, 4), dtype=np.float32)
    w[2, 1] = np.inf
    np.savez(path, w=w)
    assert "'w' holds a non-finite value (inf) at index [2, 1]" in refusal(path)
    with open_npz(path, MIB, MIB) as npz:
        assert np.isinf(npz.read("w", finite=False)[2, 1])


def test_first_non_finite_in_blocks():
    a = np.zeros(3 * MIB, dtype=np.float32)
    assert first_non_finite(a) is None
    a[2 * MIB + 5] = np.nan
    assert first_non_finite(a) == (2 * MIB + 5,)
    b = np.asfortranarray(np.zeros((3, 2)))
    b[1, 0] = -np.inf
    assert first_non_finite(b) == (1, 0)


def test_an_archive_numpy_writes_with_zip64_records_per_member_is_read(tmp_path):
    path = tmp_path / "w.npz"
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("w.npy", "w", force_zip64=True) as member:
            member.write(npy(np.arange(3.0)))
    with open_npz(path, MIB, MIB) as npz:
        assert npz.read("w").tolist() == [0.0, 1.0, 2.0]
