"""Spin boxes that say their range and never change a typed number without a word.

Qt's spin boxes drop a keystroke that would leave their range (typing 1000 into a box whose
largest value is 10 leaves 10) and round away decimals they do not keep. Here such a text
stays in the box while it is typed; when the edit ends it is refused, the box goes back to
the value it had before the edit, and a message quoting the text says why ("1000 is above
the largest learning rate, 10"): ``sigRefused`` carries it, the window's status bar shows it
and the box's tooltip leads with it until the next accepted value. The tooltip always ends
with the range. Every numeric box of the app is a :class:`SpinBox` or a
:class:`DoubleSpinBox`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QMainWindow, QSpinBox

_INVALID = QValidator.State.Invalid
_INTERMEDIATE = QValidator.State.Intermediate
STATUS_MILLISECONDS = 15000


class _RangeGuard:
    """What both boxes share; ``what`` names the quantity in messages ("learning rate")."""

    def _init_guard(self, what: str) -> None:
        self.what = what
        self._tip = ""
        self._refusal = ""
        self._edit_start = None  # the value before the text being typed, while typing
        # A typed number takes effect when the edit ends (Enter, focus out); arrows at once.
        self.setKeyboardTracking(False)
        self.lineEdit().textEdited.connect(self._on_line_edit_text_edited)
        self.editingFinished.connect(self._on_editing_finished)
        self._update_tip()

    # -- what the box says ------------------------------------------------------------------
    def refusal(self) -> str:
        """The message about the last refused text, '' once a value is accepted again."""
        return self._refusal

    def range_text(self) -> str:
        """'Accepts 0.00001 to 10.' (the suffix included, as the box shows it)."""
        return f"Accepts {self.number_text(self.minimum())} to {self.number_text(self.maximum())}."

    def number_text(self, value: float) -> str:
        """``value`` as short as the box's precision allows, with its suffix: '10', '0.005'."""
        decimals = self.decimals() if isinstance(self, QDoubleSpinBox) else 0
        text = f"{value:,.{decimals}f}" if self.isGroupSeparatorShown() else f"{value:.{decimals}f}"
        if decimals:
            text = text.rstrip("0").rstrip(".")
        return f"{text}{self.suffix()}"

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt API)
        self._tip = tip
        self._update_tip()

    def setRange(self, minimum, maximum) -> None:  # noqa: N802 (Qt API)
        super().setRange(minimum, maximum)
        self._update_tip()

    def setMinimum(self, minimum) -> None:  # noqa: N802 (Qt API)
        super().setMinimum(minimum)
        self._update_tip()

    def setMaximum(self, maximum) -> None:  # noqa: N802 (Qt API)
        super().setMaximum(maximum)
        self._update_tip()

    def setSuffix(self, suffix: str) -> None:  # noqa: N802 (Qt API)
        super().setSuffix(suffix)
        self._update_tip()

    def _update_tip(self) -> None:
        parts = [self._refusal, self._tip, self.range_text()]
        super().setToolTip("\n".join(part for part in parts if part))

    # -- typing -----------------------------------------------------------------------------
    def _typed_number(self, text: str) -> float | None:
        """The number in ``text`` (prefix, suffix and group separators aside), or None."""
        core = text
        if self.prefix() and core.startswith(self.prefix()):
            core = core[len(self.prefix()) :]
        if self.suffix() and core.endswith(self.suffix()):
            core = core[: -len(self.suffix())]
        core = core.strip().replace(self.locale().groupSeparator(), "")
        number, ok = self.locale().toDouble(core)
        if not ok:
            try:
                number = float(core)
            except ValueError:
                return None
        return number if math.isfinite(number) else None

    def _problem(self, text: str) -> str | None:
        """Why the typed ``text`` cannot be taken as it is, or None."""
        number = self._typed_number(text)
        if number is None:
            return None
        typed = text.strip()
        if not isinstance(self, QDoubleSpinBox) and (
            number != int(number) or self.locale().decimalPoint() in typed
        ):
            return f"{typed} is not a whole number"
        if number > self.maximum():
            return f"{typed} is above the largest {self.what}, {self.number_text(self.maximum())}"
        if number < self.minimum():
            return f"{typed} is below the smallest {self.what}, {self.number_text(self.minimum())}"
        if isinstance(self, QDoubleSpinBox) and round(number, self.decimals()) != number:
            return f"{typed} has more decimals than the {self.what} keeps ({self.decimals()})"
        return None

    def validate(self, text: str, position: int):
        result = super().validate(text, position)
        state = result[0] if isinstance(result, tuple) else result
        if state != _INVALID:
            return result
        # A sign or a number with a trailing point may become one the box refuses: let it be
        # typed, and judged when the edit ends.
        started = text.strip() in ("-", "+") or self._typed_number(text + "0") is not None
        if started or self._problem(text) is not None:
            return _INTERMEDIATE, text, position
        return result

    def fixup(self, text: str) -> str:
        problem = self._problem(text)
        if problem is None:
            return super().fixup(text)
        if self._edit_start is None:  # Qt asks twice per edit: say it once
            return text
        start = self._edit_start
        self._edit_start = None
        if start != self.value():
            self.setValue(start)  # keyboard tracking took the digits typed so far
        self._refuse(f"{problem}; kept {self.number_text(self.value())}")
        return text

    def _refuse(self, message: str) -> None:
        self._refusal = message
        self._update_tip()
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, STATUS_MILLISECONDS)
        self.sigRefused.emit(message)

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt override)
        super().stepBy(steps)
        self._forget_refusal()

    def _forget_refusal(self) -> None:
        if self._refusal:
            self._refusal = ""
            self._update_tip()

    def _on_line_edit_text_edited(self, _text: str) -> None:
        if self._edit_start is None:  # a new edit begins
            self._edit_start = self.value()
            self._forget_refusal()

    def _on_editing_finished(self) -> None:
        self._edit_start = None


class SpinBox(_RangeGuard, QSpinBox):
    """A QSpinBox that states its range and refuses an out-of-range text aloud."""

    sigRefused = Signal(str)

    def __init__(self, what: str, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self._init_guard(what)


class DoubleSpinBox(_RangeGuard, QDoubleSpinBox):
    """A QDoubleSpinBox that states its range and refuses an out-of-range or too precise
    text aloud."""

    sigRefused = Signal(str)

    def __init__(self, what: str, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self._init_guard(what)

    def setDecimals(self, decimals: int) -> None:  # noqa: N802 (Qt API)
        super().setDecimals(decimals)
        self._update_tip()
