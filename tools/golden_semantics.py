# ruff: noqa: E501 (each snippet reads as the lines a learner would type)
"""Golden snippets: what torch prints, raises and warns for code a learner types (dev-only).

Each snippet is a few lines of Python run with ``torch``, ``nn``, ``F`` and ``np`` in scope;
``semantics.json`` records, per snippet, its standard output, the exception it ended with
(``Type: message``) and its warnings (``Category: message``). tests/engine/test_semantics.py
runs the same code with ``torch`` bound to ``explorer.engine`` and compares.

Recorded as torch prints them, through ``explorer.engine.as_torch.comparable`` (the test
applies it to the engine's output too): object addresses become ``0x…``; the note torch's C++
warnings end with ("(Triggered internally at <build path>)") is dropped; so is the hint its
in-place errors end with, to turn on anomaly detection (an API the engine does not have). A snippet marked ``"prefix"`` compares
an exception message only up to the tensor's type (``...: [torch.FloatTensor``): torch's
in-place error then names the transposed view of the weight that its linear kernel saved
(``[3, 2]], which is output 0 of AsStrided``) where the engine names the weight.

Covered: in-place operations and the manual update; leaf, view and version-counter errors;
backward twice and ``retain_graph``; ``.grad``, ``.data`` and ``state_dict`` as tensors sharing
memory; modules registered twice; loss options checked when called; ``grad_fn`` names for
every op the engine has; creation functions, ``torch.Size``, ``torch.special``; module hooks
and container methods; exception types and messages; reprs; device calls.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 (torch's alias)
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the worktree, for explorer
from explorer.engine.as_torch import comparable, run_code  # noqa: E402 (after the path)

# (id, code) or (id, code, "prefix"); ids name the behaviour
X = "x = torch.tensor([[1., -2., 3.], [0.5, 2., -1.]], requires_grad=True)\n"
W = "w = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)\n"
V = "v = torch.tensor([1., 2., 3.], requires_grad=True)\n"
T = "t = torch.tensor([0, 2])\n"
XWVT = X + W + V + T


def _names(expressions: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (f"grad_fn-{name}", XWVT + f"y = {code}\nprint(y.grad_fn.name(), type(y.grad_fn).__name__)")
        for name, code in expressions.items()
    ]


GRAD_FN = {
    "add": "x + w", "add_scalar": "x + 1", "radd": "1 + x", "sub": "x - w", "sub_scalar": "x - 1",
    "rsub": "1 - x", "mul": "x * w", "mul_scalar": "x * 2", "div": "x / w",
    "div_scalar": "x / 2", "rdiv": "2 / w", "neg": "-x", "pow": "x ** 2", "pow_half": "w ** 0.5",
    "rpow": "2 ** x", "pow_method": "x.pow(2)", "torch_pow": "torch.pow(x, 3)",
    "torch_pow_number": "torch.pow(2, x)", "mm": "x @ w.T", "mv": "x @ v", "dot": "v @ v",
    "vm": "v @ w.T", "bmm": "x.unsqueeze(0) @ w.T", "exp": "x.exp()", "log": "w.log()",
    "abs": "x.abs()", "sqrt": "w.sqrt()", "relu": "x.relu()", "sigmoid": "x.sigmoid()",
    "tanh": "x.tanh()", "clamp": "x.clamp(0, 1)", "clamp_min": "x.clamp(min=0)",
    "sum": "x.sum()", "sum_dim": "x.sum(1)", "sum_keepdim": "x.sum(0, keepdim=True)",
    "mean": "x.mean()", "mean_dim": "x.mean(0)", "max": "x.max()", "max_dim": "x.max(1)[0]",
    "min": "x.min()", "min_dim": "x.min(dim=0).values", "var": "x.var()", "var_dim": "x.var(1)",
    "std": "x.std()", "std_dim": "x.std(0)", "softmax": "x.softmax(1)",
    "log_softmax": "x.log_softmax(1)", "logsumexp": "x.logsumexp(1)",
    "reshape": "x.reshape(3, 2)", "view": "x.view(6)", "view_minus": "x.view(-1, 2)",
    "flatten": "x.flatten()", "unsqueeze": "x.unsqueeze(0)", "squeeze_dim": "v.unsqueeze(0).squeeze(0)",
    "squeeze": "v.unsqueeze(0).squeeze()", "transpose": "x.transpose(0, 1)", "t": "x.t()",
    "T": "x.T", "permute": "x.permute(1, 0)", "index_int": "x[0]", "index_int2": "x[0, 1]",
    "index_slice": "x[0:1]", "index_colon_int": "x[:, 0]", "index_full": "x[:]",
    "index_list": "x[[0, 1]]", "index_tensor": "x[torch.tensor([1, 0])]",
    "index_bool": "x[x > 0]", "index_none": "x[None]", "index_ellipsis": "x[..., 1:]",
    "index_int_slice": "x[0, 1:]", "index_slice_int": "x[0:2, 1]",
    "gather": "x.gather(1, t.unsqueeze(1))", "clone": "x.clone()",
    "to_double": "x.to(torch.float64)", "double": "x.double()",
    "linear_1d": "F.linear(v, w)", "linear_1d_bias": "F.linear(v, w, v[:2])",
    "linear_2d": "F.linear(x, w)", "linear_2d_bias": "F.linear(x, w, v[:2])",
    "linear_3d": "F.linear(x.unsqueeze(0), w)", "linear_3d_bias": "F.linear(x.unsqueeze(0), w, v[:2])",
    "F.relu": "F.relu(x)", "F.leaky_relu": "F.leaky_relu(x)", "F.sigmoid": "F.sigmoid(x)",
    "F.tanh": "F.tanh(x)", "F.softmax": "F.softmax(x, dim=1)",
    "F.log_softmax": "F.log_softmax(x, dim=1)", "F.dropout": "F.dropout(x, 0.5)",
    "l1_mean": "F.l1_loss(x, w)", "l1_sum": "F.l1_loss(x, w, reduction='sum')",
    "l1_none": "F.l1_loss(x, w, reduction='none')",
    "l1_weight_mean": "F.l1_loss(x, w, weight=w.detach())",
    "l1_weight_sum": "F.l1_loss(x, w, reduction='sum', weight=w.detach())",
    "l1_weight_none": "F.l1_loss(x, w, reduction='none', weight=w.detach())",
    "mse_mean": "F.mse_loss(x, w)", "mse_sum": "F.mse_loss(x, w, reduction='sum')",
    "mse_none": "F.mse_loss(x, w, reduction='none')",
    "mse_weight_mean": "F.mse_loss(x, w, weight=w.detach())",
    "mse_weight_sum": "F.mse_loss(x, w, reduction='sum', weight=w.detach())",
    "mse_weight_none": "F.mse_loss(x, w, reduction='none', weight=w.detach())",
    "huber_mean": "F.huber_loss(x, w)", "huber_none": "F.huber_loss(x, w, reduction='none')",
    "huber_weight_mean": "F.huber_loss(x, w, weight=w.detach())",
    "huber_weight_sum": "F.huber_loss(x, w, reduction='sum', weight=w.detach())",
    "huber_weight_none": "F.huber_loss(x, w, reduction='none', weight=w.detach())",
    "smooth_l1_mean": "F.smooth_l1_loss(x, w)",
    "smooth_l1_none": "F.smooth_l1_loss(x, w, reduction='none')",
    "smooth_l1_beta0_mean": "F.smooth_l1_loss(x, w, beta=0.0)",
    "smooth_l1_beta0_sum": "F.smooth_l1_loss(x, w, beta=0.0, reduction='sum')",
    "smooth_l1_beta0_none": "F.smooth_l1_loss(x, w, beta=0.0, reduction='none')",
    "kl_mean": "F.kl_div(x, w.softmax(1))", "kl_batchmean": "F.kl_div(x, w.softmax(1), reduction='batchmean')",
    "kl_sum": "F.kl_div(x, w.softmax(1), reduction='sum')",
    "kl_none": "F.kl_div(x, w.softmax(1), reduction='none')",
    "kl_log_target_none": "F.kl_div(x, w, reduction='none', log_target=True)",
    "kl_log_target_batchmean": "F.kl_div(x, w, reduction='batchmean', log_target=True)",
    "kl_log_target_mean": "F.kl_div(x, w, log_target=True)",
    "kl_log_target_sum": "F.kl_div(x, w, reduction='sum', log_target=True)",
    "bce_mean": "F.binary_cross_entropy(x.sigmoid(), w.sigmoid())",
    "bce_none": "F.binary_cross_entropy(x.sigmoid(), w.sigmoid(), reduction='none')",
    "bce_logits_mean": "F.binary_cross_entropy_with_logits(x, w.sigmoid())",
    "bce_logits_none": "F.binary_cross_entropy_with_logits(x, w.sigmoid(), reduction='none')",
    "ce_mean": "F.cross_entropy(x, t)", "ce_sum": "F.cross_entropy(x, t, reduction='sum')",
    "ce_none": "F.cross_entropy(x, t, reduction='none')",
    "ce_weight": "F.cross_entropy(x, t, weight=torch.tensor([1., 2., 3.]))",
    "ce_smooth_mean": "F.cross_entropy(x, t, label_smoothing=0.1)",
    "ce_smooth_sum": "F.cross_entropy(x, t, label_smoothing=0.1, reduction='sum')",
    "ce_smooth_none": "F.cross_entropy(x, t, label_smoothing=0.1, reduction='none')",
    "ce_probs_mean": "F.cross_entropy(x, w.softmax(1))",
    "ce_probs_sum": "F.cross_entropy(x, w.softmax(1), reduction='sum')",
    "ce_probs_none": "F.cross_entropy(x, w.softmax(1), reduction='none')",
    "ce_probs_smooth": "F.cross_entropy(x, w.softmax(1), label_smoothing=0.1)",
    "ce_1d": "F.cross_entropy(v, torch.tensor(1))",
    "ce_3d_mean": "F.cross_entropy(x.unsqueeze(2), t.unsqueeze(1))",
    "ce_3d_none": "F.cross_entropy(x.unsqueeze(2), t.unsqueeze(1), reduction='none')",
    "nll_mean": "F.nll_loss(x, t)", "nll_sum": "F.nll_loss(x, t, reduction='sum')",
    "nll_none": "F.nll_loss(x, t, reduction='none')",
    "nll_3d_mean": "F.nll_loss(x.unsqueeze(2), t.unsqueeze(1))",
    "mlp_relu_output": "nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))(x)",
    "special_expit": "torch.special.expit(x)", "special_logit": "torch.special.logit(w.sigmoid())",
    "special_xlogy": "torch.special.xlogy(w, w)", "special_entr": "torch.special.entr(w.softmax(1))",
    "special_log_softmax": "torch.special.log_softmax(x, 1)",
    "special_softmax": "torch.special.softmax(x, 1)", "special_logsumexp": "torch.special.logsumexp(x, 1)",
    "special_log1p": "torch.special.log1p(w)", "special_expm1": "torch.special.expm1(x)",
    "special_exp2": "torch.special.exp2(x)",
    "torch_exp": "torch.exp(x)", "torch_sum": "torch.sum(x)", "torch_mean": "torch.mean(x, 1)",
    "torch_relu": "torch.relu(x)", "torch_sigmoid": "torch.sigmoid(x)", "torch_tanh": "torch.tanh(x)",
    "torch_softmax": "torch.softmax(x, 1)", "torch_matmul": "torch.matmul(x, w.T)",
    "torch_mm": "torch.mm(x, w.T)", "torch_cat": "torch.cat([x, w])", "torch_cat_1": "torch.cat([x, w], dim=1)",
    "torch_stack": "torch.stack([x, w])", "torch_abs": "torch.abs(x)", "torch_clamp": "torch.clamp(x, 0, 1)",
    "torch_log": "torch.log(w)", "torch_sqrt": "torch.sqrt(w)", "torch_max": "torch.max(x)",
    "torch_where": "torch.where(x > 0, x, w)",
}  # fmt: skip

SNIPPETS: list[tuple] = [
    # -- 1. the manual update and in-place operations ------------------------------------
    ("manual-update-loop", """
model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[1., 2.]])); model.bias.zero_()
loss = model(torch.tensor([[1., 1.]])).sum()
loss.backward()
before = model.weight
with torch.no_grad():
    for p in model.parameters():
        p -= 0.1 * p.grad
print(model.weight, model.bias)
print(model.weight is before, model.weight.is_leaf, model.weight._version)
"""),
    ("manual-update-attribute", """
lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.fill_(1.)
    lin.weight -= 0.5 * torch.ones(2, 2)
print(lin.weight, type(lin.weight).__name__)
"""),
    ("manual-update-data", """
lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.fill_(1.)
lin(torch.ones(1, 2)).sum().backward()
lin.weight.data -= 0.5 * lin.weight.grad
lin.bias.data.zero_()
print(lin.weight, lin.bias, lin.weight._version)
"""),
    ("attribute-update-needs-no-grad", """
lin = nn.Linear(2, 2)
lin.weight -= 0.1 * torch.ones(2, 2)
"""),
    ("leaf-iadd", "x = torch.tensor([1., 2.], requires_grad=True)\nx += 1"),
    ("leaf-add_", "x = torch.tensor([1., 2.], requires_grad=True)\nx.add_(1)"),
    ("leaf-zero_", "x = torch.tensor([1., 2.], requires_grad=True)\nx.zero_()"),
    ("leaf-setitem", "x = torch.tensor([1., 2.], requires_grad=True)\nx[0] = 5"),
    ("leaf-view-inplace", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x[0]\ny.mul_(2)"),
    ("leaf-no-grad-inplace", """
x = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    x += 1
    x[0] = 7
print(x, x.is_leaf, x.requires_grad, x._version)
"""),
    ("leaf-data-inplace", """
x = torch.tensor([1., 2.], requires_grad=True)
x.data[0] = 5
x.data.mul_(2)
print(x, x._version)
"""),
    ("inplace-ops-values", """
t = torch.zeros(2, 2)
r = t.fill_(3)
print(r is t)
t.clamp_(0, 1); t.mul_(torch.tensor([1., 2.])); t.div_(4); t.add_(torch.ones(2), alpha=2)
t.sub_(1, alpha=3)
print(t, t._version)
t.copy_(torch.tensor([5, 6]))
print(t)
t.zero_()
print(t, t._version)
"""),
    ("inplace-augmented", """
t = torch.zeros(2)
t += 1; t -= 0.5; t *= 4; t /= 2
print(t, t._version)
"""),
    ("inplace-random-keeps-identity", """
t = torch.zeros(2, 3)
print(t.normal_() is t, t.uniform_(-1, 1) is t, bool((t.abs() <= 1).all()), t.shape, t._version)
"""),
    ("inplace-long-div", "t = torch.zeros(2, dtype=torch.long)\nt /= 2"),
    ("inplace-long-add-float", "t = torch.zeros(2, dtype=torch.long)\nt += 1.5"),
    ("inplace-long-add-int", "t = torch.zeros(2, dtype=torch.long)\nt += 2\nprint(t)"),
    ("inplace-broadcast-grows", "t = torch.zeros(2)\nt += torch.ones(2, 2)"),
    ("inplace-size-mismatch", "t = torch.zeros(2)\nt += torch.ones(3)"),
    ("inplace-copy-mismatch", "t = torch.zeros(2)\nt.copy_(torch.tensor([1., 2., 3.]))"),
    ("inplace-nonleaf-history", """
a = torch.tensor([1., 2.], requires_grad=True)
b = a * 2
b += 1
print(b, b.grad_fn.name(), b.is_leaf)
b.sum().backward()
print(a.grad)
"""),
    ("inplace-nonleaf-chain", """
a = torch.tensor([1., 2.], requires_grad=True)
b = a * 2
b.sub_(1); b.mul_(3); b.div_(2)
print(b)
b.sum().backward()
print(a.grad)
"""),
    ("inplace-old-edges", """
x = torch.ones(2, requires_grad=True)
y = x * 2
z = y + 1
y.mul_(3)
(z.sum() + y.sum()).backward()
print(x.grad)
"""),
    ("inplace-old-edges-operand", """
x = torch.ones(2, requires_grad=True)
w = torch.ones(2, requires_grad=True)
y = x * 2
c = y + 1
y += w
(c.sum() + y.sum()).backward()
print(x.grad, w.grad)
"""),
    ("inplace-plain-becomes-nonleaf", """
t = torch.zeros(3)
x = torch.ones(3, requires_grad=True)
t += x
print(t, t.is_leaf)
t.sum().backward()
print(x.grad)
"""),
    ("inplace-grad-fn-names", """
t = torch.zeros(3, requires_grad=True)
y = t * 1
names = [y.zero_().grad_fn.name(), y.fill_(2).grad_fn.name(), y.copy_(torch.ones(3)).grad_fn.name(),
         y.clamp_(0, 1).grad_fn.name(), y.normal_().grad_fn.name(), y.uniform_().grad_fn.name(),
         y.add_(1).grad_fn.name(), y.sub_(1).grad_fn.name(), y.mul_(2).grad_fn.name(),
         y.div_(2).grad_fn.name()]
print(names)
"""),
    ("setitem-nonleaf", """
t = torch.zeros(3, requires_grad=True)
y = t * 1
y[0] = 5
print(y, y.grad_fn.name())
y.sum().backward()
print(t.grad)
"""),
    ("setitem-tensor-value", """
t = torch.zeros(3, requires_grad=True)
w = torch.ones(1, requires_grad=True)
y = t * 1
y[1:] = w * 3
print(y)
y.sum().backward()
print(t.grad, w.grad)
"""),
    ("setitem-mask", """
x = torch.tensor([1., -2., 3.], requires_grad=True)
y = x * 1
y[y < 0] = 0
print(y)
y.sum().backward()
print(x.grad)
"""),
    ("setitem-plain", """
x = torch.ones(2, 3)
x[0] = torch.tensor([1., 2., 3.])
x[:, 1] = 7
x[x > 2] = -1
print(x, x._version)
"""),
    ("setitem-mismatch", "x = torch.ones(2, 3)\nx[0] = torch.tensor([1., 2.])"),
    ("relu-inplace", """
x = torch.tensor([-1., 2.], requires_grad=True)
y = x * 1
z = F.relu(y, inplace=True)
print(z is y, y)
z = nn.ReLU(inplace=True)(x * 1)
print(z)
z.sum().backward()
print(x.grad)
"""),
    ("relu-inplace-leaf", "x = torch.tensor([-1., 2.], requires_grad=True)\nF.relu(x, inplace=True)"),
    ("dropout-inplace-identity", "x = torch.ones(4)\nprint(F.dropout(x, 0.5, inplace=True) is x)"),
    # -- version counters ------------------------------------------------------------------
    ("version-saved-input", """
a = torch.tensor([1., 2.], requires_grad=True)
b = a * 2
c = b * b
b.add_(1)
c.sum().backward()
"""),
    ("version-saved-output", """
a = torch.tensor([1., 2.], requires_grad=True)
b = a.exp()
b.add_(1)
b.sum().backward()
"""),
    ("version-saved-output-double", """
a = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)
b = a.relu()
b.add_(1)
b.sum().backward()
"""),
    ("version-saved-scalar", """
a = torch.ones((), requires_grad=True)
b = a.sigmoid()
b.mul_(2)
b.backward()
"""),
    ("version-leaf-no-grad", """
a = torch.tensor([1., 2.], requires_grad=True)
w = torch.tensor([3., 4.], requires_grad=True)
c = (a * w).sum()
with torch.no_grad():
    w.mul_(2)
c.backward()
"""),
    ("version-twice", """
a = torch.ones(2, 2, requires_grad=True)
b = a.sum(1)
c = b * b
b.mul_(2)
b.add_(1)
c.sum().backward()
"""),
    ("version-linear-input", """
lin = nn.Linear(2, 2)
x = torch.ones(3, 2, requires_grad=True)
out = lin(x).sum()
with torch.no_grad():
    x += 1
out.backward()
"""),
    ("version-linear-weight", """
lin = nn.Linear(2, 2)
x = torch.ones(3, 2, requires_grad=True)
out = lin(x).sum()
with torch.no_grad():
    lin.weight -= 1
out.backward()
""", "prefix"),
    ("version-linear-weight-unneeded", """
lin = nn.Linear(2, 2)
out = lin(torch.ones(3, 2)).sum()
with torch.no_grad():
    lin.weight -= 1
out.backward()
print(lin.weight.grad.shape)
"""),
    ("version-mlp-update-before-backward", """
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2))
out = m(torch.ones(4, 2)).sum()
with torch.no_grad():
    for p in m.parameters():
        p -= 0.1
out.backward()
""", "prefix"),
    ("version-ce-target", """
x = torch.ones(2, 3, requires_grad=True)
t = torch.tensor([0, 1])
out = F.cross_entropy(x, t)
t[0] = 2
out.backward()
"""),
    ("version-ce-input-unneeded", """
x = torch.ones(2, 3, requires_grad=True)
out = F.cross_entropy(x, torch.tensor([0, 1]))
with torch.no_grad():
    x += 1
out.backward()
print(x.grad)
"""),
    ("version-mse-target", """
x = torch.ones(2, requires_grad=True)
t = torch.ones(2)
out = F.mse_loss(x, t)
with torch.no_grad():
    t += 1
out.backward()
"""),
    ("version-l1-target-unneeded", """
x = torch.ones(2, requires_grad=True)
t = torch.ones(2)
out = F.l1_loss(x, t)
with torch.no_grad():
    t += 1
out.backward()
print(x.grad)
"""),
    ("version-optimizer-steps", """
torch.manual_seed(0)
model = nn.Linear(2, 1)
view = model.weight.view(-1)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for _ in range(40):
    opt.zero_grad()
    model(torch.ones(3, 2)).pow(2).mean().backward()
    opt.step()
print([p._version for p in model.parameters()], view._version)
"""),
    ("version-optimizer-skips-no-grad", """
a = nn.Parameter(torch.ones(2))
b = nn.Parameter(torch.ones(2))
opt = torch.optim.SGD([a, b], lr=0.1)
(a * 2).sum().backward()
opt.step()
opt.step()
print(a._version, b._version, a, b)
"""),
    ("version-optimizer-step-before-backward", """
w = nn.Parameter(torch.ones(2))
w.grad = torch.ones(2)
opt = torch.optim.SGD([w], lr=0.1)
y = (w * w).sum()
opt.step()
opt.step()
opt.step()
y.backward()
"""),
    ("version-optimizer-many-steps-before-backward", """
w = nn.Parameter(torch.ones(2))
w.grad = torch.ones(2)
opt = torch.optim.SGD([w], lr=0.1)
y = (w * w).sum()
opt.step()
z = (w * 3).sum()
for _ in range(39):
    opt.step()
z.backward()
print(w.grad)
y.backward()
"""),
    ("version-momentum-step-before-backward", """
w = nn.Parameter(torch.ones(2))
w.grad = torch.ones(2)
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
y = (w * w).sum()
opt.step()
opt.step()
y.backward()
"""),
    ("version-adam-step-before-backward", """
w = nn.Parameter(torch.ones(2))
w.grad = torch.ones(2)
opt = torch.optim.Adam([w], lr=0.1)
y = w.exp().sum()
opt.step()
print(w._version)
y.backward()
"""),
    ("version-two-optimizers", """
a = nn.Parameter(torch.ones(2))
b = nn.Parameter(torch.ones(2))
first = torch.optim.SGD([a], lr=0.1)
second = torch.optim.Adam([b], lr=0.1)
for _ in range(20):
    (a * b).sum().backward()
    first.step()
    second.step()
    with torch.no_grad():
        b.add_(0)
print(a._version, b._version)
y = (a * b).sum()
first.step()
y.backward()
"""),
    ("version-adam-decoupled-step", """
w = nn.Parameter(torch.ones(2))
w.grad = torch.ones(2)
torch.optim.Adam([w], lr=0.1, weight_decay=0.1, decoupled_weight_decay=True).step()
plain = nn.Parameter(torch.ones(2))
plain.grad = torch.ones(2)
torch.optim.Adam([plain], lr=0.1, weight_decay=0.1).step()
print(w._version, plain._version)
"""),
    ("version-setitem-saved", """
t = torch.zeros(3, requires_grad=True)
y = t.exp()
y[0] = 1
y.sum().backward()
"""),
    ("version-detach-shares", """
p = nn.Parameter(torch.ones(2))
d = p.detach()
d.add_(1)
print(p, p._version, d._version)
"""),
    ("version-data-does-not", """
p = nn.Parameter(torch.ones(2))
d = p.data
d.add_(1)
print(p, p._version, d._version)
"""),
    ("version-view-shares", """
x = torch.ones(2, requires_grad=True)
y = x.view(2)
with torch.no_grad():
    y.add_(1)
print(x, x._version)
"""),
    # -- 2. backward twice, retain_graph, non-leaf .grad -----------------------------------
    ("backward-twice", "x = torch.tensor([1., 2.], requires_grad=True)\ns = (x * x).sum()\ns.backward()\ns.backward()"),
    ("backward-twice-grad-kept", """
x = torch.tensor([1., 2.], requires_grad=True)
s = (x * x).sum()
s.backward()
try:
    s.backward()
except RuntimeError:
    pass
print(x.grad)
"""),
    ("backward-retain-graph", """
x = torch.tensor([1., 2.], requires_grad=True)
s = (x * x).sum()
s.backward(retain_graph=True)
s.backward()
print(x.grad)
"""),
    ("backward-twice-nothing-saved", """
x = torch.ones(2, requires_grad=True)
s = (x + 1).sum()
s.backward()
s.backward()
print(x.grad)
"""),
    ("backward-twice-scalar-mul", "x = torch.ones(2, requires_grad=True)\ns = (x * 2).sum()\ns.backward()\ns.backward()"),
    ("backward-twice-shared-subgraph", """
x = torch.ones(2, requires_grad=True)
y = x.exp()
y.sum().backward()
y.sum().backward()
"""),
    ("backward-twice-loss", """
model = nn.Linear(2, 2)
loss = F.cross_entropy(model(torch.ones(3, 2)), torch.tensor([0, 1, 0]))
loss.backward()
loss.backward()
"""),
    ("backward-twice-loss-retain", """
model = nn.Linear(2, 2)
loss = F.mse_loss(model(torch.ones(3, 2)), torch.zeros(3, 2))
loss.backward(retain_graph=True)
g = model.bias.grad.clone()
loss.backward()
print(torch.allclose(model.bias.grad, 2 * g))
"""),
    ("grad-accumulates-in-place", """
x = torch.tensor([1., 2.], requires_grad=True)
(x * x).sum().backward()
g = x.grad
(x * x).sum().backward()
print(g is x.grad, g)
"""),
    ("grad-set-to-none-new", """
x = torch.tensor([[1., 2.]], requires_grad=True)
(x * 3).sum().backward()
g = x.grad
x.grad = None
(x * 3).sum().backward()
print(g is x.grad, x.grad)
"""),
    ("nonleaf-grad-warns", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 2\nprint(y.grad)"),
    ("retain-grad", """
x = torch.ones(2, requires_grad=True)
y = x.exp()
y.retain_grad()
(y * 3).sum().backward()
print(y.grad, y.retains_grad, x.grad)
"""),
    ("leaf-without-grad", "x = torch.ones(2)\nprint(x.grad_fn, x.is_leaf, x.requires_grad, x.grad)"),
    ("backward-no-grad", "torch.ones(2).sum().backward()"),
    ("backward-non-scalar", "x = torch.ones(2, requires_grad=True)\n(x * 2).backward()"),
    ("backward-gradient-shape", "x = torch.ones(2, requires_grad=True)\n(x * 2).backward(torch.ones(3))"),
    ("backward-leaf", "x = torch.ones(2, requires_grad=True)\nx.backward(torch.ones(2))\nprint(x.grad)"),
    ("requires-grad-flag-nonleaf", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.requires_grad = False"),
    ("requires-grad-int", "x = torch.tensor([1, 2])\nx.requires_grad_()"),
    ("requires-grad-int-factory", "torch.tensor([1, 2], requires_grad=True)"),
    ("requires-grad-set", "x = torch.ones(2)\nx.requires_grad = True\nprint(x, x.is_leaf)"),
    ("no-grad-result", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\nprint(y, y.requires_grad, y.grad_fn)"),
    ("no-grad-decorator", """
@torch.no_grad()
def double(t):
    return t * 2
print(double(torch.ones(2, requires_grad=True)))
"""),
    ("set-grad-enabled", "x = torch.ones(2, requires_grad=True)\nwith torch.set_grad_enabled(False):\n    print(torch.is_grad_enabled(), (x * 2).requires_grad)\nprint(torch.is_grad_enabled())"),
    # -- 3. .grad, .data and state_dict are tensors sharing memory ------------------------
    ("grad-is-tensor", """
x = torch.tensor([[1., 2.]], requires_grad=True)
(x * 3).sum().backward()
print(x.grad)
print(repr(x.grad), type(x.grad).__name__, x.grad.requires_grad, x.grad.is_leaf)
"""),
    ("grad-zero_", """
x = torch.tensor([[1., 2.]], requires_grad=True)
(x * 3).sum().backward()
x.grad.zero_()
print(x.grad)
(x * 3).sum().backward()
print(x.grad)
"""),
    ("grad-assign-size", "x = torch.ones(2, requires_grad=True)\nx.grad = torch.zeros(3)"),
    ("grad-assign-list", "x = torch.ones(2, requires_grad=True)\nx.grad = [1, 2]"),
    ("grad-assign", "x = torch.ones(2, requires_grad=True)\nx.grad = torch.tensor([1., 2.])\nprint(x.grad)"),
    ("data-is-tensor", """
x = torch.ones(2, 3)
print(x.data, type(x.data).__name__, x.data is x.data, x.data._version)
p = nn.Parameter(torch.ones(2))
print(p.data, type(p.data).__name__, p.data.requires_grad)
"""),
    ("data-assign", "x = torch.ones(2, requires_grad=True)\nx.data = torch.zeros(3)\nprint(x)"),
    ("data-assign-list", "x = torch.ones(2, requires_grad=True)\nx.data = [1, 2]"),
    ("data-of-nonleaf", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 2\nprint(y.data, y.detach().requires_grad, y.data.requires_grad)"),
    ("init-on-data", """
m = nn.Linear(2, 2)
r = nn.init.kaiming_normal_(m.weight.data)
nn.init.zeros_(m.bias.data)
print(m.bias, r.shape)
"""),
    ("init-on-parameter", "m = nn.Linear(2, 2)\nnn.init.constant_(m.bias, 0.5)\nprint(m.bias, m.bias._version)"),
    ("state-dict-values", """
m = nn.Linear(2, 2)
sd = m.state_dict()
print(type(sd['weight']).__name__, sd['weight'].requires_grad, sd['weight'].shape, list(sd))
"""),
    ("state-dict-shares", """
m = nn.Linear(2, 2)
sd = m.state_dict()
sd['weight'][0, 0] = 123
print(m.weight[0, 0])
sd['bias'].zero_()
print(m.bias, m.bias._version)
"""),
    ("state-dict-keep-vars", "m = nn.Linear(2, 2)\nsd = m.state_dict(keep_vars=True)\nprint(type(sd['weight']).__name__, sd['weight'] is m.weight)"),
    ("load-state-dict-keeps-parameters", """
m = nn.Linear(2, 1)
w = m.weight
print(m.load_state_dict({'weight': torch.tensor([[1., 2.]]), 'bias': torch.tensor([3.])}))
print(m.weight is w, m.weight, m.bias, m.weight._version)
"""),
    ("numpy-shares", """
x = torch.ones(2)
a = x.numpy()
a[0] = 5
print(x, np.asarray(x), type(x.numpy()).__name__)
"""),
    ("numpy-requires-grad", "x = torch.ones(2, requires_grad=True)\nx.numpy()"),
    ("numpy-detach", "x = torch.ones(2, requires_grad=True)\nprint(x.detach().numpy())"),
    # -- 4. a module under two names ----------------------------------------------------
    ("shared-module-state-dict", """
class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(2, 2)
        self.dec = self.enc
m = AE()
print(list(m.state_dict()))
print([n for n, _ in m.named_parameters()], len(list(m.modules())))
print([n for n, _ in m.named_modules()], [n for n, _ in m.named_children()])
"""),
    ("shared-module-sequential", """
l = nn.Linear(2, 2)
s = nn.Sequential(l, l)
print(list(s.state_dict()), len(list(s.parameters())))
print(s)
"""),
    ("shared-module-load", """
l = nn.Linear(1, 1)
s = nn.Sequential(l, l)
print(s.load_state_dict({'0.weight': torch.tensor([[2.]]), '0.bias': torch.tensor([0.]),
                         '1.weight': torch.tensor([[3.]]), '1.bias': torch.tensor([1.])}))
print(l.weight, l.bias)
"""),
    ("shared-module-load-missing", """
l = nn.Linear(1, 1)
s = nn.Sequential(l, l)
s.load_state_dict({'0.weight': torch.tensor([[2.]]), '0.bias': torch.tensor([0.])})
"""),
    ("shared-parameter", """
m = nn.Module()
m.a = nn.Linear(1, 1)
m.b = nn.Linear(1, 1)
m.b.weight = m.a.weight
print(list(m.state_dict()), [n for n, _ in m.named_parameters()])
"""),
    # -- 5. options are checked when a loss is called -----------------------------------
    ("notes-kldivloss-batchmean", """
from torch.nn.modules.loss import _Loss
from torch import Tensor
class KLDivLoss(_Loss):
    __constants__ = ['reduction']
    def __init__(self, size_average=None, reduce=None, reduction: str = 'mean', log_target: bool = False) -> None:
        super(KLDivLoss, self).__init__(size_average, reduce, reduction)
        self.log_target = log_target
    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
loss = KLDivLoss(reduction='batchmean')
print(loss, loss.reduction)
print(loss(torch.tensor([[0.25, 0.75]]).log(), torch.tensor([[0.5, 0.5]])))
"""),
    ("loss-bad-reduction-built", "print(nn.L1Loss(reduction='avg'), nn.L1Loss(reduction='avg').reduction)"),
    ("loss-bad-reduction-called", "nn.L1Loss(reduction='avg')(torch.ones(2), torch.ones(2))"),
    ("huber-delta-built", "print(nn.HuberLoss(delta=0), nn.HuberLoss(delta=0).delta)"),
    ("huber-delta-called", "nn.HuberLoss(delta=0)(torch.ones(2), torch.ones(2))"),
    ("smooth-l1-beta-built", "print(nn.SmoothL1Loss(beta=-1).beta)"),
    ("smooth-l1-beta-called", "nn.SmoothL1Loss(beta=-1)(torch.ones(2), torch.ones(2))"),
    ("ce-smoothing-built", "print(nn.CrossEntropyLoss(label_smoothing=2.0).label_smoothing)"),
    ("ce-smoothing-called", "nn.CrossEntropyLoss(label_smoothing=2.0)(torch.ones(2, 3), torch.tensor([0, 1]))"),
    ("ce-smoothing-negative", "print(F.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1]), label_smoothing=-0.1))"),
    ("kldiv-mean-warns", "print(nn.KLDivLoss()(torch.tensor([[0.25, 0.75]]).log(), torch.tensor([[0.5, 0.5]])))"),
    ("loss-subclass-of-loss", """
from torch.nn.modules.loss import _Loss, _WeightedLoss
class Mine(_Loss):
    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)
print(Mine(reduction='sum')(torch.tensor([1., 2.]), torch.tensor([0., 0.])))
print(issubclass(nn.CrossEntropyLoss, _WeightedLoss), isinstance(nn.L1Loss(), _Loss))
"""),
    ("loss-weight-list", "nn.CrossEntropyLoss(weight=[1., 2.])"),
    # -- 7. names the lecture notes and learners use ------------------------------------
    ("notes-l1loss", """
loss = nn.L1Loss()
input = torch.randn(3, 5, requires_grad=True)
target = torch.randn(3, 5)
output = loss(input, target)
output.backward()
print(output.grad_fn, input.grad.shape, input.grad.dtype == torch.float32)
"""),
    ("creation-shapes", """
print(torch.randn(2, 3).shape, torch.rand(2).shape, torch.zeros(2, 3).shape, torch.ones([2]).shape)
print(torch.zeros((2, 3)).dtype, torch.randn(3, 5, requires_grad=True).requires_grad)
"""),
    ("creation-values", """
print(torch.zeros(2, 3, dtype=torch.float64), torch.ones(2), torch.arange(5), torch.arange(0, 1, 0.25))
print(torch.arange(1, 4), torch.arange(6.).reshape(2, 3), torch.full((2,), 7.), torch.eye(2))
print(torch.zeros_like(torch.ones(2, dtype=torch.float64)), torch.ones_like(torch.zeros(2)), torch.linspace(0, 1, 5))
"""),
    ("creation-like-random", "print(torch.randn_like(torch.ones(2, 3)).shape, torch.rand_like(torch.ones(2)).dtype, torch.randint(0, 5, (3,)).dtype)"),
    ("creation-tensor", """
print(torch.tensor([1, 2]).dtype, torch.tensor([1., 2.]).dtype, torch.tensor(3.5), torch.tensor(True))
print(torch.tensor([[1, 2], [3, 4]]), torch.tensor([1., 2.], dtype=torch.float64), torch.tensor([1, 2], dtype=torch.float32))
print(torch.tensor([[1., 2.]], requires_grad=True))
"""),
    ("creation-tensor-copies", """
a = np.array([1., 2.])
t = torch.tensor(a)
a[0] = 5
print(t, t.dtype)
f = torch.from_numpy(a)
a[1] = 7
print(f)
"""),
    ("creation-tensor-of-tensor", "x = torch.ones(2)\ny = torch.tensor(x)\ny[0] = 5\nprint(x, y)"),
    ("manual-seed", "torch.manual_seed(0)\na = torch.randn(3)\ntorch.manual_seed(0)\nprint(torch.equal(a, torch.randn(3)))"),
    ("size", """
x = torch.arange(6.).reshape(2, 3)
print(x.size(), x.size(1), x.size(-1), x.shape[0], x.dim(), x.numel(), len(x), x.ndim)
print(type(x.size()).__name__, x.size() == (2, 3), x.shape == torch.Size([2, 3]), str(x.shape))
s = torch.Size([2, 3])
print(s, list(s), s[1:], type(s[1:]).__name__, s + (4,), s.numel(), repr(torch.Size([])))
"""),
    ("size-dim-out-of-range", "torch.ones(2, 3).size(2)"),
    ("parameters-loop", """
model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
for param in model.parameters():
    print(type(param).__name__, param.size())
"""),
    ("full-backward-hook", """
lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1., 2.], [3., 4.]])); lin.bias.zero_()
seen = []
def hook(module, grad_input, grad_output):
    seen.append((type(module).__name__, [None if g is None else g.shape for g in grad_input],
                 [g for g in grad_output]))
h = lin.register_full_backward_hook(hook)
x = torch.ones(1, 2, requires_grad=True)
out = lin(x)
print(out.grad_fn.name())
out.sum().backward()
print(seen, x.grad)
h.remove()
lin(x).sum().backward()
print(len(seen))
"""),
    ("full-backward-hook-replaces", """
lin = nn.Linear(2, 2)
with torch.no_grad():
    lin.weight.fill_(0.5)
def hook(module, grad_input, grad_output):
    return (grad_input[0] * 0,)
lin.register_full_backward_hook(hook)
x = torch.ones(1, 2, requires_grad=True)
lin(x).sum().backward()
print(x.grad, lin.weight.grad is not None)
"""),
    ("full-backward-hook-no-input-grad", """
lin = nn.Linear(2, 1)
calls = []
lin.register_full_backward_hook(lambda m, gi, go: calls.append((gi, go[0].shape)))
lin(torch.ones(3, 2)).sum().backward()
print(calls)
"""),
    ("get-buffer-set-submodule", """
m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
m[0].register_buffer('running', torch.zeros(2))
print(m.get_buffer('0.running'))
m.set_submodule('1', nn.Tanh())
print(m)
print(m.get_submodule('1'))
"""),
    ("get-buffer-missing", "m = nn.Linear(1, 1)\nm.get_buffer('bias')"),
    ("sequential-methods", """
s = nn.Sequential(nn.Linear(1, 2), nn.ReLU())
s.insert(1, nn.Tanh())
s.extend([nn.Linear(2, 1), nn.Sigmoid()])
print(s)
print(s.pop(0), len(s))
print(s)
s.append(nn.Identity())
print([type(m).__name__ for m in s])
"""),
    ("module-list-pop", """
ml = nn.ModuleList([nn.Linear(1, 1), nn.ReLU(), nn.Tanh()])
print(ml.pop(1), len(ml))
print(ml)
"""),
    ("special-values", """
p = torch.tensor([0.25, 0.75])
print(torch.special.entr(p), torch.special.xlogy(p, p), torch.special.expit(torch.tensor([0.])),
      torch.special.logit(p), torch.special.log_softmax(torch.tensor([1., 2.]), 0))
"""),
    ("torch-functions", """
x = torch.tensor([[1., -2.], [3., 4.]])
print(torch.exp(torch.zeros(2)), torch.sum(x), torch.sum(x, 1), torch.mean(x), torch.max(x), torch.argmax(x))
print(torch.cat([x, x]).shape, torch.stack([x, x]).shape, torch.where(x > 0, x, torch.zeros(2, 2)))
print(torch.clamp(x, 0, 1), torch.abs(x), torch.matmul(x, x), torch.relu(x), torch.softmax(x, dim=1))
print(torch.is_tensor(x), torch.numel(x), torch.equal(x, x.clone()), torch.allclose(x, x + 1e-9))
"""),
    ("max-dim-pair", """
x = torch.tensor([[1., 5., 2.], [7., 0., 7.]], requires_grad=True)
r = x.max(1)
print(r)
print(r[0], r.indices, x.max(), x.min(dim=0))
values, indices = torch.max(x, dim=1)
print(values, indices)
"""),
    ("max-dim-gradient", """
x = torch.tensor([[1., 5., 5.]], requires_grad=True)
x.max(1)[0].sum().backward()
print(x.grad)
y = torch.tensor([[1., 5., 5.]], requires_grad=True)
y.max().backward()
print(y.grad)
"""),
    ("promotion", """
print(torch.tensor([1, 2]) + 1.5, torch.tensor([1, 2]) * 2, torch.tensor([1, 2]) / 2, torch.tensor([True]) + 1)
print(torch.tensor([1, 2]) + torch.tensor([1., 2.]))
print((torch.ones(2) + torch.tensor(1., dtype=torch.float64)).dtype, (torch.ones(2) + torch.ones(2, dtype=torch.float64)).dtype)
print((torch.ones(2, dtype=torch.int32) + 1).dtype, torch.tensor([1, 2]).sum().dtype, torch.tensor([True, True]).sum())
"""),
    ("var-std", """
x = torch.arange(6.).reshape(2, 3)
print(x.var(), x.std(dim=1), x.var(1, keepdim=True), x.var(unbiased=False), x.std(correction=0))
"""),
    ("reductions-dim-keyword", "x = torch.ones(2, 3)\nprint(x.sum(dim=0), x.mean(dim=1, keepdim=True), x.sum(axis=1))"),
    ("mean-int", "torch.tensor([1, 2]).mean()"),
    ("grad-fn-repr", "x = torch.ones(2, requires_grad=True)\ny = x.exp()\nprint(y.grad_fn)\nprint(y)"),
    ("format-scalar", "print(f'{torch.tensor(0.123456):.3f}', float(torch.tensor(2.5)), int(torch.tensor(3)))"),
    # -- 8. exception types and messages ------------------------------------------------
    ("error-ce-int32-target", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1, 2], dtype=torch.int32))"),
    ("error-nll-int32-target", "F.nll_loss(torch.zeros(3, 5), torch.tensor([0, 1, 2], dtype=torch.int32))"),
    ("error-ce-float-target", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0., 1., 2.]))"),
    ("error-ce-weight-length", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1, 2]), weight=torch.ones(4))"),
    ("error-ce-weight-float64", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1, 2]), weight=torch.ones(5, dtype=torch.float64))"),
    ("error-nll-weight-float64", "F.nll_loss(torch.zeros(3, 5), torch.tensor([0, 1, 2]), weight=torch.ones(5, dtype=torch.float64))"),
    ("error-ce-target-range", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1, 9]))"),
    ("error-ce-target-negative", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1, -1]))"),
    ("error-nll-target-range", "F.nll_loss(torch.zeros(3, 5), torch.tensor([0, 5, 1]))"),
    ("error-ce-smoothing", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1, 2]), label_smoothing=1.5)"),
    ("error-ce-batch", "F.cross_entropy(torch.zeros(3, 5), torch.tensor([0, 1]))"),
    ("error-ce-3d-target", "F.cross_entropy(torch.zeros(2, 5, 3), torch.zeros(2, 2, dtype=torch.long))"),
    ("error-ce-1d-input-1d-target", "F.cross_entropy(torch.zeros(5), torch.tensor([1]))"),
    ("error-ce-2d-target", "F.cross_entropy(torch.zeros(3, 5), torch.zeros(3, 2, dtype=torch.long))"),
    ("error-ce-probs-long", "F.cross_entropy(torch.zeros(3, 5), torch.zeros(3, 5, dtype=torch.long))"),
    ("error-ce-list-target", "F.cross_entropy(torch.zeros(3, 5), [0, 1, 2])"),
    ("error-ce-list-input", "F.cross_entropy([[0., 1.]], torch.tensor([0]))"),
    ("error-ce-module-list-target", "nn.CrossEntropyLoss()(torch.zeros(3, 5), [0, 1, 2])"),
    ("error-nll-list-target", "F.nll_loss(torch.zeros(3, 5), [0, 1, 2])"),
    ("error-l1-list-target", "F.l1_loss(torch.zeros(2), [0., 1.])"),
    ("error-l1-list-input", "F.l1_loss([0., 1.], torch.zeros(2))"),
    ("error-mse-list-target", "F.mse_loss(torch.zeros(2), [0., 1.])"),
    ("error-kl-list-target", "F.kl_div(torch.zeros(2), [0., 1.])"),
    ("error-bce-list-target", "F.binary_cross_entropy(torch.zeros(2), [0., 1.])"),
    ("error-linear-list", "nn.Linear(2, 2)([1., 2.])"),
    ("error-linear-numpy", "nn.Linear(2, 2)(np.ones(2, dtype=np.float32))"),
    ("error-linear-double", "nn.Linear(2, 2)(torch.ones(1, 2, dtype=torch.float64))"),
    ("error-linear-shape", "nn.Linear(2, 2)(torch.ones(1, 3))"),
    ("error-relu-list", "F.relu([1., -1.])"),
    ("error-softmax-list", "F.softmax([1., 2.], dim=0)"),
    ("error-sigmoid-list", "F.sigmoid([1.])"),
    ("error-bce-range", "F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.]))"),
    ("error-bce-target-range", "F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([-1.]))"),
    ("error-bce-size", "F.binary_cross_entropy(torch.ones(3, 5) / 2, torch.ones(5))"),
    ("error-bce-dtype", "F.binary_cross_entropy(torch.ones(2, dtype=torch.float64) / 2, torch.ones(2) / 2)"),
    ("error-bce-logits-size", "F.binary_cross_entropy_with_logits(torch.ones(2), torch.ones(1))"),
    ("error-huber-delta", "F.huber_loss(torch.ones(2), torch.ones(2), delta=0)"),
    ("error-smooth-l1-beta", "F.smooth_l1_loss(torch.ones(2), torch.ones(2), beta=-0.5)"),
    ("error-l1-broadcast", "F.l1_loss(torch.zeros(3, 5), torch.ones(4))"),
    ("error-mse-broadcast", "F.mse_loss(torch.zeros(3, 5), torch.ones(4))"),
    ("warning-l1-broadcast", "print(F.l1_loss(torch.zeros(3, 5), torch.ones(5)))"),
    ("error-reduction", "F.l1_loss(torch.ones(2), torch.ones(2), reduction='avg')"),
    ("error-kl-reduction", "F.kl_div(torch.ones(2), torch.ones(2), reduction='avg')"),
    ("error-add-broadcast", "torch.ones(3, 5) + torch.ones(4)"),
    ("error-add-broadcast-2", "torch.ones(2, 3) + torch.ones(3, 2)"),
    ("error-add-broadcast-3", "torch.ones(2, 3, 4) + torch.ones(5, 4)"),
    ("error-mm", "torch.ones(3, 5) @ torch.ones(4, 2)"),
    ("error-mv", "torch.ones(3, 5) @ torch.ones(4)"),
    ("error-vm", "torch.ones(4) @ torch.ones(3, 5)"),
    ("error-dot", "torch.ones(4) @ torch.ones(3)"),
    ("error-sum-dim", "torch.ones(3, 5).sum(5)"),
    ("error-reshape", "torch.ones(3, 5).reshape(7)"),
    ("error-index", "torch.ones(3, 5)[5]"),
    ("error-item", "torch.ones(2).item()"),
    ("error-bool", "bool(torch.ones(2))"),
    ("error-len-scalar", "len(torch.tensor(1.))"),
    ("error-optimizer-nonleaf", "x = torch.ones(2, requires_grad=True)\ntorch.optim.SGD([x * 2], lr=0.1)"),
    # -- reprs ----------------------------------------------------------------------------
    ("repr-basic", """
print(torch.tensor([1., 2.], requires_grad=True))
print(torch.tensor([[1.5, -2.25], [3., 4.]]) * 1)
print(torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True))
print(torch.tensor([1, 2], dtype=torch.int32), torch.tensor([True, False]), torch.tensor(2))
print(torch.tensor([1e-5, 1.]), torch.tensor([1e10, 1.]), torch.tensor([0.1, 100.]))
"""),
    ("repr-grad-fn", """
x = torch.tensor([1., 2.], requires_grad=True)
print(x * 2, (x * 2).sum(), x.exp().mean())
print(nn.Parameter(torch.ones(2)))
"""),
    ("repr-wide", "print(torch.arange(20.).reshape(2, 10) / 3)"),
    ("repr-long", "print(torch.arange(2000.))"),
    ("repr-3d", "print(torch.arange(8).reshape(2, 2, 2))"),
    # -- devices --------------------------------------------------------------------------
    ("device-cpu", """
print(torch.cuda.is_available())
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
x = torch.ones(2).to(device)
m = nn.Linear(2, 1).to(device)
print(device, repr(device), x.device, x.cpu(), x.to('cpu'), m(x).shape)
"""),
]
SNIPPETS += _names(GRAD_FN)


def _run(code: str) -> dict:
    """Run ``code`` with torch as a learner would; what it printed, raised and warned."""
    namespace = {"torch": torch, "nn": nn, "F": F, "np": np, "__name__": "__main__"}
    outcome = run_code(code, namespace, "<snippet>")
    record = {"stdout": comparable(outcome.stdout)}
    if outcome.error is not None:
        record["error"] = comparable(outcome.error)
    record["warnings"] = [comparable(w) for w in outcome.warnings]
    return record


def write_golden(out_dir: Path) -> list[Path]:
    """Run every snippet with torch and write ``semantics.json`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    entries = []
    for item in SNIPPETS:
        ident, code, *mode = item
        code = code.strip("\n")
        entry = {"id": ident, "code": code, **_run(code)}
        if mode:
            entry["compare"] = mode[0]
        entries.append(entry)
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), "snippet ids must be unique"
    path = out_dir / "semantics.json"
    lines = ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in entries)
    path.write_text(
        f'{{"torch": {json.dumps(torch.__version__)}, "snippets": [\n{lines}\n]}}\n',
        encoding="utf-8",
    )
    return [path]
