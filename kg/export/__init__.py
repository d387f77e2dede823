"""Exports of the store, one exporter per format, found by name.

TriG and N-Quads keep the named graphs (one per article, plus the gazetteer and
the ontology); Turtle, N-Triples and JSON-LD write the union of all graphs, as
the contract says. ``events-csv`` is the flat table, one row per event, in
columns close to what ACLED and GDELT users load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

import pyoxigraph as ox

from ..errors import ExportError
from ..namespaces import PREFIXES
from ..registry import Registry
from ..store import Store

__all__ = ["exporters", "export", "FORMATS", "SUFFIXES"]

Exporter = Callable[[Store, BinaryIO], int]
exporters: Registry[Exporter] = Registry("export format")

SUFFIXES = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "ntriples": ".nt", "jsonld": ".jsonld",
            "events-csv": ".csv"}


def _union(store: Store) -> list[ox.Triple]:
    triples = store.oxigraph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return list(triples)  # type: ignore[arg-type]


def _dataset(fmt: ox.RdfFormat) -> Exporter:
    def write(store: Store, out: BinaryIO) -> int:
        kwargs = {"prefixes": PREFIXES} if fmt == ox.RdfFormat.TRIG else {}
        store.oxigraph.dump(out, fmt, **kwargs)
        return len(store)

    return write


def _graph(fmt: ox.RdfFormat) -> Exporter:
    def write(store: Store, out: BinaryIO) -> int:
        triples = _union(store)
        kwargs = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD) else {}
        ox.serialize(triples, out, fmt, **kwargs)
        return len(triples)

    return write


exporters.register("trig", lambda: _dataset(ox.RdfFormat.TRIG))
exporters.register("nquads", lambda: _dataset(ox.RdfFormat.N_QUADS))
exporters.register("turtle", lambda: _graph(ox.RdfFormat.TURTLE))
exporters.register("ntriples", lambda: _graph(ox.RdfFormat.N_TRIPLES))
exporters.register("jsonld", lambda: _graph(ox.RdfFormat.JSON_LD))


def _events_csv() -> Exporter:
    from .events_csv import write_events_csv

    return write_events_csv


exporters.register("events-csv", _events_csv)

FORMATS = tuple(exporters.names())


def export(store: Store, fmt: str, out: BinaryIO) -> int:
    """Write the store in ``fmt`` to a binary stream; returns the number of triples or quads."""
    try:
        writer = exporters.get(fmt)
    except KeyError as exc:
        raise ExportError(str(exc).strip('"')) from None
    try:
        return writer(store, out)
    except (OSError, ValueError) as exc:
        raise ExportError(f"{fmt} export failed: {exc}") from None
