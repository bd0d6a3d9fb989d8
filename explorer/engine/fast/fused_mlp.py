"""``nn.MLP.forward`` as one autograd node: the same numbers, a fraction of the overhead.

On a small network (2-8-8-2, batch 32) every array is tiny, so a training step costs almost
nothing in arithmetic and almost everything in per-operation bookkeeping: a Tensor, a closure
and a trip through ``Tensor.backward`` for every Linear and every activation. Running all
layers in one node pays that once. This is what PyTorch cannot do for an arbitrary
``nn.Module`` and why the engine beats it on small networks (``benchmarks/engine_vs_torch.py``).

It runs the plain path's numpy operations in the same order (``F.linear``'s, then the
activation's, per layer; their backward rules in reverse), so the output and every gradient
are bit-for-bit identical. :func:`fused_mlp` declines, and ``nn.MLP.forward`` goes layer by
layer, unless nothing could tell the difference: the children are plain ``Linear`` layers with
no forward, forward-pre or backward hooks (the Model tab's forward-pass inspector hooks them,
so it sees every layer run, as in torch) and the input is a 2-D batch whose shapes and dtype
the layers accept. Anything else, including every error case, takes the plain path.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np

from explorer.engine._tensor_math import sigmoid_array
from explorer.engine.fast.constants import Table, ones, scalar
from explorer.engine.nn.linear import Linear
from explorer.engine.tensor import Tensor

_LEAKY_SLOPE = 0.01  # F.leaky_relu's default, which nn.MLP uses
# (batch size, dtype) -> a 0-d zero, and ones for row sums as products (cheaper, as F.linear)
_CONSTANTS = Table(lambda key: (scalar(0, key[1]), ones(*key)))


# Each activation: forward(h, zero) -> (output, saved) may overwrite h, the node's own array;
# grad(g, saved, zero) may overwrite g, a fresh array. ``zero`` is a 0-d zero of the dtype
# (numpy takes it faster than the Python 0). The same expressions as the functions in
# explorer/engine/nn/_functional_layers.py.
def _relu(h: np.ndarray, zero: np.ndarray):
    out = np.maximum(h, zero, out=h)
    return out, out


def _relu_grad(g: np.ndarray, out: np.ndarray, zero: np.ndarray) -> np.ndarray:
    g *= np.greater(out, zero)
    return g


def _leaky_relu(h: np.ndarray, zero: np.ndarray):
    positive = h > 0
    slope = np.asarray(_LEAKY_SLOPE, dtype=h.dtype)
    return np.where(positive, h, h * slope), (positive, slope)


def _leaky_relu_grad(g: np.ndarray, saved, zero: np.ndarray) -> np.ndarray:
    positive, slope = saved
    return np.where(positive, g, g * slope)


def _sigmoid(h: np.ndarray, zero: np.ndarray):
    out = sigmoid_array(h)
    return out, out


def _sigmoid_grad(g: np.ndarray, out: np.ndarray, zero: np.ndarray) -> np.ndarray:
    return g * out * (1 - out)


def _tanh(h: np.ndarray, zero: np.ndarray):
    out = np.tanh(h, out=h)
    return out, out


def _tanh_grad(g: np.ndarray, out: np.ndarray, zero: np.ndarray) -> np.ndarray:
    return g * (1 - out * out)


def _identity(h: np.ndarray, zero: np.ndarray):
    return h, None


def _identity_grad(g: np.ndarray, saved: None, zero: np.ndarray) -> np.ndarray:
    return g


_ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "relu": (_relu, _relu_grad),
    "leaky_relu": (_leaky_relu, _leaky_relu_grad),
    "sigmoid": (_sigmoid, _sigmoid_grad),
    "tanh": (_tanh, _tanh_grad),
    "identity": (_identity, _identity_grad),
}


def fused_mlp(x: object, layers: Collection[object], activation: str) -> Tensor | None:
    """``layers[-1](act(... act(layers[0](x))))`` as a single graph node, or None.

    None means the layers must run one by one: ``x`` is not a 2-D Tensor, a layer is not a
    plain :class:`Linear` (a subclass, a ``forward`` patched onto the instance, a forward or
    forward-pre hook), a weight does not take the previous width, or a weight's dtype is not
    ``x``'s. The engine has no global module hooks; if it gains them, check them here too.
    The node is named after the last layer's op (``AddmmBackward0``, or ``MmBackward0``
    without a bias), so ``grad_fn`` reads as it does in torch, and it saves the tensors the
    layers' nodes would save, so an in-place change to one raises as it would there.

    Parameters
    ----------
    x : Tensor
        Input batch, shape ``(N, in_features)``.
    layers : collection of Linear
        The MLP's layers in order (a tuple, a list or its modules dict's values).
    activation : str
        One of ``nn.MLP.ACTIVATIONS``, applied after every layer but the last.
    """
    if not isinstance(x, Tensor) or not layers or activation not in _ACTIVATIONS:
        return None
    h = x._data
    if h.ndim != 2:
        return None
    act_forward, act_grad = _ACTIVATIONS[activation]
    relu = act_forward is _relu  # the common case, inlined below
    dtype = h.dtype
    zero, ones_n = _CONSTANTS[len(h), dtype]
    needs_grad = x._requires_grad  # whether the current layer's input needs a gradient
    parents: list[Tensor] = [x]
    # per layer: (input array, weight array, weight needs grad, bias needs grad or None without a
    # bias, input needs grad, index of the weight in parents); then, for each hidden layer,
    # what its activation's backward needs
    steps: list = []
    for layer in layers:
        if type(layer) is not Linear:
            return None
        members = layer.__dict__  # Module's registries (not through its __getattr__: cheaper)
        if (
            members["_forward_hooks"]
            or members["_forward_pre_hooks"]
            or members["_backward_hooks"]
            or "forward" in members
        ):
            return None
        params = members["_parameters"]
        weight, bias = params["weight"], params["bias"]
        if weight is None:
            return None
        w = weight._data
        # `is` first: arrays of one builtin dtype share its descriptor, and != costs more
        if (w.dtype is not dtype and w.dtype != dtype) or w.ndim != 2:
            return None
        if steps:  # the previous layer was a hidden one: activate its output
            if relu:
                h = np.maximum(h, zero, out=h)
                steps.append(h)
            else:
                h, saved = act_forward(h, zero)
                steps.append(saved)
        weight_grad = weight._requires_grad
        bias_grad = None if bias is None else bias._requires_grad
        steps.append((h, w, weight_grad, bias_grad, needs_grad, len(parents)))
        try:
            # ndarray.dot: np.dot's computation (as F.linear) without its Python-level dispatch
            out = h.dot(w.T)
        except ValueError:
            return None  # the weight does not take the previous width
        if bias is None:
            parents.append(weight)
            needs_grad = needs_grad or weight_grad
        else:
            b = bias._data
            if (b.dtype is not dtype and b.dtype != dtype) or b.ndim != 1 or len(b) != len(w):
                return None  # its gradient would need casting or unbroadcasting
            out += b
            parents += (weight, bias)
            needs_grad = needs_grad or weight_grad or bias_grad
        h = out
    count = len(parents)
    last = len(steps) - 1

    def backward(g: np.ndarray) -> list[np.ndarray | None]:
        grads: list[np.ndarray | None] = [None] * count
        for i in range(last, -1, -2):
            layer_input, w, weight_grad, bias_grad, input_needs_grad, at = steps[i]
            if weight_grad:
                grads[at] = g.T.dot(layer_input)
            if bias_grad:
                grads[at + 1] = ones_n.dot(g)
            if not input_needs_grad:
                break  # nothing below this layer needs a gradient (the rest stay None)
            g = g.dot(w)
            if not i:
                grads[0] = g
            elif relu:
                g *= np.greater(steps[i - 1], zero)
            else:
                g = act_grad(g, steps[i - 1], zero)
        return grads

    backward.exact = True  # new arrays of the parents' shapes and dtype (fast/backward.py)
    # named after the last layer's op, as grad_fn reads in torch
    op = "AddmmBackward0" if bias is not None else "MmBackward0"
    return Tensor._from_op(h, parents, backward, op, _SavedByLayers((parents, steps)))


class _SavedByLayers(tuple):
    """The tensors the layers' own nodes save (``F.linear``: its input for the weight's
    gradient, its weight for the input's), last layer first as the plain walk meets them.

    Made of ``(parents, steps)`` and read only when a tensor was changed in place since the
    forward, so found then, from what the forward kept, rather than listed on every forward
    (a tuple: making one runs no Python code).
    """

    __slots__ = ()

    def __iter__(self):
        parents, steps = self[0], self[1]
        layers = steps[::2]  # (input, weight array, weight needs grad, bias needs grad, input
        for i in range(len(layers) - 1, -1, -1):  # needs grad, index of the weight in parents)
            _, _, weight_grad, _, input_needs_grad, at = layers[i]
            if weight_grad and i == 0:
                yield parents[0]  # x: the only layer input others can change
            if input_needs_grad:
                yield parents[at]
