import io

from explorer.progress import ProgressBar, format_seconds


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_format_seconds():
    assert format_seconds(0) == "0:00"
    assert format_seconds(75.2) == "1:15"
    assert format_seconds(3725) == "1:02:05"


def test_terminal_style_redraws_one_line():
    stream, clock = io.StringIO(), Clock()
    bar = ProgressBar(10, "train", stream, interactive=True, clock=clock)
    clock.now = 1.0
    bar.update(5, "loss 0.5")
    clock.now = 1.01
    bar.update(6)  # too soon: not redrawn
    bar.finish("done")
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert "train [##############--------------]  50.0%  0:01 < 0:01  loss 0.5" in text
    assert "100.0%" in text and "done" in text


def test_plain_style_prints_lines_now_and_then():
    stream, clock = io.StringIO(), Clock()
    bar = ProgressBar(100, "x", stream, interactive=False, clock=clock)
    for step in range(1, 101):
        clock.now = step * 0.1
        bar.update(step)
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert 2 <= len(lines) <= 4 and "100.0%" in lines[-1]


def test_a_pipe_is_not_a_terminal():
    assert ProgressBar(1, stream=io.StringIO()).interactive is False
