"""Render the README's pictures of the tabs: ``distributions.png``, ``losses.png``,
``model.png``, ``training.png`` and ``network.png``, each from a fresh main window in the
state its caption describes.

Run in a virtual X server, as a person sees the app::

    Xvfb :44 -screen 0 1600x1000x24 &
    DISPLAY=:44 QT_QPA_PLATFORM=xcb python tools/docs_screenshots.py [OUT_DIR [NAME ...]]

OUT_DIR defaults to ``docs``; NAMEs (``model``, ``network``, ...) pick some of the pictures.
The windows are 1280 x 820, light, at 100 %, with settings in a throw-away folder: the
person's own settings and sessions are neither read nor changed. The Gradient tab's pages
come from ``tools/gradient_screenshots.py``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

SIZE = (1280, 820)


def pump(app, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def wait(app, busy) -> None:
    while busy():
        pump(app, 0.02)


def train(app, window, pace: str = "watch") -> None:
    """Run the Training tab's settings to the end at ``pace``."""
    runner = window.tab("training").runner
    runner.set_pace(pace)
    runner.start()
    wait(app, runner.run_in_progress)
    pump(app, 0.5)


def distributions(app, window) -> None:
    # P has a zero where Q has not: H(Q,P) and KL(Q||P) are infinite, KL(P||Q) is not.
    tab = window.tab("distributions")
    window.show_tab("distributions")
    tab.set_distributions([0.05, 0.3, 0.35, 0.2, 0.1, 0.0], [0.15, 0.15, 0.3, 0.25, 0.05, 0.1])
    tab.select_category(4)


def losses(app, window) -> None:
    window.show_tab("losses")  # the lecture notes' nn.L1Loss() on 3 x 5 tensors


def model(app, window) -> None:
    # A trained digits MLP: gradients in the histogram, a first-layer unit as an 8 x 8 picture.
    from explorer.model.config import MLPConfig

    training = window.tab("training")
    kind = training.view.dataset.kind
    kind.setCurrentIndex(kind.findData("digits"))
    window.tab("model").set_model_config(
        MLPConfig(input_features=64, hidden_sizes=(64,), output_features=10)
    )
    training.view.settings.epochs.setValue(30)
    window.show_tab("training")
    pump(app, 0.5)
    train(app, window, pace="full")
    window.show_tab("model")
    tab = window.tab("model")
    pump(app, 0.5)
    tab.select("")
    pump(app, 0.3)
    tab.weights.select_unit(5)


def training(app, window) -> None:
    # The default spiral run, then the validation sample the model gets most wrong.
    window.show_tab("training")
    pump(app, 0.5)
    train(app, window)
    window.tab("training").view.info_link.hardest.click()


def network(app, window) -> None:
    # Halfway through a spiral run of a 2-16-16-3 MLP: every unit drawn, two hidden layers.
    from explorer.model.config import MLPConfig

    window.tab("model").set_model_config(
        MLPConfig(input_features=2, hidden_sizes=(16, 16), output_features=3)
    )
    training = window.tab("training")
    window.show_tab("network")
    pump(app, 0.5)
    training.runner.start()
    progress = training.view.progress
    halfway = progress.maximum() // 2
    wait(app, lambda: training.runner.run_in_progress() and progress.value() < halfway)
    pump(app, 2.0)  # the run's latest pictures and histories arrive


PICTURES = {
    "distributions": distributions,
    "losses": losses,
    "model": model,
    "training": training,
    "network": network,
}


def private_settings() -> None:
    """Keep the app's settings and sessions in a throw-away folder (before Qt starts)."""
    home = tempfile.mkdtemp(prefix="explorer-screenshots-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(Path(home) / name.lower())


def main(out: str = "docs", *names: str) -> int:
    unknown = [name for name in names if name not in PICTURES]
    if unknown:
        print(f"unknown picture {unknown[0]!r}; choose from {', '.join(PICTURES)}")
        return 2
    private_settings()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from explorer.ui.main_window import MainWindow

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or PICTURES:
        window = MainWindow()
        window.set_appearance("light")
        window.resize(*SIZE)
        window.move(0, 0)
        window.show()
        pump(app, 0.8)
        PICTURES[name](app, window)
        pump(app, 0.8)
        path = folder / f"{name}.png"
        window.grab().save(str(path))
        print(path)
        window.close()  # stops every tab's work
        window.deleteLater()
        pump(app, 0.3)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
