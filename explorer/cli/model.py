"""``explorer export model``: an MLP's weight plots, print(model), counts and weights."""

from __future__ import annotations

from explorer.cli.common import (
    EXIT_OK,
    OutputFolder,
    UsageError,
    add_output_options,
    export_options,
    hidden_sizes_type,
    report,
    use_offscreen_qt,
    whole_number,
    write_json,
)
from explorer.quoting import quoted


def add_parser(tabs) -> None:
    from explorer.engine import nn
    from explorer.model.budget import DEFAULT_PARAMETER_BUDGET
    from explorer.model.config import DTYPES, MLPConfig

    default = MLPConfig()
    model = tabs.add_parser(
        "model",
        help="an MLP's weight heatmap and histograms, print(model), parameter counts",
        description="Build nn.MLP as the Model tab does and write the selected parameter's "
        "heatmap and histograms (PNG, SVG, CSV), model.txt (print(model), as PyTorch prints "
        "it), model.json (configuration, state_dict shapes, parameter counts) and weights.npz. "
        "Defaults are the lecture's Model(784, 256, 10, init_weight='he', init_bias='zero'). "
        f"A model above the parameter budget ({DEFAULT_PARAMETER_BUDGET:,} parameters, as "
        "the app's default) is refused before anything is built.",
    )
    model.add_argument(
        "--input-features",
        type=whole_number,
        default=default.input_features,
        metavar="N",
        help=f"input width (default {default.input_features})",
    )
    model.add_argument(
        "--hidden",
        type=hidden_sizes_type,
        default=default.hidden_sizes,
        metavar="LIST",
        help="hidden layer sizes, e.g. 256 or '256, 128' or '256 128' (empty string for none; "
        "default 256)",
    )
    model.add_argument(
        "--output-features",
        type=whole_number,
        default=default.output_features,
        metavar="N",
        help=f"output width (default {default.output_features})",
    )
    for flag, key, names in (
        ("--activation", "activation", nn.MLP.ACTIVATIONS),
        ("--init-weight", "init_weight", nn.MLP.INIT_WEIGHTS),
        ("--init-bias", "init_bias", nn.MLP.INIT_BIASES),
    ):
        model.add_argument(
            flag,
            type=str.lower,
            choices=names,
            metavar="NAME",
            default=getattr(default, key),
            help=f"one of {', '.join(names)}",
        )
    model.add_argument(
        "--dtype",
        type=str.lower,
        choices=DTYPES,
        default=default.dtype,
        metavar="NAME",
        help=f"one of {', '.join(DTYPES)}",
    )
    model.add_argument(
        "--seed",
        type=whole_number,
        default=default.seed,
        metavar="S",
        help="seed of the initial weights (default 0)",
    )
    model.add_argument(
        "--parameter",
        default="linear1.weight",
        metavar="NAME",
        help="the parameter to plot, as state_dict names it (default linear1.weight)",
    )
    add_output_options(model)
    model.set_defaults(run=run)


def model_config(args):
    """The :class:`~explorer.model.config.MLPConfig` the arguments describe, validated and
    priced against the parameter budget (UsageError quoting what is wrong)."""
    from explorer.model.budget import ParameterBudget
    from explorer.model.config import MLPConfig

    try:
        config = MLPConfig(
            input_features=args.input_features,
            hidden_sizes=args.hidden,
            output_features=args.output_features,
            activation=args.activation,
            init_weight=args.init_weight,
            init_bias=args.init_bias,
            dtype=args.dtype,
            seed=args.seed,
        )
        ParameterBudget().check(config)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return config


def run(args) -> int:
    import numpy as np

    from explorer.inspect.module_info import model_totals
    from explorer.io.atomic import atomic_path, write_text_atomic

    config = model_config(args)
    model = config.build()
    state = model.state_dict()
    if args.parameter not in state:
        raise UsageError(
            f"--parameter: the model has no {quoted(args.parameter)}; it has {', '.join(state)}"
        )
    with OutputFolder(args.out, args.force) as folder:
        out = folder.path
        folder.claim([out / "model.txt", out / "model.json", out / "weights.npz"])
        use_offscreen_qt()
        from explorer.ui.headless import export_model

        written = export_model(
            config, args.parameter, out, export_options(args), args.force, folder.claim
        )
        write_text_atomic(out / "model.txt", repr(model) + "\n")
        totals = model_totals(model)
        summary = {
            "config": config.to_dict(),
            "state_dict": {key: list(np.shape(value)) for key, value in state.items()},
            "total_params": totals.total_params,
            "trainable_params": totals.trainable_params,
            "params_size_mb": round(totals.params_size_mb, 6),
        }
        written.append(write_json(out / "model.json", summary, True))
        with atomic_path(out / "weights.npz") as tmp:
            np.savez(tmp, **{key: np.asarray(value) for key, value in state.items()})
        written += [out / "model.txt", out / "weights.npz"]
    report(written, out)
    return EXIT_OK
