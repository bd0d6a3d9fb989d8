"""The tabs of the app's window, by the names files, sessions and the command line give them.

Qt-free, so that the command line can offer every tab (``explorer screenshot --tab``) without
importing the UI; the window builds its tabs in this order (``explorer.ui.main_window``).
"""

from __future__ import annotations

#: Each tab's export name, in the order of the tabs on screen.
TAB_NAMES = ("distributions", "losses", "model", "training", "network", "gradient")

__all__ = ["TAB_NAMES"]
