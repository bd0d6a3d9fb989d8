"""``explorer screenshot``: the main window showing a tab, rendered offscreen to a PNG."""

from __future__ import annotations

from pathlib import Path

from explorer.cli.common import (
    EXIT_OK,
    OutputFolder,
    UsageError,
    integer,
    path_type,
    report,
    use_offscreen_qt,
)
from explorer.quoting import quoted
from explorer.tabs import TAB_NAMES

MAX_SCREENSHOT_SIDE = 8192


def add_parser(commands) -> None:
    shot = commands.add_parser(
        "screenshot",
        help="render a tab as the app shows it, to a PNG",
        description="Render the main window showing one tab, offscreen, to a PNG file.",
    )
    shot.add_argument(
        "--tab",
        required=True,
        type=str.lower,
        choices=TAB_NAMES,
        metavar="NAME",
        help=f"the tab to show: {', '.join(TAB_NAMES)}",
    )
    shot.add_argument(
        "--out", required=True, type=path_type, metavar="FILE.png", help="PNG to write"
    )
    shot.add_argument(
        "--width",
        type=integer(320, MAX_SCREENSHOT_SIDE),
        default=1280,
        metavar="PX",
        help="window width in pixels (default 1280)",
    )
    shot.add_argument(
        "--height",
        type=integer(240, MAX_SCREENSHOT_SIDE),
        default=820,
        metavar="PX",
        help="window height in pixels (default 820)",
    )
    shot.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    shot.set_defaults(run=run)


def run(args) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".png":
        raise UsageError(f"--out must name a .png file; got {quoted(str(out))}")
    with OutputFolder(out.parent, args.force) as folder:
        folder.claim([out])
        use_offscreen_qt()
        from explorer.ui.headless import screenshot

        screenshot(args.tab, out, args.width, args.height)
    report([out], out.parent)
    return EXIT_OK
