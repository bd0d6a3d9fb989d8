from explorer.ui import MainWindow


def test_main_window_has_four_tabs_in_order(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Distributions", "Losses", "Model", "Training"]
    assert [t.export_name for t in window.all_tabs()] == [
        "distributions",
        "losses",
        "model",
        "training",
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
