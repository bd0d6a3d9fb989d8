"""Colors shared by the Training tab's plots: one per class, one per run."""

from __future__ import annotations

import numpy as np

# Tableau 10: distinct on white, readable by most color-blind viewers.
TABLEAU = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)


def color(index: int) -> tuple[int, int, int]:
    """The ``index``-th color, cycling through the palette."""
    return TABLEAU[index % len(TABLEAU)]


def class_colors(num_classes: int) -> np.ndarray:
    """A ``(num_classes, 3)`` float array of RGB in [0, 1] for blending class probabilities."""
    return np.array([color(i) for i in range(num_classes)], dtype=np.float32) / 255.0
