"""What the page says in words: each node's side panel, the most central actors, what was left out."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..analyse.snapshot import Snapshot
from .network import KIND_TEXT
from .sources import Sources
from .view import View

__all__ = ["details", "top_actors", "summary_lines", "ACTOR_KINDS"]

ACTOR_KINDS = ("person", "organisation", "state", "group", "actor")
PLURAL = {"person": "people", "organisation": "organisations", "state": "states", "group": "groups",
          "actor": "other actors", "place": "places", "event": "events", "claim": "claims"}


def details(view: View, snap: Snapshot, sources: dict[str, Sources]) -> dict[str, dict[str, Any]]:
    """Per node: label, kind, facts, Wikidata/GeoNames links, counts and the sentences behind it."""
    events_of: Counter[str] = Counter()
    events_at: Counter[str] = Counter()
    claims_by: Counter[str] = Counter()
    claims_about: Counter[str] = Counter()
    for e in snap.events.values():
        events_of.update(list(e.actors))
        events_at.update(set(e.places))
    for c in snap.claims.values():
        claims_by.update(set(c.authors))
        claims_about.update(set(c.about))
    out: dict[str, dict[str, Any]] = {}
    for n, d in view.graph.nodes(data=True):
        kind = str(d["kind"])
        facts: list[list[str]] = []
        links: list[list[str]] = []
        counts: list[list[Any]] = []
        label = str(d["label"])
        if kind == "event":
            e = snap.events[n]
            when = e.start[:10] if e.start else "unknown"
            if e.end and e.start and e.end[:10] != e.start[:10]:
                when += f" to {e.end[:10]}"
            facts += [["type", e.type_label or e.type or "unknown"],
                      ["date", when + (f" ({e.precision})" if e.precision else "")]]
            facts += [["status", e.status]] if e.status else []
            facts += [["reported", "; ".join(e.figures)]] if e.figures else []
            counts += [["actors", len(e.actors)], ["places", len(e.places)], ["claims about it", claims_about[n]]]
        elif kind == "claim":
            c = snap.claims[n]
            label = c.text or label
            facts += [["says", c.text]]
            facts += [["asserts", c.claimed_type.replace("-", " ")]] if c.claimed_type else []
            counts += [["about", len(c.about)]]
        else:
            node = snap.entity(n)
            links += [[name, url] for name, url in (("Wikidata", node and node.wikidata),
                                                    ("GeoNames", node and node.geonames)) if url]
            if kind in ACTOR_KINDS:
                counts += [["events", events_of[n]], ["claims made", claims_by[n]],
                           ["claims about it", claims_about[n]]]
            if kind == "place" or n in snap.places:
                counts += [["events here", events_at[n]]]
        src = sources.get(n, Sources())
        counts += [["mentions", src.mentions], ["articles", len(src.articles)],
                   ["links on this page", view.graph.degree(n)], ["PageRank", f"{view.score.get(n, 0.0):.4f}"]]
        out[n] = {"label": label, "kind": KIND_TEXT.get(kind, kind), "iri": n, "facts": facts, "links": links,
                  "counts": counts, "sources": src.sentences, "more": max(src.mentions - len(src.sentences), 0)}
    return out


def top_actors(view: View, n: int = 12) -> list[str]:
    """The ``n`` most central actors on the page (PageRank): "who is central here"."""
    actors = [v for v, d in view.graph.nodes(data=True) if d["kind"] in ACTOR_KINDS]
    return sorted(actors, key=lambda v: (-view.score.get(v, 0.0), str(v)))[:n]


def summary_lines(view: View, snap: Snapshot, focus_label: str | None, depth: int,
                  max_nodes: int | None) -> tuple[list[str], str | None]:
    """The lines that say what the page shows, and (when the cap cut) what it left out."""
    g = view.graph
    lines = [f"{g.number_of_nodes():,} nodes and {g.number_of_edges():,} edges shown "
             f"(the graph holds {view.total_nodes:,} nodes and {view.total_edges:,} edges"
             + (" after the filters)." if snap.filters else ").")]
    if snap.filters:
        lines.append("Filters: " + ", ".join(f"{k} {v}" for k, v in snap.filters.items()) + ".")
    if focus_label:
        lines.append(f"Focus: {focus_label}, depth {depth} ({view.pool_nodes:,} nodes in its neighbourhood).")
    left = sum(view.omitted.values())
    if not left:
        return lines, None
    parts = ", ".join(f"{k:,} {PLURAL.get(kind, kind)}" for kind, k in view.omitted.most_common())
    note = (f"Only part of the graph is shown: {left:,} of {view.pool_nodes:,} nodes were left out by the "
            f"{max_nodes or 0:,}-node cap ({parts}; {view.omitted_edges:,} edges). Kept: {view.cut}. "
            "Narrow the view with a focus, dates or an event type, or raise the cap, to see the rest.")
    return lines, note
