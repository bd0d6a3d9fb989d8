import numpy as np

from explorer.ui.training import display as display_module
from explorer.ui.training.display import RunDisplay
from explorer.ui.training.runs import Run, RunListModel
from explorer.ui.training.view import TrainingView


def make_display(qtbot):
    runs = RunListModel()
    view = TrainingView(runs)
    qtbot.addWidget(view)
    display = RunDisplay(view, runs)
    run = Run(run_id=1, name="#1")
    runs.add(run)
    display.begin(
        run, steps_per_epoch=4, epochs=10, batch_size=8, val_labels=[0, 1], class_names=["a", "b"]
    )
    return display, run


def test_the_loss_curve_gets_every_other_refresh_while_slow_views_wait(qtbot, monkeypatch):
    display, run = make_display(qtbot)
    monkeypatch.setattr(display_module, "GUI_SHARE", 1e9)  # no budget wait in this test
    refreshed, painted = [], []
    monkeypatch.setattr(display.view.loss_plot, "refresh", lambda live=False: refreshed.append(1))
    real_paint = display._paint_pending
    monkeypatch.setattr(
        display, "_paint_pending", lambda everything: (painted.append(1), real_paint(everything))
    )
    step = 0
    for _frame in range(12):
        step += 4
        display.on_steps({"steps": [step], "losses": [1.0], "samples": 8, "seconds": 0.01})
        display.view.loss_plot._dirty = True
        display._pending["accuracy"] = True  # an epoch ends every frame
        display._last_slow = 0.0  # slow views are always due
        display._last_refresh = 0.0
        display.tick()
    assert len(refreshed) == 6 and len(painted) == 6  # alternating, never starved


def test_slow_views_are_painted_oldest_first(qtbot):
    display, run = make_display(qtbot)
    run.val_accuracy.extend([0.5])
    run.train_accuracy.extend([0.5])
    display._pending["regions"] = {"regions": np.full((2, 2, 2), 0.5), "extent": (0, 1, 0, 1)}
    display._pending["accuracy"] = True
    display._paint_pending(everything=False)
    assert list(display._pending) == ["accuracy"]
    display._pending["regions"] = {"regions": np.full((2, 2, 2), 0.5), "extent": (0, 1, 0, 1)}
    display._paint_pending(everything=False)  # accuracy waited longer than the new regions
    assert list(display._pending) == ["regions"]


def test_the_progress_bar_follows_without_repainting_at_once(qtbot):
    display, run = make_display(qtbot)
    display.on_steps({"steps": [20], "losses": [1.0], "samples": 8, "seconds": 0.01})
    display.tick()
    bar = display.view.progress
    assert bar.value() == 500 and bar.format().startswith("Epoch 6/10")
    assert bar.updatesEnabled()


def test_the_p_q_numbers_widen_their_panel_but_never_narrow_it(qtbot):
    from explorer.ui.training.info_link import InfoLinkPanel

    panel = InfoLinkPanel()
    qtbot.addWidget(panel)
    logits = np.array([[2.0, 0.0], [9.0, -9.0]])
    panel.set_outputs(logits, np.array([0, 0]), np.array([0.1269, 1.523e-08]), ["a", "b"])
    panel.select(1)  # a tiny loss in e-notation: a wider text
    wide = panel.loss_label.minimumWidth()
    assert wide >= panel.loss_label.sizeHint().width()
    panel.select(0)
    assert panel.loss_label.minimumWidth() == wide  # a shorter number keeps the room
    assert "0.1269" in panel.loss_label.text()


def test_a_finished_run_is_fitted_exactly_even_when_its_last_points_were_painted_live(qtbot):
    from explorer.training.history import EpochRecord

    display, run = make_display(qtbot)
    v = display.view
    v.show()
    for epoch in range(1, 11):
        steps = list(range(4 * epoch - 3, 4 * epoch + 1))
        display.on_steps({"steps": steps, "losses": [1.0 / epoch] * 4, "samples": 32,
                          "seconds": 0.01})  # fmt: skip
        record = EpochRecord(epoch, 4 * epoch, 1.0 / epoch, 0.5, 1.0 / epoch, 0.5, 0.01, 3200)
        display.on_epoch({"record": record})
        v.loss_plot.refresh(live=True)  # each painted while the run trains
        display._paint_pending(everything=False)
    assert v.loss_plot.plot_item.vb.viewRange()[0][1] > 46  # room kept for the run to grow
    assert v.accuracy_plot.plot_item.vb.viewRange()[0][1] > 12
    display.tick(flush=True)  # the run ended: nothing new to draw
    assert v.loss_plot.plot_item.vb.viewRange()[0][1] < 44  # steps 1..40, a little padding
    qtbot.waitUntil(lambda: v.accuracy_plot.plot_item.vb.viewRange()[0][1] < 11)  # epochs 1..10
