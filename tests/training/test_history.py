import csv
import json

import numpy as np
import pytest

from explorer.training import HISTORY_COLUMNS, EpochRecord, History


def filled(steps=10, epochs=2):
    history = History()
    for i in range(steps):
        history.add_step(1.0 / (i + 1))
    for e in range(1, epochs + 1):
        history.add_epoch(EpochRecord(e, e * 5, 0.5 / e, 0.8, 0.6 / e, 0.75, 0.1 * e, 1000.0))
    return history


def test_step_buffer_grows_and_views_are_read_only():
    history = filled(steps=3000)
    assert history.num_steps == 3000
    losses = history.step_losses()
    assert losses.shape == (3000,) and losses[1] == 0.5
    with pytest.raises(ValueError):
        losses[0] = 2.0
    np.testing.assert_array_equal(history.step_numbers()[:3], [1, 2, 3])


def test_epoch_columns_and_rows():
    history = filled()
    np.testing.assert_allclose(history.epoch_column("val_loss"), [0.6, 0.3])
    assert history.to_rows()[1]["epoch"] == 2
    assert list(history.to_rows()[0]) == list(HISTORY_COLUMNS)
    assert history.last_epoch.epoch == 2
    with pytest.raises(ValueError, match="unknown history column 'acc'"):
        history.epoch_column("acc")


def test_csv_files(tmp_path):
    history = filled()
    history.write_csv(tmp_path / "history.csv")
    with open(tmp_path / "history.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(HISTORY_COLUMNS)
    assert float(rows[1]["val_loss"]) == pytest.approx(0.3)
    history.write_steps_csv(tmp_path / "steps.csv")
    lines = (tmp_path / "steps.csv").read_text().splitlines()
    assert lines[0] == "step,train_loss" and lines[2] == "2,0.5" and len(lines) == 11
    assert [p.name for p in tmp_path.iterdir()] != []  # no temporary files left:
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "steps.csv"]


def test_dict_round_trip_through_json():
    history = filled()
    restored = History.from_dict(json.loads(json.dumps(history.to_dict())))
    np.testing.assert_array_equal(restored.step_losses(), history.step_losses())
    assert restored.epochs == history.epochs


def test_long_histories_are_averaged_in_blocks():
    history = filled(steps=1001)
    state = history.to_dict(max_steps=100)
    assert state["step_stride"] == 11 and len(state["step_losses"]) == 91
    restored = History.from_dict(state)
    assert restored.step_stride == 11 and restored.num_steps == 1001
    np.testing.assert_array_equal(restored.step_numbers()[:2], [11, 22])
    assert restored.step_losses()[0] == pytest.approx(np.mean(1.0 / np.arange(1, 12)))


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ([], "history must be a dict"),
        ({"step_stride": 0}, "step_stride must be a positive integer"),
        ({"step_losses": [1.0, "x"]}, "step loss must be a finite number; got 'x'"),
        ({"step_losses": [float("nan")]}, "finite number"),
        ({"step_losses": [0.0] * 100_001}, "at most 100000 numbers"),
        ({"epochs": [[1, 2, 3]]}, "epoch rows must have 8 values"),
        ({"epochs": [[1, 2, 0.1, 0.1, None, 0.1, 0.1, 1.0]]}, "val_loss must be a finite"),
        ({"columns": ["epoch"]}, "history columns must be"),
    ],
)
def test_from_dict_rejects_bad_documents(state, message):
    with pytest.raises(ValueError) as info:
        History.from_dict(state)
    assert message in str(info.value)
