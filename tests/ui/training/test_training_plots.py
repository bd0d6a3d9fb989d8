import numpy as np
import pyqtgraph as pg
import pytest

from explorer.ui.training.confusion import ConfusionMatrixPlot
from explorer.ui.training.decision import DecisionRegionPlot, blend_regions
from explorer.ui.training.palette import color
from explorer.ui.training.plots import AccuracyPlot, CurveData, LossCurvePlot
from explorer.ui.training.samples import SampleGrid
from explorer.ui.training.series import GrowingSeries


def tensorboard_ema(values, weight):
    last, out = 0.0, []
    for i, v in enumerate(values, start=1):
        last = last * weight + (1 - weight) * v
        out.append(last / (1 - weight**i))
    return np.array(out)


def test_series_grows_and_smooths_like_tensorboard():
    series = GrowingSeries(capacity=2, smoothing=0.9)
    values = np.random.default_rng(0).random(50)
    for chunk in np.array_split(values, 7):
        series.extend(np.arange(len(chunk)), chunk)
    assert len(series) == 50
    np.testing.assert_allclose(series.smoothed, tensorboard_ema(values, 0.9))
    series.set_smoothing(0.5)
    np.testing.assert_allclose(series.smoothed, tensorboard_ema(values, 0.5))
    with pytest.raises(ValueError, match="1.0"):
        series.set_smoothing(1.0)


def test_loss_plot_draws_raw_smoothed_and_validation(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.append_steps([1, 2, 3], [3.0, 2.0, 1.0])
    plot.set_validation([3], [1.5])
    plot.refresh()
    x, y = plot.raw_curve.getData()
    assert list(x) == [1, 2, 3] and list(y) == [3.0, 2.0, 1.0]
    assert plot.smooth_curve.getData()[1][0] == pytest.approx(3.0)  # debiased: no pull to 0
    assert list(plot.val_curve.getData()[1]) == [1.5]
    assert "step 2" in plot.readout_text(2.2)
    assert "validation 1.5" in plot.readout_text(3)
    plot.set_log_y(True)
    assert plot.is_log_y()


def test_overlaid_runs_are_drawn_in_their_colours_and_named_by_the_runs_list(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    run = CurveData(
        "lr 0.1",
        np.arange(3.0),
        np.ones(3),
        np.empty(0),
        np.empty(0),
        np.arange(1.0, 2.0),
        np.array([0.5]),
        color_index=3,
    )
    plot.set_overlays([run])
    assert plot.overlay_names() == ["lr 0.1"]
    assert plot._overlays[0].opts["pen"].color().getRgb()[:3] == color(3)
    assert plot._overlays[0].name() == "lr 0.1 (smoothed)"  # the CSV column
    labels = [label.text for _, label in plot.legend.items]
    assert labels == ["current run", "validation"]  # the legend leaves the data its room
    plot.set_overlays([])
    assert plot.overlay_names() == []


def test_accuracy_plot_in_percent(qtbot):
    plot = AccuracyPlot()
    qtbot.addWidget(plot)
    plot.set_run([1, 2], [0.5, 0.75], [0.6, 0.8])
    assert list(plot.val_curve.getData()[1]) == [50.0, 75.0]
    assert list(plot.train_curve.getData()[1]) == [60.0, 80.0]


@pytest.mark.parametrize("epochs", [2, 5, 12, 100])
def test_the_accuracy_plots_epoch_ticks_are_whole_numbers(qtbot, epochs):
    from tests.ui.seen import tick_labels_drawn

    plot = AccuracyPlot()
    qtbot.addWidget(plot)
    plot.resize(360, 260)
    plot.show()
    qtbot.waitExposed(plot)
    e = np.arange(1, epochs + 1)
    plot.set_run(e, np.linspace(0.5, 0.9, epochs), np.linspace(0.4, 0.95, epochs))
    axis = plot.plot_item.getAxis("bottom")
    labels = [text for _rect, text in tick_labels_drawn(axis)]
    assert len(labels) >= 2 and all(text.isdigit() for text in labels), labels


def test_regions_fade_to_white_where_the_model_is_unsure():
    probs = np.array([[[0.5, 0.5], [1.0, 0.0]]])
    rgb = blend_regions(probs, 2)
    np.testing.assert_allclose(rgb[0, 0], [1, 1, 1])
    assert rgb[0, 1].min() < 0.9


def test_decision_plot_shows_points_and_regions(qtbot):
    plot = DecisionRegionPlot()
    qtbot.addWidget(plot)
    plot.set_points(np.zeros((4, 2)), [0, 1, 0, 1], np.ones((2, 2)), [0, 1], 2)
    plot.set_regions((-1, 1, -1, 1), np.full((5, 5, 2), 0.5))
    assert plot.region_image().shape == (5, 5, 3)
    assert len(plot.val_points.data) == 2


def test_confusion_matrix_shows_counts(qtbot):
    plot = ConfusionMatrixPlot()
    qtbot.addWidget(plot)
    plot.set_matrix([[3, 1], [0, 4]], ["a", "b"])
    assert [t.toPlainText() for t in plot._texts] == ["3", "1", "0", "4"]


def test_sample_grid_captions_predictions(qtbot):
    grid = SampleGrid(count=4, columns=2)
    qtbot.addWidget(grid)
    grid.set_samples(
        np.random.default_rng(0).random((6, 8, 8)), [1, 2, 3, 4, 5, 6], [str(i) for i in range(10)]
    )
    grid.set_predictions([1, 2, 0, 4])
    assert grid.captions() == ["1", "2", "0 (3)", "4"]


def test_history_figures_for_the_cli(qtbot):
    from explorer.training import DEFAULT_RUN, setup_run
    from explorer.ui.training.plots import make_history_figures

    run = setup_run(DEFAULT_RUN.with_training(epochs=2))
    history = run.trainer.run()
    figures = make_history_figures(history, "spiral")
    assert set(figures) == {"loss", "accuracy"}
    x, y = figures["loss"].listDataItems()[0].getData()
    assert len(x) == history.num_steps
    val = figures["accuracy"].listDataItems()[0].getData()[1]
    assert len(val) == 2 and 0 <= val.min() <= 100
    import pyqtgraph.exporters as exporters

    image = exporters.ImageExporter(figures["loss"]).export(toBytes=True)
    assert image.width() > 100


def test_hovering_the_loss_plot_shows_the_values_under_the_cursor(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    qtbot.waitExposed(plot)
    plot.append_steps(np.arange(1, 101), np.linspace(2.0, 0.1, 100))
    plot.refresh()
    plot.plot_item.setXRange(1, 100, padding=0)
    scene_pos = plot.plot_item.vb.mapViewToScene(pg.Point(50, 1.0))
    plot.scene().sigMouseMoved.emit(scene_pos)
    assert plot.readout.isVisible() and plot.cursor.isVisible()
    assert plot.readout.toPlainText().startswith("step 50")
    plot.close()


def test_a_live_loss_view_keeps_room_ahead_and_moves_only_when_outgrown(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.append_steps(np.arange(1, 101), np.linspace(2.0, 1.0, 100))
    plot.refresh(live=True)
    (x0, x1), (y0, y1) = plot.plot_item.vb.viewRange()
    assert x1 > 140 and y0 >= 0.0 - 0.2  # room to grow; a loss view stays near zero
    plot.append_steps(np.arange(101, 121), np.linspace(1.0, 0.95, 20))
    plot.refresh(live=True)
    assert plot.plot_item.vb.viewRange()[0] == [x0, x1]  # still fits: the axes stay put
    plot.append_steps(np.arange(121, 301), np.linspace(0.95, 0.5, 180))
    plot.refresh(live=True)
    assert plot.plot_item.vb.viewRange()[0][1] >= 300  # outgrown: the view moved on
    plot.append_steps([301], [0.5])
    plot.refresh()  # not live (the run ended): fit the run exactly again
    assert plot.plot_item.vb.viewRange()[0][1] < 330


def test_a_live_accuracy_view_grows_by_steps_and_respects_the_user(qtbot):
    plot = AccuracyPlot()
    qtbot.addWidget(plot)
    plot.set_run([1, 2, 3], [0.5, 0.6, 0.7], live=True)
    first = plot.plot_item.vb.viewRange()[0]
    assert first[1] >= 4
    plot.set_run([1, 2, 3, 4], [0.5, 0.6, 0.7, 0.75], live=True)
    assert plot.plot_item.vb.viewRange()[0] == first
    plot.set_run(np.arange(1, 41), np.linspace(0.5, 0.9, 40), live=True)
    assert plot.plot_item.vb.viewRange()[0][1] >= 40
    plot.plot_item.vb.sigRangeChangedManually.emit([True, True])  # the user zooms
    plot.plot_item.setXRange(5, 10, padding=0)
    plot.set_run(np.arange(1, 101), np.linspace(0.5, 0.9, 100), live=True)
    assert plot.plot_item.vb.viewRange()[0] == [5, 10]


def test_epoch_marks_give_way_to_a_line_for_long_runs(qtbot):
    from explorer.ui.training.plots import MAX_EPOCH_MARKS

    loss, accuracy = LossCurvePlot(), AccuracyPlot()
    qtbot.addWidget(loss)
    qtbot.addWidget(accuracy)
    few = np.arange(1, MAX_EPOCH_MARKS + 1, dtype=float)
    many = np.arange(1, MAX_EPOCH_MARKS + 2, dtype=float)
    loss.set_validation(few, np.ones_like(few))
    loss.refresh()
    accuracy.set_run(few, np.full(few.size, 0.5))
    assert loss.val_curve.opts["symbol"] == "o" and accuracy.val_curve.opts["symbol"] == "o"
    loss.set_validation(many, np.ones_like(many))
    loss.refresh()
    accuracy.set_run(many, np.full(many.size, 0.5))
    assert loss.val_curve.opts["symbol"] is None and accuracy.val_curve.opts["symbol"] is None
    assert loss.val_curve.getData()[0].size == many.size  # every epoch is still drawn


def test_a_live_range_change_costs_one_paint(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from tests.ui.event_counts import EventCount

    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    paints = EventCount(QEvent.Type.Paint)
    plot.viewport().installEventFilter(paints)
    steps = np.arange(1.0, 2001.0)
    plot.append_steps(steps[:50], 1.0 / np.sqrt(steps[:50]))
    plot.refresh(live=True)  # the first paints lay the plot out
    for _ in range(3):
        QApplication.processEvents()
    for start in range(50, 2000, 250):  # each chunk outgrows the view kept ahead of the run
        plot.append_steps(steps[start : start + 250], 1.0 / np.sqrt(steps[start : start + 250]))
        QApplication.processEvents()
        before = paints.count
        plot.refresh(live=True)
        for _ in range(3):
            QApplication.processEvents()
        # The clipped, downsampled curves are prepared for the new range before the paint,
        # not during it (which would ask for a second paint).
        assert paints.count - before <= 1


def test_validation_points_are_appended_one_epoch_at_a_time(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.set_validation([10.0], [1.0])
    for step, loss in ((20.0, 0.8), (30.0, 0.6)):
        plot.append_validation(step, loss)
    plot.refresh()
    x, y = plot.val_curve.getData()
    assert x.tolist() == [10.0, 20.0, 30.0] and y.tolist() == [1.0, 0.8, 0.6]
    plot.set_validation([5.0], [2.0])  # a run shown afresh replaces them
    plot.refresh()
    assert plot.val_curve.getData()[0].tolist() == [5.0]


def test_the_loss_axis_shows_real_values_and_no_multiplier_linear_or_log(qtbot):
    from tests.ui.model.helpers import drawn_labels

    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    axis = plot.plot_item.getAxis("left")
    plot.append_steps(np.arange(1, 101), np.linspace(0.5, 0.1, 100))
    plot.refresh()
    assert "(x" not in axis.labelString()
    assert {"0.1", "0.5"} <= set(drawn_labels(axis))
    plot.clear_run()
    plot.append_steps(np.arange(1, 101), np.geomspace(1e-2, 1e-12, 100))
    plot.refresh()
    plot.set_log_y(True)
    assert "(x" not in axis.labelString()
    labels = drawn_labels(axis)
    assert "0.01" in labels and "10⁻¹²" in labels  # decades of the real losses


def test_the_hover_read_out_goes_when_the_pointer_leaves_and_when_a_run_begins(qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    plot = LossCurvePlot()
    beside = QLabel("beside the plot")
    layout.addWidget(plot)
    layout.addWidget(beside)
    window.resize(800, 400)
    window.show()
    qtbot.waitExposed(window)
    plot.append_steps(np.arange(1, 101), np.linspace(2.0, 0.1, 100))
    plot.refresh()

    def hover():
        centre, moves = plot.viewport().rect().center(), iter(range(10_000))

        def moved_in():  # pyqtgraph passes on at most one move per 10 ms: keep moving
            count = next(moves)
            qtbot.mouseMove(plot.viewport(), centre + QPoint(count % 7, 0))
            return count > 2 and plot.readout.isVisible()

        qtbot.waitUntil(moved_in)
        assert plot.readout.toPlainText().startswith("step ")

    hover()
    moves = iter(range(10_000))

    def moved_out():
        qtbot.mouseMove(beside, beside.rect().center() + QPoint(next(moves) % 7, 0))
        return not plot.readout.isVisible()

    qtbot.waitUntil(moved_out)
    assert not plot.cursor.isVisible()
    hover()
    plot.clear_run()  # the next run begins
    assert not plot.readout.isVisible() and not plot.cursor.isVisible()
    window.close()


def curve(name, steps, losses, color_index=0):
    steps = np.asarray(steps, dtype=float)
    empty = np.empty(0)
    return CurveData(
        name, steps, np.asarray(losses, float), empty, empty, empty, empty, color_index=color_index
    )


def test_the_loss_view_fits_every_ticked_run_and_offers_log_y_when_they_differ(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    offers = []
    plot.sigLogOffer.connect(offers.append)
    unscaled = curve("#1 standardize off", np.arange(1, 2001), np.linspace(1400, 10, 2000), 3)
    plot.set_overlays([unscaled])
    plot.set_run(np.arange(1, 101), np.linspace(0.6, 0.1, 100), [100.0], [0.3])
    (x0, x1), (y0, y1) = plot.plot_item.vb.viewRange()
    assert x0 <= 1 and x1 >= 2000 and y1 >= 1400 and y0 <= 0.1  # both runs, whole
    assert offers and offers[-1] >= 1400 / 0.6 * 0.9 and plot.log_offer() == offers[-1]
    plot.set_log_y(True)
    (_, _), (y0, y1) = plot.plot_item.vb.viewRange()
    assert y0 <= np.log10(0.1) and y1 >= np.log10(1400)
    plot.set_overlays([])  # unticked: the view fits what is left, and nothing differs
    (x0, x1), (y0, y1) = plot.plot_item.vb.viewRange()
    assert x1 < 200 and y1 < np.log10(5)
    assert offers[-1] == 0 and plot.log_offer() == 0


def test_a_run_outside_a_zoomed_view_is_marked_at_the_edge_and_in_the_legend(qtbot):
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    old = curve("#1 lr=0.1", np.arange(1, 201), np.linspace(9.0, 5.0, 200), color_index=2)
    plot.set_overlays([old])
    plot.set_run(np.arange(1, 201), np.linspace(0.6, 0.1, 200), [], [])
    assert plot.hidden_runs() == {} and not plot.edge_marks.data.size
    vb = plot.plot_item.vb
    vb.setRange(xRange=(50, 150), yRange=(0, 1), padding=0)  # the user zooms on the new run
    vb.sigRangeChangedManually.emit([True, True])
    assert plot.hidden_runs() == {"#1 lr=0.1": "above"}
    x, y = plot.edge_marks.data[0]["x"], plot.edge_marks.data[0]["y"]
    assert 50 <= x <= 150 and 0.9 < y <= 1
    assert plot.edge_marks.data[0]["symbol"] == "t1"
    assert plot.edge_marks.data[0]["brush"].color().getRgb()[:3] == color(2)
    labels = [label.text for _, label in plot.legend.items]
    assert labels == ["current run", "validation", "#1 lr=0.1 (▲ above)"]
    vb.setRange(xRange=(60, 120), yRange=(0, 0.5), padding=0)  # zoomed further
    vb.sigRangeChangedManually.emit([True, True])
    x, y = plot.edge_marks.data[0]["x"], plot.edge_marks.data[0]["y"]
    assert 60 <= x <= 120 and 0.45 < y <= 0.5  # the mark moved with the view's edge
    vb.setRange(xRange=(300, 400), yRange=(0, 1), padding=0)  # past both runs' ends
    assert plot.hidden_runs() == {"#1 lr=0.1": "left", "current run": "left"}
    plot.plot_item.autoBtn.clicked.emit(plot.plot_item.autoBtn)  # "A": fit all, none hidden
    assert plot.is_following() and plot.hidden_runs() == {}
    assert not plot.edge_marks.data.size
    assert [label.text for _, label in plot.legend.items] == ["current run", "validation"]


def test_with_seven_runs_the_legends_stay_off_the_data(qtbot):
    from PySide6.QtWidgets import QApplication

    loss, accuracy = LossCurvePlot(), AccuracyPlot()
    for plot in (loss, accuracy):
        qtbot.addWidget(plot)
        plot.resize(560, 420)
        plot.show()
    runs = [
        curve(
            f"#{i} spiral adam lr=0.00{i} batch {8 * i}",
            np.arange(1, 301),
            np.linspace(1.2, 0.1 * i, 300),
            color_index=i,
        )
        for i in range(1, 8)
    ]
    for run in runs:
        run.epochs, run.val_accuracy = np.arange(1.0, 11.0), np.linspace(0.4, 0.9, 10)
    loss.set_overlays(runs)
    loss.set_run(np.arange(1, 301), np.linspace(1.1, 0.05, 300), [300.0], [0.1])
    accuracy.set_overlays(runs)
    accuracy.set_run(np.arange(1, 11), np.linspace(0.3, 0.95, 10), np.linspace(0.3, 0.9, 10))
    for plot in (loss, accuracy):
        qtbot.waitExposed(plot)
        QApplication.processEvents()
        data = plot.plot_item.vb.sceneBoundingRect()
        legend = plot.legend.sceneBoundingRect()
        assert legend.height() > 0 and not legend.intersects(data)
        assert data.height() > 0.5 * plot.height()  # the data keeps most of the plot
    labels = [label.text for _, label in loss.legend.items]
    assert labels == ["current run", "validation"]


def _view_pixels(plot) -> np.ndarray:
    """The loss plot's data area as drawn, RGB rows x columns."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    rect = plot.plot_item.vb.sceneBoundingRect().toAlignedRect()
    image = plot.grab(plot.mapFromScene(rect).boundingRect()).toImage()
    image = image.convertToFormat(image.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = data.reshape(image.height(), image.bytesPerLine())[:, : 3 * image.width()]
    return rows.reshape(image.height(), image.width(), 3).copy()


def test_a_long_runs_validation_loss_stays_visible_over_its_training_line(qtbot):
    # 100 epochs (a line, not marks) whose validation loss lies right on the training loss:
    # the worst case, where a line drawn like the training line would vanish under it.
    plot = LossCurvePlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    qtbot.waitExposed(plot)
    steps = np.arange(1.0, 2301.0)
    epoch_ends = steps[22::23]
    plot.set_run(steps, np.full(steps.size, 0.1), [], [])
    plot.plot_item.setRange(xRange=(0, 2300), yRange=(0, 0.2), padding=0)
    without = _view_pixels(plot)
    plot.set_validation(epoch_ends, np.full(epoch_ends.size, 0.1))
    plot.refresh()
    plot.plot_item.setRange(xRange=(0, 2300), yRange=(0, 0.2), padding=0)
    with_validation = _view_pixels(plot)
    columns = np.any(with_validation != without, axis=(0, 2))
    # Along the whole line, the validation's dashes break the training line with gaps.
    assert columns.mean() > 0.3
    assert all(part.any() for part in np.array_split(columns, 10))
    # Its legend sample is not the training line's either.
    samples = {label.text: sample.item.opts["pen"] for sample, label in plot.legend.items}
    validation, training = pg.mkPen(samples["validation"]), pg.mkPen(samples["current run"])
    assert validation.style() != training.style()
