"""Where things are: store folder, data IRI base, bundled resources (flags > environment > defaults)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .namespaces import DEFAULT_DATA_BASE

__all__ = ["store_path", "data_base", "resource_dir", "DEFAULT_STORE"]

DEFAULT_STORE = "kg-store"


def store_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit or os.environ.get("KG_STORE") or DEFAULT_STORE)


def data_base(explicit: str | None = None) -> str:
    return explicit or os.environ.get("KG_BASE") or DEFAULT_DATA_BASE


def resource_dir(name: str) -> Path:
    """``ontology``, ``queries`` or ``examples``: bundled in the wheel, or beside the package in a checkout."""
    bundled = Path(str(resources.files("kg"))) / "_data" / name
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / name
