"""Events per day by type: the series an analyst plots first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ._store import StoreLike
from .snapshot import Snapshot, snapshot

__all__ = ["timeline", "timeline_matrix", "undated"]


def timeline(store: StoreLike | Snapshot, *, since: object = None, until: object = None,
             event_type: str | None = None) -> list[dict[str, Any]]:
    """One row per (day, event type): ``{"day": "2022-01-05", "event_type": "riot", "events": 3}``.

    The day is the event's start (its time stamp, else the begin or earliest begin of
    its window); events with no date are left out (count them with ``undated``).
    Rows are sorted by day, then type.
    """
    snap = store if isinstance(store, Snapshot) else snapshot(store)
    snap = snap.filtered(since=since, until=until, event_type=event_type)
    counts = Counter((e.day, e.type or "unknown") for e in snap.events.values() if e.day)
    return [{"day": d, "event_type": t, "events": n} for (d, t), n in sorted(counts.items())]


def undated(store: StoreLike | Snapshot) -> int:
    """How many events have no date at all (and so no place on the timeline)."""
    snap = store if isinstance(store, Snapshot) else snapshot(store)
    return sum(1 for e in snap.events.values() if not e.day)


def timeline_matrix(rows: list[dict[str, Any]]) -> tuple[list[str], list[str], list[list[int]]]:
    """The rows as (days, types, counts[type][day]): ready for a stacked bar chart."""
    days = sorted({str(r["day"]) for r in rows})
    types = sorted({str(r["event_type"]) for r in rows})
    pos_d = {d: i for i, d in enumerate(days)}
    pos_t = {t: i for i, t in enumerate(types)}
    grid = [[0] * len(days) for _ in types]
    for r in rows:
        grid[pos_t[str(r["event_type"])]][pos_d[str(r["day"])]] += int(r["events"])
    return days, types, grid
