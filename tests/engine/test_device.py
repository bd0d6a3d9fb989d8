"""The engine runs on the CPU: code that picks a device picks it; asking for a GPU says so."""

import pytest

import explorer.engine as torch
from explorer.engine import nn


def test_code_that_chooses_a_device_runs_on_the_cpu():
    assert torch.cuda.is_available() is False and torch.cuda.device_count() == 0
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.ones(2).to(device)
    model = nn.Linear(2, 1).to(device)
    assert model(x).shape == (1,) and x.device == device == "cpu"
    assert repr(device) == "device(type='cpu')" and str(torch.device("cuda:1")) == "cuda:1"


@pytest.mark.parametrize(
    "call, asked",
    [
        (lambda: torch.ones(2).cuda(), ".cuda()"),
        (lambda: torch.ones(2).to("cuda"), ".to('cuda')"),
        (lambda: torch.ones(2).to(torch.device("cuda", 0)), ".to('cuda:0')"),
        (lambda: nn.Linear(2, 1).cuda(), ".cuda()"),
        (lambda: nn.Linear(2, 1).to("cuda"), ".to('cuda')"),
        (lambda: nn.Linear(2, 1, device="cuda"), "device='cuda'"),
        (lambda: torch.zeros(2, device="cuda"), "device='cuda'"),
    ],
)
def test_asking_for_a_gpu_is_a_clear_error_naming_the_call(call, asked):
    with pytest.raises(RuntimeError, match="runs on the CPU only") as info:
        call()
    assert str(info.value).startswith(asked + ":")
    assert "torch.cuda.is_available()" in str(info.value)
