"""Open a store for reading, or use the one given (the same convention as :mod:`kg.api`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..store import Store

StoreLike = Store | str | os.PathLike[str] | None


@contextmanager
def reading(store: StoreLike) -> Iterator[Store]:
    """Yield ``store`` itself, or a read-only store opened from a path and closed afterwards."""
    if isinstance(store, Store):
        yield store
        return
    opened = Store(store, read_only=True)
    try:
        yield opened
    finally:
        opened.close()
