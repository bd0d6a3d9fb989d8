"""The Model tab's form reads hidden sizes exactly as ``explorer export model --hidden`` does."""

import pytest

from explorer.cli import build_parser, run_cli
from explorer.cli.model import model_config
from explorer.ui.model.config_form import ModelConfigForm

# (what a person types, the hidden sizes it means or None when it is refused)
HIDDEN_TEXTS = [
    ("256", (256,)),
    ("256, 128", (256, 128)),
    ("256 128", (256, 128)),
    ("256,128", (256, 128)),
    ("  64 ,32  16 ", (64, 32, 16)),
    ("", ()),
    ("20000", (20000,)),
    ("1 1 1 1 1 1 1 1", (1,) * 8),
    ("256, abc", None),
    ("2.5", None),
    ("0", None),
    ("-3", None),
    ("1 2 3 4 5 6 7 8 9", None),
    ("20000000", None),
    ("20000, 20000", None),  # valid sizes, above the parameter budget
]


@pytest.mark.parametrize(("text", "sizes"), HIDDEN_TEXTS)
def test_the_form_and_the_command_line_accept_and_refuse_the_same_texts(
    qtbot, tmp_path, capsys, text, sizes
):
    form = ModelConfigForm()
    qtbot.addWidget(form)
    form.hidden_sizes.setText(text)
    shown = form.message.text()
    argv = ["export", "model", "--hidden", text, "--out", str(tmp_path / "out")]
    if sizes is not None:
        assert form.config().hidden_sizes == sizes
        assert shown.startswith(form.config().describe() + ":")
        assert model_config(build_parser().parse_args(argv)).hidden_sizes == sizes
        return
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert shown and shown in err, (shown, err)  # the very message the form shows
    assert err.strip().count("\n") == 0
    assert not (tmp_path / "out").exists()
