import threading

import numpy as np

from explorer.data import make_synthetic
from explorer.training import TrainingConfig
from explorer.ui.training.data_loading import DataLoading, prepare


def collect(loading):
    got = {"loaded": [], "failed": []}
    loading.sigLoaded.connect(got["loaded"].append)
    loading.sigFailed.connect(got["failed"].append)
    return got


def moons():
    return make_synthetic("moons", n_samples=100, seed=0)


def test_built_in_data_is_ready_before_the_request_returns(qtbot):
    loading = DataLoading()
    got = collect(loading)
    loading.request(moons, TrainingConfig(), False, background=False)
    (prepared,) = got["loaded"]
    assert len(prepared.train) + len(prepared.val) == 100 and prepared.scaler is None
    loading.request(lambda: (_ for _ in ()).throw(OSError("gone")), TrainingConfig(), False, False)
    assert str(got["failed"][0]) == "gone"


def test_the_newest_background_request_wins(qtbot):
    loading = DataLoading()
    got = collect(loading)
    release = threading.Event()

    def slow():
        release.wait(5)
        return make_synthetic("circles", n_samples=60, seed=0)

    loading.request(slow, TrainingConfig(), False, background=True)
    loading.request(moons, TrainingConfig(), False, background=True)  # waits its turn
    release.set()
    qtbot.waitUntil(lambda: bool(got["loaded"]) and not loading.is_loading(), timeout=5000)
    assert [p.dataset.name for p in got["loaded"]] == ["moons"]  # the circles were stale


def test_a_split_is_reused_while_nothing_it_depends_on_changes():
    loading = DataLoading()
    prepared = prepare(moons(), TrainingConfig(), True)
    assert loading.split(prepared, TrainingConfig(lr=0.5), True) is prepared
    for config, standardize in ((TrainingConfig(seed=1), True), (TrainingConfig(), False)):
        again = loading.split(prepared, config, standardize)
        assert again is not prepared and again.dataset is prepared.dataset
    other = loading.split(prepared, TrainingConfig(val_fraction=0.5), True)
    assert len(other.val) == 50
    np.testing.assert_allclose(other.train.x.mean(axis=0), 0, atol=1e-5)  # standardized
    # the plots get the validation points in the data's own units
    rows = {tuple(np.round(r, 4)) for r in other.dataset.x}
    assert all(tuple(np.round(r, 4)) in rows for r in other.raw_val)
    plain = loading.split(prepared, TrainingConfig(), False)
    assert plain.scaler is None and plain.raw_val is plain.val.x
