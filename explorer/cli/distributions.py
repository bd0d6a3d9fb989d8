"""``explorer export distributions``: the Distributions tab for P and Q, and metrics.json."""

from __future__ import annotations

import argparse
import math

from explorer.cli.common import (
    EXIT_OK,
    OutputFolder,
    UsageError,
    add_output_options,
    export_options,
    metric,
    report,
    use_offscreen_qt,
    write_json,
)
from explorer.quoting import quoted

MIN_CATEGORIES = 2
MAX_CATEGORIES = 32


def add_parser(tabs) -> None:
    dist = tabs.add_parser(
        "distributions",
        help="P and Q as bars, KL contributions, the H(P,Q) decomposition, sensitivity",
        description="Export the Distributions tab for two discrete distributions P and Q, "
        "and metrics.json with entropy, cross entropy, KL (both ways) and JS. "
        'Entries are normalized to sum 1; infinity is written as "inf".',
    )
    dist.add_argument(
        "--p",
        required=True,
        type=_distribution,
        metavar="LIST",
        help="P as comma-separated non-negative numbers, e.g. 1,0,0",
    )
    dist.add_argument(
        "--q",
        required=True,
        type=_distribution,
        metavar="LIST",
        help="Q, with as many entries as P, e.g. 0.8,0.1,0.1",
    )
    dist.add_argument(
        "--base",
        type=_base,
        default=2.0,
        metavar="B",
        help="logarithm base: 2 (bits, default), e (nats) or 10 (hartleys)",
    )
    add_output_options(dist)
    dist.set_defaults(run=run)


def _distribution(text: str) -> list[float]:
    parts = [part.strip() for part in text.split(",")]
    if not text.strip() or any(part == "" for part in parts):
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a comma-separated list of numbers")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{quoted(text)} is not a list of numbers ({quoted(part)} is not a number)"
            ) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(
                f"{quoted(text)} has a non-finite entry {quoted(part)}"
            )
        if value < 0:
            raise argparse.ArgumentTypeError(f"{quoted(text)} has a negative entry {quoted(part)}")
        values.append(value)
    if not MIN_CATEGORIES <= len(values) <= MAX_CATEGORIES:
        raise argparse.ArgumentTypeError(
            f"{quoted(text)} has {len(values)} categories; the tab shows {MIN_CATEGORIES} to "
            f"{MAX_CATEGORIES}"
        )
    if sum(values) == 0:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is all zeros; it cannot be normalized")
    return values


def _base(text: str) -> float:
    from explorer.info import resolve_base

    try:
        return resolve_base(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def distribution_metrics(p, q, base: float) -> dict:
    """The numbers ``metrics.json`` holds for P and Q, from ``explorer.info``."""
    from explorer.info import cross_entropy, entropy, js_divergence, kl_divergence

    return {
        "base": metric(base),
        "entropy_p": metric(entropy(p, base=base)),
        "entropy_q": metric(entropy(q, base=base)),
        "cross_entropy": metric(cross_entropy(p, q, base=base)),
        "cross_entropy_qp": metric(cross_entropy(q, p, base=base)),
        "kl_pq": metric(kl_divergence(p, q, base=base)),
        "kl_qp": metric(kl_divergence(q, p, base=base)),
        "js": metric(js_divergence(p, q, base=base)),
    }


def run(args) -> int:
    if len(args.p) != len(args.q):
        raise UsageError(
            f"--p has {len(args.p)} entries and --q has {len(args.q)}; they must match"
        )
    try:
        metrics = distribution_metrics(args.p, args.q, args.base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with OutputFolder(args.out, args.force) as folder:
        out = folder.path
        folder.claim([out / "metrics.json"])
        use_offscreen_qt()
        from explorer.ui.headless import export_distributions

        written = export_distributions(
            args.p,
            args.q,
            args.base,
            out,
            export_options(args),
            overwrite=args.force,
            refuse=folder.claim,
        )
        written.append(write_json(out / "metrics.json", metrics, args.force))
    report(written, out)
    return EXIT_OK
