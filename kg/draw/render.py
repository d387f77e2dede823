"""``render()``: from the store to one HTML file an analyst opens from disk."""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analyse._store import StoreLike, reading
from ..analyse.snapshot import Snapshot, snapshot
from .layout import layout
from .network import to_pyvis
from .page import html_page
from .panel import PLURAL, details, summary_lines, top_actors
from .sources import read_sources
from .style import family_of, legend
from .view import build, crop, resolve_focus

__all__ = ["render", "RenderReport", "DEFAULT_MAX_NODES"]

DEFAULT_MAX_NODES = 1500


@dataclass
class RenderReport:
    """What went onto the page, what was left out, and what it cost."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int  # in the (filtered) graph, before focus and cap
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
        left = ", ".join(f"{n} {PLURAL.get(k, k)}" for k, n in sorted(self.omitted.items()) if n)
        return (f"wrote {self.path}: {self.nodes} of {self.total_nodes} nodes, {self.edges} edges"
                + (f" (left out: {left})" if left else "") + f", {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s")


def render(store: StoreLike | Snapshot, out_path: str | os.PathLike[str], *, focus: str | None = None,
           depth: int = 1, since: object = None, until: object = None, event_type: str | None = None,
           max_nodes: int | None = DEFAULT_MAX_NODES, title: str | None = None, seed: int = 7) -> RenderReport:
    """Write an interactive, self-contained HTML page of the graph to ``out_path``.

    ``focus``: an IRI or a name (exact label, else part of one; the best connected match)
    to centre on, ``depth`` steps from actor to actor through events and claims.
    ``since``/``until`` (dates) and ``event_type`` (``riot``, ``ckgt:riot`` or the IRI)
    keep the matching events and the claims about them. Above ``max_nodes`` the page
    keeps the most central part (the nearest to the focus first) and says what it left
    out; ``None`` or 0 keeps everything. A store given as a :class:`~kg.store.Store` is
    read in place, a path is opened read-only. A bare :class:`~kg.analyse.Snapshot` draws
    too, without the sentences (those are read from the store).
    """
    started = time.perf_counter()
    with (nullcontext(None) if isinstance(store, Snapshot) else reading(store)) as s:
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
    net = to_pyvis(view, pos)
    nodes, edges, _, _, _, _ = net.get_network_data()
    data: dict[str, Any] = {"nodes": nodes, "edges": edges, "options": net.options, "focus": focus_id,
                            "details": details(view, snap, sources), "top": top_actors(view)}
    lines, cut_note = summary_lines(view, snap, focus_label, depth, max_nodes)
    kinds = {str(d["kind"]) for _, d in view.graph.nodes(data=True)}
    families = {family_of(str(d.get("event_type") or "")) for _, d in view.graph.nodes(data=True)
                if d["kind"] == "event"}
    html = html_page(title=title or (f"conflict-kg: around {focus_label}" if focus_label else "conflict-kg: the graph"),
                     data=data, summary=lines, cut_note=cut_note, legend=legend(kinds, families))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return RenderReport(out, view.graph.number_of_nodes(), view.graph.number_of_edges(), view.total_nodes,
                        view.total_edges, dict(view.omitted), focus_id, focus_label,
                        time.perf_counter() - started, layout_seconds, out.stat().st_size)
