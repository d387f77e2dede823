"""The store as networkx graphs: who takes part in what, who appears with whom, who says what about whom.

Node ids are the IRIs; node attributes carry ``label`` and ``kind`` (person,
organisation, state, group, actor, place, event) so tables and pages need no second read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from ..errors import QueryError
from ._store import StoreLike
from .snapshot import EventRecord, Node, Snapshot, snapshot

__all__ = ["KINDS", "to_networkx", "graph_of", "ACCUSER_ROLES", "ACCUSED_ROLES"]

KINDS = ("actor-event", "actor-actor", "claims", "place-event")
ACCUSER_ROLES = frozenset({"agent", "speaker"})
ACCUSED_ROLES = frozenset({"accused", "target"})


def to_networkx(store: StoreLike | Snapshot, kind: str = "actor-actor", *, since: object = None,
                until: object = None, event_type: str | None = None) -> nx.Graph:
    """The store (or a :class:`Snapshot`) as one of the :data:`KINDS` of graph.

    - ``actor-event``: bipartite (``bipartite`` = 0 actors, 1 events); edges carry ``roles``.
    - ``actor-actor``: actors linked when they take part in the same events; ``weight`` =
      number of shared events, ``events`` their IRIs, ``event_types`` their types.
    - ``claims``: a ``DiGraph`` speaker -> actor, from claims (``schema:author`` ->
      ``schema:about`` actors), accusation claims (also their accused/target roles) and
      accusation events (agent/speaker -> accused/target); ``weight`` = number of items,
      ``claims`` and ``accusations`` counts, ``relation`` "accuses" or "claims about".
    - ``place-event``: places (and states as places) linked to the events held there.

    ``since``/``until`` (dates) and ``event_type`` (slug, ``ckgt:`` name or IRI) keep only
    the matching events and the claims about them.
    """
    snap = store if isinstance(store, Snapshot) else snapshot(store)
    return graph_of(snap.filtered(since=since, until=until, event_type=event_type), kind)


def graph_of(snap: Snapshot, kind: str) -> nx.Graph:
    """Build one kind of graph from an already read (and filtered) snapshot."""
    builders = {"actor-event": _actor_event, "actor-actor": _actor_actor, "claims": _claims,
                "place-event": _place_event}
    if kind not in builders:
        raise QueryError(f"unknown graph kind {kind!r} (one of {', '.join(KINDS)})")
    g = builders[kind](snap)
    g.graph.update(kind=kind, **snap.filters)
    return g


def node_attrs(node: Node) -> dict[str, Any]:
    return {"label": node.label, "kind": node.kind, "wikidata": node.wikidata or ""}


def event_attrs(e: EventRecord) -> dict[str, Any]:
    return {"label": e.label, "kind": "event", "event_type": e.type, "date": e.day or "", "status": e.status or ""}


def _actor(snap: Snapshot, iri: str) -> dict[str, Any]:
    node = snap.actors.get(iri)
    return node_attrs(node) if node else {"label": iri.rsplit("/", 1)[-1], "kind": "actor", "wikidata": ""}


def _actor_event(snap: Snapshot) -> nx.Graph:
    g = nx.Graph()
    for e in snap.events.values():
        if not e.actors:
            continue
        g.add_node(e.iri, bipartite=1, **event_attrs(e))
        for x, roles in e.actors.items():
            g.add_node(x, bipartite=0, **_actor(snap, x))
            g.add_edge(x, e.iri, roles=", ".join(sorted(roles)), weight=1)
    return g


def _actor_actor(snap: Snapshot) -> nx.Graph:
    g = nx.Graph()
    for e in snap.events.values():
        members = sorted(e.actors)
        for x in members:
            if x not in g:
                g.add_node(x, events=0, **_actor(snap, x))
            g.nodes[x]["events"] += 1
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if g.has_edge(a, b):
                    d = g[a][b]
                    d["weight"] += 1
                    d["events"].append(e.iri)
                    d["types"].add(e.type)
                else:
                    g.add_edge(a, b, weight=1, events=[e.iri], types={e.type})
    for _, _, d in g.edges(data=True):  # a plain string exports cleanly to CSV, JSON and GraphML alike
        d["event_types"] = ", ".join(sorted(t for t in d.pop("types") if t))
    return g


def _claims(snap: Snapshot) -> nx.DiGraph:
    g = nx.DiGraph()

    def add(src: str, dst: str, item: str, accusation: bool, is_claim: bool) -> None:
        if src == dst:
            return
        for x in (src, dst):
            if x not in g:
                g.add_node(x, **_actor(snap, x))
        if not g.has_edge(src, dst):
            g.add_edge(src, dst, weight=0, claims=0, accusations=0, items=[])
        d = g[src][dst]
        if item in d["items"]:
            return
        d["items"].append(item)
        d["weight"] += 1
        d["claims"] += int(is_claim)
        d["accusations"] += int(accusation)

    for c in snap.claims.values():
        accusation = c.claimed_type == "accusation"
        targets = [x for x in c.about if x in snap.actors] + (c.accused if accusation else [])
        for author in c.authors:
            for x in _unique(targets):
                add(author, x, c.iri, accusation, True)
    for e in snap.events.values():
        if e.type != "accusation":
            continue
        accusers = [x for x, r in e.actors.items() if r & ACCUSER_ROLES]
        accused = [x for x, r in e.actors.items() if r & ACCUSED_ROLES]
        for a in accusers:
            for b in accused:
                add(a, b, e.iri, True, False)
    for _, _, d in g.edges(data=True):
        d["relation"] = "accuses" if d["accusations"] else "claims about"
    return g


def _place_event(snap: Snapshot) -> nx.Graph:
    g = nx.Graph()
    for e in snap.events.values():
        for p in e.places:
            node = snap.places.get(p) or snap.actors.get(p)
            if p not in g:
                g.add_node(p, **({**node_attrs(node), "kind": "state" if node.kind == "state" else "place"}
                                 if node else {"label": p.rsplit("/", 1)[-1], "kind": "place", "wikidata": ""}))
            g.add_node(e.iri, **event_attrs(e))
            g.add_edge(p, e.iri, weight=1)
    return g


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
