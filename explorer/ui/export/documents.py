"""Tables and texts a tab exports beside its plots (the Losses tab's tensors, its PyTorch code).

A tab may offer ``export_tables() -> {name: (header, rows)}`` (written as CSV when CSV is
chosen) and ``export_texts() -> {name: (extension, text)}`` (written whatever the formats).
They travel through the exporters as :class:`TableDocument` and :class:`TextDocument`
entries in the same ``{name: item}`` mapping as the plots.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.io.atomic import atomic_path
from explorer.ui.export.plot_data import csv_text


@dataclass(frozen=True)
class TableDocument:
    """Rows of values under a header, exported as ``<stem>.csv``."""

    header: tuple[str, ...]
    rows: tuple[tuple, ...]

    def files(self, stem: str, formats: tuple[str, ...]) -> list[str]:
        return [f"{stem}.csv"] if "csv" in formats else []

    def has_data(self) -> bool:
        return bool(self.rows)

    def write(self, path: Path) -> None:
        columns = [[row[i] for row in self.rows] for i in range(len(self.header))]
        with atomic_path(path) as tmp:
            tmp.write_text(csv_text(list(self.header), columns), encoding="utf-8")


@dataclass(frozen=True)
class TextDocument:
    """A text exported as ``<stem>.<extension>`` (e.g. the PyTorch code as ``.py``)."""

    extension: str
    text: str

    def files(self, stem: str, formats: tuple[str, ...]) -> list[str]:
        del formats  # a text goes with every export: it is what the plots were made from
        return [f"{stem}.{self.extension}"]

    def has_data(self) -> bool:
        return bool(self.text.strip())

    def write(self, path: Path) -> None:
        with atomic_path(path) as tmp:
            tmp.write_text(self.text, encoding="utf-8")


Document = TableDocument | TextDocument


def is_document(item) -> bool:
    return isinstance(item, (TableDocument, TextDocument))


def tab_documents(tab) -> dict[str, Document]:
    """The tables and texts ``tab`` offers, keyed by export name."""
    documents: dict[str, Document] = {}
    for name, (header, rows) in tab.export_tables().items():
        documents[name] = TableDocument(tuple(header), tuple(tuple(r) for r in rows))
    for name, (extension, text) in tab.export_texts().items():
        documents[name] = TextDocument(extension, text)
    return documents
