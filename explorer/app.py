"""Entry point: with no arguments start the desktop app, otherwise run the command line.

This module stays free of Qt imports so that ``explorer --help`` and argument errors
never need a display; the GUI and the exporters are imported only when used.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the explorer; return the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # A command word or --help/--version means the command line; Qt options mean the app.
    if argv and (not argv[0].startswith("-") or argv[0] in ("-h", "--help", "--version")):
        from explorer.cli import run_cli

        return run_cli(argv)
    from explorer.ui.launch import run_gui

    return run_gui(argv)
