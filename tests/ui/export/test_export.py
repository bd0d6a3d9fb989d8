import csv
import os
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

from explorer.io.atomic import WriteLocationError
from explorer.ui import MainWindow
from explorer.ui.export.dialog import ExportController, ExportDialog
from explorer.ui.export.files import (
    ExportError,
    ExportOptions,
    SharpImageExporter,
    export_items,
    export_png,
    png_size,
)
from tests.ui.fake_tab import FakeTab


@pytest.fixture
def tab(qtbot):
    widget = FakeTab()
    qtbot.addWidget(widget)
    widget.resize(600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.hide()


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_every_plot_is_written_in_every_format_and_checks_out(tab, tmp_path):
    options = ExportOptions(width=640)
    written = export_items(tab.export_items(), tmp_path, "fake", options)
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"fake-{plot}.{ext}"
        for plot in ("curves", "bars", "image")
        for ext in ("png", "svg", "csv")
    )
    assert sorted(os.listdir(tmp_path)) == names  # no temporary files left
    for path in written:
        if path.suffix == ".png":
            image = QImage(str(path))
            assert image.width() == 640 and image.height() > 10
        elif path.suffix == ".svg":
            assert ET.parse(path).getroot().tag.endswith("svg")
    assert read_csv(tmp_path / "fake-curves.csv")[0] == ["x", "square", "root"]
    assert read_csv(tmp_path / "fake-curves.csv")[3][:2] == ["0.5", "0.25"]
    bars = read_csv(tmp_path / "fake-bars.csv")
    assert bars[0] == ["x", "bars0"]
    assert [row[1] for row in bars[1:]] == ["0.5", "0.3", "0.2"]
    image = read_csv(tmp_path / "fake-image.csv")
    assert image[0] == ["row", "col0", "col1", "col2", "col3"]
    assert image[3] == ["2", "8", "9", "10", "11"]


def test_scale_sets_the_png_size(tab, tmp_path):
    item = tab.export_items()["curves"]
    width, height = png_size(item, ExportOptions())
    export_png(item, tmp_path / "x.png", ExportOptions(scale=2))
    image = QImage(str(tmp_path / "x.png"))
    assert image.width() == round(width * 2)
    assert abs(image.height() - 2 * height) <= 2


def test_never_overwrites_unless_told(tab, tmp_path):
    items = tab.export_items()
    options = ExportOptions(formats=("csv",))
    (tmp_path / "fake-curves.csv").write_text("mine")
    with pytest.raises(FileExistsError, match="fake-curves.csv"):
        export_items(items, tmp_path, "fake", options)
    assert (tmp_path / "fake-curves.csv").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["fake-curves.csv"]
    export_items(items, tmp_path, "fake", options, overwrite=True)
    assert (tmp_path / "fake-curves.csv").read_text().startswith("x,square,root")


def test_unwritable_location_fails_cleanly(tab, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    for folder in (blocker / "sub", tmp_path / "missing", blocker):
        with pytest.raises(WriteLocationError):
            export_items(tab.export_items(), folder, "fake")
    assert os.listdir(tmp_path) == ["file"]


def test_a_failed_render_leaves_no_partial_file(tab, tmp_path, monkeypatch):
    monkeypatch.setattr(SharpImageExporter, "export", lambda self, fileName=None: False)
    with pytest.raises(ExportError, match="could not write image"):
        export_png(tab.export_items()["curves"], tmp_path / "x.png")
    assert os.listdir(tmp_path) == []


def test_options_are_validated():
    with pytest.raises(ValueError, match="formats"):
        ExportOptions(formats=("gif",))
    with pytest.raises(ValueError, match="width"):
        ExportOptions(width=0)


def test_dialog_lists_files_and_marks_existing_ones(tab, tmp_path, qtbot):
    (tmp_path / "fake-curves.png").write_bytes(b"x")
    dialog = ExportDialog("the Fake tab's plots", {"fake": tab.export_items()})
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(tmp_path))
    dialog.format_boxes["svg"].setChecked(False)
    texts = [dialog.preview.item(i).text() for i in range(dialog.preview.count())]
    assert texts[0].startswith("fake-curves.png") and "exists" in texts[0]
    assert not any(".svg" in t for t in texts)
    assert dialog.summary.text() == "6 file(s), 1 already there"
    dialog.scale_radio.setChecked(True)
    assert dialog.options().scale == dialog.scale_spin.value() and dialog.options().width is None
    for box in dialog.format_boxes.values():
        box.setChecked(False)
    assert dialog.preview.count() == 0
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_the_dialog_says_beside_the_width_that_it_is_the_widest_plots(tab, qtbot):
    from PySide6.QtWidgets import QLabel

    dialog = ExportDialog("the Fake tab's plots", {"fake": tab.export_items()})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    note = dialog.findChild(QLabel, "exportWidthNote")
    assert note is not None and note.isVisible()
    assert note.text() == "for a tab's widest plot; the others in proportion"
    assert note.width() >= note.sizeHint().width()  # whole, on one line
    # Beside the width box, on its row.
    spin = dialog.width_spin.geometry()
    assert note.geometry().left() >= spin.right()
    assert note.geometry().center().y() == pytest.approx(spin.center().y(), abs=12)
    dialog.scale_radio.setChecked(True)
    assert not note.isEnabled()
    dialog.close()


def make_controller(window, answers):
    messages = []
    controller = ExportController(window, lambda: None, messages.append)
    controller.choose = lambda what, items: answers["choose"]
    controller.confirm_overwrite = lambda paths: (
        answers.setdefault("asked", []).append(paths) or answers["overwrite"]
    )
    controller.report_error = lambda text: answers.setdefault("errors", []).append(text)
    controller.confirm_create = lambda folder: answers.get("create", True)
    controller.make_progress = lambda steps: FakeProgress(steps, answers.get("cancel_after"))
    return controller, messages


class FakeProgress:
    def __init__(self, steps, cancel_after=None):
        self.steps, self.cancel_after, self.names, self.closed = steps, cancel_after, [], False

    def step(self, name):
        self.names.append(name)

    def cancelled(self):
        return self.cancel_after is not None and len(self.names) >= self.cancel_after

    def close(self):
        self.closed = True


def test_controller_offers_to_create_a_missing_folder(tab, tmp_path):
    folder = tmp_path / "new" / "figs"
    answers = {"choose": (folder, ExportOptions(formats=("csv",))), "create": False}
    controller, messages = make_controller(tab, answers)
    assert controller.export("fake", [tab]) == [] and not folder.exists()
    assert messages[-1] == f"Export cancelled: folder {folder} does not exist"
    answers["create"] = True
    assert len(controller.export("fake", [tab])) == 3 and folder.is_dir()


def test_controller_stops_between_files_when_cancelled(tab, tmp_path):
    answers = {"choose": (tmp_path, ExportOptions(formats=("png", "csv"))), "cancel_after": 2}
    controller, messages = make_controller(tab, answers)
    written = controller.export("fake", [tab])
    assert len(written) == 2 and sorted(os.listdir(tmp_path)) == sorted(p.name for p in written)
    assert messages[-1].startswith("Export cancelled: 2 of 6 file(s) were written")


def test_the_progress_dialog_counts_files_and_closes(tab, qtbot):
    from explorer.ui.export.progress import ExportProgress

    progress = ExportProgress(3, tab)
    progress.step("a.png")
    assert progress._dialog.value() == 1 and "a.png" in progress._dialog.labelText()
    assert not progress.cancelled()
    progress._dialog.cancel()
    assert progress.cancelled()
    progress.close()
    assert not progress._dialog.isVisible()


def test_a_closed_progress_dialog_never_shows_again(tab, qtbot):
    from PySide6.QtCore import QTimer

    from explorer.ui.export.progress import ExportProgress

    progress = ExportProgress(3, tab)
    progress.step("a.png")  # starts the dialog's minimum-duration timer
    dialog = progress._dialog
    progress.close()
    # No timer of the dialog's may fire later and show it after the export ended.
    assert [t for t in dialog.findChildren(QTimer) if t.isActive()] == []
    assert not dialog.isVisible()


def test_controller_asks_once_before_overwriting(tab, tmp_path, qtbot):
    options = ExportOptions(formats=("png", "csv"))
    answers = {"choose": (tmp_path, options), "overwrite": False}
    controller, messages = make_controller(tab, answers)
    assert len(controller.export("fake", [tab])) == 6
    (tmp_path / "extra").write_text("")
    assert controller.export("fake", [tab]) == []
    assert len(answers["asked"]) == 1 and len(answers["asked"][0]) == 6
    assert "cancelled" in messages[-1]
    answers["overwrite"] = True
    assert len(controller.export("fake", [tab])) == 6
    assert "Exported 6 file(s)" in messages[-1]


def test_controller_reports_an_unwritable_folder(tab, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    answers = {"choose": (blocker / "x", ExportOptions()), "overwrite": True, "create": True}
    controller, messages = make_controller(tab, answers)
    assert controller.export("fake", [tab]) == []
    assert "Export failed" in answers["errors"][0] and str(blocker / "x") in answers["errors"][0]
    assert messages[-1].startswith("Export failed")


def test_main_window_export_all_skips_tabs_without_plots(qtbot, tmp_path, monkeypatch):
    window = MainWindow()
    qtbot.addWidget(window)
    fake = FakeTab("fakeextra")
    window.tabs.addTab(fake, "Fake")
    answers = {"choose": (tmp_path, ExportOptions(formats=("png",))), "overwrite": True}
    window.exporter.choose = lambda what, items: (
        answers.setdefault("items", items),
        answers["choose"],
    )[1]
    window.export_all_action.trigger()
    assert "fakeextra" in answers["items"]
    assert {p.name for p in tmp_path.iterdir()} >= {"fakeextra-curves.png", "fakeextra-bars.png"}
    for path in tmp_path.glob("fakeextra-*.png"):
        assert QImage(str(path)).width() > 10  # a tab that was never shown still renders


def test_file_menu_offers_export_sessions_and_quit(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    texts = [a.text().replace("&", "") for a in window.file_menu.actions() if a.text()]
    assert texts == [
        "Export...",
        "Export all tabs...",
        "Open session...",
        "Save session...",
        "Recent sessions",
        "Quit",
    ]


def test_pyqtgraph_right_click_export_stays_available(tab):
    for item in tab.export_items().values():
        texts = [action.text() for action in item.scene().contextMenu]
        assert "Export..." in texts


def test_right_click_export_offers_csv_of_bars_and_images(tab, tmp_path):
    from pyqtgraph.exporters import listExporters

    from explorer.ui.export.files import PlotDataCSVExporter

    assert PlotDataCSVExporter in listExporters()
    bars = tab.export_items()["bars"]
    plot = next(iter(bars.items))
    PlotDataCSVExporter(plot.getViewBox()).export(fileName=str(tmp_path / "bars.csv"))
    assert (tmp_path / "bars.csv").read_text().startswith("x,bars0")
    PlotDataCSVExporter(tab.export_items()["image"]).export(fileName=str(tmp_path / "im.csv"))
    assert (tmp_path / "im.csv").read_text().startswith("row,col0")
    scene = tab.export_items()["curves"].scene()
    PlotDataCSVExporter(scene).export(fileName=str(tmp_path / "scene.csv"))
    assert (tmp_path / "scene.csv").read_text().startswith("x,square")


def test_plots_without_data_are_not_exported(qtbot):
    import pyqtgraph as pg

    from explorer.ui.export.files import with_data

    empty, full = pg.PlotWidget(), pg.PlotWidget()
    for widget in (empty, full):
        qtbot.addWidget(widget)
    empty.addItem(pg.TextItem("no gradient yet"))
    full.plot([0, 1], [1, 2], name="line")
    kept, skipped = with_data({"gradient": empty.getPlotItem(), "loss": full.getPlotItem()})
    assert list(kept) == ["loss"] and skipped == ["gradient"]


def test_losses_tab_exports_its_tensors_value_and_pytorch_code(qtbot, tmp_path):
    from explorer.ui.export.files import ExportOptions, export_items, shown_items, with_data
    from explorer.ui.losses.tab import LossesTab

    tab = LossesTab()
    qtbot.addWidget(tab)
    items, _ = with_data(shown_items(tab))
    written = export_items(items, tmp_path, tab.export_name, ExportOptions(formats=("csv",)))
    names = {p.name for p in written}
    assert {"losses-tensors.csv", "losses-value.csv", "losses-pytorch-code.py"} <= names
    rows = (tmp_path / "losses-tensors.csv").read_text().splitlines()
    assert rows[0] == "row,column,input,target,input.grad"
    assert len(rows) == 1 + 3 * 5
    value = (tmp_path / "losses-value.csv").read_text().splitlines()[1].split(",")
    assert value[:2] == ["L1Loss", "mean"]
    assert float(value[2]) == pytest.approx(tab.last_result.value)
    code = (tmp_path / "losses-pytorch-code.py").read_text()
    assert "nn.L1Loss" in code and "backward()" in code


def test_a_table_is_written_only_with_csv_but_the_code_always(qtbot, tmp_path):
    from explorer.ui.export.files import ExportOptions, planned_files, shown_items, with_data
    from explorer.ui.losses.tab import LossesTab

    tab = LossesTab()
    qtbot.addWidget(tab)
    items, _ = with_data(shown_items(tab))
    names = {p.name for p in planned_files(items, tmp_path, "losses", ExportOptions(("png",)))}
    assert "losses-pytorch-code.py" in names
    assert "losses-tensors.csv" not in names


def test_a_fixed_width_gives_the_widest_plot_that_width_and_the_others_its_scale(qtbot, tmp_path):
    import pyqtgraph as pg

    wide, narrow = pg.PlotWidget(), pg.PlotWidget()
    for widget, width in ((wide, 400), (narrow, 200)):
        qtbot.addWidget(widget)
        widget.resize(width, 300)
        widget.plot([0, 1, 2], [1, 0, 1])
        widget.show()
        qtbot.waitExposed(widget)
    items = {"wide": wide.getPlotItem(), "narrow": narrow.getPlotItem()}
    screen = {name: png_size(item, ExportOptions())[0] for name, item in items.items()}
    export_items(items, tmp_path, "t", ExportOptions(formats=("png",), width=800))
    out = {name: QImage(str(tmp_path / f"t-{name}.png")).width() for name in items}
    for widget in (wide, narrow):
        widget.hide()
    assert screen == {"wide": 400, "narrow": 200}
    assert out == {"wide": 800, "narrow": 400}  # the same scale, 2x, for both


HIDPI_EXPORT = """
import json, sys
from pathlib import Path
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
app = QApplication([])
from explorer.ui import MainWindow
from explorer.ui.export.files import ExportOptions, export_png
window = MainWindow()
window.resize(1280, 820)
window.show()
app.processEvents()
plot = window.tab("distributions").export_items()["kl-contributions"]
out = Path(sys.argv[1])
sized = QImage(str(export_png(plot, out / "sized.png", ExportOptions(width=800))))
plain = QImage(str(export_png(plot, out / "plain.png")))
dark = sum(
    1 for y in range(sized.height()) for x in range(sized.width())
    if sized.pixelColor(x, y).lightness() < 128
)
print(json.dumps({
    "ratio": window.devicePixelRatioF(),
    "sized": [sized.width(), sized.height()],
    "plain": [plain.width(), plain.height()],
    "scene": [round(plot.sceneBoundingRect().width()), round(plot.sceneBoundingRect().height())],
    "dark": dark,
}))
window.close()
# As the app ends (explorer.ui.launch.run_gui): PySide6 may crash at exit otherwise.
from PySide6.QtCore import QCoreApplication, QEvent
window.deleteLater()
QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
"""


def test_a_png_export_at_a_device_pixel_ratio_of_2_has_the_chosen_size_and_the_same_look(
    tmp_path,
):
    import json
    import subprocess
    import sys

    import explorer

    script = tmp_path / "export.py"
    script.write_text(HIDPI_EXPORT)
    root = os.path.dirname(os.path.dirname(os.path.abspath(explorer.__file__)))
    results = {}
    for scale in ("1", "2"):
        folder = tmp_path / scale
        folder.mkdir()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale}
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        done = subprocess.run(
            [sys.executable, str(script), str(folder)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        results[scale] = json.loads(done.stdout.strip().splitlines()[-1])
    single, double = results["1"], results["2"]
    assert single["ratio"] == 1 and double["ratio"] == 2
    for result in (single, double):
        assert result["sized"][0] == 800  # the width asked for, whatever the screen
        # By default, the plot's size on screen in logical pixels (not twice as wide).
        assert result["plain"] == pytest.approx(result["scene"], abs=1)
    assert double["sized"] == single["sized"]
    # Text and lines take the same share of the picture: no half-size text at ratio 2.
    assert double["dark"] == pytest.approx(single["dark"], rel=0.1)
