"""A weights file for another architecture: which model would fit it, and what to ask."""

from __future__ import annotations

from pathlib import Path

from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.training import WeightsMismatch


def rebuild_offer(
    document: ModelDocument, mismatch: WeightsMismatch, path: str
) -> tuple[MLPConfig, str] | None:
    """The configuration that fits the file (the document's, with the file's layer sizes)
    and the question that offers to build it; None when the file is not an MLP's weights."""
    config = document.config.fitted_to(mismatch.shapes)
    if config is None:
        return None
    listed = "\n".join(f"• {difference}" for difference in mismatch.differences)
    lost = " Its trained weights are discarded." if document.trained else ""
    question = (
        f"{Path(path).name} holds the weights of a {config.describe()} MLP; the model is "
        f"{document.config.describe()}:\n{listed}\n\nRebuild the model as "
        f"{config.describe()} and load them?{lost}"
    )
    return config, question
