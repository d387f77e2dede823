"""Node positions computed before the page opens, so the browser draws once and runs no physics.

networkx's ``spring_layout`` took 13 s for 1,500 nodes on the project's machines, so
this is a two-step layout in numpy/scipy that stays near-linear in the graph size:

1. pivot MDS (Brandes and Pich) per connected component: breadth-first distances
   from a few dozen well-spread pivot nodes, projected to the plane. This gets the
   global shape right at once, which random starts and forces never quite do;
2. a few dozen rounds of Fruchterman-Reingold to pull neighbours together and push
   overlaps apart, with repulsion exact between close nodes (k-d tree) and estimated
   from a random sample of nodes beyond.

Components are then packed in rows, the largest first.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path
from scipy.spatial import cKDTree

__all__ = ["layout"]

PIVOTS = 40
CUTOFF = 2.0  # exact repulsion within this reach (ideal edge lengths); sampled beyond
SAMPLE = 300
GAP = 3.0  # space between packed components, in ideal edge lengths


def layout(g: nx.Graph, *, seed: int = 7, iterations: int | None = None,
           edge_px: float = 110.0) -> dict[str, tuple[float, float]]:
    """Positions in page pixels (an ideal edge is ``edge_px`` long); the same graph and seed give the same result.

    ``iterations`` of force refinement: default 60, or 25 above 5,000 nodes, where the
    pivot MDS start carries most of the shape and each round costs more.
    """
    nodes = sorted(g, key=str)  # sorted: the page does not depend on the order the graph was built in
    if not nodes:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in g.edges() if a != b], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    comps = sorted((sorted(index[v] for v in c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    adj = csr_matrix((np.ones(2 * len(pairs)), (np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]])),
                     shape=(len(nodes), len(nodes)))
    pos = np.zeros((len(nodes), 2))
    # Lay the components far apart on a line first, so the refinement below cannot mix them.
    offset = 0.0
    for comp in comps:
        local = _pivot_mds(adj[comp][:, comp], rng)
        local -= local.min(axis=0)
        pos[comp] = local + [offset, 0.0]
        offset += local[:, 0].max() + 10 * CUTOFF + 4 * np.sqrt(len(comp))
    pos += rng.normal(0, 0.05, pos.shape)  # nodes the MDS put on one spot (leaves of one hub) need a direction
    _refine(pos, pairs, iterations or (60 if len(nodes) <= 5000 else 25), rng)
    pos = _pack(pos, comps)
    px = np.round(pos * edge_px, 1)
    return {v: (float(px[i, 0]), float(px[i, 1])) for i, v in enumerate(nodes)}


def _pivot_mds(adj: csr_matrix, rng: np.random.Generator) -> np.ndarray:
    """Plane coordinates for one connected component: median edge one unit, at most about one node per unit area."""
    n = adj.shape[0]
    if n <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]][:n])
    degree = np.asarray(adj.sum(axis=1)).ravel()
    pivots = [int(np.argmax(degree))]
    dist = [shortest_path(adj, unweighted=True, indices=pivots[0])]
    nearest = dist[0].copy()
    while len(pivots) < min(PIVOTS, n):  # farthest-first: each pivot as far as can be from the others
        nxt = int(np.argmax(nearest))
        if nearest[nxt] == 0:
            break
        pivots.append(nxt)
        dist.append(shortest_path(adj, unweighted=True, indices=nxt))
        nearest = np.minimum(nearest, dist[-1])
    d2 = np.square(np.array(dist).T)  # n x k squared hop distances
    b = -0.5 * (d2 - d2.mean(axis=0) - d2.mean(axis=1, keepdims=True) + d2.mean())
    u, s, _ = np.linalg.svd(b, full_matrices=False)
    xy = u[:, :2] * s[:2] if u.shape[1] >= 2 else np.c_[u[:, 0] * s[0], rng.normal(0, 0.1, n)]
    xy -= xy.mean(axis=0)
    rows, cols = adj.nonzero()
    by_edges = 1 / max(float(np.median(np.linalg.norm(xy[rows] - xy[cols], axis=1))), 1e-6)
    # Hop distances squeeze dense parts (a hub's leaves all sit one hop away): never pack more
    # than about one node per unit of area, or the cut-off repulsion meets O(n^2) pairs.
    rms = float(np.sqrt((xy ** 2).sum(axis=1).mean()))
    by_area = 0.6 * np.sqrt(n) / max(rms, 1e-6)
    return xy * max(by_edges, by_area)


def _refine(pos: np.ndarray, pairs: np.ndarray, iterations: int, rng: np.random.Generator) -> None:
    """Fruchterman-Reingold (ideal edge length 1), moving ``pos`` in place.

    Repulsion (1/d) is exact between nodes closer than ``CUTOFF`` (k-d tree) and, beyond
    that, estimated from a fresh random sample of ``SAMPLE`` nodes each round, scaled up:
    O(n * SAMPLE) instead of O(n^2), and unbiased on average over the rounds.
    """
    n = len(pos)
    temp, final = 2.0, 0.02
    decay = (final / temp) ** (1 / max(iterations - 1, 1))
    for _ in range(iterations):
        force = np.zeros_like(pos)
        sample = np.arange(n) if n <= SAMPLE else rng.choice(n, SAMPLE, replace=False)
        dx = pos[:, 0, None] - pos[None, sample, 0]
        dy = pos[:, 1, None] - pos[None, sample, 1]
        w = dx * dx + dy * dy
        if n > SAMPLE:
            w[w < CUTOFF * CUTOFF] = np.inf  # near pairs are counted exactly below
        w += 1e-4
        w = (n / len(sample)) / w
        force[:, 0] += (dx * w).sum(axis=1)
        force[:, 1] += (dy * w).sum(axis=1)
        if n > SAMPLE:
            close = cKDTree(pos).query_pairs(CUTOFF, output_type="ndarray")
            if len(close):
                _spread(force, close, _inverse(pos[close[:, 0]] - pos[close[:, 1]]), n)
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            _spread(force, pairs, -d * np.linalg.norm(d, axis=1)[:, None], n)  # pull: d^2 along the edge
        length = np.linalg.norm(force, axis=1) + 1e-9
        pos += force * (np.minimum(length, temp) / length)[:, None]
        temp *= decay


def _inverse(d: np.ndarray) -> np.ndarray:
    """1/|d| along d."""
    return d / (np.einsum("ij,ij->i", d, d) + 1e-4)[:, None]


def _spread(force: np.ndarray, pairs: np.ndarray, f: np.ndarray, n: int) -> None:
    """Add ``f`` to the first node of each pair and its opposite to the second."""
    for axis in (0, 1):
        force[:, axis] += np.bincount(pairs[:, 0], f[:, axis], minlength=n)
        force[:, axis] -= np.bincount(pairs[:, 1], f[:, axis], minlength=n)


def _pack(pos: np.ndarray, comps: list[list[int]]) -> np.ndarray:
    """Shelf-pack the components' bounding boxes into rows about as wide as the whole is tall."""
    boxes = []
    for comp in comps:
        local = pos[comp] - pos[comp].min(axis=0)
        boxes.append((comp, local, local.max(axis=0) + GAP))
    width = max(float(np.sqrt(sum(float(w * h) for _, _, (w, h) in boxes)) * 1.3), float(boxes[0][2][0]))
    out = np.zeros_like(pos)
    x = y = row_h = 0.0
    for comp, local, (w, h) in boxes:
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        out[comp] = local + [x, y]
        x, row_h = x + w, max(row_h, h)
    return out - (out.max(axis=0) + out.min(axis=0)) / 2
