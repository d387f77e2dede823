"""One small registry pattern for everything pluggable (readers, extractors, exporters).

Plugins register a factory under a name; the registry builds them lazily, so heavy
work (loading a gazetteer, a model) happens on first use, never at import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Registry"]


class Registry(Generic[T]):
    def __init__(self, what: str) -> None:
        self.what = what
        self._factories: dict[str, Callable[[], T]] = {}
        self._built: dict[str, T] = {}

    def register(self, name: str, factory: Callable[[], T]) -> None:
        self._factories[name] = factory
        self._built.pop(name, None)

    def get(self, name: str) -> T:
        if name not in self._factories:
            known = ", ".join(sorted(self._factories)) or "none"
            raise KeyError(f"unknown {self.what} {name!r} (known: {known})")
        if name not in self._built:
            self._built[name] = self._factories[name]()
        return self._built[name]

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
