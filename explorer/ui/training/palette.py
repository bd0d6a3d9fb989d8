"""Colors shared by the Training tab's plots: one per class, one per run."""

from __future__ import annotations

import numpy as np

from explorer.ui.colors import TABLEAU


def color(index: int) -> tuple[int, int, int]:
    """The ``index``-th color, cycling through the palette."""
    return TABLEAU[index % len(TABLEAU)]


def class_colors(num_classes: int) -> np.ndarray:
    """A ``(num_classes, 3)`` float array of RGB in [0, 1] for blending class probabilities."""
    return np.array([color(i) for i in range(num_classes)], dtype=np.float32) / 255.0
