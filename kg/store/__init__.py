"""The embedded store: Oxigraph on disk.

An article's graph is replaced atomically: its quads are written to a staging
graph in one transaction, then moved over the article graph by one SPARQL
``MOVE`` (also one transaction). A crash in between leaves the old graph whole
and a staging graph that the next opening removes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal as Lit

import pyoxigraph as ox

from ..config import data_base, resource_dir, store_path
from ..errors import StoreError
from ..namespaces import CKG, SCHEMA
from ..rdf import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, Mapped, Minter

__all__ = ["Store", "PutResult"]

PutResult = Lit["added", "replaced", "unchanged", "older"]
_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_STAGING = "#staging"
_HASH = str(CKG.contentHash)


def _hash_in(mapped: Mapped) -> str | None:
    return next((q.object.value for q in mapped.article if q.predicate.value == _HASH), None)


def _iri(value: str) -> str:
    if not _SAFE_IRI.match(value):
        raise StoreError(f"refusing an unsafe IRI {value!r}")
    return f"<{value}>"


def _skolemised(path: Path, graph: ox.NamedNode) -> list[ox.Quad]:
    """The file's triples with blank nodes named by their order in the file, so every store holds the same IRIs."""
    names: dict[str, ox.NamedNode] = {}
    prefix = f"https://w3id.org/conflict-kg/ontology/.well-known/genid/{path.stem}-"

    def fix(term):  # type: ignore[no-untyped-def]
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.NamedNode(f"{prefix}{len(names)}")
            return names[term.value]
        return term

    return [ox.Quad(fix(t.subject), t.predicate, fix(t.object), graph)
            for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


class Store:
    """An Oxigraph store in a folder; ``read_only`` opens it beside a writer."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, base: str | None = None,
                 read_only: bool = False) -> None:
        self.path = store_path(path)
        self.base = data_base(base)
        self.minter = Minter(self.base)
        self.read_only = read_only
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no store here (run 'kg ingest' first)")
                self._s = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._s = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        if not read_only:
            self._drop_staging()
            self._ensure_ontology()

    # lifecycle ---------------------------------------------------------------
    def close(self) -> None:
        if not self.read_only:
            self._s.flush()
        del self._s

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for what this class does not wrap."""
        return self._s

    def _drop_staging(self) -> None:
        """Remove what an interrupted write left: staging graphs, and article graphs without their mark."""
        articles = self.minter.article("")
        mark = ox.NamedNode(_HASH)
        for g in list(self._s.named_graphs()):
            if not isinstance(g, ox.NamedNode):
                continue
            if g.value.endswith(_STAGING):
                self._s.remove_graph(g)
            elif g.value.startswith(articles) and next(self._s.quads_for_pattern(None, mark, None, g), None) is None:
                self._s.remove_graph(g)

    def _ensure_ontology(self) -> None:
        """Load ontology/*.ttl into the ontology graph when it changed (by file sizes and times)."""
        folder = resource_dir("ontology")
        # the shapes are validation machinery, not vocabulary that queries use
        files = sorted(f for f in folder.rglob("*.ttl") if f.name != "shapes.ttl") if folder.is_dir() else []
        stamp = ";".join(f"{f.name}:{f.stat().st_size}" for f in files)
        graph = ox.NamedNode(self.minter.graph(ONTOLOGY_GRAPH))
        marker = ox.Quad(graph, ox.NamedNode(str(CKG.contentHash)), ox.Literal(stamp), graph)
        if marker in self._s:
            return
        staging = ox.NamedNode(graph.value + _STAGING)
        try:
            for f in files:
                self._s.extend(_skolemised(f, staging))
        except (OSError, SyntaxError) as exc:
            self._s.remove_graph(staging)
            raise StoreError(f"cannot load the ontology ({exc})") from None
        self._s.add(ox.Quad(marker.subject, marker.predicate, marker.object, staging))
        self._s.update(f"MOVE SILENT {_iri(staging.value)} TO {_iri(graph.value)}")

    # writing -------------------------------------------------------------------
    def version_of(self, article_iri: str) -> str | None:
        g = ox.NamedNode(article_iri)
        if not self._s.contains_named_graph(g):
            return None
        best = ""
        for p in (SCHEMA.dateModified, SCHEMA.datePublished):
            for q in self._s.quads_for_pattern(g, ox.NamedNode(str(p)), None, g):
                d = dt.datetime.fromisoformat(q.object.value)
                v = d.astimezone(dt.timezone.utc).isoformat() if d.tzinfo else d.isoformat()
                best = max(best, v)
        return best

    def _hash_of(self, article_iri: str) -> str | None:
        g = ox.NamedNode(article_iri)
        for q in self._s.quads_for_pattern(g, ox.NamedNode(str(CKG.contentHash)), None, g):
            return q.object.value
        return None

    def put(self, mapped: Mapped) -> PutResult:
        """Store one article's graph: add it, replace an older version, or keep a newer one."""
        return self.put_many([mapped])[0]

    def put_many(self, batch: list[Mapped]) -> list[PutResult]:
        """Store a batch of article graphs; new ones are written together, which is much faster on disk.

        New graphs go in with the bulk loader, then their ``ckg:contentHash`` marks are added in one
        transaction: a graph without its mark is unfinished, and the next opening drops it. A graph
        that replaces a stored one goes through a staging graph and one ``MOVE``, so the old version
        stays whole until the new one is complete.
        """
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        results: list[PutResult] = []
        fresh: dict[str, Mapped] = {}
        for mapped in batch:
            iri = mapped.article_iri
            pending = fresh.get(iri)
            old = pending.version if pending else self.version_of(iri)
            if old is not None and mapped.version < old:
                results.append("older")
                continue
            new_hash = _hash_in(mapped)
            if old is not None and new_hash == (_hash_in(pending) if pending else self._hash_of(iri)):
                results.append("unchanged")  # same text, same extractor: the stored graph is already this one
                continue
            if pending is not None or old is None:
                fresh[iri] = mapped
                results.append("replaced" if pending else "added")
            else:
                self._replace(mapped)
                results.append("replaced")
        if fresh:
            self._add_new(list(fresh.values()))
        return results

    def _add_new(self, batch: list[Mapped]) -> None:
        marks, body, reference = [], [], []
        for m in batch:
            g = ox.NamedNode(m.article_iri)
            for q in m.article:
                (marks if q.predicate.value == _HASH else body).append(ox.Quad(q.subject, q.predicate, q.object, g))
            reference += m.gazetteer
        try:
            self._s.bulk_extend(body)
            self._s.extend(marks + reference)
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from None

    def _replace(self, mapped: Mapped) -> None:
        staging = ox.NamedNode(mapped.article_iri + _STAGING)
        try:
            self._s.extend(ox.Quad(q.subject, q.predicate, q.object, staging) for q in mapped.article)
            self._s.update(f"MOVE SILENT {_iri(staging.value)} TO {_iri(mapped.article_iri)}")
            if mapped.gazetteer:
                self._s.extend(mapped.gazetteer)
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from None

    def remove_article(self, article_iri: str) -> bool:
        g = ox.NamedNode(article_iri)
        if not self._s.contains_named_graph(g):
            return False
        self._s.remove_graph(g)
        return True

    # reading -------------------------------------------------------------------
    def query(self, sparql: str, substitutions: dict[ox.Variable, ox.NamedNode | ox.Literal] | None = None):  # type: ignore[no-untyped-def]
        return self._s.query(sparql, use_default_graph_as_union=True, substitutions=substitutions,
                             prefixes=None)

    def article_graphs(self) -> list[str]:
        prefix = self.minter.article("")
        return sorted(g.value for g in self._s.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(prefix))

    def quads(self) -> Iterable[ox.Quad]:
        return self._s.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return len(self._s)

    def reference_graphs(self) -> dict[str, str]:
        return {name: self.minter.graph(name) for name in (GAZETTEER_GRAPH, ONTOLOGY_GRAPH)}

