"""``import torch`` gives the engine inside ``torch_modules()``, and only there."""

import sys

from explorer.engine.as_torch import Outcome, comparable, run_code, torch_modules, torch_namespace


def test_torch_and_its_submodules_import_the_engine_inside_the_context_only():
    before = {name: sys.modules.get(name) for name in ("torch", "torch.nn")}
    with torch_modules():
        import torch
        import torch.nn.functional as F  # noqa: N812 (torch's alias)
        from torch.nn.modules.loss import _Loss
        from torch.nn.parameter import Parameter

        assert torch.__name__ == "explorer.engine"
        assert F.__name__ == "explorer.engine.nn.functional"
        assert _Loss.__module__ == "explorer.engine.nn.loss"
        assert Parameter is torch.nn.Parameter
    assert {name: sys.modules.get(name) for name in ("torch", "torch.nn")} == before


def test_run_code_reports_output_exception_and_warnings():
    code = "import warnings\nprint('a')\nwarnings.warn('w')\nwarnings.warn('w')\n1 / 0\nprint('b')"
    outcome = run_code(code, {})
    assert outcome == Outcome("a\n", "ZeroDivisionError: division by zero",
                              ("UserWarning: w", "UserWarning: w"))  # fmt: skip


def test_code_written_for_torch_runs_on_the_engine():
    with torch_modules():
        outcome = run_code(
            "x = torch.tensor([1., 2.], requires_grad=True)\n(x * x).sum().backward()\n"
            "print(x.grad, type(x).__name__)",
            torch_namespace(),
        )
    assert outcome == Outcome("tensor([2., 4.]) Tensor\n", None, ())


def test_comparable_masks_addresses_and_reads_engine_paths_as_torchs():
    assert comparable("<AddBackward0 object at 0x7f12ab>") == "<AddBackward0 object at 0x…>"
    assert comparable("<class 'explorer.engine.nn.parameter.Parameter'>") == (
        "<class 'torch.nn.parameter.Parameter'>"
    )
