"""Starting the app: one clear line instead of Qt's abort, and exit code 0 on close."""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import explorer
from explorer.ui import launch

ROOT = Path(explorer.__file__).resolve().parent.parent


def test_no_display_gives_one_line_and_exit_2_in_a_real_process(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "explorer"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line
    assert "explorer export" in line and "QT_QPA_PLATFORM=offscreen" in line


def test_missing_xcb_libraries_are_named_with_their_debian_packages(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert launch.platform_is_xcb()
    missing = {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0"}
    monkeypatch.setattr(launch, "_can_load", lambda soname: soname not in missing)
    assert launch.run_gui([]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "libxcb-cursor0" in err and "libxkbcommon-x11-0" in err
    assert "sudo apt-get install" in err


def test_platform_detection(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert not launch.platform_is_xcb()
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert launch.platform_is_xcb()
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("DISPLAY", ":0")
    assert not launch.platform_is_xcb()


def _needed_libraries(path: Path) -> set[str]:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("readelf") is None,
    reason="reads Qt's ELF libraries with readelf",
)
def test_every_xcb_library_qt_needs_is_listed():
    # Compared with what Qt's own xcb libraries name, not with what this machine has
    # installed: a typo or a library missing from the list shows up on any machine.
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    needed = _needed_libraries(qt / "lib" / "libQt6XcbQpa.so.6") | _needed_libraries(
        qt / "plugins" / "platforms" / "libqxcb.so"
    )
    xcb_needed = {name for name in needed if re.match(r"lib(xcb|X11|xkbcommon)", name)}
    assert xcb_needed, "readelf found no xcb libraries"
    assert xcb_needed <= set(launch.XCB_LIBRARIES)
    listed_xcb = {name for name in launch.XCB_LIBRARIES if re.match(r"lib(xcb|X11|xkb)", name)}
    assert listed_xcb <= xcb_needed


@pytest.mark.slow
def test_the_app_exits_0_when_its_window_is_closed(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication(sys.argv)
        from explorer.ui.launch import run_gui
        from explorer.ui.main_window import MainWindow

        def close():
            import gc
            gc.collect()  # see tests/conftest.py: top_level_widgets
            gc.disable()
            widgets = app.topLevelWidgets()
            gc.enable()
            for widget in widgets:
                if isinstance(widget, MainWindow):
                    widget.close()

        QTimer.singleShot(300, close)
        sys.exit(run_gui([]))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # keep its QSettings to itself
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "data").rglob("last-session.json"))  # autosaved on quit


def test_a_platform_chosen_by_hand_still_needs_its_display(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    for platform, ok in (("xcb", False), ("wayland", False), ("offscreen", True), ("", False)):
        monkeypatch.setenv("QT_QPA_PLATFORM", platform)
        assert launch.has_display() is ok, platform
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":1")
    assert launch.has_display()


def test_an_unreachable_x_display_is_reported_not_aborted(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":987")  # no server there
    monkeypatch.setattr(launch, "_can_load", lambda soname: True)  # whatever is installed here
    assert not launch.x_display_reachable()
    assert launch.run_gui([]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "cannot connect to the X display ':987'" in err


def test_an_unreachable_display_holds_no_connection(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":987")
    assert not launch.x_display_reachable(hold=True, attempts=2, pause=0.01)
    assert launch._held_x_connection is None


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")
def test_the_probe_connection_is_held_until_released(monkeypatch, tmp_path):
    # A plain Xvfb resets when its last client leaves; Qt must connect before the probe goes.
    display = f":{4000 + os.getpid() % 1000}"
    server = subprocess.Popen(["Xvfb", display], stderr=subprocess.DEVNULL)
    try:
        monkeypatch.setenv("DISPLAY", display)
        assert launch.x_display_reachable(hold=True, attempts=25, pause=0.1)
        assert launch._held_x_connection is not None
        launch.release_x_display()
        assert launch._held_x_connection is None
    finally:
        launch.release_x_display()
        server.terminate()
        server.wait(timeout=10)
