"""One read of the store into plain records: what every graph, table and page is built from.

A few SPARQL queries, one per aspect (events, participants, claims, ...), instead of one
query per node: on a store of a million triples per-node queries would dominate the time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import QueryError
from ..namespaces import PREFIXES
from ._store import StoreLike, reading

__all__ = ["Node", "EventRecord", "ClaimRecord", "Snapshot", "snapshot", "normalise_type", "normalise_day",
           "SPARQL_PREFIXES"]

SPARQL_PREFIXES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"


@dataclass
class Node:
    """An actor or a place: ``kind`` is person, organisation, state, group, actor or place."""

    iri: str
    label: str
    kind: str
    wikidata: str | None = None
    geonames: str | None = None


@dataclass
class EventRecord:
    iri: str
    label: str
    type: str = ""  # slug in the project's event-type scheme, e.g. "riot"
    type_label: str = ""
    start: str | None = None  # lexical xsd:date or xsd:dateTime
    end: str | None = None
    precision: str | None = None
    status: str | None = None
    article: str | None = None
    actors: dict[str, set[str]] = field(default_factory=dict)  # actor IRI -> role names (may be empty)
    places: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)  # "killed (civilians): 56", "injured: >= 200"

    @property
    def day(self) -> str | None:
        return self.start[:10] if self.start else None


@dataclass
class ClaimRecord:
    iri: str
    text: str = ""
    claimed_type: str = ""  # slug of ckg:claimsEventType, when the claim asserts one
    article: str | None = None
    authors: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    accused: list[str] = field(default_factory=list)  # accused/target roles hanging off the claim


@dataclass
class Snapshot:
    """Actors, places, events, claims and article headlines/dates of a store (or a filtered part)."""

    actors: dict[str, Node] = field(default_factory=dict)
    places: dict[str, Node] = field(default_factory=dict)
    events: dict[str, EventRecord] = field(default_factory=dict)
    claims: dict[str, ClaimRecord] = field(default_factory=dict)
    articles: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # IRI -> (headline, date)
    filters: dict[str, str] = field(default_factory=dict)

    def entity(self, iri: str) -> Node | None:
        """The actor (preferred: a state acting is an actor first) or place with this IRI."""
        return self.actors.get(iri) or self.places.get(iri)

    def filtered(self, *, since: object = None, until: object = None, event_type: str | None = None) -> Snapshot:
        """Events in the window and of the type; claims about them (or asserting that type).

        An event is in the window when it overlaps it; undated events drop out once a date
        bound is given. A claim about no event is kept by date of its article.
        """
        lo, hi, want = normalise_day(since), normalise_day(until), normalise_type(event_type)
        if lo is None and hi is None and want is None:
            return self

        def in_window(first: str | None, last: str | None) -> bool:
            if first is None:
                return False
            return (lo is None or (last or first)[:10] >= lo) and (hi is None or first[:10] <= hi)

        dated = lo is not None or hi is not None
        events = {k: e for k, e in self.events.items()
                  if (want is None or e.type == want) and (not dated or in_window(e.start, e.end))}
        claims = {}
        for k, c in self.claims.items():
            if any(a in events for a in c.about):
                claims[k] = c
                continue
            if any(a in self.events for a in c.about) and want is not None:
                continue  # about events of other types only
            day = self.articles.get(c.article or "", ("", None))[1]
            if (want is None or c.claimed_type == want) and (not dated or in_window(day, day)):
                claims[k] = c
        flt = {k: v for k, v in (("since", lo), ("until", hi), ("type", want)) if v is not None}
        return replace(self, events=events, claims=claims, filters={**self.filters, **flt})


def normalise_type(value: str | None) -> str | None:
    """``riot``, ``ckgt:riot``, the full concept IRI or a label like ``coup attempt`` -> ``coup-attempt``."""
    if value is None or not str(value).strip():
        return None
    v = str(value).strip().strip("<>")
    v = v.rsplit("/", 1)[-1].rsplit("#", 1)[-1].split(":", 1)[-1]
    return re.sub(r"[^a-z0-9]+", "-", v.lower()).strip("-")


def normalise_day(value: object) -> str | None:
    """A date bound as ``YYYY-MM-DD`` (from a date, datetime or ISO string); bad input is a QueryError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise QueryError(f"{value!r} is not a date (YYYY-MM-DD)") from None


# --- reading ---------------------------------------------------------------------------
# Simple DISTINCT scans, merged in Python. Joins and GROUP BY over the union of article
# graphs meet every copy of a shared entity once per article that mentions it (a state
# named in 500 articles has 500 copies of its type and label); on a 20,000-node store the
# joined versions of these queries took seconds each.

_TYPES = """SELECT DISTINCT ?x ?t WHERE { VALUES ?t { sem:Actor sem:Place schema:Person schema:Organization
  schema:Country } ?x a ?t }"""
_LABELS = "SELECT DISTINCT ?x ?l WHERE { ?x rdfs:label ?l }"
_SAME = "SELECT DISTINCT ?x ?same WHERE { ?x owl:sameAs ?same }"
_EVENTS = "SELECT DISTINCT ?e ?g WHERE { GRAPH ?g { ?e a sem:Event } }"
_EVENT_PROPS = """SELECT DISTINCT ?e ?p ?v WHERE { VALUES ?p { sem:eventType sem:hasTimeStamp sem:hasBeginTimeStamp
  sem:hasEndTimeStamp sem:hasEarliestBeginTimeStamp sem:hasLatestEndTimeStamp ckg:timePrecision ckg:status
  sem:hasActor sem:hasPlace sem:subEventOf } ?e ?p ?v }"""
_TYPE_LABELS = """SELECT DISTINCT ?t ?l WHERE { ?t skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) }"""
_ROLES = "SELECT DISTINCT ?e ?x ?role WHERE { ?e ckg:hasRole ?r . ?r rdf:value ?x ; sem:roleType ?role }"
_FIGURES = """SELECT DISTINCT ?e ?kind ?of ?v ?lo ?hi WHERE { ?e ckg:reportedCount ?q . ?q ckg:countKind ?kind .
  OPTIONAL { ?q ckg:countOf ?of } OPTIONAL { ?q schema:value ?v }
  OPTIONAL { ?q schema:minValue ?lo } OPTIONAL { ?q schema:maxValue ?hi } }"""
_CLAIMS = """SELECT DISTINCT ?c ?p ?v WHERE {
  VALUES ?p { schema:text ckg:claimsEventType schema:appearance schema:author schema:about }
  ?c a schema:Claim ; ?p ?v }"""
_CLAIM_ROLES = """SELECT DISTINCT ?c ?x WHERE { ?c a schema:Claim ; ckg:hasRole ?r . ?r sem:roleType ?rt ; rdf:value ?x
  FILTER(?rt IN (ckg:accused, ckg:target)) }"""
_ARTICLES = """SELECT DISTINCT ?a ?p ?v WHERE { VALUES ?p { schema:headline schema:datePublished schema:dateModified }
  ?a a schema:NewsArticle ; ?p ?v }"""

_STARTS = ("hasTimeStamp", "hasBeginTimeStamp", "hasEarliestBeginTimeStamp", "hasEndTimeStamp", "hasLatestEndTimeStamp")
_ENDS = ("hasTimeStamp", "hasEndTimeStamp", "hasLatestEndTimeStamp", "hasBeginTimeStamp", "hasEarliestBeginTimeStamp")


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def _kind(types: set[str], iri: str) -> str:
    s, sem = PREFIXES["schema"], PREFIXES["sem"]
    if s + "Person" in types:
        return "person"
    if s + "Country" in types:
        return "state"
    if s + "Organization" in types:
        return "group" if "/group/" in iri else "organisation"
    return "actor" if sem + "Actor" in types else "place"


def _figure(kind: str, of: str | None, v: str | None, lo: str | None, hi: str | None) -> str:
    """One reported count as a short line: ``killed (civilians): 56`` or ``injured: >= 200``."""
    parts = [v] if v is not None else []
    parts += [f">= {lo}"] if lo is not None else []
    parts += [f"<= {hi}"] if hi is not None else []
    return f"{_local(kind)}{f' ({_local(of)})' if of else ''}: {' '.join(parts) or '?'}"


def _rows(ox_store: Any, text: str) -> list[tuple[Any, ...]]:
    """Result rows as plain strings (None when unbound)."""
    out = ox_store.query(SPARQL_PREFIXES + "\n" + text, use_default_graph_as_union=True)
    width = len(out.variables)
    return [tuple(None if r[i] is None else r[i].value for i in range(width)) for r in out]


def _first(values: dict[str, list[str]], order: tuple[str, ...], pick: Any) -> str | None:
    for name in order:
        if values.get(name):
            return pick(values[name])
    return None


def snapshot(store: StoreLike) -> Snapshot:
    """Read a store (a :class:`kg.Store` or a path, opened read-only) into a :class:`Snapshot`."""
    with reading(store) as s:
        return _read(s.oxigraph)


def _read(ox_store: Any) -> Snapshot:
    sem = PREFIXES["sem"]
    types: dict[str, set[str]] = defaultdict(set)
    for x, t in _rows(ox_store, _TYPES):
        types[x].add(t)
    labels: dict[str, str] = {}
    for x, lab in _rows(ox_store, _LABELS):
        if x not in labels or lab < labels[x]:
            labels[x] = lab
    same: dict[str, list[str]] = defaultdict(list)
    for x, o in _rows(ox_store, _SAME):
        same[x].append(o)
    snap = Snapshot()
    for iri, ts in types.items():
        node = Node(iri, labels.get(iri) or _local(iri), _kind(ts, iri),
                    next((o for o in sorted(same[iri]) if o.startswith(WIKIDATA)), None),
                    next((o for o in sorted(same[iri]) if o.startswith(GEONAMES)), None))
        if sem + "Actor" in ts:
            snap.actors[iri] = node
        if sem + "Place" in ts:
            snap.places[iri] = node if node.kind == "state" else replace(node, kind="place")
    for e, g in sorted(_rows(ox_store, _EVENTS)):
        if e not in snap.events and g and not g.endswith("#staging"):
            snap.events[e] = EventRecord(e, labels.get(e) or _local(e), article=g)
    _events(ox_store, snap)
    _claims(ox_store, snap)
    for a, p, v in _rows(ox_store, _ARTICLES):
        headline, date = snap.articles.get(a, ("", None))
        if p and p.endswith("headline"):
            headline = headline or v or ""
        elif v and (date is None or v < date):
            date = v
        snap.articles[a] = (headline, date)
    return snap


def _events(ox_store: Any, snap: Snapshot) -> None:
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for e, p, v in _rows(ox_store, _EVENT_PROPS):
        if e in snap.events and v is not None:
            props[e][_local(p or "")].append(v)
    type_labels = {t: lab for t, lab in _rows(ox_store, _TYPE_LABELS)}
    for iri, rec in snap.events.items():
        got = props.get(iri, {})
        kinds = sorted(got.get("eventType", []))
        if kinds:
            rec.type, rec.type_label = _local(kinds[0]), type_labels.get(kinds[0]) or ""
        rec.start = _first(got, _STARTS, min)
        rec.end = _first(got, _ENDS, max)
        rec.precision = _local(min(got["timePrecision"])) if got.get("timePrecision") else None
        rec.status = _local(min(got["status"])) if got.get("status") else None
        for x in sorted(got.get("hasActor", [])):
            rec.actors.setdefault(x, set())
        rec.places = sorted(set(got.get("hasPlace", [])))
        rec.parents = sorted(set(got.get("subEventOf", [])))
    for e, x, role in _rows(ox_store, _ROLES):
        if e in snap.events and x and role:
            snap.events[e].actors.setdefault(x, set()).add(_local(role))
    for e, kind, of, v, lo, hi in sorted(_rows(ox_store, _FIGURES), key=str):
        if e in snap.events and kind:
            snap.events[e].figures.append(_figure(kind, of, v, lo, hi))


def _claims(ox_store: Any, snap: Snapshot) -> None:
    for c, p, v in sorted(_rows(ox_store, _CLAIMS), key=str):
        rec = snap.claims.setdefault(c, ClaimRecord(c))
        name = _local(p or "")
        if name == "text" and not rec.text:
            rec.text = v or ""
        elif name == "claimsEventType" and not rec.claimed_type:
            rec.claimed_type = _local(v or "")
        elif name == "appearance" and rec.article is None:
            rec.article = v
        elif name in ("author", "about") and v:
            getattr(rec, "authors" if name == "author" else "about").append(v)
    for c, x in sorted(_rows(ox_store, _CLAIM_ROLES), key=str):
        if c in snap.claims and x:
            snap.claims[c].accused.append(x)
