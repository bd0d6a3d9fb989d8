import os
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from explorer.engine import manual_seed, nn
from explorer.training import WeightsMismatch, load_weights, save_weights
from tests.io.crafted import deflated_zeros, npy, npy_header, raw_zip, stored
from tests.special_files import (
    dev_zero_link,
    needs_dev_zero,
    needs_fifo,
    refuses_without_blocking,
)


def mlp(*sizes, seed=0):
    manual_seed(seed)
    return nn.MLP(sizes[0], sizes[1:-1], sizes[-1])


def test_round_trip_keyed_like_state_dict(tmp_path):
    source, target = mlp(2, 5, 3, seed=0), mlp(2, 5, 3, seed=1)
    path = save_weights(source, tmp_path / "weights.npz")
    with np.load(path, allow_pickle=False) as archive:
        assert archive.files == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"]
    load_weights(target, path)
    for key, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[key], value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weights.npz"]


def test_name_is_kept_as_given(tmp_path):
    save_weights(mlp(2, 3), tmp_path / "model.weights")
    assert (tmp_path / "model.weights").exists()
    load_weights(mlp(2, 3), tmp_path / "model.weights")


def test_shape_mismatch_names_the_key_and_leaves_the_model(tmp_path):
    save_weights(mlp(2, 5, 3), tmp_path / "w.npz")
    target = mlp(2, 4, 3, seed=2)
    before = {k: v.clone() for k, v in target.state_dict().items()}
    with pytest.raises(ValueError) as info:
        load_weights(target, tmp_path / "w.npz")
    assert "linear1.weight has shape (5, 2) but the model's linear1.weight has shape (4, 2)" in str(
        info.value
    )
    for key, value in before.items():
        np.testing.assert_array_equal(target.state_dict()[key], value)


def test_key_mismatch_lists_missing_and_unexpected(tmp_path):
    save_weights(mlp(2, 5, 5, 3), tmp_path / "w.npz")
    with pytest.raises(ValueError) as info:
        load_weights(mlp(2, 5, 3), tmp_path / "w.npz")
    assert "unexpected keys linear3.weight, linear3.bias" in str(info.value)
    save_weights(mlp(2, 3), tmp_path / "small.npz")
    with pytest.raises(ValueError, match="missing keys linear2.weight, linear2.bias"):
        load_weights(mlp(2, 5, 3), tmp_path / "small.npz")


def test_unreadable_files(tmp_path):
    model = mlp(2, 3)
    with pytest.raises(ValueError, match="No such file"):
        load_weights(model, tmp_path / "missing.npz")
    (tmp_path / "text.npz").write_text("not an archive")
    with pytest.raises(ValueError, match=r"is not an \.npz \(zip\) file"):
        load_weights(model, tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(ValueError, match=r"is not an \.npz \(zip\) file"):
        load_weights(model, tmp_path / "single.npy")
    with zipfile.ZipFile(tmp_path / "broken.npz", "w") as archive:
        archive.writestr("linear1.weight.npy", b"garbage")
    with pytest.raises(ValueError, match="broken.npz"):
        load_weights(model, tmp_path / "broken.npz")


def test_pickled_arrays_are_refused(tmp_path):
    state = {k: v for k, v in mlp(2, 3).state_dict().items()}
    state["linear1.weight"] = np.array([object()] * 6, dtype=object).reshape(3, 2)
    np.savez(tmp_path / "evil.npz", **state)
    with pytest.raises(ValueError, match="evil.npz"):
        load_weights(mlp(2, 3), tmp_path / "evil.npz")


def test_a_file_that_is_not_a_zip_is_named_so_without_numpy_pickle_hint(tmp_path):
    path = tmp_path / "w.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises(ValueError) as info:
        load_weights(mlp(2, 3), path)
    assert "is not an .npz (zip) file" in str(info.value)
    assert "pickle" not in str(info.value)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weights_are_refused_and_the_model_is_kept(tmp_path, bad):
    source, target = mlp(2, 4, 3, seed=0), mlp(2, 4, 3, seed=1)
    state = {k: np.array(v) for k, v in source.state_dict().items()}
    state["linear2.weight"][1, 2] = bad
    np.savez(tmp_path / "w.npz", **state)
    before = {k: v.clone() for k, v in target.state_dict().items()}
    with pytest.raises(ValueError, match=r"'linear2.weight' holds a non-finite value .* \[1, 2\]"):
        load_weights(target, tmp_path / "w.npz")
    for key, value in before.items():
        np.testing.assert_array_equal(target.state_dict()[key], value)


# -- files built to exhaust memory or escape as another error ------------------------------
def weights_file(tmp_path, members) -> Path:
    path = tmp_path / "w.npz"
    path.write_bytes(raw_zip(members))
    return path


def other_members(model, skip: str):
    return [stored(f"{k}.npy", npy(v)) for k, v in model.state_dict().items() if k != skip]


def test_a_zip_bomb_of_the_wrong_shape_is_refused_before_it_is_expanded(tmp_path):
    model = mlp(2, 5, 3)
    header = npy_header("<f8", (32 << 20,))  # 256 MiB of zeros where (5, 2) is expected
    bomb = deflated_zeros("linear1.weight.npy", header, 256)
    path = weights_file(tmp_path, [bomb, *other_members(model, "linear1.weight")])
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"linear1.weight has shape \(33554432,\)"):
            load_weights(model, path)
        assert tracemalloc.get_traced_memory()[1] < 8 << 20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((10**12,), r"linear1.weight has shape \(1000000000000,\) but the model's"),
        ((2**70, 0), r"linear1.weight has shape \(1180591620717411303424, 0\) but the model's"),
        ((5, 2), "promises 80 bytes of data but the archive says it holds 8"),
    ],
)
def test_a_lying_header_is_a_value_error_before_any_allocation(tmp_path, shape, message):
    model = mlp(2, 5, 3)
    lying = stored("linear1.weight.npy", npy_header("<f8", shape) + bytes(8))
    path = weights_file(tmp_path, [lying, *other_members(model, "linear1.weight")])
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError, match=message):
        load_weights(model, path)
    for key, value in before.items():
        np.testing.assert_array_equal(model.state_dict()[key], value)


def test_a_file_larger_than_the_model_could_need_is_refused_unread(tmp_path):
    path = tmp_path / "huge.npz"
    with open(path, "wb") as handle:
        handle.truncate(1 << 30)  # sparse: no disk used
    with pytest.raises(ValueError, match="huge.npz: 1,073,741,824 bytes, more than the limit"):
        load_weights(mlp(2, 5, 3), path)


@needs_dev_zero
def test_weights_that_are_a_symlink_to_dev_zero_are_refused(tmp_path):
    link = dev_zero_link(tmp_path, "w.npz")
    with pytest.raises(ValueError, match="w.npz: not a regular file but a device"):
        load_weights(mlp(2, 3), link)


@needs_fifo
def test_weights_that_are_a_fifo_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "w.npz"
    os.mkfifo(fifo)
    error = refuses_without_blocking(fifo, lambda: load_weights(mlp(2, 3), fifo))
    assert isinstance(error, ValueError) and "a pipe (FIFO)" in str(error)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a regular file but a folder"):
        load_weights(mlp(2, 3), tmp_path)


def test_every_difference_is_listed_with_the_files_shapes(tmp_path):
    save_weights(mlp(4, 6, 5, 2), tmp_path / "w.npz")
    with pytest.raises(WeightsMismatch) as info:
        load_weights(mlp(2, 6, 3), tmp_path / "w.npz")
    assert info.value.differences == [
        "unexpected keys linear3.weight, linear3.bias",
        "linear1.weight has shape (6, 4) but the model's linear1.weight has shape (6, 2)",
        "linear2.weight has shape (5, 6) but the model's linear2.weight has shape (3, 6)",
        "linear2.bias has shape (5,) but the model's linear2.bias has shape (3,)",
    ]
    assert info.value.shapes["linear3.weight"] == (2, 5)


def test_a_file_for_a_larger_model_is_read_as_far_as_its_headers_when_allowed(tmp_path):
    save_weights(mlp(1000, 1000, 3), tmp_path / "big.npz")  # 4 MB
    with pytest.raises(ValueError, match="more than the limit"):
        load_weights(mlp(2, 3), tmp_path / "big.npz")
    with pytest.raises(WeightsMismatch, match=r"linear1.weight has shape \(1000, 1000\)"):
        load_weights(mlp(2, 3), tmp_path / "big.npz", max_parameters=2_000_000)
