"""The one colour palette every tab's plots share (Tableau 10)."""

from __future__ import annotations

# Tableau 10: distinct on white, readable by most colour-blind viewers.
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
BLUE, ORANGE, GREEN, RED, PURPLE = TABLEAU[:5]

__all__ = ["BLUE", "GREEN", "ORANGE", "PURPLE", "RED", "TABLEAU"]
