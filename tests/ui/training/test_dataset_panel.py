import os

import pytest

from explorer.data import DataError
from explorer.ui.training.dataset_panel import DatasetPanel


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
    with pytest.raises(DataError, match="choose a CSV file"):
        panel.source()
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
