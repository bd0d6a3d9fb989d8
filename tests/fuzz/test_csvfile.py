"""Fuzz ``load_csv``: arbitrary bytes, CSV-like text, and mutated valid files."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import fuzz_settings, outcome
from tests.fuzz.strategies import mutated
from tests.limits import needs_limits

pytestmark = needs_limits

VALID = b"x1,x2,label\n0.5,1,cat\n-2,3e1,dog\n4,5,cat\n" + b"".join(
    b"%d,%d,%d\n" % (i, i * i, i % 3) for i in range(40)
)
csv_text = st.text(alphabet='0123456789.,-+eE;"\n\r \tnaifx\u00e9\x00', max_size=400)


@fuzz_settings
@given(data=st.binary(max_size=2000), column=st.sampled_from([-1, 0, 1, 5, "label"]))
def test_arbitrary_bytes(worker, scratch, data, column):
    path = scratch / "bytes.csv"
    path.write_bytes(data)
    outcome(worker, "csv", path, label_column=column)


@fuzz_settings
@given(text=csv_text, header=st.sampled_from([None, True, False]))
def test_csv_like_text(worker, scratch, text, header):
    path = scratch / "text.csv"
    path.write_bytes(text.encode("utf-8"))
    outcome(worker, "csv", path, has_header=header)


@fuzz_settings
@given(data=st.data())
def test_mutated_valid_files(worker, scratch, data):
    path = scratch / "mutated.csv"
    path.write_bytes(data.draw(mutated(VALID)))
    outcome(worker, "csv", path, label_column=data.draw(st.sampled_from([-1, "label"])))


@fuzz_settings
@given(rows=st.integers(1, 30_000), width=st.integers(1, 200_000), numeric=st.booleans())
def test_long_labels_and_many_rows(worker, scratch, rows, width, numeric):
    label = b"7" * width if numeric else b"x" * width
    path = scratch / "long.csv"
    path.write_bytes(b"1,2,a\n" * rows + b"3,4," + label + b"\n")
    outcome(worker, "csv", path)
