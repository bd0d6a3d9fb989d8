"""The headless command line: ``explorer export <tab> ...``, ``explorer screenshot ...`` and
``explorer lr-find ...``.

Parsing and validation happen here without Qt, so ``explorer --help`` and every argument error
work on any machine; bad arguments print one line and exit with code 2, never a traceback.
Only a command that renders imports the Qt side (``explorer.ui.headless``), after setting
``QT_QPA_PLATFORM=offscreen`` so that no display is needed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from explorer.cli import distributions, gradient, losses, lr_find, model, screenshot, training
from explorer.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Parser,
    UsageError,
    describe_error,
)

__all__ = ["build_parser", "join_negative_values", "run_cli"]


def build_parser() -> argparse.ArgumentParser:
    from explorer import __version__

    parser = Parser(
        prog="explorer",
        description="A visual explorer for the mathematics of training a neural network. "
        "Run with no arguments to open the app; the commands below need no display.",
        epilog="Examples:\n"
        "  explorer export distributions --p 1,0,0 --q 0.8,0.1,0.1 --out figs\n"
        "  explorer screenshot --tab distributions --out distributions.png\n"
        "  explorer lr-find --dataset spiral --optimizer adam --out lr\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    export = commands.add_parser(
        "export",
        help="write a tab's figures (PNG, SVG, CSV) and numbers into a folder",
        description="Write a tab's figures as PNG, SVG and CSV, plus its numbers as JSON. "
        "Files are named <tab>-<plot>.<ext>; existing files are kept unless --force.",
    )
    tabs = export.add_subparsers(dest="tab", metavar="TAB", required=True, parser_class=Parser)

    # In the order of the tabs on screen.
    distributions.add_parser(tabs)
    losses.add_parser(tabs)
    model.add_parser(tabs)
    training.add_parser(tabs)
    gradient.add_parser(tabs)

    screenshot.add_parser(commands)
    lr_find.add_parser(commands)
    return parser


# A value that starts with '-' but is a number or a list of numbers ("-1,1,0", "-.5", "-inf").
_NEGATIVE_VALUE = re.compile(r"^-(?:\d|\.\d|inf|nan)", re.IGNORECASE)


def join_negative_values(argv: list[str]) -> list[str]:
    """``--p -1,1,0`` -> ``--p=-1,1,0``: argparse takes "-1,1,0" for an option otherwise.

    Then the option's own check gives its message ("has a negative entry '-1'") instead of
    argparse's "expected one argument".
    """
    joined: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        following = argv[index + 1] if index + 1 < len(argv) else None
        if (
            token.startswith("--")
            and "=" not in token
            and following is not None
            and _NEGATIVE_VALUE.match(following)
        ):
            joined.append(f"{token}={following}")
            index += 2
            continue
        joined.append(token)
        index += 1
    return joined


def run_cli(argv: list[str]) -> int:
    """Parse ``argv`` and run the command; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(join_negative_values(argv))
    except SystemExit as exc:  # --help, --version and argument errors
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    # The same prefix argparse's own errors carry: "explorer export distributions: error: ...".
    prog = " ".join(["explorer", args.command, *([args.tab] if getattr(args, "tab", None) else [])])
    try:
        return args.run(args)
    except (UsageError, FileExistsError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("explorer: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (a command-line tool reports, never dumps)
        print(f"{prog}: failed: {describe_error(exc)}", file=sys.stderr)
        if os.environ.get("EXPLORER_DEBUG"):
            raise
        return EXIT_FAILED
