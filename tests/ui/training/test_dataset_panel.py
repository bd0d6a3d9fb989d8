import os

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.data import DataError
from explorer.ui.training.dataset_panel import DatasetPanel
from tests.ui.training.tab_helpers import make_tab, wait_loaded


def test_a_source_names_the_data_without_reading_it(qtbot, tmp_path):
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.kind.setCurrentIndex(panel.kind.findData("moons"))
    moons = panel.source()
    assert moons.path is None and moons.key == panel.source().key
    assert moons.load().name == "moons"
    panel.params["moons"]["n_samples"].setValue(panel.params["moons"]["n_samples"].value() + 10)
    assert panel.source().key != moons.key

    panel.kind.setCurrentIndex(panel.kind.findData("csv"))
    assert panel.source() is None and panel.prompt() == "Choose a CSV file (Open… beside File)."
    path = tmp_path / "data.csv"
    path.write_text("1,2,0\n3,4,1\n")
    panel.csv_path.setText(str(path))
    first = panel.source()
    assert first.path == path and first.key == panel.source().key
    os.utime(path, ns=(1, 1))  # the same file, changed on disk: another key
    assert panel.source().key != first.key
    panel.csv_path.setText(str(tmp_path / "missing.csv"))
    with pytest.raises(DataError, match="missing.csv: cannot open the file"):
        panel.source().load()  # only reading fails, with the file's name


def write_idx_pair(folder, count=30):
    """MNIST-named IDX files of ``count`` 4 x 4 images."""
    rng = np.random.default_rng(0)
    images = folder / "train-images-idx3-ubyte"
    labels = folder / "train-labels-idx1-ubyte"
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (count, 4, 4))
    images.write_bytes(header + rng.integers(0, 256, count * 16, dtype=np.uint8).tobytes())
    labels.write_bytes(
        bytes([0, 0, 8, 1]) + count.to_bytes(4, "big") + bytes(i % 10 for i in range(count))
    )
    return images, labels


class Dialogs:
    """Stands in for the Open dialogs: records where each opened, answers from a list."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.opened: list[tuple[str, str]] = []

    def __call__(self, title, start, filters):
        self.opened.append((title, start))
        return str(self.answers.pop(0)) if self.answers else ""


def choose_kind(qtbot, panel, text):
    """Pick the dataset kind whose title starts with ``text`` from the combo's list with a
    click, as a person would."""
    combo = panel.kind
    row = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text))
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = view.model().index(row, 0)
    view.scrollTo(index)
    center = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.waitUntil(lambda: not view.isVisible())


def test_choosing_a_csv_file_opens_the_dialog_at_once(qtbot, tmp_path):
    tab = make_tab(qtbot)
    panel = tab.view.dataset
    path = tmp_path / "iris.csv"
    path.write_text("1,2,setosa\n3,4,versicolor\n5,6,setosa\n7,8,versicolor\n" * 5)
    panel.ask_open_path = dialogs = Dialogs(path)
    choose_kind(qtbot, panel, "CSV")
    assert [title for title, _ in dialogs.opened] == ["Open a CSV file"]
    wait_loaded(qtbot, tab)
    assert panel.csv_path.text() == str(path) and tab.data.dataset.name == "iris.csv"
    assert tab.message() == ""

    # Cancelled: the panel says what to choose, in the normal colour, not as an error.
    choose_kind(qtbot, panel, "Two moons")
    panel.csv_path.clear()
    panel.ask_open_path = Dialogs()
    choose_kind(qtbot, panel, "CSV")
    assert tab.message() == "Choose a CSV file (Open… beside File)."
    assert tab.view.message.property("textRole") == ""
    assert tab.view.no_picture.text() == tab.message()
    tab.shutdown()


def test_idx_files_ask_for_images_then_labels_beside_them_without_an_error(qtbot, tmp_path):
    images, labels = write_idx_pair(tmp_path)
    tab = make_tab(qtbot)
    panel = tab.view.dataset
    panel.ask_open_path = dialogs = Dialogs(images, labels)
    choose_kind(qtbot, panel, "MNIST")
    assert [title for title, _ in dialogs.opened] == [
        "Open an IDX images file",
        "Open the IDX labels file",
    ]
    assert dialogs.opened[1][1] == str(labels)  # MNIST's name for the labels, beside them
    wait_loaded(qtbot, tab)
    assert tab.message() == "" and tab.data.dataset.feature_shape == (4, 4)

    # Without a guess the labels dialog opens in the images' folder; nothing is red meanwhile.
    other = tmp_path / "other"
    other.mkdir()
    renamed = other / "digits.idx3"
    images.rename(renamed)
    panel.idx_images.clear()
    panel.idx_labels.clear()
    choose_kind(qtbot, panel, "Two moons")
    panel.ask_open_path = dialogs = Dialogs(renamed)
    choose_kind(qtbot, panel, "MNIST")
    assert dialogs.opened[1][1] == str(other)
    assert tab.message().startswith("Choose an IDX images file and its labels file")
    assert tab.view.message.property("textRole") == ""
    tab.shutdown()


def test_each_kind_of_file_dialog_opens_in_its_last_folder(qtbot, tmp_path):
    csv_folder, idx_folder = tmp_path / "tables", tmp_path / "mnist"
    csv_folder.mkdir()
    idx_folder.mkdir()
    table = csv_folder / "a.csv"
    table.write_text("1,2,0\n3,4,1\n" * 10)
    images, labels = write_idx_pair(idx_folder)
    first = DatasetPanel()
    qtbot.addWidget(first)
    first.ask_open_path = Dialogs(table)
    choose_kind(qtbot, first, "CSV")
    first.ask_open_path = Dialogs(images, labels)
    choose_kind(qtbot, first, "MNIST")

    again = DatasetPanel()  # as after a restart: the folders come from the settings
    qtbot.addWidget(again)
    again.ask_open_path = dialogs = Dialogs()
    choose_kind(qtbot, again, "CSV")
    choose_kind(qtbot, again, "MNIST")
    assert dialogs.opened[0][1] == str(csv_folder)
    assert dialogs.opened[1][1] == str(idx_folder)


@pytest.fixture(autouse=True)
def _forget_folders():
    yield
    from explorer.ui.settings import make_settings

    make_settings().remove("folders")
