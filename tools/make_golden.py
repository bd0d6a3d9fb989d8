"""Write the golden files in tests/golden/ with PyTorch (dev-only; needs torch==2.13.0).

Each module named in ``GOLDEN_MODULES`` (a file in tools/) exposes
``write_golden(out_dir) -> list[Path]``. Usage: ``python tools/make_golden.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
GOLDEN_MODULES = [
    "golden_losses",
    "golden_modules",
    "golden_semantics",
    "golden_lecture_notes",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TOOLS.parent / "tests" / "golden")
    parser.add_argument("--only", nargs="*", help="run only these golden modules")
    args = parser.parse_args(argv)
    import torch

    if torch.__version__.split("+")[0] != "2.13.0":
        print(f"warning: golden files are defined by torch 2.13.0, found {torch.__version__}")
    sys.path.insert(0, str(TOOLS))
    for name in GOLDEN_MODULES:
        if args.only and name not in args.only:
            continue
        for path in importlib.import_module(name).write_golden(args.out):
            print(f"{path} ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
