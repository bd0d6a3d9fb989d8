"""The Distributions tab, driven through its widgets; numbers checked against explorer.info."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QSlider, QSpinBox

from explorer.info import compare, format_value, kl_terms, sensitivity_curve
from explorer.ui.distributions.tab import SENSITIVITY_T, DistributionsTab
from explorer.ui.plots.native_items import drawn_rect

READOUT_FIELDS = {
    "entropyPValue": "entropy_p",
    "entropyQValue": "entropy_q",
    "crossEntropyValue": "cross_entropy_pq",
    "crossEntropyQPValue": "cross_entropy_qp",
    "klPQValue": "kl_pq",
    "klQPValue": "kl_qp",
    "jsValue": "js",
}


@pytest.fixture
def tab(qtbot):
    widget = DistributionsTab()
    qtbot.addWidget(widget)
    return widget


def label(tab, name: str) -> str:
    return tab.findChild(QLabel, name).text()


def number(text: str) -> float:
    head = text.split()[0]
    return math.inf if head == "∞" else float(head)


def slider(tab, which: str, index: int) -> QSlider:
    return tab.findChild(QSlider, f"{which}Slider{index}")


def sliders(tab, which: str) -> list[QSlider]:
    found = [s for s in tab.findChildren(QSlider) if s.objectName().startswith(f"{which}Slider")]
    return sorted(found, key=lambda s: int(s.objectName()[len(which) + 6 :]))


def assert_readouts_match_core(tab, base=2.0):
    p, q = tab.distributions()
    expected = compare(p, q, base)
    for name, field in READOUT_FIELDS.items():
        text = label(tab, name)
        assert text == format_value(getattr(expected, field), base), name
        assert "nan" not in text.lower()


def assert_plots_match_core(tab):
    p, q = tab.distributions()
    c = compare(p, q, tab.base)
    np.testing.assert_allclose(tab.bars.p_bars.opts["height"], p)
    np.testing.assert_allclose(tab.bars.q_bars.opts["height"], q)
    heights = np.asarray(tab.contributions.bars.opts["height"], dtype=float)
    finite = np.isfinite(c.kl_pq_terms)
    np.testing.assert_allclose(heights[finite], c.kl_pq_terms[finite])
    t, kl, cross = sensitivity_curve(p, q, tab.pair.selected, tab.base, t=SENSITIVITY_T)
    top = tab.sensitivity.y_range.current[1]
    pairs = (
        (tab.sensitivity.kl_curve, tab.sensitivity.kl_data, kl),
        (tab.sensitivity.cross_curve, tab.sensitivity.cross_data, cross),
    )
    for curve, data, values in pairs:
        # The data items hold the whole sweep (for CSV); the drawn curve stops at the top.
        np.testing.assert_allclose(data.getData()[0], t)
        np.testing.assert_allclose(data.getData()[1], values)
        x, y = curve.getData()
        assert np.isfinite(y).all() and (y <= top * (1 + 1e-12)).all()
        kept = np.isin(t, x) & (values <= top)
        np.testing.assert_allclose(np.interp(t[kept], x, y), values[kept])
    for bars in (tab.contributions.bars, tab.decomposition.entropy_bars, tab.decomposition.kl_bars):
        assert np.isfinite(np.asarray(bars.opts["height"], dtype=float)).all()


def test_names_for_automation_and_defaults(tab):
    assert tab.objectName() == "distributionsTab"
    assert tab.title == "Distributions" and tab.export_name == "distributions"
    assert tab.findChild(QSpinBox, "categoryCount").value() == 3
    assert tab.findChild(QComboBox, "logBase").currentText().startswith("bits")
    assert len(sliders(tab, "p")) == len(sliders(tab, "q")) == 3
    for name in READOUT_FIELDS:
        assert tab.findChild(QLabel, name) is not None
    assert_readouts_match_core(tab)
    assert_plots_match_core(tab)


def test_every_control_has_a_tooltip(tab):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QAbstractSpinBox, QScrollBar

    controls = [
        w
        for kind in (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox)
        for w in tab.findChildren(kind)
        if not isinstance(w, QScrollBar)  # Qt's own, inside views and combo pop-ups
    ]
    assert len(controls) > 20
    assert [w.objectName() for w in controls if not w.toolTip()] == []


def test_dragging_a_slider_renormalizes_and_updates_every_readout(tab):
    slider(tab, "p", 0).setValue(200)
    p, q = tab.distributions()
    assert p[0] == pytest.approx(0.2)
    assert p.sum() == pytest.approx(1.0)
    # The others keep their proportions (0.3 : 0.1).
    assert p[1] / p[2] == pytest.approx(3.0)
    assert slider(tab, "p", 1).value() == round(p[1] * 1000)
    assert tab.findChild(QLabel, "pProbability0").text() == "0.200"
    assert_readouts_match_core(tab)
    assert_plots_match_core(tab)


def test_arrow_keys_move_a_focused_slider(qtbot, tab):
    target = slider(tab, "q", 1)
    before = tab.distributions()[1][1]
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Up)
    qtbot.keyClick(target, Qt.Key.Key_Up)
    q = tab.distributions()[1]
    assert q[1] == pytest.approx(round(before * 1000 + 20) / 1000)
    assert q.sum() == pytest.approx(1.0)
    assert tab.pair.selected == 1
    assert_readouts_match_core(tab)


def test_focusing_a_slider_selects_its_category(qtbot, tab):
    tab.show()
    tab.activateWindow()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(tab.isActiveWindow)  # else the focus arrives later, for another reason
    before = tab.distributions()
    slider(tab, "q", 2).setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: tab.pair.selected == 2)
    assert tab.selected_spin.value() == 2
    np.testing.assert_array_equal(tab.distributions()[1], before[1])  # nothing moved


def test_a_category_can_reach_zero_and_come_back_with_infinity_shown(tab):
    tab.set_distributions([0.5, 0.3, 0.2], [0.2, 0.3, 0.5])
    slider(tab, "q", 0).setValue(0)
    p, q = tab.distributions()
    assert q[0] == 0.0
    assert label(tab, "klPQValue").startswith("∞")
    assert label(tab, "crossEntropyValue").startswith("∞")
    assert not label(tab, "klQPValue").startswith("∞")
    assert tab.contributions.marks.count() == 1
    assert_plots_match_core(tab)
    slider(tab, "q", 0).setValue(300)
    assert tab.distributions()[1][0] == pytest.approx(0.3)
    assert label(tab, "klPQValue") != "∞ bits"
    assert tab.contributions.marks.count() == 0
    assert_readouts_match_core(tab)


def test_measures_are_copied_from_their_right_click_menu(tab):
    from PySide6.QtGui import QGuiApplication

    tab.set_distributions([1, 0, 0], [0.8, 0.1, 0.1])
    readouts = tab.readouts
    value = readouts.values["crossEntropyValue"]
    # Plain labels (cheap to update while dragging); the menu does the copying.
    assert not value.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert value.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    copy_one, copy_value, copy_all = value.actions()
    assert copy_one.text() == "Copy H(P,Q)" and copy_all is readouts.copy_all
    copy_one.trigger()
    assert QGuiApplication.clipboard().text() == "H(P,Q) = 0.3219 bits"
    copy_value.trigger()
    assert QGuiApplication.clipboard().text() == repr(-math.log2(0.8))
    copy_all.trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == len(READOUT_FIELDS)
    assert lines[2] == "H(P,Q)\t0.3219 bits" and lines[0] == "H(P)\t0.0000 bits"


def test_infinity_marks_sit_inside_their_views(tab):
    tab.resize(1280, 760)
    tab.show()
    tab.set_distributions([0.5, 0.3, 0.2, 0.0], [0.0, 0.5, 0.5, 0.0])
    shown = [
        (plot, label)
        for plot in (tab.contributions, tab.decomposition, tab.sensitivity)
        for label in plot.marks.labels
        if label.isVisible()
    ]
    assert {plot for plot, _ in shown} == {tab.contributions, tab.decomposition, tab.sensitivity}
    tab.graphics.grab()  # pyqtgraph applies new view ranges when it paints
    for plot, label in shown:
        view = plot.plot.vb.sceneBoundingRect()
        assert view.contains(drawn_rect(label)), plot.plot.titleLabel.text


def test_letting_go_of_a_slider_keeps_a_range_the_data_still_fills(qtbot, tab):
    tab.set_distributions([0.5, 0.3, 0.2], [0.4, 0.3, 0.3])
    held = slider(tab, "p", 0)
    held.setSliderDown(True)
    held.setValue(1000)  # P becomes one-hot: the bars' scale grows to 1.05
    assert tab.bars.y_range.current == (0.0, 1.05)
    held.setValue(700)  # held: the scale stays
    assert tab.bars.y_range.current == (0.0, 1.05)
    held.setSliderDown(False)  # 0.7 still fills more than half of it: no refit
    assert tab.bars.y_range.current == (0.0, 1.05)
    held.setSliderDown(True)
    held.setValue(300)
    held.setSliderDown(False)  # now the bars (0.4 at most) need less than half: it shrinks
    assert tab.bars.y_range.current[1] < 1.0


def test_the_lecture_notes_examples(qtbot, tab):
    qtbot.mouseClick(tab.findChild(object, "exampleQClose"), Qt.MouseButton.LeftButton)
    assert label(tab, "crossEntropyValue") == "0.3219 bits"
    assert label(tab, "entropyPValue") == "0.0000 bits"
    qtbot.mouseClick(tab.findChild(object, "exampleQWrong"), Qt.MouseButton.LeftButton)
    assert label(tab, "crossEntropyValue") == "∞ bits"
    assert label(tab, "jsValue") == "1.0000 bits"
    assert tab.decomposition.marks.count() == 2
    assert_plots_match_core(tab)
    qtbot.mouseClick(tab.findChild(object, "exampleQEqualsP"), Qt.MouseButton.LeftButton)
    assert label(tab, "crossEntropyValue") == "0.0000 bits"
    assert label(tab, "entropyPValue") == "0.0000 bits"
    assert label(tab, "klPQValue") == "0.0000 bits"


def test_unit_switch_updates_every_number_and_plot(tab):
    tab.set_distributions([1, 0, 0], [0.8, 0.1, 0.1])
    combo = tab.findChild(QComboBox, "logBase")
    combo.setCurrentIndex(combo.findData("e"))
    assert tab.base == pytest.approx(math.e)
    assert label(tab, "crossEntropyValue") == f"{math.log(1 / 0.8):.4f} nats"
    assert_readouts_match_core(tab, math.e)
    assert_plots_match_core(tab)
    assert tab.contributions.plot.getAxis("left").labelText == "nats"
    tab.set_base(10)
    assert combo.currentData() == "10"
    assert label(tab, "crossEntropyValue").endswith("hartleys")
    assert_readouts_match_core(tab, 10.0)
    np.testing.assert_allclose(
        tab.contributions.bars.opts["height"], kl_terms([1, 0, 0], [0.8, 0.1, 0.1], base=10)
    )
    with pytest.raises(ValueError, match="base must be 2, e or 10"):
        tab.set_base(3)


def test_category_count_from_32_to_2_and_back(tab):
    spin = tab.findChild(QSpinBox, "categoryCount")
    spin.setValue(32)
    assert len(sliders(tab, "p")) == len(sliders(tab, "q")) == 32
    slider(tab, "p", 31).setValue(500)
    assert tab.pair.selected == 31
    assert_readouts_match_core(tab)
    assert_plots_match_core(tab)
    spin.setValue(2)
    assert len(sliders(tab, "p")) == 2 and slider(tab, "p", 2) is None
    assert tab.pair.selected == 1
    p, q = tab.distributions()
    assert p.size == q.size == 2 and p.sum() == pytest.approx(1.0)
    assert_readouts_match_core(tab)
    assert_plots_match_core(tab)
    spin.setValue(32)
    assert [s.objectName() for s in sliders(tab, "q")] == [f"qSlider{i}" for i in range(32)]
    assert_readouts_match_core(tab)
    assert_plots_match_core(tab)


def test_presets_uniform_one_hot_random_copy_and_swap(qtbot, tab):
    def click(name):
        qtbot.mouseClick(tab.findChild(object, name), Qt.MouseButton.LeftButton)

    click("pUniform")
    np.testing.assert_allclose(tab.distributions()[0], 1 / 3)
    assert label(tab, "entropyPValue") == f"{math.log2(3):.4f} bits"
    tab.findChild(QSpinBox, "selectedCategory").setValue(2)
    click("qOneHot")
    assert tab.distributions()[1].tolist() == [0, 0, 1]
    seed = tab.findChild(QSpinBox, "randomSeed")
    seed.setValue(5)
    click("pRandom")
    first = tab.distributions()[0]
    assert seed.value() == 6
    seed.setValue(5)
    click("pRandom")
    np.testing.assert_allclose(tab.distributions()[0], first)
    click("copyPToQ")
    assert label(tab, "klPQValue") == "0.0000 bits"
    tab.set_distributions([0.7, 0.2, 0.1], [0.1, 0.1, 0.8])
    kl_pq, kl_qp = label(tab, "klPQValue"), label(tab, "klQPValue")
    click("swapPQ")
    assert (label(tab, "klPQValue"), label(tab, "klQPValue")) == (kl_qp, kl_pq)
    assert_plots_match_core(tab)


def test_set_distributions_validates(tab):
    tab.set_distributions([2, 1, 1, 0], [1, 1, 1, 1])
    p, q = tab.distributions()
    assert p.tolist() == [0.5, 0.25, 0.25, 0.0]
    assert tab.findChild(QSpinBox, "categoryCount").value() == 4
    for bad_p, bad_q, message in (
        ([0.5, -0.5], [0.5, 0.5], "negative"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], "same length"),
        ([0, 0], [0.5, 0.5], "all zeros"),
        ([1], [1], "number of categories"),
        (np.ones(33), np.ones(33), "number of categories"),
    ):
        with pytest.raises(ValueError, match=message):
            tab.set_distributions(bad_p, bad_q)
    assert tab.distributions()[0].tolist() == [0.5, 0.25, 0.25, 0.0]


def test_state_round_trip_and_bad_state(qtbot, tab):
    tab.set_distributions([0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1])
    tab.set_base("nats")
    tab.findChild(QSpinBox, "selectedCategory").setValue(3)
    tab.gaussian.set_parameters({"mu_p": -1.0, "sigma_q": 2.5})
    tab.set_mode("gaussian")
    state = tab.state()
    other = DistributionsTab()
    qtbot.addWidget(other)
    other.restore_state(state)
    assert other.state() == state
    assert other.mode() == "gaussian" and other.modes.currentIndex() == 1
    assert label(other, "klPQValue") == label(tab, "klPQValue")
    for bad, message in (
        ({"base": 3}, "base"),
        ({"p": [1, -1, 0, 0]}, "negative"),
        ({"k": 5, "p": [1, 1, 1, 1], "q": [1, 1, 1, 1]}, "k is 5"),
        ({"k": 40}, "number of categories"),
        ({"mode": "3d"}, "mode"),
        ({"selected": 9}, "category index"),
        ({"colour": "red"}, "unknown.*colour"),
        ({"gaussian": {"sigma_p": 0}}, "sigma_p"),
        ({"random_seed": -1}, "random_seed"),
    ):
        with pytest.raises(ValueError, match=message):
            other.restore_state(bad)
    assert other.state() == state
    other.restore_state({"k": 6})
    assert len(sliders(other, "p")) == 6 and other.distributions()[0].size == 6


def test_gaussian_mode_shows_closed_form_beside_the_integral(qtbot, tab):
    from explorer.info import (
        gaussian_cross_entropy,
        gaussian_kl,
        gaussian_kl_numeric,
        gaussian_pdf,
    )

    qtbot.mouseClick(tab.findChild(object, "modeGaussian"), Qt.MouseButton.LeftButton)
    assert tab.mode() == "gaussian"
    spin = tab.findChild(object, "sigmaQSpin")
    spin.setValue(2.0)
    params = tab.gaussian.parameters()
    assert params["sigma_q"] == 2.0
    assert tab.findChild(QSlider, "sigmaQSlider").value() == 200
    theta = (params["mu_p"], params["sigma_p"], params["mu_q"], params["sigma_q"])
    closed = label(tab, "gaussianKlPQValue")
    assert closed == format_value(gaussian_kl(*theta), 2)
    assert label(tab, "gaussianKlPQNumericValue") == format_value(gaussian_kl_numeric(*theta), 2)
    assert label(tab, "gaussianKlQPValue") == format_value(
        gaussian_kl(theta[2], theta[3], theta[0], theta[1]), 2
    )
    assert label(tab, "gaussianCrossEntropyValue") == format_value(
        gaussian_cross_entropy(*theta), 2
    )
    assert number(label(tab, "gaussianCrossEntropyValue")) == pytest.approx(
        number(label(tab, "gaussianEntropyPValue")) + number(closed), abs=2e-4
    )
    x, y = tab.gaussian.densities.q_curve.getData()
    np.testing.assert_allclose(y, gaussian_pdf(x, theta[2], theta[3]))
    tab.findChild(QSlider, "muPSlider").setValue(150)
    assert tab.gaussian.parameters()["mu_p"] == 1.5
    tab.set_base("nats")
    assert label(tab, "gaussianKlPQValue").endswith("nats")
    _, integrand = tab.gaussian.integrand.pq_curve.getData()
    assert np.isfinite(integrand).all()


def test_export_items_are_plot_items_with_kebab_names(tab):
    import pyqtgraph as pg

    items = tab.export_items()
    assert list(items) == [
        "p-and-q",
        "kl-contributions",
        "decomposition",
        "sensitivity",
        "gaussian-densities",
        "gaussian-integrand",
    ]
    assert all(isinstance(item, pg.PlotItem) for item in items.values())


def test_no_plot_item_is_created_per_change(tab):
    plots = tab.export_items().values()
    before = [len(plot.items) for plot in plots]
    for value in (0, 250, 1000, 400):
        slider(tab, "q", 1).setValue(value)
        slider(tab, "p", 2).setValue(value)
    tab.set_base("e")
    tab.set_distributions([1, 0, 0], [0, 1, 0])
    assert [len(plot.items) for plot in plots] == before


def test_random_drags_never_produce_nan(tab):
    rng = np.random.default_rng(0)
    tab.findChild(QSpinBox, "categoryCount").setValue(6)
    for _ in range(60):
        which = "p" if rng.random() < 0.5 else "q"
        index = int(rng.integers(6))
        slider(tab, which, index).setValue(int(rng.choice([0, 1000, rng.integers(1001)])))
        for name in READOUT_FIELDS:
            assert "nan" not in label(tab, name).lower()
    assert_readouts_match_core(tab)
    assert_plots_match_core(tab)


def test_main_window_hosts_the_tab(qtbot):
    from explorer.ui import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    tab = window.tab("distributions")
    assert isinstance(tab, DistributionsTab)
    tab.set_distributions([1, 0, 0], [0.8, 0.1, 0.1])
    assert label(tab, "crossEntropyValue") == "0.3219 bits"


@pytest.mark.parametrize("example", ["exampleQClose", "exampleQWrong", "exampleQEqualsP"])
def test_sensitivity_range_shows_the_curve_in_the_notes_examples(qtbot, tab, example):
    from PySide6.QtWidgets import QPushButton

    qtbot.mouseClick(tab.findChild(QPushButton, example), Qt.MouseButton.LeftButton)
    p, q = tab.distributions()
    t, kl, cross = sensitivity_curve(p, q, tab.pair.selected, tab.base, t=SENSITIVITY_T)
    useful = (t >= 0.02) & (t <= 0.98)
    top = tab.sensitivity.y_range.current[1]
    # The whole climb over the useful range is inside the view, with the H(P) floor.
    assert cross[useful].max() <= top <= 2 * cross[useful].max()
    assert tab.comparison.entropy_p <= top
    x, y = tab.sensitivity.kl_curve.getData()
    assert x.min() <= 0.02 and (y <= top).all()
    # Dragging P keeps the range steady while the data fit.
    before = tab.sensitivity.y_range.current
    slider(tab, "q", 1).setValue(slider(tab, "q", 1).value() + 10)
    assert tab.sensitivity.y_range.current == before


def test_sensitivity_svg_export_stays_inside_the_axes(tmp_path, tab):
    import pyqtgraph.exporters as exporters
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    tab.resize(1280, 820)
    tab.show()
    tab.set_distributions([1, 0, 0], [0.8, 0.1, 0.1])
    QApplication.processEvents()  # lay out the plot, as an export from the app does
    path = tmp_path / "sensitivity.svg"
    exporters.SVGExporter(tab.sensitivity.plot).export(str(path))
    renderer = QSvgRenderer(str(path))
    image = QImage(renderer.defaultSize(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    # Above the view box (the title band) nothing red (the KL curve) is drawn.
    plot = tab.sensitivity.plot
    scale = image.height() / plot.boundingRect().height()
    view_top = int(plot.vb.mapRectToItem(plot, plot.vb.boundingRect()).top() * scale) - 2
    assert view_top > 10
    red = [
        (x, y)
        for x in range(image.width())
        for y in range(0, view_top, 2)
        if (c := QColor(image.pixel(x, y))).red() > 180 and c.green() < 90 and c.blue() < 90
    ]
    assert not red, (view_top, image.size(), red[:5])


def test_plotted_items_are_named_for_csv_and_decorations_excluded(tab):
    assert tab.bars.p_bars.opts["name"] == "P" and tab.bars.q_bars.opts["name"] == "Q"
    assert tab.bars.highlight.csv_exclude
    assert tab.contributions.data.name() == "KL contribution"
    assert tab.contributions.bars.csv_exclude and tab.contributions.marks.labels[0].csv_exclude
    assert tab.sensitivity.kl_data.name() == "KL(P||Q)"
    assert tab.sensitivity.cross_data.name() == "H(P,Q)"
    assert tab.sensitivity.kl_curve.csv_exclude and tab.sensitivity.cross_curve.csv_exclude
    tab.set_distributions([1, 0, 0], [0, 1, 0])
    # The CSV path keeps the true (infinite) values the bars can only draw clamped.
    assert np.isinf(tab.contributions.data.getData()[1][0])
    assert np.isinf(tab.decomposition.kl_data.getData()[1]).all()


def test_p_and_q_axis_ends_just_above_one_and_readouts_have_three_decimals(tab):
    tab.set_distributions([1, 0, 0], [0.8, 0.1, 0.1])
    assert tab.bars.y_range.current == (0.0, 1.05)
    assert label(tab, "pProbability0") == "1.000"
    assert label(tab, "pProbability1") == "0.000"
    assert label(tab, "qProbability0") == "0.800"


def test_a_thin_segment_moves_its_value_into_the_sum_above_the_bar(tab):
    tab.set_distributions([1, 0, 0], [0.8, 0.1, 0.1])
    total = tab.decomposition.labels[2]
    assert total.isVisible() and total.text() == "H(P,Q) = 0.000 + 0.322 = 0.322"


def test_decomposition_labels_never_crowd_a_short_segment(tab):
    for p, q in (([1, 0, 0], [0.8, 0.1, 0.1]), ([0.25] * 4, [0.1, 0.2, 0.3, 0.4])):
        tab.set_distributions(p, q)
        plot = tab.decomposition
        top = plot.y_range.current[1]
        heights = np.concatenate([plot.entropy_bars.opts["height"], plot.kl_bars.opts["height"]])
        segment_labels = [plot.labels[0], plot.labels[3], plot.labels[1], plot.labels[4]]
        for text_item, height in zip(segment_labels, heights, strict=True):
            if text_item.isVisible():
                lines = text_item.text().count("\n") + 1
                need = plot.ONE_LINE if lines == 1 else plot.TWO_LINES
                assert height / top >= need, text_item.text()


def test_category_labels_show_on_axes_and_sliders_until_k_or_a_preset_changes(qtbot, tab):
    from PySide6.QtWidgets import QPushButton

    tab.set_distributions([0.5, 0.3, 0.2], [0.2, 0.3, 0.5], labels=["cat", "dog", "bird"])
    assert tab.labels() == ("cat", "dog", "bird")
    ticks = tab.bars.plot.getAxis("bottom")._tickLevels[0]
    assert [name for _, name in ticks] == ["cat", "dog", "bird"]
    assert [name for _, name in tab.contributions.plot.getAxis("bottom")._tickLevels[0]] == [
        "cat",
        "dog",
        "bird",
    ]
    assert label(tab, "categoryLabel1") == "dog"
    assert tab.state()["labels"] == ["cat", "dog", "bird"]
    slider(tab, "p", 0).setValue(600)  # a drag keeps the names
    assert label(tab, "categoryLabel1") == "dog"
    qtbot.mouseClick(tab.findChild(QPushButton, "exampleQClose"), Qt.MouseButton.LeftButton)
    assert tab.labels() is None and label(tab, "categoryLabel1") == "1"
    tab.set_distributions([0.5, 0.5], [0.5, 0.5], labels=["yes", "no"])
    tab.findChild(QSpinBox, "categoryCount").setValue(3)
    assert tab.labels() is None and label(tab, "categoryLabel0") == "0"
    assert [name for _, name in tab.bars.plot.getAxis("bottom")._tickLevels[0]] == ["0", "1", "2"]
    with pytest.raises(ValueError, match="name all 3"):
        tab.set_distributions([1, 1, 1], [1, 1, 1], labels=["a", "b"])
    with pytest.raises(ValueError, match="label 1"):
        tab.set_distributions([1, 1], [1, 1], labels=["a", 7])


def test_category_labels_survive_a_state_round_trip(qtbot):
    first = DistributionsTab()
    qtbot.addWidget(first)
    first.set_distributions([0.7, 0.3], [0.4, 0.6], labels=["arm 0", "arm 1"])
    second = DistributionsTab()
    qtbot.addWidget(second)
    second.restore_state(first.state())
    assert second.labels() == ("arm 0", "arm 1") and label(second, "categoryLabel0") == "arm 0"
    with pytest.raises(ValueError, match="labels"):
        second.restore_state({"labels": ["only one"]})


def test_gaussian_legend_uses_one_notation_for_p_and_q(tab):
    legend = tab.gaussian.densities.plot.legend
    texts = [label_item.text for _, label_item in legend.items]
    assert texts == ["p(x) = N(μ_P, σ_P²)", "q(x) = N(μ_Q, σ_Q²)"]


def test_set_distributions_shows_the_discrete_page(tab):
    tab.set_mode("gaussian")
    tab.set_distributions([0.9, 0.1], [0.5, 0.5], labels=["right", "wrong"])
    assert tab.mode() == "discrete" and tab.modes.currentIndex() == 0
    assert tab.mode_group.button(0).isChecked()


def test_dragging_and_selecting_relayout_nothing_above_the_sliders(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from tests.ui.event_counts import EventCount

    def settle():  # a layout request climbs one level per pass of the event loop
        for _ in range(30):
            QApplication.processEvents()

    widget = DistributionsTab()
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.count_spin.setValue(6)
    widget.findChild(QSlider, "pSlider0").setValue(400)
    settle()
    requests = EventCount(QEvent.Type.LayoutRequest)
    widget.installEventFilter(requests)
    for index in (1, 3, 4):  # a new slider each time: its category becomes the selected one
        widget.findChild(QSlider, f"qSlider{index}").setValue(200 + 10 * index)
        settle()
    assert widget.pair.selected == 4
    assert requests.count == 0  # a relayout would repaint the whole tab (the whole window)


def test_scales_hold_still_while_a_slider_is_held_and_fit_when_it_is_let_go(qtbot):
    widget = DistributionsTab()
    qtbot.addWidget(widget)
    widget.count_spin.setValue(4)
    widget.set_distributions([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25])
    slider = widget.findChild(QSlider, "qSlider0")
    slider.setSliderDown(True)  # the mouse presses the slider ...
    slider.setValue(20)  # ... drags q₀ near 0: the contributions grow
    grown = widget.contributions.y_range.current
    slider.setValue(240)  # ... and back: the data needs far less room, the scale holds
    assert widget.contributions.y_range.current == grown
    slider.setSliderDown(False)  # let go: the data fill less than half the scale: it shrinks
    assert widget.contributions.y_range.current[1] < grown[1]


def _pixels(image) -> np.ndarray:
    """The image's RGB values, copied: a view would outlive the converted image's buffer."""
    image = image.convertToFormat(image.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = rows.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4)[..., :3].copy()


def assert_window_is_fresh(widget, after: str) -> None:
    """What the window shows (its backing store) is what painting it anew gives."""
    for _ in range(5):  # new slider columns take a few passes to lay out and paint
        QApplication.processEvents()
    shown = QApplication.primaryScreen().grabWindow(widget.winId()).toImage()
    fresh = widget.grab().toImage()
    assert shown.size() == fresh.size()
    stale = (_pixels(shown) != _pixels(fresh)).any(axis=2)
    assert not stale.any(), f"{stale.sum()} stale pixels after {after}"


def test_after_drags_the_window_shows_what_a_fresh_paint_shows(qtbot, tab):
    """Moves repaint only what changed: nothing they leave on screen (a line where it was
    before a scale change, a bar's old outline) may differ from painting it all anew."""
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)

    def assert_fresh(after: str) -> None:
        assert_window_is_fresh(tab, after)

    drags = [("q", 0, [500, 300, 100, 0, 40]), ("p", 1, [700, 1000, 900, 200]), ("q", 2, [0, 600])]
    for which, index, values in drags:
        held = slider(tab, which, index)
        held.setSliderDown(True)
        for value in values:
            held.setValue(value)
            QApplication.processEvents()
        held.setSliderDown(False)
        assert_fresh(f"dragging {which}{index}")
    tab.count_spin.setValue(7)
    assert_fresh("K = 7")
    tab.findChild(QComboBox, "logBase").setCurrentIndex(1)
    assert_fresh("a change of unit")
    tab.set_distributions([1, 0, 0], [0, 1, 0])
    assert_fresh("P and Q set to disjoint one-hots")


def test_reference_lines_span_their_views_exactly(tab):
    """An SVG export does not clip to the view: a line longer than the view would show."""
    for k in (3, 7):
        tab.count_spin.setValue(k)
        zero = tab.contributions.zero.line()
        assert [zero.x1(), zero.x2()] == pytest.approx(tab.contributions.plot.vb.viewRange()[0])
    floor = tab.sensitivity.entropy_line.line()
    assert [floor.x1(), floor.x2()] == pytest.approx(tab.sensitivity.plot.vb.viewRange()[0])
    now = tab.sensitivity.now_line.line()
    assert [now.y1(), now.y2()] == pytest.approx(list(tab.sensitivity.y_range.current))


def test_after_gaussian_drags_the_window_shows_what_a_fresh_paint_shows(qtbot, tab):
    tab.resize(1280, 760)
    tab.show()
    tab.set_mode("gaussian")
    qtbot.waitExposed(tab)
    for held in (s for s in tab.findChildren(QSlider) if s.isVisible()):
        held.setSliderDown(True)
        for value in np.linspace(held.minimum(), held.maximum(), 7).astype(int):
            held.setValue(int(value))
            QApplication.processEvents()
        held.setSliderDown(False)
        assert_window_is_fresh(tab, f"dragging {held.objectName()}")


def test_an_infinite_bar_fills_its_view_hatched_unlike_any_finite_bar(qtbot, tab):
    from PySide6.QtCore import Qt as QtCore_Qt

    from explorer.ui.distributions.plots import INFINITE

    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    # KL terms: 0.5·log2(0.5/0) = ∞ and a finite 0.7-ish one beside it
    tab.set_distributions([0.5, 0.45, 0.05], [0.0, 0.2, 0.8])
    tab.graphics.grab()
    plot = tab.contributions
    top = plot.y_range.current[1]
    infinite = plot.bars.layer(INFINITE)
    finite = plot.bars.layer(0)
    drawn = infinite.path().boundingRect()
    assert drawn.top() == pytest.approx(0.0) and drawn.bottom() == pytest.approx(top)
    assert finite.path().boundingRect().bottom() < 0.9 * top
    assert infinite.brush().style() == QtCore_Qt.BrushStyle.BDiagPattern
    assert finite.brush().style() == QtCore_Qt.BrushStyle.SolidPattern
    # Its ∞ sits on the bar, inside the view.
    (mark,) = [label for label in plot.marks.labels if label.isVisible()]
    bar_on_scene = infinite.mapRectToScene(drawn)
    assert bar_on_scene.contains(drawn_rect(mark).center())
    assert plot.plot.vb.sceneBoundingRect().contains(drawn_rect(mark))
    # The stacked KL segment of an infinite KL is hatched to the top too.
    kl = tab.decomposition.kl_bars.layer(1).path().boundingRect()
    assert kl.bottom() == pytest.approx(tab.decomposition.y_range.current[1])


def test_legends_stand_outside_the_data(qtbot, tab):
    from explorer.ui.plots.legend import OutsideLegend

    tab.resize(1024, 560)
    tab.show()
    qtbot.waitExposed(tab)
    tab.set_distributions([0.5, 0.3, 0.2], [0.0, 0.5, 0.5])  # ∞ marks at the top corners
    plots = [tab.sensitivity.plot, *tab.gaussian.export_items().values()]
    for mode in ("discrete", "gaussian"):
        tab.set_mode(mode)
        for plot in plots:
            if not plot.isVisible():
                continue
            plot.scene().views()[0].grab()
            legend = plot.legend
            assert isinstance(legend, OutsideLegend)
            assert legend.items and legend.isVisible()
            legend_rect = legend.sceneBoundingRect()
            data_rect = plot.vb.sceneBoundingRect()
            assert not legend_rect.intersects(data_rect), plot.titleLabel.text
            assert legend_rect.bottom() <= data_rect.top()
            assert plot.sceneBoundingRect().contains(legend_rect)


def test_typing_32_over_a_k_of_10_never_passes_through_3(qtbot, tab):
    tab.show()
    qtbot.waitExposed(tab)
    p = np.arange(1.0, 11.0)
    tab.set_distributions(p / p.sum(), np.full(10, 0.1))
    kept = tab.distributions()[0][3:10].copy()
    seen = []
    tab.count_spin.valueChanged.connect(seen.append)
    box = tab.count_spin
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "32")
    assert tab.pair.k == 10 and seen == []  # "3" was on the way: nothing applied yet
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert seen == [32] and tab.pair.k == 32
    grown = tab.distributions()[0][3:10]
    np.testing.assert_allclose(grown / grown.sum(), kept / kept.sum())  # categories 3-9 survive


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_an_infinite_bar_and_its_mark_take_the_appearances_colours(qtbot, tab, appearance):
    from explorer.ui.colors import PALETTES
    from explorer.ui.distributions.plots import INFINITE
    from explorer.ui.distributions.style import infinite_brush
    from explorer.ui.theme import theme

    tab.set_distributions([0.5, 0.45, 0.05], [0.0, 0.2, 0.8])
    palette = PALETTES[appearance]
    theme().set(palette=palette, zoom=1.5)
    hatch = tab.contributions.bars.layer(INFINITE).brush()
    assert hatch.style() == Qt.BrushStyle.BDiagPattern
    assert hatch.color() == infinite_brush("kl").color()
    (mark,) = [label for label in tab.contributions.marks.labels if label.isVisible()]
    # The ∞ breaks the hatch on a box of the plot's own background, in KL's readable colour.
    box = "#{:02x}{:02x}{:02x}".format(*palette.background)
    assert f"background-color:{box}" in mark.toHtml().replace(" ", "")
    assert mark.defaultTextColor().getRgb()[:3] == palette.text_color(palette.kl)
    assert mark.font().pointSizeF() == pytest.approx(1.5 * 11.0)


@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_an_infinite_kl_segments_label_reads_clearly_over_its_hatch(qtbot, tab, appearance):
    from PySide6.QtGui import QColor

    from explorer.ui.colors import PALETTES, contrast
    from explorer.ui.distributions.style import infinite_brush
    from explorer.ui.theme import theme

    palette = PALETTES[appearance]
    theme().set(palette=palette)
    tab.resize(1280, 760)
    tab.show()
    qtbot.waitExposed(tab)
    # Q has a zero where P has not: KL(Q‖P) is finite, KL(P‖Q) is infinite.
    tab.set_distributions([0.05, 0.3, 0.35, 0.2, 0.1], [0.0, 0.3, 0.3, 0.25, 0.15])
    plot = tab.decomposition
    label = plot.labels[1]  # KL(P‖Q), on the hatched segment
    assert label.isVisible() and label.text().startswith("KL(P‖Q)")
    view = plot.plot.scene().views()[0]
    image = view.grab().toImage()
    hatch = infinite_brush("kl").color()
    box = drawn_rect(label).toAlignedRect().adjusted(1, 1, -1, -1)
    pixels = [image.pixelColor(x, y) for x in range(box.left(), box.right())
              for y in range(box.top(), box.bottom())]  # fmt: skip
    on_hatch = [
        c for c in pixels
        if abs(c.red() - hatch.red()) + abs(c.green() - hatch.green())
        + abs(c.blue() - hatch.blue()) < 60
    ]  # fmt: skip
    assert on_hatch == []  # no hatch line crosses the text
    ink = label.brush().color()
    ground = QColor(*palette.background)
    assert contrast(ink.getRgb()[:3], ground.getRgb()[:3]) >= 4.5
    # The finite KL(Q‖P) beside it keeps its plain label on solid KL.
    assert plot.labels[1].box() is not None and plot.labels[4].box() is None
