"""Compare autograd gradients with central finite differences, in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from explorer.engine import Tensor


def numerical_grads(
    fn: Callable[..., Tensor], arrays: list[np.ndarray], weights: np.ndarray, eps: float = 1e-6
) -> list[np.ndarray]:
    """d(sum(fn(*arrays) * weights))/d(array) for each array, by central differences."""

    def objective() -> float:
        return float(np.sum(fn(*[Tensor(a) for a in arrays]).data * weights))

    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        flat, gflat = array.reshape(-1), grad.reshape(-1)
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + eps
            up = objective()
            flat[i] = saved - eps
            down = objective()
            flat[i] = saved
            gflat[i] = (up - down) / (2 * eps)
        grads.append(grad)
    return grads


def assert_gradients_match(
    fn: Callable[..., Tensor],
    *arrays: np.ndarray,
    seed: int = 0,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> None:
    """Autograd's gradient of ``sum(fn(*arrays) * R)`` (random R) equals the numerical one."""
    arrays_ = [np.array(a, dtype=np.float64) for a in arrays]
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays_]
    out = fn(*tensors)
    weights = np.random.default_rng(seed).normal(size=out.shape)
    (out * Tensor(weights)).sum().backward()
    expected = numerical_grads(fn, arrays_, weights)
    for i, (tensor, numeric) in enumerate(zip(tensors, expected, strict=True)):
        assert tensor.grad is not None, f"argument {i} got no gradient"
        assert tensor.grad.shape == tensor.shape, (i, tensor.grad.shape, tensor.shape)
        np.testing.assert_allclose(
            tensor.grad, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of argument {i}"
        )
