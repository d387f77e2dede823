"""What a page shows: actors, places, events and claims as one graph, then focused and cut to size.

Edges keep the direction they read in (actor -> event, event -> place, author -> claim
-> what it is about) for the arrows, but the structure used for neighbourhoods,
centrality and layout is undirected: "near" means near either way.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from ..analyse.measures import pagerank
from ..analyse.snapshot import Snapshot
from ..errors import QueryError

__all__ = ["View", "build", "resolve_focus", "neighbourhood", "crop"]

_CONNECTORS = ("event", "claim")  # nodes that stand between actors: depth is counted across them


@dataclass
class View:
    """The page's graph: nodes with label/kind attributes, edges with ``label``, ``group`` and ``source``."""

    graph: nx.Graph
    score: dict[str, float] = field(default_factory=dict)  # PageRank: sizes the nodes and decides the cut
    total_nodes: int = 0
    total_edges: int = 0
    pool_nodes: int = 0  # nodes in the focus neighbourhood (the whole graph without a focus)
    omitted: Counter[str] = field(default_factory=Counter)  # kind -> nodes of the pool left out by the cap
    omitted_edges: int = 0  # edges of the pool left out by the cap
    focus: str | None = None
    cut: str = ""  # how the cut chose what stays, said on the page


def _claim_label(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[:38]}…”" if len(text) > 40 else f"“{text}”"


def build(snap: Snapshot) -> nx.Graph:
    """Every event, its actors, places and parent events, and every claim with its author and topics."""
    g = nx.Graph()

    def entity(iri: str) -> bool:
        if iri in g:
            return True
        node = snap.entity(iri)
        if node is None:
            return False
        g.add_node(iri, label=node.label, kind=node.kind)
        return True

    def link(src: str, dst: str, label: str, group: str) -> None:
        if g.has_edge(src, dst):  # a state can be both actor and place of one event: one edge, both labels
            d = g[src][dst]
            if label not in d["label"].split(", "):
                d["label"] += ", " + label
            return
        g.add_edge(src, dst, label=label, group=group, source=src)

    for e in snap.events.values():
        g.add_node(e.iri, label=e.label, kind="event", event_type=e.type)
    for e in snap.events.values():
        for actor, roles in sorted(e.actors.items()):
            if entity(actor):
                link(actor, e.iri, ", ".join(sorted(roles)) or "actor", "role")
        for place in e.places:
            if entity(place):
                link(e.iri, place, "place", "place")
        for parent in e.parents:
            if parent in snap.events:
                link(e.iri, parent, "part of", "part")
    for c in snap.claims.values():
        topics = [x for x in c.about if x in snap.events or snap.entity(x) is not None]
        authors = [x for x in c.authors if snap.entity(x) is not None]
        if not topics and not authors:
            continue
        g.add_node(c.iri, label=_claim_label(c.text), kind="claim", event_type=c.claimed_type)
        for a in authors:
            entity(a)
            link(a, c.iri, "says", "claim")
        for x in topics:
            entity(x)
            link(c.iri, x, "about", "claim")
    return g


def resolve_focus(g: nx.Graph, focus: str) -> str:
    """A node id from an IRI (``<...>`` allowed) or a name: exact label first, then part of a label.

    Among several matches the best connected wins; none is a :class:`~kg.errors.QueryError`.
    """
    key = focus.strip()
    if key.strip("<>") in g:
        return key.strip("<>")
    folded = key.casefold()
    labels = [(n, str(d.get("label", "")).casefold()) for n, d in g.nodes(data=True)]
    hits = [n for n, lab in labels if lab == folded] or [n for n, lab in labels if folded and folded in lab]
    if not hits:
        raise QueryError(f"no node named or identified by {focus!r} among what the page would show "
                         "(check the spelling, the IRI, or the date and type filters)")
    return max(hits, key=lambda n: (g.degree(n), str(g.nodes[n].get("label")) == key, str(n)))


def neighbourhood(g: nx.Graph, focus: str, depth: int) -> dict[str, int]:
    """Hop distance from ``focus`` of every node within ``depth`` steps between actors.

    One step goes from an actor or place through an event or claim to the next (two
    hops), so depth 1 around a person shows their events and claims and who else took
    part; around an event, depth 1 is its actors, places and claims (one hop).
    """
    starts_between = g.nodes[focus].get("kind") in _CONNECTORS
    radius = 2 * max(depth, 0) - (1 if starts_between and depth > 0 else 0)
    return dict(nx.single_source_shortest_path_length(g, focus, cutoff=radius))


def crop(g: nx.Graph, *, focus: str | None = None, depth: int = 1, max_nodes: int | None = 1500) -> View:
    """Keep the focus neighbourhood (if any), then at most ``max_nodes``: the nearest, then the most central."""
    total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
    dist = neighbourhood(g, focus, depth) if focus else None
    pool = g.subgraph(dist) if dist is not None else g
    score = pagerank(pool)
    keep = list(pool)
    cut = f"the {'neighbourhood of the focus' if focus else 'whole graph'}"
    if max_nodes is not None and max_nodes > 0 and len(keep) > max_nodes:
        if dist is not None:  # whole rings around the focus, the most central first in the last one
            keep.sort(key=lambda n: (dist[n], -score.get(n, 0.0), str(n)))
            keep = keep[:max_nodes]
            cut = "the nearest nodes to the focus, the most central (PageRank) first"
        else:
            keep = _grow(pool, score, max_nodes)
            cut = ("the most central nodes (PageRank), grown outwards from the top ones so that "
                   "the events linking them stay in view")
    sub = g.subgraph(keep).copy()
    kept = set(keep)
    omitted = Counter(str(d.get("kind", "?")) for n, d in pool.nodes(data=True) if n not in kept)
    return View(sub, {n: score.get(n, 0.0) for n in sub}, total_nodes, total_edges, pool.number_of_nodes(), omitted,
                pool.number_of_edges() - sub.number_of_edges(), focus, cut)


def _grow(g: nx.Graph, score: dict[str, float], limit: int) -> list[str]:
    """Up to ``limit`` nodes: start at the most central few, then keep adding the most central neighbour.

    Taking the top nodes by PageRank alone keeps the hubs and drops the events between
    them (an event has few links), which leaves a page of unconnected dots.
    """
    ranked = sorted(g, key=lambda n: (-score.get(n, 0.0), str(n)))
    heap = [(-score.get(n, 0.0), str(n), n) for n in ranked[: max(1, limit // 50)]]
    heapq.heapify(heap)
    inside: set[str] = set()
    kept: list[str] = []
    rest = iter(ranked)
    while len(kept) < limit:
        if not heap:  # this region is exhausted: start again from the most central node left
            nxt = next((n for n in rest if n not in inside), None)
            if nxt is None:
                break
            heap.append((-score.get(nxt, 0.0), str(nxt), nxt))
        _, _, n = heapq.heappop(heap)
        if n in inside:
            continue
        inside.add(n)
        kept.append(n)
        for m in g[n]:
            if m not in inside:
                heapq.heappush(heap, (-score.get(m, 0.0), str(m), m))
    return kept
