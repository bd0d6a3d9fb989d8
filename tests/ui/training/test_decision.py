"""Decision regions: the GUI's CSV and the command line's carry the same columns."""

from __future__ import annotations

import csv

from explorer.training import DEFAULT_RUN, setup_run
from explorer.ui.export.files import ExportOptions, export_items
from explorer.ui.headless import export_training_figures
from tests.ui.training.tab_helpers import click, make_tab, wait_stopped


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_the_points_csv_names_each_points_class_as_the_command_line_does(qtbot, tmp_path):
    tab = make_tab(qtbot, "spiral", samples=150, epochs=1)
    click(qtbot, tab.view.start)
    wait_stopped(qtbot, tab, "done")
    items = {"decision-regions": tab.export_items()["decision-regions"]}
    export_items(items, tmp_path, "training", ExportOptions(formats=("csv",)))
    tab.shutdown()
    gui = read_csv(tmp_path / "training-decision-regions-data.csv")
    names = set(tab.data.dataset.class_names)
    classes = [i for i, column in enumerate(gui[0]) if column.endswith(": class")]
    assert len(classes) == 2  # training and validation points
    assert {row[classes[0]] for row in gui[1:] if row[classes[0]]} == names

    run = setup_run(DEFAULT_RUN.with_training(epochs=1))
    run.trainer.run()
    cli = tmp_path / "cli"
    cli.mkdir()
    export_training_figures(run, cli, {"formats": ("csv",)}, overwrite=False)
    assert read_csv(cli / "training-decision-regions-data.csv")[0] == gui[0]
