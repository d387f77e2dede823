"""The exceptions conflict-kg raises, drawn once here.

::

    KgError                  anything this package raises on purpose
    ├── ReadError            an input could not be read as an article (names the file and line)
    ├── ExtractError         an extractor failed on an article it accepted
    ├── StoreError           the store could not be opened or written
    ├── QueryError           a query is unknown, malformed or got a bad parameter
    │   └── EndpointError    a remote SPARQL endpoint failed after retries
    ├── ExportError          an export format is unknown or the export failed
    └── ValidationError      the data does not conform to the shapes

The command line turns each into a one-line message and a non-zero exit code.
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "ReadError",
    "ExtractError",
    "StoreError",
    "QueryError",
    "EndpointError",
    "ExportError",
    "ValidationError",
]


class KgError(Exception):
    """Base of every error conflict-kg raises on purpose."""


class ReadError(KgError):
    """An input could not be turned into an article."""

    def __init__(self, source: str, cause: str, line: int | None = None) -> None:
        self.source = source
        self.cause = cause
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {cause}")


class ExtractError(KgError):
    """An extractor failed on an article."""


class StoreError(KgError):
    """The store could not be opened, read or written."""


class QueryError(KgError):
    """A query could not be found, parsed, bound or evaluated."""


class EndpointError(QueryError):
    """A remote endpoint kept failing."""


class ExportError(KgError):
    """An export could not be written."""


class ValidationError(KgError):
    """The data does not conform to the project's shapes."""
