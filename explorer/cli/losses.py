"""``explorer export losses``: a loss on seeded tensors, its curves and loss.json."""

from __future__ import annotations

import argparse

from explorer.cli.common import (
    EXIT_OK,
    OutputFolder,
    UsageError,
    add_output_options,
    choice,
    export_options,
    integer,
    metric,
    real,
    report,
    use_offscreen_qt,
    write_json,
)
from explorer.quoting import quoted


def add_parser(tabs) -> None:
    from explorer.lossbench.spec import LOSSES
    from explorer.lossbench.tensors import MAX_SIZE

    kinds = {kind.lower(): kind for kind in LOSSES}
    losses = tabs.add_parser(
        "losses",
        help="a PyTorch loss on seeded tensors: value, gradient, code; the loss curves",
        description="Set a loss up as the Losses tab does, on seeded N x C tensors, and write "
        "its curve panels (L1/MSE/Huber/SmoothL1 vs the prediction and their slopes; cross "
        "entropy vs squared error for a sigmoid output: PNG, SVG, CSV) and loss.json (the "
        "input, target, output, value and gradient from the engine's backward, and the same "
        "call as PyTorch code).",
    )
    losses.add_argument(
        "--loss",
        type=lambda text: choice(text, kinds),
        default="crossentropy",
        metavar="NAME",
        help=f"one of {', '.join(LOSSES)} (default CrossEntropy)",
    )
    losses.add_argument(
        "--reduction",
        choices=("none", "mean", "sum", "batchmean"),
        metavar="R",
        help="none, mean, sum (batchmean for KLDiv); default mean",
    )
    losses.add_argument("--delta", type=real(1e-6, 1e6), metavar="D", help="Huber's delta")
    losses.add_argument("--beta", type=real(0, 1e6), metavar="B", help="SmoothL1's beta")
    losses.add_argument(
        "--label-smoothing",
        type=real(0, 1),
        metavar="S",
        help="CrossEntropy's label_smoothing, 0 to 1",
    )
    losses.add_argument(
        "--ignore-index",
        type=integer(-(2**31), 2**31 - 1),
        metavar="I",
        help="CrossEntropy/NLL: targets equal to I are left out (PyTorch's default -100)",
    )
    losses.add_argument(
        "--weight",
        type=vector,
        metavar="LIST",
        help="CrossEntropy/NLL/BCE/BCEWithLogits: a weight per class (C numbers), e.g. 1,2,1",
    )
    losses.add_argument(
        "--pos-weight",
        type=vector,
        metavar="LIST",
        help="BCEWithLogits: a weight for the positive term per class (C numbers)",
    )
    losses.add_argument(
        "--log-target",
        action="store_true",
        default=None,
        help="KLDiv: the target is given as log-probabilities",
    )
    losses.add_argument(
        "--n", type=integer(1, MAX_SIZE), default=3, metavar="N", help="rows (default 3)"
    )
    losses.add_argument(
        "--c", type=integer(1, MAX_SIZE), default=5, metavar="C", help="columns (default 5)"
    )
    losses.add_argument(
        "--seed",
        type=integer(0, 2**31 - 1),
        default=0,
        metavar="S",
        help="seed of the random tensors (default 0)",
    )
    losses.add_argument(
        "--dtype",
        choices=("float32", "float64"),
        default="float64",
        metavar="T",
        help="float64 (default: the PyTorch code reproduces the value digit for digit) or float32",
    )
    add_output_options(losses)
    losses.set_defaults(run=run)


# The loss options with a flag of their own (``--label-smoothing`` for ``label_smoothing``).
OPTION_FLAGS = (
    "delta",
    "beta",
    "label_smoothing",
    "ignore_index",
    "weight",
    "pos_weight",
    "log_target",
)


def vector(text: str) -> tuple[float, ...]:
    """``"1,2.5,1"`` -> (1.0, 2.5, 1.0); every entry finite."""
    import math

    values = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{quoted(text)} is not a list of numbers ({quoted(part.strip())} is not a number)"
            ) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(
                f"{quoted(text)} has a non-finite entry {quoted(part.strip())}"
            )
        values.append(value)
    return tuple(values)


def loss_options(args):
    """The loss kind and its LossOptions from the arguments (ValueError -> UsageError)."""
    from explorer.lossbench.spec import LOSSES, LossOptions, replace_options

    spec = LOSSES[args.loss]
    changes = {}
    if args.reduction is not None:
        if args.reduction not in spec.reductions:
            raise UsageError(
                f"--reduction {quoted(args.reduction)} is not one of {args.loss}'s: "
                f"{', '.join(spec.reductions)}"
            )
        changes["reduction"] = args.reduction
    for name in OPTION_FLAGS:
        value = getattr(args, name)
        if value is not None:
            flag = "--" + name.replace("_", "-")
            if name not in spec.options:
                raise UsageError(f"{flag} is not an option of {args.loss}")
            if name in ("weight", "pos_weight") and len(value) != args.c:
                raise UsageError(
                    f"{flag} has {len(value)} value(s); it needs one per class (--c {args.c})"
                )
            changes[name] = value
    try:
        return args.loss, replace_options(LossOptions(), **changes)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run(args) -> int:
    kind, options = loss_options(args)
    with OutputFolder(args.out, args.force) as folder:
        out = folder.path
        folder.claim([out / "loss.json"])
        use_offscreen_qt()
        from explorer.ui.headless import export_losses

        written, state = export_losses(
            kind,
            options,
            args.n,
            args.c,
            args.seed,
            args.dtype,
            out,
            export_options(args),
            args.force,
            folder.claim,
        )
        written.append(write_json(out / "loss.json", lossreport(state), True))
    report(written, out)
    return EXIT_OK


def lossreport(state: dict) -> dict:
    """loss.json: the tab's setup, and the engine's value and gradient for it."""
    import numpy as np

    from explorer.lossbench.codegen import pytorch_code
    from explorer.lossbench.evaluate import LossRejected, evaluate
    from explorer.lossbench.spec import LossOptions

    kind, dtype = state["loss"], state["dtype"]
    options = LossOptions.from_dict(state["options"])
    x, t = np.asarray(state["input"]), np.asarray(state["target"])
    report = {"loss": kind, "options": options.to_dict(), "dtype": dtype}
    report.update(input=state["input"], target=state["target"])
    try:
        result = evaluate(kind, options, x, t, dtype)
    except LossRejected as exc:
        report["rejected"] = str(exc)
        return report
    report.update(
        reduction=result.reduction,
        value=metric(result.value),
        output=nested(result.output),  # keeps the shape: [N, C] for reduction='none'
        grad=[[metric(v) for v in row] for row in np.atleast_2d(result.grad)],
        warnings=list(result.warnings),
        pytorch_code=pytorch_code(kind, options, x, t, dtype),
    )
    return report


def nested(array):
    """``array`` as nested lists of JSON numbers (inf and nan as strings), or one number."""
    import numpy as np

    array = np.asarray(array)
    if array.ndim == 0:
        return metric(array)
    return [nested(part) for part in array]
