"""``render()``: from the store to one HTML file an analyst opens from disk."""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyvis.network import Network

from ..analyse._store import StoreLike, reading
from ..analyse.snapshot import Snapshot, snapshot
from .layout import layout
from .page import html_page
from .sources import Sources, read_sources
from .style import EDGE_COLOURS, family_of, legend, style_of
from .view import View, build, crop, resolve_focus

__all__ = ["render", "RenderReport", "DEFAULT_MAX_NODES"]

DEFAULT_MAX_NODES = 1500
_ACTOR_KINDS = ("person", "organisation", "state", "group", "actor")
_KIND_TEXT = {"person": "person", "organisation": "organisation", "state": "state", "group": "unnamed group",
              "actor": "actor", "place": "place", "event": "event", "claim": "claim"}
_PLURAL = {"person": "people", "organisation": "organisations", "state": "states", "group": "groups",
           "actor": "other actors", "place": "places", "event": "events", "claim": "claims"}


@dataclass
class RenderReport:
    """What went onto the page, what was left out, and what it cost."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    omitted: dict[str, int] = field(default_factory=dict)  # kind -> nodes left out by the cap
    focus: str | None = None
    focus_label: str | None = None
    seconds: float = 0.0
    layout_seconds: float = 0.0
    bytes: int = 0

    @property
    def cropped(self) -> bool:
        return sum(self.omitted.values()) > 0

    def summary(self) -> str:
        left = ", ".join(f"{n} {_PLURAL.get(k, k)}" for k, n in sorted(self.omitted.items()) if n)
        return (f"wrote {self.path}: {self.nodes} of {self.total_nodes} nodes, {self.edges} edges"
                + (f" (left out: {left})" if left else "") + f", {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s")


def render(store: StoreLike | Snapshot, out_path: str | os.PathLike[str], *, focus: str | None = None, depth: int = 1,
           since: object = None, until: object = None, event_type: str | None = None,
           max_nodes: int | None = DEFAULT_MAX_NODES, title: str | None = None, seed: int = 7) -> RenderReport:
    """Write an interactive, self-contained HTML page of the graph to ``out_path``.

    ``focus``: an IRI or a name (exact label, else part of one) to centre on, with
    ``depth`` steps from actor to actor through events and claims. ``since``/``until``
    (dates) and ``event_type`` keep matching events and the claims about them.
    Above ``max_nodes`` the page keeps the most central part (nearest to the focus
    first) and says what it left out; ``None`` or 0 keeps everything.
    The page opens from a file with no network; positions are computed here and the
    browser runs no physics. A :class:`~kg.store.Store` given is read in place; the
    sentences behind the nodes are read from it, so pass a store, not only a snapshot,
    for the "Read in" panel.
    """
    started = time.perf_counter()
    opened = _none() if isinstance(store, Snapshot) else reading(store)
    with opened as s:
        snap = store if isinstance(store, Snapshot) else snapshot(s)
        snap = snap.filtered(since=since, until=until, event_type=event_type)
        full = build(snap)
        focus_id = resolve_focus(full, focus) if focus else None
        view = crop(full, focus=focus_id, depth=depth, max_nodes=max_nodes)
        t0 = time.perf_counter()
        pos = layout(view.graph, seed=seed)
        layout_seconds = time.perf_counter() - t0
        sources = read_sources(s.oxigraph, snap, view.graph) if s is not None else {}
    focus_label = str(full.nodes[focus_id]["label"]) if focus_id else None
    net = _network(view, pos)
    nodes, edges, _, _, _, _ = net.get_network_data()
    details = _details(view, snap, sources)
    data: dict[str, Any] = {"nodes": nodes, "edges": edges, "options": net.options, "details": details,
                            "top": _top(view), "focus": focus_id}
    page_title = title or (f"conflict-kg: around {focus_label}" if focus_label else "conflict-kg: the graph")
    summary, cut_note = _texts(view, snap, focus_label, depth, max_nodes)
    kinds = {str(d["kind"]) for _, d in view.graph.nodes(data=True)}
    families = {family_of(str(d.get("event_type", ""))) for _, d in view.graph.nodes(data=True) if d["kind"] == "event"}
    html = html_page(title=page_title, data=data, summary=summary, cut_note=cut_note, legend=legend(kinds, families))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return RenderReport(out, view.graph.number_of_nodes(), view.graph.number_of_edges(), view.total_nodes,
                        view.total_edges, dict(view.omitted), focus_id, focus_label,
                        time.perf_counter() - started, layout_seconds, out.stat().st_size)


class _none:
    """A context giving no store: rendering a snapshot alone (no sentences)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _network(view: View, pos: dict[str, tuple[float, float]]) -> Network:
    """A pyvis Network filled list by list: ``add_node``/``from_nx`` scan every node per call (quadratic)."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    top = max(view.score.values(), default=1.0) or 1.0
    # Larger pages are seen zoomed further out: grow the size range (and the central labels) so the
    # hubs still stand out with the whole graph in view.
    grow = min(3.0, max(1.0, math.sqrt(view.graph.number_of_nodes() / 250)))
    for n in sorted(view.graph, key=str):
        d = view.graph.nodes[n]
        kind = str(d["kind"])
        shape, colour = style_of(kind, str(d.get("event_type", "")))
        value = round(math.sqrt(view.score.get(n, 0.0) / top), 4)  # sqrt: area grows with the score
        label = str(d["label"])
        x, y = pos[n]
        net.nodes.append({
            "id": n, "label": label if len(label) <= 32 else label[:31] + "…", "shape": shape, "value": value,
            "color": {"background": colour, "border": "#444444", "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            # central nodes get large labels, readable with the whole graph in view (the page caps them when zoomed in)
            "font": {"size": round(12 + 52 * grow * value ** 3)}, "x": x, "y": y, "kind": kind,
            # plain text: vis-network 9 shows string titles with innerText, never as HTML
            "title": f"{label}\n{_KIND_TEXT.get(kind, kind)}{' · ' + str(d.get('event_type')) if d.get('event_type') else ''}"
                     "\n(click for the sentences)"})
        net.node_ids.append(n)
        net.node_map[n] = net.nodes[-1]
    for a, b, d in sorted(view.graph.edges(data=True), key=lambda e: (str(e[2]["source"]), str(e[0]), str(e[1]))):
        src, dst = (a, b) if d["source"] == a else (b, a)
        edge = {"from": src, "to": dst, "label": d["label"], "color": {"color": EDGE_COLOURS[d["group"]]}}
        if d["group"] in ("claim", "part"):
            edge["arrows"] = "to"
        net.edges.append(edge)
    many = len(net.edges) > 2000
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},  # positions come from kg.draw.layout: the page is usable at once
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": many, "hideEdgesOnZoom": many},
        # node size follows ``value`` (the centrality); labels below 6 px on screen are not drawn
        "nodes": {"borderWidth": 1, "font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"min": 8, "max": round(40 * grow), "label": {"enabled": False, "drawThreshold": 6}}},
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2, "arrowStrikethrough": False,
                  "arrows": {"to": {"scaleFactor": 0.5}},
                  "font": {"size": 10, "color": "#555555", "strokeWidth": 2, "align": "middle"},
                  "scaling": {"label": {"drawThreshold": 9}}},
    }
    return net


def _details(view: View, snap: Snapshot, sources: dict[str, Sources]) -> dict[str, dict[str, Any]]:
    """What the side panel shows per node: facts, links, counts and the sentences behind it."""
    events_of: Counter[str] = Counter()
    claims_by: Counter[str] = Counter()
    claims_about: Counter[str] = Counter()
    events_at: Counter[str] = Counter()
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
        if kind == "event":
            e = snap.events[n]
            when = e.start[:10] if e.start else "unknown"
            if e.end and e.start and e.end[:10] != e.start[:10]:
                when += f" to {e.end[:10]}"
            facts += [["type", e.type_label or e.type or "unknown"], ["date", when + (f" ({e.precision})" if e.precision else "")]]
            facts += [["status", e.status]] if e.status else []
            facts += [["reported", "; ".join(e.figures)]] if e.figures else []
            counts += [["actors", len(e.actors)], ["places", len(e.places)], ["claims about it", claims_about[n]]]
        elif kind == "claim":
            c = snap.claims[n]
            facts += [["says", c.text]]
            facts += [["asserts", c.claimed_type.replace("-", " ")]] if c.claimed_type else []
            counts += [["about", len(c.about)]]
        else:
            node = snap.entity(n)
            for name, url in (("Wikidata", node.wikidata if node else None), ("GeoNames", node.geonames if node else None)):
                if url:
                    links.append([name, url])
            if kind in _ACTOR_KINDS:
                counts += [["events", events_of[n]], ["claims made", claims_by[n]], ["claims about it", claims_about[n]]]
            if kind == "place" or n in snap.places:
                counts += [["events here", events_at[n]]]
        src = sources.get(n, Sources())
        counts += [["mentions", src.mentions], ["articles", len(src.articles)],
                   ["links on this page", view.graph.degree(n)], ["PageRank", f"{view.score.get(n, 0.0):.4f}"]]
        out[n] = {"label": str(d["label"]) if kind != "claim" else snap.claims[n].text or str(d["label"]),
                  "kind": _KIND_TEXT.get(kind, kind), "iri": n, "facts": facts, "links": links, "counts": counts,
                  "sources": src.sentences, "more": max(src.mentions - len(src.sentences), 0)}
    return out


def _top(view: View, n: int = 12) -> list[str]:
    actors = [v for v, d in view.graph.nodes(data=True) if d["kind"] in _ACTOR_KINDS]
    return sorted(actors, key=lambda v: (-view.score.get(v, 0.0), str(v)))[:n]


def _texts(view: View, snap: Snapshot, focus_label: str | None, depth: int,
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
    parts = ", ".join(f"{k:,} {_PLURAL.get(kind, kind)}" for kind, k in view.omitted.most_common())
    note = (f"Only part of the graph is shown: {left:,} of {view.pool_nodes:,} nodes were left out by the "
            f"{max_nodes:,}-node cap ({parts}; {view.omitted_edges:,} edges). Kept: {view.cut}. "
            "Narrow the view with a focus, dates or an event type, or raise the cap, to see the rest.")
    return lines, note
