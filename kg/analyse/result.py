"""``analyse()``: a graph, its measures and tables (CSV/JSON) in one call."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import QueryError
from ._store import StoreLike
from .graphs import KINDS, graph_of
from .measures import measure
from .snapshot import Snapshot, snapshot
from .timeline import timeline

__all__ = ["ANALYSES", "AnalysisResult", "analyse"]

ANALYSES = (*KINDS, "timeline")
_NODE_FIRST = ["id", "label", "kind", "degree", "weighted_degree", "in_degree", "out_degree", "betweenness",
               "pagerank", "community"]


@dataclass
class AnalysisResult:
    """What :func:`analyse` found.

    ``nodes``: one row per node with its measures, most central (PageRank) first;
    ``edges``: one row per edge; ``timeline``: rows for ``kind="timeline"``;
    ``graph``: the networkx graph with the measures as node attributes (None for a timeline).
    """

    kind: str
    graph: nx.Graph | None
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The main table: timeline rows, or node rows."""
        return self.timeline if self.kind == "timeline" else self.nodes

    def top(self, n: int = 10, by: str = "pagerank") -> list[dict[str, Any]]:
        """The ``n`` nodes with the highest ``by`` measure (ties by label)."""
        return sorted(self.nodes, key=lambda r: (-float(r.get(by) or 0), str(r.get("label"))))[:n]

    def to_csv(self, table: str = "auto") -> str:
        """One table as CSV: ``nodes``, ``edges`` or ``timeline`` (``auto``: the main one)."""
        rows = {"auto": self.rows, "nodes": self.nodes, "edges": self.edges, "timeline": self.timeline}.get(table)
        if rows is None:
            raise QueryError(f"unknown table {table!r} (nodes, edges, timeline)")
        columns: list[str] = []
        for r in rows:
            columns += [k for k in r if k not in columns]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(v) for k, v in r.items()})
        return buf.getvalue()

    def to_json(self, indent: int | None = 1) -> str:
        """Every table and the run's settings as one JSON document."""
        doc: dict[str, Any] = {"kind": self.kind, "meta": self.meta}
        if self.kind == "timeline":
            doc["timeline"] = self.timeline
        else:
            doc["nodes"], doc["edges"] = self.nodes, self.edges
        return json.dumps(doc, ensure_ascii=False, indent=indent, default=_plain)

    def write(self, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
        """Write ``to_json()`` or the main table as CSV (``fmt`` from the suffix when not given)."""
        p = Path(path)
        fmt = fmt or ("json" if p.suffix.lower() == ".json" else "csv")
        p.write_text(self.to_json() if fmt == "json" else self.to_csv(), encoding="utf-8")
        return p


def analyse(store: StoreLike | Snapshot, kind: str = "actor-actor", *, since: object = None, until: object = None,
            event_type: str | None = None, betweenness_k: int | None = None, seed: int = 42) -> AnalysisResult:
    """Build the ``kind`` of graph (see :func:`kg.analyse.to_networkx`) and measure it, or a timeline.

    ``kind``: one of :data:`ANALYSES` (actor-event, actor-actor, claims, place-event, timeline).
    ``betweenness_k``: sample size for betweenness (default exact up to 500 nodes, else 256);
    ``seed`` fixes sampling and Louvain so two runs give the same tables.
    """
    if kind not in ANALYSES:
        raise QueryError(f"unknown analysis {kind!r} (one of {', '.join(ANALYSES)})")
    snap = store if isinstance(store, Snapshot) else snapshot(store)
    snap = snap.filtered(since=since, until=until, event_type=event_type)
    meta: dict[str, Any] = {"filters": snap.filters, "seed": seed}
    if kind == "timeline":
        rows = timeline(snap)
        meta["events"] = len(snap.events)
        meta["undated"] = sum(1 for e in snap.events.values() if not e.day)
        return AnalysisResult(kind, None, timeline=rows, meta=meta)
    g = graph_of(snap, kind)
    measure(g, betweenness_k=betweenness_k, seed=seed)
    meta.update(nodes=g.number_of_nodes(), edges=g.number_of_edges(), directed=g.is_directed(),
                betweenness_k=g.graph.get("betweenness_k"), communities=g.graph.get("communities", 0))
    nodes = [{"id": n, **d} for n, d in g.nodes(data=True)]
    nodes = [{k: r[k] for k in _NODE_FIRST if k in r} | {k: v for k, v in r.items() if k not in _NODE_FIRST}
             for r in nodes]
    nodes.sort(key=lambda r: (-r.get("pagerank", 0.0), str(r.get("label")), r["id"]))
    labels = nx.get_node_attributes(g, "label")
    edges = [{"source": a, "target": b, "source_label": labels.get(a, ""), "target_label": labels.get(b, ""), **d}
             for a, b, d in g.edges(data=True)]
    edges.sort(key=lambda r: (-float(r.get("weight", 1)), r["source_label"], r["target_label"]))
    return AnalysisResult(kind, g, nodes=nodes, edges=edges, meta=meta)


def _cell(v: Any) -> Any:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (list, tuple, set)):
        return " ".join(map(str, v))
    return v


def _plain(v: Any) -> Any:
    if isinstance(v, (set, tuple)):
        return sorted(v)
    return str(v)
