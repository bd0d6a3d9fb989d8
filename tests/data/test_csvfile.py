import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.data import DataError, load_csv
from tests.limits import LimitedWorker, needs_limits
from tests.special_files import (
    dev_zero_link,
    needs_dev_zero,
    needs_fifo,
    refuses_without_blocking,
)


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_numeric_file_without_header(tmp_path):
    data = load_csv(write(tmp_path, "1,2,0\n3.5,-4e-1,1\n\n5,6,2\n"))
    np.testing.assert_allclose(data.x, [[1, 2], [3.5, -0.4], [5, 6]])
    np.testing.assert_array_equal(data.y, [0, 1, 2])
    assert data.num_classes == 3 and data.name == "data.csv"


def test_header_is_detected_and_string_labels_are_mapped(tmp_path):
    data = load_csv(write(tmp_path, "x,y,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n"))
    np.testing.assert_array_equal(data.y, [0, 1, 0])
    assert data.class_names == ["setosa", "virginica"]


def test_label_column_by_index_and_by_name(tmp_path):
    path = write(tmp_path, "label,a,b\n1,0.5,0.25\n0,1,2\n")
    first = load_csv(path, label_column=0)
    named = load_csv(path, label_column="label")
    np.testing.assert_array_equal(first.x, named.x)
    np.testing.assert_array_equal(first.y, [1, 0])
    np.testing.assert_allclose(first.x, [[0.5, 0.25], [1, 2]])


def test_explicit_header_flags(tmp_path):
    path = write(tmp_path, "1,2,0\n3,4,1\n")
    assert len(load_csv(path, has_header=True)) == 1
    assert len(load_csv(path, has_header=False)) == 2


def test_feature_shape_and_delimiter(tmp_path):
    data = load_csv(write(tmp_path, "1;2;3;4;1\n5;6;7;8;0\n"), delimiter=";", feature_shape=(2, 2))
    assert data.feature_shape == (2, 2) and data.is_image


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("a,b,label\n", "header but no data rows"),
        ("1,2,0\n3,abc,1\n", "row 2, column 2 ('column 2') is not a number: 'abc'"),
        ("x,y,label\n1,2,0\n3,,1\n", "row 3, column 2 ('y') is empty"),
        ("1,2,0\n3,inf,1\n", "row 2, column 2 ('column 2') is not a finite number: 'inf'"),
        ("1,2,0\n3,4\n", "row 2 has 2 columns but row 1 has 3"),
        ("1,2,0\n3,4,\n", "row 2, label column 3 is empty"),
        ("1\n2\n", "need at least one feature and a label"),
        ("1,2,5000\n", "implies more than 1000 classes"),
    ],
)
def test_bad_files_name_file_row_column_and_cell(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        load_csv(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_bad_label_column_and_size(tmp_path):
    path = write(tmp_path, "a,b\n1,0\n")
    with pytest.raises(DataError, match="label column 5 does not exist"):
        load_csv(path, label_column=5)
    with pytest.raises(DataError, match="no column named 'c'"):
        load_csv(path, label_column="c")
    with pytest.raises(DataError, match="more than the limit of 3"):
        load_csv(path, max_bytes=3)
    with pytest.raises(DataError, match="cannot open"):
        load_csv(tmp_path / "missing.csv")


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "blob.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(DataError, match="not a UTF-8 text file"):
        load_csv(path)


@settings(max_examples=80, deadline=None)
@given(text=st.text(alphabet='0123456789.,-e \nabc"', max_size=80))
def test_arbitrary_text_loads_or_raises_a_data_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_text(text, encoding="utf-8")
    try:
        data = load_csv(path)
    except DataError as error:
        assert str(error).startswith(str(path))
        return
    assert data.x.dtype == np.float32 and len(data) >= 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,0\n3,4,1,9\n", "row 2 has 4 columns but row 1 has 3"),
        ("a,b,label\n1,2,x\n3,4,y,\n", "row 3 has 4 columns but row 1 has 3"),
        ("1,2,0\n#3,4,1\n", "row 2, column 1 ('column 1') is not a number: '#3'"),
    ],
)
def test_extra_cells_and_comment_lines_are_not_silently_dropped(tmp_path, text, message):
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, text))
    assert message in str(info.value)


def test_quoted_cells_and_blank_lines_before_the_header(tmp_path):
    data = load_csv(write(tmp_path, '\n\nx,y,label\n"1.5", 2 ,cat\n3,4, dog\n'))
    np.testing.assert_allclose(data.x, [[1.5, 2], [3, 4]])
    assert data.class_names == ["cat", "dog"]


def test_large_files_stream_and_agree_with_the_precise_parser(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (5000, 20))
    y = rng.integers(0, 10, 5000)
    lines = ["label," + ",".join(f"p{i}" for i in range(20))]
    lines += [f"{t}," + ",".join(map(str, row)) for t, row in zip(y, x, strict=True)]
    fast = load_csv(write(tmp_path, "\n".join(lines)), label_column="label")
    np.testing.assert_array_equal(fast.x, x.astype(np.float32))
    np.testing.assert_array_equal(fast.y, y)
    # A quoted cell makes numpy refuse the file; the row-by-row parser gives the same data.
    lines[1] = lines[1].replace(",", ',"', 1).replace(",", '",', 2).replace('",', ",", 1)
    precise = load_csv(write(tmp_path, "\n".join(lines), "q.csv"), label_column="label")
    np.testing.assert_array_equal(precise.x, fast.x)
    np.testing.assert_array_equal(precise.y, fast.y)


def test_a_value_beyond_float32_is_named_not_turned_into_infinity(tmp_path):
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, "1,2,0\n1e39,4,1\n"))
    message = str(info.value)
    assert message.startswith(str(tmp_path)) and "too large for float32" in message
    assert "'1e39'" in message


# -- files built to exhaust memory ---------------------------------------------------------
@needs_limits
def test_one_long_label_takes_memory_for_itself_not_for_every_row(tmp_path):
    # 50,000 rows and one label of 100,000 characters: as fixed-width text, 18.6 GiB.
    rows = [f"{i % 7},{i % 5},{'a' if i % 2 else 'b'}" for i in range(50_000)]
    rows[123] = "1,2," + "x" * 100_000
    path = write(tmp_path, "\n".join(rows) + "\n")
    assert path.stat().st_size < 500_000
    with LimitedWorker(extra_bytes=300 << 20) as worker:
        answer = worker.call("csv", path)
    assert answer["outcome"] == "ok", answer["message"]
    data = load_csv(path)
    assert len(data) == 50_000 and len(data.class_names) == 3
    assert data.class_names[2] == "x" * 100_000 and data.y[123] == 2


def test_numeric_labels_that_are_not_class_indices_keep_their_text(tmp_path):
    data = load_csv(write(tmp_path, "1,2,0.5\n3,4,1.5\n5,6,0.5\n"))
    assert data.class_names == ["0.5", "1.5"] and data.y.tolist() == [0, 1, 0]
    data = load_csv(write(tmp_path, "1,2,3\n3,4,1e0\n", "e.csv"))
    assert data.y.tolist() == [3, 1] and data.num_classes == 4
    with pytest.raises(DataError, match="label 1000000 implies more than 1000 classes"):
        load_csv(write(tmp_path, "1,2,0\n3,4,1e6\n", "big.csv"))


@needs_dev_zero
def test_a_csv_that_is_a_symlink_to_dev_zero_is_refused(tmp_path):
    link = dev_zero_link(tmp_path, "data.csv")
    with pytest.raises(DataError, match="data.csv: cannot open the file: not a regular file"):
        load_csv(link)


@needs_fifo
def test_a_csv_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    error = refuses_without_blocking(fifo, lambda: load_csv(fifo))
    assert isinstance(error, DataError) and "a pipe (FIFO)" in str(error)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DataError, match="not a regular file but a folder"):
        load_csv(tmp_path)


def test_a_csv_that_may_hold_more_than_the_memory_budget_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, "1,2,0\n" * 1000)  # 6,000 bytes: at most 1,001 rows of 3 cells
    assert len(load_csv(path, memory_budget=1001 * (2 * 15 + 64))) == 1000
    with pytest.raises(DataError) as info:
        load_csv(path, memory_budget=50_000)
    assert str(info.value) == (
        f"{path}: 6,000 bytes of CSV in 3 columns (up to 1,001 rows) would need about 92 KiB "
        "of memory to load and train on, more than the memory budget of 49 KiB"
    )
