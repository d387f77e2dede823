"""Interactive graph pages: self-contained HTML (vis-network via pyvis), opened from a file with no network.

::

    from kg.draw import render
    report = render("kg-store", "graph.html", focus="Tokayev", depth=1)
    print(report.summary())

Nodes are shaped and coloured by kind, sized by PageRank, placed by a layout computed
beforehand (:mod:`kg.draw.layout`); clicking one shows its facts and the sentences it
was read from. Above ``max_nodes`` the page shows the most central part and says what
it left out.
"""

from __future__ import annotations

from .layout import layout
from .render import DEFAULT_MAX_NODES, RenderReport, render

__all__ = ["render", "RenderReport", "DEFAULT_MAX_NODES", "layout"]
