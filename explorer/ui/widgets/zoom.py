"""Widgets whose font or sizes are their own, kept in step with the theme's zoom.

A widget without a font of its own follows the application font, which the zoom scales;
one with a size of its own (larger, monospace, a fixed width) registers here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QWidget

from explorer.ui.theme import held_weakly, theme


def follow_font(
    widget: QWidget,
    point_delta: float = 0.0,
    bold: bool | None = None,
    monospace: bool = False,
    points: float | None = None,
    after=None,
) -> None:
    """Give ``widget`` the application font ``point_delta`` points larger (or ``points``
    large, at 100 %), bold and/or monospace, at the theme's zoom, now and after each change;
    ``after()`` then runs (to fit sizes that depend on the font)."""
    after = held_weakly(after)  # often a method of the widget's owner: no cycle through Qt

    def apply() -> None:
        font = theme().font(points, monospace=monospace)
        if point_delta:
            font.setPointSizeF(font.pointSizeF() + theme().pt(point_delta))
        if bold is not None:
            font.setBold(bold)
        widget.setFont(font)
        fit = after()
        if fit is not None:
            fit()

    theme().watch(widget, apply)


def scale_columns(view: QAbstractItemView) -> None:
    """Keep ``view``'s column widths, set for the current zoom, in proportion to the zoom."""
    header = view.horizontalHeader() if hasattr(view, "horizontalHeader") else view.header()
    shown = {"zoom": theme().zoom}

    def apply() -> None:
        ratio = theme().zoom / shown["zoom"]
        shown["zoom"] = theme().zoom
        if ratio != 1.0:
            for column in range(header.count()):
                header.resizeSection(column, round(header.sectionSize(column) * ratio))

    theme().watch(view, apply)
