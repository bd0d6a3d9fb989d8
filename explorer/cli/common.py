"""What every command shares: one-line errors, argument types, output folders, JSON."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from pathlib import Path

from explorer.quoting import quoted

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad argument found after parsing; printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage block) and never a traceback.

    Its own messages quote what was typed as every other message does (:func:`quoted`).
    """

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def parse_args(self, args=None, namespace=None):
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            shown = ", ".join(quoted(arg) for arg in extra[:3])
            more = f" and {len(extra) - 3:,} more" if len(extra) > 3 else ""
            self.error(f"unrecognized arguments: {shown}{more}")
        return parsed

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            raise argparse.ArgumentError(
                action, f"invalid choice: {quoted(value)} (choose from {choices})"
            )


def describe_error(error: Exception) -> str:
    """An exception as one line; an OSError's file name is quoted (and shortened)."""
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.strerror}: {quoted(str(error.filename))}"
    return str(error)


# -- argument types (each error message quotes the bad value) ----------------------------
def whole_number(text: str) -> int:
    """An int, range unchecked (the type it goes into checks it, as the app does)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a whole number") from None


def integer(low: int, high: int):
    def parse(text: str) -> int:
        value = whole_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high})")
        return value

    return parse


def real(low: float, high: float):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{quoted(text)} is not a number") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(
                f"{quoted(text)} is out of range ({low:g} to {high:g})"
            )
        return value

    return parse


def path_type(text: str) -> Path:
    """A path argument, ``~`` expanded; empty (which would mean the current folder), a NUL
    character or an unknown ``~user`` is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{quoted(text)} is an empty path")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"{quoted(text)} contains a NUL character")
    try:
        return Path(text).expanduser()
    except RuntimeError as exc:  # "~nobody/x": no such user's home
        raise argparse.ArgumentTypeError(f"{quoted(text)}: {exc}") from None


def formats_type(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in formats if f not in ("png", "svg", "csv")]
    if bad or not formats:
        raise argparse.ArgumentTypeError(f"{quoted(text)}: formats are png, svg and csv")
    return formats


def add_output_options(
    parser: argparse.ArgumentParser,
    formats_help: str = "which figure formats to write, e.g. png,svg (default: png,svg,csv)",
) -> None:
    parser.add_argument(
        "--out",
        required=True,
        type=path_type,
        metavar="DIR",
        help="folder to write into (created if missing)",
    )
    parser.add_argument(
        "--formats",
        type=formats_type,
        default=("png", "svg", "csv"),
        metavar="LIST",
        help=formats_help,
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--width",
        type=integer(16, 16384),
        metavar="PX",
        help="PNG width in pixels of the widest plot; the others at the same scale (heights "
        "keep the plots' aspect ratios)",
    )
    size.add_argument(
        "--scale",
        type=real(0.1, 16),
        metavar="X",
        help="PNG size as a multiple of the plot's size in the app (default 2)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist")


def choice(text: str, names: dict[str, str]) -> str:
    key = text.strip().lower().removesuffix("loss")
    if key not in names:
        raise argparse.ArgumentTypeError(
            f"{quoted(text)} is not one of {', '.join(names.values())}"
        )
    return names[key]


def hidden_sizes_type(text: str) -> tuple[int, ...]:
    """``--hidden``: read exactly as the Model tab's Hidden sizes field reads its text."""
    from explorer.model.config import parse_hidden_sizes

    try:
        return parse_hidden_sizes(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- a training run (export training, export gradient, lr-find) ----------------------------
def add_run_options(
    parser: argparse.ArgumentParser,
    epochs_help: str | None,
    default_epochs: int | None = None,
    lr: bool = True,
) -> None:
    """The options :func:`run_spec` reads: a dataset, and what changes its default run.

    ``epochs_help`` is the help of ``--epochs`` (None: no ``--epochs``, the default run's
    epochs); ``lr`` False leaves out ``--lr`` (for a command that sets the rate itself).
    """
    from explorer.model.config import MAX_SEED
    from explorer.training import DATASET_NAMES, DEFAULT_RUN, OPTIMIZERS, TRAINING_LOSSES
    from explorer.training.config import MAX_BATCH_SIZE, MAX_EPOCHS

    parser.add_argument(
        "--dataset",
        type=str.lower,
        choices=DATASET_NAMES,
        default=DEFAULT_RUN.dataset,
        metavar="NAME",
        help=f"one of {', '.join(DATASET_NAMES)} (default {DEFAULT_RUN.dataset})",
    )
    if epochs_help is None:
        parser.set_defaults(epochs=None)
    else:
        parser.add_argument(
            "--epochs",
            type=integer(1, MAX_EPOCHS),
            default=default_epochs,
            metavar="N",
            help=epochs_help,
        )
    parser.add_argument(
        "--seed",
        type=integer(0, MAX_SEED),
        metavar="S",
        help="seed of the split, the initial weights and the batch order (default 0)",
    )
    parser.add_argument(
        "--batch-size", type=integer(1, MAX_BATCH_SIZE), metavar="B", help="samples per step"
    )
    if lr:
        parser.add_argument("--lr", type=real(1e-8, 10), metavar="LR", help="learning rate")
    else:
        parser.set_defaults(lr=None)
    for flag, names in (("--optimizer", OPTIMIZERS), ("--loss", TRAINING_LOSSES)):
        parser.add_argument(
            flag,
            type=str.lower,
            choices=names,
            metavar="NAME",
            help=f"one of {', '.join(names)} (default: the dataset's default run's)",
        )
    parser.add_argument(
        "--hidden",
        type=hidden_sizes_type,
        metavar="LIST",
        help="hidden layer sizes, e.g. 32,32 or '32 32' (empty string for none)",
    )


def run_spec(args):
    """The RunSpec the arguments of :func:`add_run_options` describe: the dataset's default
    run, with overrides (UsageError quoting what is wrong)."""
    from dataclasses import replace

    from explorer.training import default_run_for

    spec = default_run_for(args.dataset)
    changes = {
        key: value
        for key, value in (
            ("epochs", args.epochs),
            ("seed", args.seed),
            ("batch_size", args.batch_size),
            ("lr", args.lr),
            ("optimizer", args.optimizer),
            ("loss", args.loss),
        )
        if value is not None
    }
    spec = spec.with_training(**changes)
    if args.hidden is not None:
        spec = replace(spec, model=replace(spec.model, hidden_sizes=args.hidden))
    try:
        return spec.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def prepare_run(spec):
    """``setup_run(spec)``: the data, the model and its trainer, the model priced against the
    parameter budget before it is built (UsageError when refused)."""
    from explorer.training import setup_run

    try:
        return setup_run(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# -- output ---------------------------------------------------------------------------------
def use_offscreen_qt() -> None:
    # Before the first Qt import: the CLI renders without any display.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


class OutputFolder:
    r"""The folder an export writes into, as a context manager that undoes a failed export.

    Entering checks the folder, creating it (and missing parents) if needed. The export then
    :meth:`claim`\ s every file it will write (refused if it exists, unless ``force``). If the
    export fails (an exception, Ctrl-C included), the claimed files that did not exist before
    are removed, and so are the folders it created, if they are then empty: a failed export
    leaves nothing it created and touches nothing that was there.
    """

    def __init__(self, folder: Path, force: bool, option: str = "--out"):
        self.path = Path(folder)
        self.force = force
        self.option = option
        self._created: list[Path] = []  # folders made on entering, deepest first
        self._new: list[Path] = []  # claimed files that did not exist

    def __enter__(self) -> OutputFolder:
        from explorer.io.atomic import WriteLocationError, check_writable_folder

        try:
            self._created = _missing_folders(self.path.expanduser())
            self.path = check_writable_folder(self.path, create=True)
        except WriteLocationError as exc:
            self._remove_created()
            raise UsageError(f"{self.option}: {exc}") from None
        except OSError as exc:  # a name the system refuses: too long, a bad character
            self._remove_created()
            raise UsageError(f"{self.option}: {describe_error(exc)}") from None
        return self

    def claim(self, paths: list[Path], force: bool | None = None) -> None:
        """Refuse existing ``paths`` unless forced; remember the new ones as the export's."""
        refuse_existing(paths, self.force if force is None else force)
        self._new += [path for path in paths if not path.exists()]

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            return
        for path in self._new:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        self._remove_created()

    def _remove_created(self) -> None:
        for folder in self._created:
            try:
                folder.rmdir()  # only if empty: never what someone else put there
            except OSError:
                return


def _missing_folders(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist, deepest first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    return missing


def export_options(args):
    scale = args.scale if args.scale is not None or args.width is not None else 2.0
    return {"formats": args.formats, "width": args.width, "scale": scale}


def metric(value: float):
    """JSON has no infinity: write it as the string "inf"."""
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if math.isnan(value):
        return "nan"
    return value


def write_json(path: Path, data: dict, force: bool) -> Path:
    from explorer.io.atomic import write_text_atomic

    if path.exists() and not force:
        raise UsageError(f"{quoted(str(path))} exists; pass --force to overwrite it")
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")
    return path


def refuse_existing(paths: list[Path], force: bool) -> None:
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:6])
        more = f" and {len(existing) - 6} more" if len(existing) > 6 else ""
        raise UsageError(f"would overwrite {names}{more}; pass --force to overwrite")


def report(written: list[Path], folder: Path) -> None:
    print(f"wrote {len(written)} file(s) to {folder}:", file=sys.stderr)
    for path in written:
        print(path)
