"""The headless command line: ``explorer export ...`` and ``explorer screenshot ...``."""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer",
        description="A visual explorer for the mathematics of training a neural network. "
        "Run with no arguments to open the app.",
    )
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def run_cli(argv: list[str]) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0
