"""Render docs/training.png: the main window's Training tab after the default spiral run.

Run: ``QT_QPA_PLATFORM=offscreen python tools/training_screenshot.py [OUT.png]``.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtWidgets import QApplication


def main(out: str = "docs/training.png") -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from explorer.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1280, 820)
    window.show()
    window.show_tab("training")
    tab = window.tab("training")
    tab.start()
    while tab.controller.is_running():
        app.processEvents()
        time.sleep(0.005)
    for _ in range(10):
        app.processEvents()
    tab.view.info_link.select(int(tab.view.info_link.sample.maximum() // 2))
    app.processEvents()
    window.grab().save(out)
    tab.shutdown()
    window.close()
    print(f"wrote {out}: {tab.message()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
