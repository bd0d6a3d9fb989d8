"""The switch between the fast paths and the plain path."""

import os
import subprocess
import sys

import pytest

from explorer.engine import Tensor, fast, manual_seed, nn, plain_path, set_fast_paths


def test_plain_path_switches_off_and_restores_even_after_an_error():
    assert fast.enabled()
    with pytest.raises(ZeroDivisionError), plain_path():
        assert not fast.enabled()
        with plain_path():
            assert not fast.enabled()
        assert not fast.enabled()
        1 / 0  # noqa: B018
    assert fast.enabled()


def test_set_fast_paths_turns_every_shortcut_off_and_on():
    manual_seed(0)
    model = nn.MLP(2, (4,), 2)
    x = Tensor([[1.0, 2.0]])
    set_fast_paths(False)
    assert len(model(x)._parents) == 3  # the last Linear on its own: the plain path
    set_fast_paths(True)
    assert len(model(x)._parents) == 5  # one node for both layers


@pytest.mark.parametrize(("value", "expected"), [("1", False), ("0", True), ("", True)])
def test_the_environment_variable_starts_a_process_on_the_plain_path(value, expected):
    env = dict(os.environ, **{fast.PLAIN_ENV: value})
    code = "from explorer.engine import fast; print(fast.enabled())"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == str(expected)
