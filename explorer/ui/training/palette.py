"""Colors shared by the Training tab's plots: one per class, one per run (the theme's)."""

from __future__ import annotations

import numpy as np

from explorer.ui.colors import TABLEAU
from explorer.ui.theme import theme

__all__ = ["TABLEAU", "class_colors", "color"]


def color(index: int) -> tuple[int, int, int]:
    """The ``index``-th data color of the current theme, cycling through the palette."""
    return theme().palette.color(index)


def class_colors(num_classes: int) -> np.ndarray:
    """A ``(num_classes, 3)`` float array of RGB in [0, 1] for blending class probabilities."""
    return np.array([color(i) for i in range(num_classes)], dtype=np.float32) / 255.0
