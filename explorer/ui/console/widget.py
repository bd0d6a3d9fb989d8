"""The console's text area: qtconsole's rich Jupyter widget in the app's colours and zoom."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from qtconsole import styles
from qtconsole.rich_jupyter_widget import RichJupyterWidget

from explorer.ui.colors import Palette
from explorer.ui.console.namespace import BANNER
from explorer.ui.theme import theme

#: Pygments styles for the code typed, on a light and on a dark background.
SYNTAX_STYLES = {False: "default", True: "monokai"}


def style_sheet(palette: Palette) -> str:
    """qtconsole's style sheet in ``palette``'s colours (background, text, prompts)."""
    hex_of = theme().hex
    sheet = styles.default_template % {
        "bgcolor": hex_of(palette.background),
        "fgcolor": hex_of(palette.text),
        "select": hex_of(palette.groove),
    }
    prompt_in, prompt_out = palette.text_color(palette.p), palette.text_color(palette.kl)
    return (
        f"{sheet}    .in-prompt {{ color: {hex_of(prompt_in)}; }}\n"
        f"    .out-prompt {{ color: {hex_of(prompt_out)}; }}\n"
        f"    .error {{ color: {hex_of(palette.error)}; }}\n"
    )


class ConsoleWidget(RichJupyterWidget):
    """An IPython console: history (Up and Down), completion (Tab), tracebacks, Ctrl+C.

    Ctrl+C while code runs emits ``custom_interrupt_requested`` (the kernel runs in this
    process: whoever runs its cells stops them). Its colours and font follow the app's
    appearance and zoom.
    """

    def __init__(self, parent=None):
        # A list under the cursor, as editors show completions (qtconsole's default prints).
        super().__init__(parent=parent, gui_completion="droplist")
        self.setObjectName("consoleWidget")
        self.custom_interrupt = True
        self.banner = BANNER
        self.enable_calltips = False  # a tooltip over the code hides what is typed
        # The app's zoom and File menu own these keys (Ctrl+plus/minus/0, Ctrl+S, Ctrl+P).
        for action in (
            self.increase_font_size,
            self.decrease_font_size,
            self.reset_font_size,
            self.export_action,
            self.print_action,
        ):
            action.setShortcut(QKeySequence())
        # setFocus() on the console gives the keyboard to the text area.
        self.setFocusProxy(self._control)
        theme().watch(self, self._apply_theme)

    def _apply_theme(self) -> None:
        current = theme()
        self.style_sheet = style_sheet(current.palette)
        self.syntax_style = SYNTAX_STYLES[current.palette.dark]
        self.font = current.font(monospace=True)

    def ready(self) -> bool:
        """True when the console waits for input: the kernel's first replies (its banner,
        the first prompt) have come and no cell runs."""
        return not (self._starting or self._executing or self._request_info["execute"])

    def text(self) -> str:
        """Everything the console shows, as plain text."""
        return self._control.toPlainText()
