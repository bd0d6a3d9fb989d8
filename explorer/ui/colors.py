"""The colours every tab draws with: Tableau 10 for data, and a light and a dark palette.

Qt-free (RGB tuples), so the same numbers serve plots, widgets and tests. A :class:`Palette`
names colours by role (the plot background, its text, a muted note, P's colour, ...); the
dark one lightens Tableau's colours until they keep their contrast on a dark background.
"""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]

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

#: Contrast (WCAG 2) that lines, bars and markers keep against the plot background.
GRAPHICS_CONTRAST = 3.0
#: Contrast that coloured text keeps against the background it is written on.
TEXT_CONTRAST = 4.5


def luminance(color) -> float:
    """The relative luminance (WCAG 2) of an RGB colour with channels 0..255."""

    def linear(channel: float) -> float:
        c = channel / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color[:3]
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a, b) -> float:
    """The contrast ratio (1..21) between two RGB colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a, b, t: float) -> RGB:
    """The colour ``t`` of the way from ``a`` to ``b`` (0 gives ``a``, 1 gives ``b``)."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a[:3], b[:3], strict=True))


def readable(color, background, ratio: float) -> RGB:
    """``color`` moved towards white (on a dark background) or black (on a light one) just
    far enough to reach ``ratio`` of contrast with ``background``; unchanged if it does."""
    color = tuple(color[:3])
    if contrast(color, background) >= ratio:
        return color
    target = (255, 255, 255) if luminance(background) < 0.18 else (0, 0, 0)
    low, high = 0.0, 1.0
    for _ in range(20):  # bisection: the smallest step that reaches the ratio
        middle = (low + high) / 2
        if contrast(mix(color, target, middle), background) >= ratio:
            high = middle
        else:
            low = middle
    return mix(color, target, high)


def ink_on(color) -> RGB:
    """Near-black or white, whichever reads better on ``color``."""
    dark, light = (30, 30, 30), (255, 255, 255)
    return dark if contrast(dark, color) >= contrast(light, color) else light


@dataclass(frozen=True)
class Palette:
    """The colours of one appearance, by role. Every plot and coloured widget reads these.

    ``series`` are the data colours (Tableau 10, adjusted to keep ``GRAPHICS_CONTRAST`` on
    ``background``); P, Q, KL and cross entropy are four of them, as in every tab.
    """

    name: str
    background: RGB  # plots, tables and cards' inner area
    text: RGB  # titles, axis labels, tick labels, text on plots
    axis: RGB  # axis lines and ticks
    muted: RGB  # secondary text: captions, notes, placeholders
    panel: RGB  # a card's face
    panel_border: RGB
    legend: tuple[int, int, int, int]  # a legend's translucent card
    legend_border: RGB
    outline: RGB  # the thin ring that sets a marker apart from what is under it
    focus: RGB  # what has the keyboard focus: a plot's frame, a widget's highlight
    neutral: RGB  # what has no colour of its own: NaN pixels, a one-hot label's bars
    groove: RGB  # a slider's empty track
    chip: RGB  # the dark chip behind a selected category
    error: RGB
    warning: RGB
    good: RGB  # a right prediction
    note_background: RGB  # a banner that asks for attention
    bad_background: RGB  # a field or cell whose text is not accepted
    shade: tuple[int, int, int, int]  # a translucent band over a plot (a region to notice)
    series: tuple[RGB, ...]
    heat_negative: RGB  # the ends of the blue-red heat tables
    heat_positive: RGB

    @property
    def dark(self) -> bool:
        return luminance(self.background) < 0.18

    def color(self, index: int) -> RGB:
        """The ``index``-th data colour, cycling."""
        return self.series[index % len(self.series)]

    @property
    def p(self) -> RGB:
        return self.series[0]

    @property
    def q(self) -> RGB:
        return self.series[1]

    @property
    def kl(self) -> RGB:
        return self.series[3]

    @property
    def cross(self) -> RGB:
        return self.series[4]

    def text_color(self, color, background=None) -> RGB:
        """``color`` made readable as text on ``background`` (default: the plot's)."""
        return readable(color, background or self.background, TEXT_CONTRAST)


def _series(background: RGB, ratio: float = GRAPHICS_CONTRAST) -> tuple[RGB, ...]:
    return tuple(readable(c, background, ratio) for c in TABLEAU)


_WHITE = (255, 255, 255)
_NIGHT = (30, 31, 34)

LIGHT = Palette(
    name="light",
    background=_WHITE,
    text=(40, 40, 40),
    axis=(90, 90, 90),
    muted=(85, 85, 85),
    panel=(250, 251, 252),
    panel_border=(216, 219, 224),
    legend=(255, 255, 255, 215),
    legend_border=(200, 200, 200),
    outline=_WHITE,
    focus=(48, 140, 198),
    neutral=(150, 150, 150),
    groove=(228, 230, 235),
    chip=(68, 68, 68),
    error=(176, 0, 32),
    warning=(138, 90, 0),
    good=(30, 130, 50),
    note_background=(255, 244, 206),
    bad_background=(242, 139, 130),
    shade=(214, 39, 40, 38),
    series=_series(_WHITE),  # Tableau's, its orange, pink, olive and cyan a little deeper
    heat_negative=(33, 102, 172),
    heat_positive=(178, 24, 43),
)

DARK = Palette(
    name="dark",
    background=_NIGHT,
    text=(222, 222, 222),
    axis=(165, 165, 165),
    muted=(170, 170, 170),
    panel=(40, 41, 45),
    panel_border=(70, 72, 78),
    legend=(30, 31, 34, 215),
    legend_border=(85, 85, 90),
    outline=_NIGHT,
    focus=(42, 130, 218),
    neutral=(125, 125, 125),
    groove=(70, 72, 78),
    chip=(200, 200, 200),
    error=(255, 120, 120),
    warning=(240, 190, 90),
    good=(110, 210, 120),
    note_background=(74, 62, 22),
    bad_background=(125, 38, 38),
    shade=(255, 90, 90, 40),
    series=_series(_NIGHT, TEXT_CONTRAST),  # lighter: dim lines vanish on a projector
    heat_negative=(70, 140, 215),
    heat_positive=(215, 70, 80),
)

PALETTES = {"light": LIGHT, "dark": DARK}

__all__ = [
    "BLUE",
    "DARK",
    "GREEN",
    "LIGHT",
    "ORANGE",
    "PALETTES",
    "PURPLE",
    "RED",
    "TABLEAU",
    "Palette",
    "contrast",
    "ink_on",
    "luminance",
    "mix",
    "readable",
]
