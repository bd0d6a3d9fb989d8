import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication

from explorer.ui import MainWindow
from explorer.ui.plots.minimum import content_minimum


def test_main_window_has_five_tabs_in_order(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Distributions", "Losses", "Model", "Training", "Network", "Gradient"]
    assert [t.export_name for t in window.all_tabs()] == [
        "distributions",
        "losses",
        "model",
        "training",
        "network",
        "gradient",
    ]


def test_menus_offer_export_quit_and_about(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    file_actions = [a.text().replace("&", "") for a in window.file_menu.actions() if a.text()]
    assert "Export..." in file_actions
    assert "Quit" in file_actions
    assert "pyqtgraph" in window.about_text()


def test_last_tab_is_remembered(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(2)
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 2
    again.tabs.setCurrentIndex(0)


def _on_window(window, widget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


LAPTOP_WIDGETS = {
    "distributions": ("readouts", "graphics", "presets", "sliders"),
    "losses": ("options_panel", "input_table", "target_table", "results", "curves"),
    "model": ("form", "tree", "totals", "introspection", "views"),
    "training": ("loss_plot", "picture", "accuracy_plot", "confusion_plot", "info_link"),
    "network": ("units", "run_box", "layer_box", "network", "history"),
}


def test_every_tab_fits_a_laptop_screen_without_overlap_or_cut_plots(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert minimum.width() <= 1024 and minimum.height() <= 640
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    assert window.size() == QSize(1024, 640)
    for name, attributes in LAPTOP_WIDGETS.items():
        window.show_tab(name)
        tab = window.tab(name)
        view = getattr(tab, "view", tab)
        widgets = [getattr(tab, a, None) or getattr(view, a) for a in attributes]
        qtbot.waitUntil(lambda ws=widgets: all(w.isVisible() for w in ws))
        rects = [_on_window(window, w) for w in widgets]
        for attribute, rect in zip(attributes, rects, strict=True):
            assert window.rect().contains(rect), (name, attribute, rect)
            assert rect.width() > 40 and rect.height() > 20, (name, attribute, rect)
        for i, first in enumerate(rects):
            for j in range(i + 1, len(rects)):
                assert not first.intersects(rects[j]), (name, attributes[i], attributes[j])
        # No plot is squeezed below what its title and axes need (it would be cut).
        for plot in tab.findChildren(pg.GraphicsView):
            if plot.isVisible():
                need = content_minimum(plot)
                assert plot.width() >= need.width() - 1, (name, plot.objectName(), need)


def test_open_in_distributions_keeps_the_true_class_selected_after_the_tab_switch(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_tab("training")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    training = window.tab("training")
    training.setFocus()
    training.focusNextChild()  # the focus sits in the Training tab, as after a click there
    qtbot.waitUntil(lambda: training.isAncestorOf(QApplication.focusWidget()))
    p, q = [0.0, 0.0, 1.0, 0.0, 0.0], [0.1, 0.2, 0.3, 0.15, 0.25]
    training.sigOpenDistributions.emit(p, q, ["a", "b", "c", "d", "e"])
    tab = window.tab("distributions")
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tab)
    for _ in range(3):  # the focus moves into the new page in later events
        QApplication.processEvents()
    assert tab.pair.selected == 2 and tab.selected_spin.value() == 2
    sensitivity = tab.sensitivity
    assert sensitivity.now_line.value() == pytest.approx(0.3)  # q of class 2
    assert "q₂" in sensitivity.plot.getAxis("bottom").labelText
