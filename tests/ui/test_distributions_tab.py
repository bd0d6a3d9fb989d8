"""The Distributions tab, driven through its widgets; numbers checked against explorer.info."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSlider, QSpinBox

from explorer.info import compare, format_value, kl_terms, sensitivity_curve
from explorer.ui.tabs.distributions import SENSITIVITY_T, DistributionsTab

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
    for curve, values in ((tab.sensitivity.kl_curve, kl), (tab.sensitivity.cross_curve, cross)):
        x, y = curve.getData()
        finite = np.isfinite(values)
        np.testing.assert_allclose(x, t[finite])
        np.testing.assert_allclose(y, values[finite])
    for item in (tab.sensitivity.kl_curve, tab.sensitivity.cross_curve):
        assert np.isfinite(item.getData()[1]).all()
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


def test_seed_examples_from_the_notes(qtbot, tab):
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
        "distributions",
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
