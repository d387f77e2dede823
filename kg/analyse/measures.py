"""Who is central here: degree, weighted degree, betweenness, PageRank and Louvain communities.

Every measure is written onto the graph's nodes as an attribute (the pages read them)
and returned as ``{measure: {node: value}}``. Results are reproducible: sampled
betweenness and Louvain both take a fixed seed.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = ["MEASURES", "measure", "pagerank", "betweenness", "communities", "EXACT_BETWEENNESS_LIMIT"]

MEASURES = ("degree", "weighted_degree", "betweenness", "pagerank", "community")
# Exact betweenness is O(n*m): 92 s at 2,350 nodes on the project's machines; above this many
# nodes it is estimated from a sample of source nodes instead.
EXACT_BETWEENNESS_LIMIT = 500
DEFAULT_SAMPLE = 256


def pagerank(g: nx.Graph, weight: str = "weight") -> dict[str, float]:
    """PageRank (scipy-backed); on a directed graph rank flows along the edges (to who is talked about)."""
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_edges() == 0:  # no links: everyone is equal, and networkx would divide by zero
        return {n: 1.0 / g.number_of_nodes() for n in g}
    try:
        return nx.pagerank(g, weight=weight)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover - tolerance 1e-6 rarely fails
        return nx.pagerank(g, weight=weight, tol=1e-4, max_iter=1000)


def betweenness(g: nx.Graph, k: int | None = None, seed: int = 42) -> tuple[dict[str, float], int | None]:
    """Normalised betweenness, and the sample size used (None when exact).

    Edges count as one hop each: the weights here are strengths (shared events), not
    distances, so feeding them to a shortest-path measure would reward weak ties.
    """
    n = g.number_of_nodes()
    if k is None and n > EXACT_BETWEENNESS_LIMIT:
        k = DEFAULT_SAMPLE
    if k is not None and k >= n:
        k = None
    return nx.betweenness_centrality(g, k=k, normalized=True, seed=seed if k else None), k


def communities(g: nx.Graph, seed: int = 42, weight: str = "weight") -> dict[str, int]:
    """Louvain communities (on the undirected graph), numbered 0.. from the largest down."""
    if g.number_of_nodes() == 0:
        return {}
    und = g.to_undirected(as_view=True) if g.is_directed() else g
    found = nx.community.louvain_communities(und, weight=weight, seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {n: i for i, c in enumerate(ordered) for n in c}


def measure(g: nx.Graph, *, betweenness_k: int | None = None, seed: int = 42,
            with_betweenness: bool = True, with_communities: bool = True) -> dict[str, dict[str, Any]]:
    """Compute the :data:`MEASURES` (plus in/out degree on a directed graph) and set them on the nodes.

    ``betweenness_k``: sample size for betweenness (default: exact up to
    :data:`EXACT_BETWEENNESS_LIMIT` nodes, else a sample of 256); the size used is
    recorded in ``g.graph["betweenness_k"]``.
    """
    out: dict[str, dict[str, Any]] = {
        "degree": dict(g.degree()),
        "weighted_degree": dict(g.degree(weight="weight")),
        "pagerank": pagerank(g),
    }
    if g.is_directed():
        out["in_degree"] = dict(g.in_degree())
        out["out_degree"] = dict(g.out_degree())
    if with_betweenness:
        out["betweenness"], used = betweenness(g, betweenness_k, seed)
        g.graph["betweenness_k"] = used
    if with_communities:
        out["community"] = communities(g, seed)
        g.graph["communities"] = len(set(out["community"].values()))
    for name, values in out.items():
        nx.set_node_attributes(g, values, name)
    return out
