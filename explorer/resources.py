"""Locate the files the app ships in the top-level ``resources/`` folder."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """Return the path of a shipped resource; FileNotFoundError names it if it is missing."""
    path = RESOURCES_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"resource {name!r} is missing from {RESOURCES_DIR}")
    return path
