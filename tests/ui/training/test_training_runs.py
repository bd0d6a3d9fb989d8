import pytest
from PySide6.QtCore import Qt

from explorer.ui.training.runs import MAX_STORED_POINTS, Run, RunListModel


def make_run(run_id=1, n=5):
    return Run(
        run_id=run_id,
        name=f"run {run_id}",
        config={"lr": 0.1},
        steps=list(range(1, n + 1)),
        losses=[1.0 / k for k in range(1, n + 1)],
        val_steps=[n],
        val_losses=[0.3],
        val_accuracy=[0.9],
        status="done",
    )


def test_run_round_trips_through_a_dict():
    run = make_run()
    again = Run.from_dict(run.to_dict())
    assert again == run


def test_long_curves_are_thinned_when_stored():
    run = make_run(n=3 * MAX_STORED_POINTS)
    stored = run.to_dict()
    assert len(stored["steps"]) <= MAX_STORED_POINTS
    assert Run.from_dict(stored).steps[0] == 1


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("name", "", "run name"),
        ("losses", ["a"], "numbers"),
        ("status", "weird", "status"),
        ("run_id", -1, "run_id"),
        ("losses", [1.0] * (MAX_STORED_POINTS + 1), "at most"),
        ("losses", [1.0, float("nan")], r"run 'losses' holds nan at index 1; curves hold finite"),
        ("val_accuracy", [float("inf")], "run 'val_accuracy' holds inf at index 0"),
        ("train_accuracy", [10**400], "run 'train_accuracy' holds 1000"),
    ],
)
def test_bad_stored_runs_are_rejected_with_a_message(key, value, message):
    data = make_run().to_dict()
    data[key] = value
    with pytest.raises(ValueError, match=message):
        Run.from_dict(data)


def test_model_renames_toggles_and_removes(qtbot):
    model = RunListModel()
    model.add(make_run(1))
    model.add(make_run(2))
    assert model.rowCount() == 2
    assert model.rename(0, "he init")
    assert model.run_at(0).name == "he init"
    assert model.data(model.index(0), Qt.ItemDataRole.DisplayRole).startswith("he init")
    with qtbot.waitSignal(model.sigOverlayChanged):
        model.set_overlay(1, False)
    assert model.data(model.index(1), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    model.remove(0)
    assert [r.name for r in model.runs()] == ["run 2"]
    assert model.next_id() == 3


def test_a_new_run_gets_a_colour_no_listed_run_has_and_keeps_it_when_stored(qtbot):
    model = RunListModel()
    for run_id in (1, 2, 3):
        model.add(Run(run_id=run_id, name=f"r{run_id}", color_index=model.next_color()))
    assert [r.color_index for r in model.runs()] == [0, 1, 2]
    model.remove(1)
    fresh = model.next_color()
    assert fresh not in (0, 2)
    run = Run(run_id=4, name="r4", color_index=fresh)
    assert Run.from_dict(run.to_dict()).color_index == fresh
    assert Run.from_dict({"run_id": 7, "name": "older session"}).color_index == 6
    with pytest.raises(ValueError, match="color_index"):
        Run.from_dict({"run_id": 7, "name": "x", "color_index": 99})


def test_where_a_runs_weights_came_from_is_stored_and_checked():
    run = Run(run_id=3, name="#3 continued from #2", continued_from="#2")
    assert Run.from_dict(run.to_dict()).continued_from == "#2"
    with pytest.raises(ValueError, match="continued_from"):
        Run.from_dict({"run_id": 3, "name": "x", "continued_from": 5})


def test_a_names_quoted_markup_is_shown_as_text_in_the_tooltip():
    run = Run(run_id=1, name="<i>mine</i>", dataset={"kind": "csv", "path": "/a/<b>.csv"})
    text = run.describe()
    assert "&lt;i&gt;mine&lt;/i&gt;" in text and "/a/&lt;b&gt;.csv" in text
