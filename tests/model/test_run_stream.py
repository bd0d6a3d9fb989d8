"""The runs' reports any view binds to: live run, pictures, histories, selection."""

from __future__ import annotations

import numpy as np

from explorer.inspect.layer_history import LayerHistory
from explorer.model import run_stream
from explorer.model.run_stream import RunStream


def records(step, layers=("linear1", "linear2")):
    n = len(layers)
    return {
        "layers": list(layers),
        "scalars": {
            "step": np.array([step]),
            "grad_norm": np.ones((1, n)),
            "weight_norm": np.ones((1, n)),
            "update_norm": np.full((1, n), 1e-3),
        },
    }


def test_a_run_starts_records_is_pictured_and_stops():
    stream = RunStream()
    events = []
    stream.run_started.connect(lambda run: events.append(("started", run)))
    stream.selection_changed.connect(lambda run: events.append(("selected", run)))
    stream.picture.connect(lambda run, picture: events.append(("picture", run)))
    stream.run_stopped.connect(lambda run, reason: events.append(("stopped", reason)))
    stream.start(3, "#3 spiral")
    stream.add_picture(3, {"layers": []})
    stream.add_picture(2, {"layers": []})  # a stale run's picture is ignored
    stream.add_records(3, records(1))
    stream.add_records(3, records(2))
    stream.stop(3, "paused")
    assert stream.live == 3  # paused: still live
    stream.stop(3, "done")
    assert stream.live is None
    assert events == [
        ("started", 3),
        ("selected", 3),
        ("picture", 3),
        ("stopped", "paused"),
        ("stopped", "done"),
    ]
    assert stream.history(3).num_scalars == 2 and stream.names() == {3: "#3 spiral"}


def test_histories_follow_the_runs_list_and_stay_bounded(monkeypatch):
    monkeypatch.setattr(run_stream, "MAX_HISTORIES", 3)
    stream = RunStream()
    for run in range(1, 6):
        stream.start(run, f"#{run}")
        stream.add_records(run, records(1))
    assert list(stream.names()) == [3, 4, 5]  # the oldest went first
    stream.rename(4, "renamed")
    stream.forget(5)
    assert stream.names() == {3: "#3", 4: "renamed"} and stream.selected is None
    stream.keep_only([4])
    assert list(stream.names()) == [4]
    stream.select(4)
    stream.restore({7: ("#7", LayerHistory(["linear1"]))})
    assert stream.names() == {7: "#7"} and stream.selected == 7 and stream.live is None
