"""A unit's small picture as pixels: colour maps, plane images, class bars, a column's atlas.

Plain numpy on RGB tuples (the palette's colours), so a layer of units becomes one RGBA image
that one ``ImageItem`` draws: far cheaper to repaint than an item per unit.
"""

from __future__ import annotations

import numpy as np

LUT_SIZE = 256


def diverging_lut(negative, middle, positive, size: int = LUT_SIZE) -> np.ndarray:
    """``(size, 3)`` uint8 colours from ``negative`` through ``middle`` (0, the plot's
    background: white in light, near-black in dark) to ``positive``."""
    t = np.linspace(-1.0, 1.0, size)[:, None]
    low, mid, high = (np.asarray(c[:3], float) for c in (negative, middle, positive))
    colors = np.where(t < 0, mid + (low - mid) * -t, mid + (high - mid) * t)
    return np.clip(np.round(colors), 0, 255).astype(np.uint8)


def colorize(values: np.ndarray, low: float, high: float, lut: np.ndarray, nan) -> np.ndarray:
    """RGB uint8 of ``values`` mapped linearly from ``low..high`` onto ``lut`` (clipped at
    its ends); NaN pixels take the colour ``nan``."""
    values = np.asarray(values, dtype=np.float32)
    span = high - low if high > low else 1.0
    with np.errstate(invalid="ignore"):
        index = np.clip((values - low) / span * (len(lut) - 1), 0, len(lut) - 1)
    bad = ~np.isfinite(index)
    out = lut[np.where(bad, 0, index).astype(np.intp)]
    if bad.any():
        out[bad] = np.asarray(nan[:3], np.uint8)
    return out


def symmetric_limit(values: np.ndarray, percentile: float = 99) -> float:
    """A colour limit for values centred on 0: a high ``percentile`` of ``|value|`` (so a few
    outliers do not wash the others out), at least a tiny positive number."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 1.0
    limit = float(np.percentile(values, percentile))
    return limit if limit > 1e-12 else max(float(values.max()), 1e-12)


def value_range(
    values: np.ndarray, bounds: tuple[float | None, float | None], percentile: float = 99
) -> tuple:
    """``(low, high)`` for a layer's colours: the activation's own ``bounds`` where it has
    them (sigmoid 0..1, tanh -1..1, ReLU from 0), else symmetric about 0."""
    low, high = bounds
    if low is not None and high is not None:
        return float(low), float(high)
    limit = symmetric_limit(values, percentile)
    if low is not None:  # ReLU: from 0 up
        return float(low), limit
    return -limit, limit


def stamp_points(tiles: np.ndarray, rows, cols, colors, strength: float) -> None:
    """Blend ``colors`` (n, 3) into pixel ``(rows[i], cols[i])`` of every tile of ``tiles``
    (k, h, w, 3 uint8), by ``strength`` (0..1): the data points, faintly."""
    if len(rows) == 0:
        return
    pixels = tiles[:, rows, cols].astype(np.float32)
    mixed = pixels + (np.asarray(colors, np.float32)[None] - pixels) * strength
    tiles[:, rows, cols] = np.clip(np.round(mixed), 0, 255).astype(np.uint8)


def bar_tiles(means: np.ndarray, low: float, high: float, colors, background, size: int):
    """``(k, size, size, 3)`` uint8: for each unit (row of ``means``, (k, classes)) one bar
    per class in the class's colour, its height the unit's mean output for that class on the
    ``low..high`` scale (upwards from the bottom when ``low`` is 0, else from the middle)."""
    means = np.asarray(means, dtype=np.float32)
    k, classes = means.shape
    tiles = np.empty((k, size, size, 3), np.uint8)
    tiles[...] = np.asarray(background[:3], np.uint8)
    if classes == 0:
        return tiles
    base = size - 1 if low >= 0 else size // 2
    scale = (size - 1) / (high - low if high > low else 1.0)
    edges = np.linspace(0, size, classes + 1).round().astype(int)
    rows = np.arange(size)[:, None]
    for c in range(classes):
        left, right = edges[c], max(edges[c] + 1, edges[c + 1] - 1)  # a pixel between bars
        value = np.nan_to_num(means[:, c], nan=0.0)
        top = np.clip(np.round(base - (value - max(low, 0.0)) * scale), 0, size - 1).astype(int)
        lo, hi = np.minimum(top, base), np.maximum(top, base)
        inside = (rows[None] >= lo[:, None, None]) & (rows[None] <= hi[:, None, None])
        column = tiles[:, :, left:right]
        column[np.broadcast_to(inside, column.shape[:3])] = np.asarray(colors[c][:3], np.uint8)
    return tiles


def atlas(tiles: np.ndarray, gap: int) -> np.ndarray:
    """The tiles (k, h, w, 3) stacked top to bottom, ``gap`` transparent pixel rows between
    them: ``(k * (h + gap) - gap, w, 4)`` RGBA uint8."""
    k, h, w, _ = tiles.shape
    out = np.zeros((max(0, k * (h + gap) - gap), w, 4), np.uint8)
    for i in range(k):
        top = i * (h + gap)
        out[top : top + h, :, :3] = tiles[i]
        out[top : top + h, :, 3] = 255
    return out
