"""An event filter that counts one kind of event: how tests see repaints and relayouts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class EventCount(QObject):
    """Counts the events of ``kind`` delivered to every object it is installed on."""

    def __init__(self, kind: QEvent.Type):
        super().__init__()
        self.kind = kind
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == self.kind:
            self.count += 1
        return False
