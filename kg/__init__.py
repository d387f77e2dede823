"""conflict-kg: news articles about unrest and political violence in, a conflict-event knowledge graph out.

The facade: read articles, extract what they say, store it in an embedded
Oxigraph store, query and export it. Errors are drawn in :mod:`kg.errors`.
"""

from __future__ import annotations

from .api import demo, export, ingest, open_store, query, stats
from .errors import (EndpointError, ExportError, ExtractError, KgError, QueryError, ReadError, StoreError,
                     ValidationError)
from .extract import extract, extractors
from .model import Article, Claim, Count, Entity, Event, Extraction, Span
from .pipeline import IngestReport
from .read import read
from .store import Store
from .validate import validate

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # pipeline
    "read", "extract", "extractors", "ingest", "open_store", "Store", "IngestReport",
    # using the graph
    "query", "export", "stats", "demo", "validate",
    # records
    "Article", "Span", "Entity", "Event", "Count", "Claim", "Extraction",
    # errors
    "KgError", "ReadError", "ExtractError", "StoreError", "QueryError", "EndpointError", "ExportError",
    "ValidationError",
]
