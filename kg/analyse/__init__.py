"""Network analysis of the graph: networkx graphs from the store, centrality, communities, timelines.

::

    from kg.analyse import analyse, to_networkx
    res = analyse("kg-store", kind="actor-actor")      # graph + measures + tables
    res.top(5)                                         # who is central here
    res.to_csv(), res.to_json()                        # tables
    g = to_networkx("kg-store", "actor-event")         # just the graph
    analyse("kg-store", kind="timeline").rows          # events per day by type
"""

from __future__ import annotations

from .graphs import KINDS, to_networkx
from .measures import MEASURES, betweenness, communities, measure, pagerank
from .result import ANALYSES, AnalysisResult, analyse
from .snapshot import ClaimRecord, EventRecord, Node, Snapshot, snapshot
from .timeline import timeline, timeline_matrix, undated

__all__ = [
    "analyse", "AnalysisResult", "ANALYSES", "to_networkx", "KINDS",
    "measure", "MEASURES", "pagerank", "betweenness", "communities",
    "timeline", "timeline_matrix", "undated",
    "snapshot", "Snapshot", "Node", "EventRecord", "ClaimRecord",
]
