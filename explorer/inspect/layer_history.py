"""How each layer's weights and gradients moved over a run: :class:`LayerHistory` (numpy only).

Two kinds of record arrive from the training process (see :mod:`explorer.training.probes`),
each at the step it was taken:

- **scalars**, per Linear layer: the gradient norm ``‖∇W‖``, the weight norm ``‖W‖`` and the
  norm of the step's update ``‖ΔW‖`` of the layer's weight (the update-to-weight ratio
  ``‖ΔW‖ / ‖W‖`` is their quotient; ~1e-3 is the rule of thumb);
- **distributions**, per Linear layer: a histogram of the weight's values and one of its
  gradient's (:data:`HIST_BINS` equal bins between the least and the largest value), and the
  share of the layer's units that are dead (ReLU units that output 0 for every probe sample;
  NaN where that does not apply).

Memory is bounded whatever the run's length: when a buffer is full, every other record is
dropped and from then on records closer than the kept ones' spacing are skipped, as
TensorBoard thins its histograms. At the defaults a history of 9 layers takes about 3 MB;
100,000 steps or a million cost the same.

>>> history = LayerHistory(["linear1", "linear2"])
>>> history.add_scalars(1, [0.5, 0.1], [2.0, 1.0], [0.002, 0.001])
>>> history.update_ratio()
array([[0.001, 0.001]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from explorer.quoting import quoted

HIST_BINS = 32
MAX_SCALAR_RECORDS = 4096
MAX_DISTRIBUTION_RECORDS = 512
MAX_LAYERS = 16
#: The update-to-weight ratio's rule of thumb, and the band drawn around it.
UPDATE_RATIO_TARGET = 1e-3
UPDATE_RATIO_BAND = (1e-4, 1e-2)
#: Hints: a first layer's gradient norm below this share of the last layer's is vanishing ...
VANISHING_RATIO = 1e-4
#: ... a gradient norm this many times its early median is exploding ...
EXPLODING_GROWTH = 100.0
#: ... and a layer with more than this share of dead units is mostly dead.
DEAD_SHARE = 0.5
SCALARS = ("grad_norm", "weight_norm", "update_norm")
KINDS = ("weight", "grad")


class LayerHistory:
    """The scalars and distributions of each Linear layer over the steps of one run.

    Parameters
    ----------
    layers : list of str
        The Linear layers' names in order (``linear1`` ... ``linearN``).
    bins : int
        Bins of each histogram.
    """

    def __init__(
        self,
        layers,
        bins: int = HIST_BINS,
        max_scalars: int = MAX_SCALAR_RECORDS,
        max_distributions: int = MAX_DISTRIBUTION_RECORDS,
    ):
        self.layers = tuple(str(name) for name in layers)
        if not 1 <= len(self.layers) <= MAX_LAYERS:
            raise ValueError(
                f"a layer history holds 1 to {MAX_LAYERS} layers; got {quoted(layers)}"
            )
        self.bins = int(bins)
        count = len(self.layers)
        self._steps = np.zeros(max_scalars, np.int64)
        self._scalars = {key: np.zeros((max_scalars, count)) for key in SCALARS}
        self._count = 0
        self._gap = 0  # records closer than this many steps to the last one are skipped
        self._dist_steps = np.zeros(max_distributions, np.int64)
        self._counts = {k: np.zeros((max_distributions, count, bins), np.float32) for k in KINDS}
        self._ranges = {k: np.zeros((max_distributions, count, 2)) for k in KINDS}
        self._dead = np.zeros((max_distributions, count), np.float32)
        self._dist_count = 0
        self._dist_gap = 0

    # -- adding ---------------------------------------------------------------------------
    def add_scalars(self, step: int, grad_norm, weight_norm, update_norm) -> None:
        """One scalar record: each layer's ``‖∇W‖``, ``‖W‖`` and ``‖ΔW‖`` at ``step``."""
        if self._count and step - self._steps[self._count - 1] < max(1, self._gap):
            return
        if self._count == len(self._steps):
            self._gap = self._thin_scalars()
            if step - self._steps[self._count - 1] < self._gap:
                return
        row = self._count
        self._steps[row] = step
        for key, values in zip(SCALARS, (grad_norm, weight_norm, update_norm), strict=True):
            self._scalars[key][row] = values
        self._count += 1

    def add_distribution(
        self, step: int, weight_counts, weight_range, grad_counts, grad_range, dead
    ) -> None:
        """One distribution record: each layer's weight and gradient histograms (counts
        ``(layers, bins)`` over ranges ``(layers, 2)``) and dead share at ``step``."""
        if self._dist_count and step - self._dist_steps[self._dist_count - 1] < max(
            1, self._dist_gap
        ):
            return
        if self._dist_count == len(self._dist_steps):
            self._dist_gap = self._thin_distributions()
            if step - self._dist_steps[self._dist_count - 1] < self._dist_gap:
                return
        row = self._dist_count
        self._dist_steps[row] = step
        self._counts["weight"][row] = weight_counts
        self._ranges["weight"][row] = weight_range
        self._counts["grad"][row] = grad_counts
        self._ranges["grad"][row] = grad_range
        self._dead[row] = dead
        self._dist_count += 1

    def extend(self, records: dict[str, Any]) -> None:
        """Add a records message's part (:meth:`explorer.training.probes.NetworkRecorder.drain`);
        its layers must be this history's."""
        if list(records.get("layers", [])) != list(self.layers):
            raise ValueError(f"records of layers {records.get('layers')} do not fit {self.layers}")
        scalars = records.get("scalars")
        if scalars is not None:
            for i, step in enumerate(scalars["step"]):
                self.add_scalars(int(step), *(scalars[key][i] for key in SCALARS))
        dists = records.get("distributions")
        if dists is not None:
            for i, step in enumerate(dists["step"]):
                self.add_distribution(
                    int(step),
                    dists["weight_counts"][i],
                    dists["weight_range"][i],
                    dists["grad_counts"][i],
                    dists["grad_range"][i],
                    dists["dead"][i],
                )

    def _thin_scalars(self) -> int:
        keep = slice(1, self._count, 2)  # the later of each pair: the newest record stays
        kept = self._steps[keep].copy()
        self._steps[: len(kept)] = kept
        for values in self._scalars.values():
            values[: len(kept)] = values[keep].copy()
        self._count = len(kept)
        return _spacing(kept)

    def _thin_distributions(self) -> int:
        keep = slice(1, self._dist_count, 2)
        kept = self._dist_steps[keep].copy()
        self._dist_steps[: len(kept)] = kept
        for store in (*self._counts.values(), *self._ranges.values(), self._dead):
            store[: len(kept)] = store[keep].copy()
        self._dist_count = len(kept)
        return _spacing(kept)

    # -- reading --------------------------------------------------------------------------
    @property
    def num_scalars(self) -> int:
        return self._count

    @property
    def num_distributions(self) -> int:
        return self._dist_count

    def steps(self) -> np.ndarray:
        """The step of each scalar record."""
        return self._steps[: self._count]

    def scalar(self, key: str) -> np.ndarray:
        """``(records, layers)``: ``"grad_norm"``, ``"weight_norm"`` or ``"update_norm"``."""
        return self._scalars[key][: self._count]

    def update_ratio(self) -> np.ndarray:
        """``‖ΔW‖ / ‖W‖`` per record and layer (NaN where ``‖W‖`` is 0)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = self.scalar("update_norm") / self.scalar("weight_norm")
        return np.where(np.isfinite(ratio), ratio, np.nan)

    def distribution_steps(self) -> np.ndarray:
        return self._dist_steps[: self._dist_count]

    def dead_share(self) -> np.ndarray:
        """``(records, layers)``: the share of each layer's units that were dead (NaN: does
        not apply)."""
        return self._dead[: self._dist_count]

    def histograms(self, kind: str, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """``(counts (records, bins), ranges (records, 2))`` of layer ``layer``'s ``kind``
        (``"weight"`` or ``"grad"``)."""
        return (
            self._counts[kind][: self._dist_count, layer],
            self._ranges[kind][: self._dist_count, layer],
        )

    def latest_histogram(self, kind: str, layer: int) -> tuple[np.ndarray, np.ndarray] | None:
        """``(edges, counts)`` of the last record, or None before the first."""
        if not self._dist_count:
            return None
        counts, ranges = self.histograms(kind, layer)
        low, high = ranges[-1]
        return np.linspace(low, high, self.bins + 1), counts[-1].copy()

    def density_image(
        self, kind: str, layer: int, bins: int = 64
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The histograms on one value axis: ``(steps, edges (bins + 1), image (records,
        bins))``, each record's counts moved into the bins of the common range from the least
        to the largest value recorded (a source bin's count shared among the bins it
        overlaps); None before the first record."""
        if not self._dist_count:
            return None
        counts, ranges = self.histograms(kind, layer)
        low, high = float(ranges[:, 0].min()), float(ranges[:, 1].max())
        if not high > low:
            high = low + 1.0
        edges = np.linspace(low, high, bins + 1)
        # Each source bin's count spread evenly over its width: every record's cumulative
        # count, interpolated at the common edges (in its own bins' units), differenced.
        cumulative = np.zeros((len(counts), self.bins + 1))
        np.cumsum(counts, axis=1, out=cumulative[:, 1:])
        width = np.maximum((ranges[:, 1] - ranges[:, 0]) / self.bins, 1e-300)
        position = np.clip((edges[None, :] - ranges[:, :1]) / width[:, None], 0, self.bins)
        below = np.minimum(position.astype(np.intp), self.bins - 1)
        left = np.take_along_axis(cumulative, below, axis=1)
        right = np.take_along_axis(cumulative, below + 1, axis=1)
        at_edges = left + (position - below) * (right - left)
        image = np.diff(at_edges, axis=1).astype(np.float32)
        return self.distribution_steps().copy(), edges, image

    # -- what the numbers say ---------------------------------------------------------------
    def hints(self) -> list[str]:
        """Short warnings the last records justify: vanishing or exploding gradients, a
        layer whose units are mostly dead."""
        hints = []
        if self._count:
            grad = self.scalar("grad_norm")
            last = grad[-1]
            if len(self.layers) >= 2 and np.all(np.isfinite(last[[0, -1]])) and last[-1] > 0:
                if last[0] < VANISHING_RATIO * last[-1]:
                    hints.append(
                        f"Vanishing gradients: {self.layers[0]}'s gradient norm is "
                        f"{last[0]:.2g}, below 1e-4 of {self.layers[-1]}'s ({last[-1]:.2g})"
                    )
            early = grad[: max(1, min(len(grad) // 10, 50))]
            for index, name in enumerate(self.layers):
                base = float(np.median(early[:, index]))
                value = float(last[index])
                if not math.isfinite(value) or (
                    len(grad) >= 8 and base > 0 and value >= EXPLODING_GROWTH * base
                ):
                    hints.append(
                        f"Exploding gradients: {name}'s gradient norm grew from {base:.2g} "
                        f"to {value:.2g}; try a smaller learning rate"
                    )
                    break
        if self._dist_count:
            dead = self.dead_share()[-1]
            for index, name in enumerate(self.layers):
                share = float(dead[index])
                if math.isfinite(share) and share > DEAD_SHARE:
                    hints.append(
                        f"Most units dead: {share:.0%} of {name}'s ReLU units output 0 for "
                        "every probe sample"
                    )
        return hints

    def epoch_columns(self, epoch_steps) -> dict[str, np.ndarray]:
        """Per-epoch columns for ``history.csv``: ``grad_norm_<layer>`` and
        ``update_ratio_<layer>`` at the last scalar record at or before each epoch's last
        step (NaN before the first record)."""
        ends = np.asarray(epoch_steps, dtype=np.int64)
        steps = self.steps()
        index = np.searchsorted(steps, ends, side="right") - 1
        columns = {}
        for key, values in (("grad_norm", self.scalar("grad_norm")), ("update_ratio", None)):
            values = self.update_ratio() if values is None else values
            for layer, name in enumerate(self.layers):
                column = np.full(len(ends), np.nan)
                found = index >= 0
                column[found] = values[index[found], layer]
                columns[f"{key}_{name}"] = column
        order = [f"{key}_{name}" for name in self.layers for key in ("grad_norm", "update_ratio")]
        return {name: columns[name] for name in order}

    @property
    def nbytes(self) -> int:
        """Bytes the buffers take (allocated up front: the history never grows)."""
        stores = [self._steps, *self._scalars.values(), self._dist_steps, self._dead]
        stores += [*self._counts.values(), *self._ranges.values()]
        return sum(store.nbytes for store in stores)

    # -- sessions ---------------------------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        """The records as arrays for a session's ``.npz`` (:meth:`from_arrays` reverses it).

        Sessions hold finite numbers only: a norm or share that is missing (NaN) is stored as
        -1 and an overflowed norm (inf) as -2; both are never real values.
        """
        arrays = {"steps": self.steps().copy()}
        arrays.update({key: _to_finite(self.scalar(key)) for key in SCALARS})
        arrays["distribution_steps"] = self.distribution_steps().copy()
        for kind in KINDS:
            arrays[f"{kind}_counts"] = self._counts[kind][: self._dist_count].copy()
            arrays[f"{kind}_ranges"] = self._ranges[kind][: self._dist_count].copy()
        arrays["dead"] = _to_finite(self.dead_share())
        return arrays

    @classmethod
    def from_arrays(cls, layers, arrays: dict[str, np.ndarray]) -> LayerHistory:
        """A history from :meth:`to_arrays`; ValueError naming the first array whose shape
        or values do not fit (nothing is built until all are checked)."""
        history = cls(layers)
        count, bins = len(history.layers), history.bins
        steps = _checked(arrays, "steps", None, np.int64)
        n = len(steps)
        if n > MAX_SCALAR_RECORDS:
            raise ValueError(f"layer history holds {n} records; at most {MAX_SCALAR_RECORDS}")
        scalars = {
            key: _from_finite(_checked(arrays, key, (n, count), np.float64)) for key in SCALARS
        }
        dist_steps = _checked(arrays, "distribution_steps", None, np.int64)
        m = len(dist_steps)
        if m > MAX_DISTRIBUTION_RECORDS:
            raise ValueError(
                f"layer history holds {m} distributions; at most {MAX_DISTRIBUTION_RECORDS}"
            )
        counts = {k: _checked(arrays, f"{k}_counts", (m, count, bins), np.float32) for k in KINDS}
        ranges = {k: _checked(arrays, f"{k}_ranges", (m, count, 2), np.float64) for k in KINDS}
        dead = _from_finite(_checked(arrays, "dead", (m, count), np.float32))
        for name, values in (("steps", steps), ("distribution_steps", dist_steps)):
            if np.any(np.diff(values) <= 0) or np.any(values < 0):
                raise ValueError(f"layer history {name!r} must be increasing step numbers")
        history._steps[:n] = steps
        for key in SCALARS:
            history._scalars[key][:n] = scalars[key]
        history._count = n
        history._gap = _spacing(steps) if n >= MAX_SCALAR_RECORDS // 2 else 0
        history._dist_steps[:m] = dist_steps
        for kind in KINDS:
            history._counts[kind][:m] = counts[kind]
            history._ranges[kind][:m] = ranges[kind]
        history._dead[:m] = dead
        history._dist_count = m
        history._dist_gap = _spacing(dist_steps) if m >= MAX_DISTRIBUTION_RECORDS // 2 else 0
        return history


_MISSING, _OVERFLOW = -1.0, -2.0


def _to_finite(values: np.ndarray) -> np.ndarray:
    out = np.where(np.isnan(values), _MISSING, values)
    return np.where(np.isinf(out), _OVERFLOW, out).astype(values.dtype)


def _from_finite(values: np.ndarray) -> np.ndarray:
    out = np.where(values == _MISSING, np.nan, values)
    return np.where(values == _OVERFLOW, np.inf, out).astype(values.dtype)


def _spacing(steps: np.ndarray) -> int:
    """The typical gap between consecutive steps (their median), at least 1."""
    if len(steps) < 2:
        return 1
    return max(1, int(np.median(np.diff(steps))))


def _checked(arrays: dict[str, np.ndarray], key: str, shape, dtype) -> np.ndarray:
    if key not in arrays:
        raise ValueError(f"layer history lacks {key!r}")
    value = np.asarray(arrays[key])
    if value.dtype.kind not in "iuf" or (shape is None and value.ndim != 1):
        raise ValueError(f"layer history {key!r} must be a numeric vector; got {value.dtype}")
    if shape is not None and value.shape != shape:
        raise ValueError(f"layer history {key!r} has shape {value.shape}; expected {shape}")
    if value.dtype.kind == "f" and key.endswith("steps"):
        raise ValueError(f"layer history {key!r} must hold whole step numbers")
    return value.astype(dtype, copy=False)
