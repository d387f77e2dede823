"""The plain functions behind every command; notebooks call these too."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from .config import resource_dir
from .export import SUFFIXES
from .export import export as _export
from .pipeline import IngestReport
from .pipeline import ingest as _ingest
from .query import LibraryQuery, Result, load_query, run
from .store import Store

__all__ = ["open_store", "ingest", "export", "query", "stats", "demo", "DemoReport"]

StoreLike = Store | str | os.PathLike[str] | None


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               base: str | None = None) -> Store:
    """The embedded store at ``path`` (else ``$KG_STORE``, else ``./kg-store``)."""
    return Store(path, read_only=read_only, base=base)


class _Using:
    """Use a given store, or open (and later close) one from a path."""

    def __init__(self, store: StoreLike, read_only: bool) -> None:
        self.given = isinstance(store, Store)
        self.store = store if isinstance(store, Store) else Store(store, read_only=read_only)

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *exc: object) -> None:
        if not self.given:
            self.store.close()


def ingest(inputs: Iterable[str | os.PathLike[str]], store: StoreLike = None, *, workers: int = 1,
           extractor: str = "rules", stdin: BinaryIO | None = None, progress: bool = False,
           on_error: object = None) -> IngestReport:
    """Read, extract and store articles from files, folders and '-' (JSON Lines on stdin)."""
    with _Using(store, read_only=False) as s:
        return _ingest([str(i) for i in inputs], s, workers=workers, extractor=extractor, stdin=stdin,
                       progress=progress, on_error=on_error)


def export(store: StoreLike, fmt: str, out: str | os.PathLike[str] | BinaryIO) -> int:
    """Write the store as turtle, trig, nquads, ntriples or jsonld to a path or binary stream."""
    with _Using(store, read_only=True) as s:
        if isinstance(out, (str, os.PathLike)):
            with open(out, "wb") as fh:
                return _export(s, fmt, fh)
        return _export(s, fmt, out)


def query(store: StoreLike, q: str | LibraryQuery, params: dict[str, str] | None = None, *,
          text: bool = False) -> Result:
    """Run a library query (by name), a .rq file, or SPARQL text (``text=True``)."""
    with _Using(store, read_only=True) as s:
        lq = LibraryQuery.parse("query", q) if text and isinstance(q, str) else (
            q if isinstance(q, LibraryQuery) else load_query(q))
        return run(s, lq, params)


_STATS = """
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX schema: <https://schema.org/>
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?actor) AS ?actors) (COUNT(DISTINCT ?place) AS ?places)
  (COUNT(DISTINCT ?event) AS ?events) (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?count) AS ?counts)
WHERE {
  { ?article a schema:NewsArticle } UNION { ?actor a sem:Actor } UNION { ?place a sem:Place }
  UNION { ?event a sem:Event } UNION { ?claim a schema:Claim } UNION { ?count a schema:QuantitativeValue }
}
"""


def stats(store: StoreLike = None) -> dict[str, int]:
    """How many articles, actors, places, events, claims, counts and triples the store holds."""
    with _Using(store, read_only=True) as s:
        rows = s.oxigraph.query(_STATS, use_default_graph_as_union=True)
        row = next(iter(rows))  # type: ignore[call-overload]
        out = {name: int(row[name].value) for name in ("articles", "actors", "places", "events", "claims", "counts")}
        out["graphs"] = sum(1 for _ in s.oxigraph.named_graphs())
        out["quads"] = len(s)
        return out


class DemoReport:
    def __init__(self, ingest: IngestReport, files: dict[str, Path], stats: dict[str, int], sample: Result) -> None:
        self.ingest, self.files, self.stats, self.sample = ingest, files, stats, sample


def demo(out: str | os.PathLike[str] = "kg-demo", *, workers: int = 1) -> DemoReport:
    """The main job on the bundled examples: ingest, export Turtle and TriG, one sample query."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with Store(out_dir / "kg-store") as s:
        report = _ingest([str(resource_dir("examples"))], s, workers=workers)
        files = {}
        for fmt in ("turtle", "trig"):
            path = out_dir / f"conflict-kg{SUFFIXES[fmt]}"
            with open(path, "wb") as fh:
                _export(s, fmt, fh)
            files[fmt] = path
        sample = run(s, load_query("reported-counts"))
        return DemoReport(report, files, stats(s), sample)
