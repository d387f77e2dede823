"""The page graph as a pyvis ``Network``: node and edge dicts filled list by list, options for no physics.

pyvis's ``add_node``/``add_edge``/``from_nx`` check membership in plain lists on every
call (quadratic: 355 s for 20,000 nodes); appending to ``nodes``/``edges`` directly is linear.
"""

from __future__ import annotations

import math

from pyvis.network import Network

from .style import EDGE_COLOURS, style_of
from .view import View

__all__ = ["to_pyvis", "KIND_TEXT"]

KIND_TEXT = {"person": "person", "organisation": "organisation", "state": "state", "group": "unnamed group",
             "actor": "actor", "place": "place", "event": "event", "claim": "claim"}
_ARROWED = ("claim", "part")  # who says -> claim -> what about; part -> whole: direction matters there


def to_pyvis(view: View, pos: dict[str, tuple[float, float]]) -> Network:
    """Nodes shaped and coloured by kind, sized by centrality (``value``), at the precomputed positions."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    top = max(view.score.values(), default=1.0) or 1.0
    # Larger pages are seen zoomed further out: grow the size range (and the central labels) so the
    # hubs still stand out with the whole graph in view.
    grow = min(3.0, max(1.0, math.sqrt(view.graph.number_of_nodes() / 250)))
    for n in sorted(view.graph, key=str):
        d = view.graph.nodes[n]
        kind, event_type = str(d["kind"]), str(d.get("event_type") or "")
        shape, colour = style_of(kind, event_type)
        value = round(math.sqrt(view.score.get(n, 0.0) / top), 4)  # sqrt: the drawn area follows the score
        label = str(d["label"])
        x, y = pos[n]
        net.nodes.append({
            "id": n, "label": label if len(label) <= 32 else label[:31] + "…", "shape": shape, "value": value,
            "color": {"background": colour, "border": "#444444",
                      "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            # central nodes get large labels, readable with the whole graph in view (the page caps them zoomed in)
            "font": {"size": round(12 + 52 * grow * value ** 3)}, "x": x, "y": y, "kind": kind,
            # plain text: vis-network 9 shows string titles with innerText, never as HTML
            "title": f"{label}\n{KIND_TEXT.get(kind, kind)}{' · ' + event_type if event_type else ''}"
                     "\n(click for the sentences)"})
        net.node_ids.append(n)
        net.node_map[n] = net.nodes[-1]
    for a, b, d in sorted(view.graph.edges(data=True), key=lambda e: (str(e[2]["source"]), str(e[0]), str(e[1]))):
        src, dst = (a, b) if d["source"] == a else (b, a)
        edge = {"from": src, "to": dst, "label": d["label"], "color": {"color": EDGE_COLOURS[d["group"]]}}
        if d["group"] in _ARROWED:
            edge["arrows"] = "to"
        net.edges.append(edge)
    many = len(net.edges) > 2000
    net.options = {
        "autoResize": True,
        "physics": {"enabled": False},  # positions come from kg.draw.layout: the page is usable at once
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": many, "hideEdgesOnZoom": many},
        # node size follows ``value``; labels under 6 px on screen are not drawn (fast and uncluttered zoomed out)
        "nodes": {"borderWidth": 1,
                  "font": {"face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"min": 8, "max": round(40 * grow), "label": {"enabled": False, "drawThreshold": 6}}},
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2, "arrowStrikethrough": False,
                  "arrows": {"to": {"scaleFactor": 0.5}},
                  "font": {"size": 10, "color": "#555555", "strokeWidth": 2, "align": "middle"},
                  "scaling": {"label": {"drawThreshold": 9}}},
    }
    return net
