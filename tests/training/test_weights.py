import zipfile

import numpy as np
import pytest

from explorer.engine import manual_seed, nn
from explorer.training import load_weights, save_weights


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
    before = {k: v.copy() for k, v in target.state_dict().items()}
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
    with pytest.raises(ValueError, match="no such file"):
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
    before = {k: v.copy() for k, v in target.state_dict().items()}
    with pytest.raises(ValueError, match="linear2.weight holds non-finite values"):
        load_weights(target, tmp_path / "w.npz")
    for key, value in before.items():
        np.testing.assert_array_equal(target.state_dict()[key], value)
