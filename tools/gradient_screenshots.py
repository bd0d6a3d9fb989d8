"""Render the Gradient tab's three pages for the user guide: the range test from fresh weights,
then the landscape and the graph after a short spiral run.

Run in a virtual X server, as a person sees the app::

    Xvfb :44 -screen 0 1600x1000x24 &
    DISPLAY=:44 QT_QPA_PLATFORM=xcb python tools/gradient_screenshots.py [OUT_DIR] [WxH]

(``QT_QPA_PLATFORM=offscreen`` needs no display). Writes ``gradient-graph.png``,
``gradient-landscape.png`` and ``gradient-lr-finder.png``. ``EXPLORER_APPEARANCE=dark`` and
``EXPLORER_ZOOM=1.5`` set the appearance and the zoom; settings live in a throw-away folder,
as in ``tools/docs_screenshots.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from docs_screenshots import private_settings, pump, wait

EPOCHS = 30
HIDDEN = (16,)


def main(out: str = "docs", size: str = "1280x820") -> int:
    private_settings()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from explorer.model.config import MLPConfig
    from explorer.ui.main_window import MainWindow

    width, height = map(int, size.split("x"))
    window = MainWindow()
    window.resize(width, height)
    window.show()
    window.set_appearance(os.environ.get("EXPLORER_APPEARANCE", "light"))
    # As View > Zoom does, without its passing note in the status bar.
    window.appearance.set_zoom(float(os.environ.get("EXPLORER_ZOOM", "1")))
    window.model_document.build(MLPConfig(input_features=2, hidden_sizes=HIDDEN, output_features=3))
    training = window.tab("training")
    training.view.settings.epochs.setValue(EPOCHS)
    tab = window.tab("gradient")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)

    # The range test from the fresh weights, as one runs it before training.
    window.show_tab("gradient")
    tab.show_page("lr-finder")
    tab.lr_finder.run()
    wait(app, tab.lr_finder.job.is_running)
    pump(app, 0.3)
    window.grab().save(str(folder / "gradient-lr-finder.png"))
    tab.lr_finder.use()  # the run below trains at the suggested rate

    window.show_tab("training")
    pump(app, 0.5)
    training.runner.start()
    wait(app, training.runner.run_in_progress)
    pump(app, 0.5)
    window.show_tab("gradient")

    tab.show_page("landscape")
    tab.landscape_view.set_directions("pca")
    tab.landscape_view.compute()
    wait(app, tab.landscape_view.job.is_running)
    pump(app, 0.3)
    window.grab().save(str(folder / "gradient-landscape.png"))

    tab.show_page("graph")
    graph = tab.graph_view
    pump(app, 0.3)
    graph.step()
    graph.step()
    pump(app, 0.3)
    window.grab().save(str(folder / "gradient-graph.png"))
    for page in ("gradient-graph", "gradient-landscape", "gradient-lr-finder"):
        print(folder / f"{page}.png")
    training.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
