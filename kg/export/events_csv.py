"""The flat table: one row per event, with columns close to what ACLED and GDELT users load.

``write_events_csv(store, out)`` writes UTF-8 CSV (RFC 4180: comma, double quotes,
CRLF; no byte-order mark, so pandas reads the first header as ``event_id``). It
reads the store with a handful of bulk SPARQL queries and joins in Python, so it
stays linear in the size of the store.

Columns (in this order):

===================== ===============================================================
event_id              the event's IRI (stable; joins back to the graph)
date                  first day of the event: ``sem:hasTimeStamp``, else begin, else
                      earliest begin, else end, else latest end (``YYYY-MM-DD``)
date_precision        ``ckg:timePrecision`` local name: minute, day, week, month, year
event_type            the project's event-type slug (``riot``)
event_type_label      its English ``skos:prefLabel``
acled_event_type      ACLED event type (``skos:notation``), from the type's mapping
acled_sub_event_type  ACLED sub-event type, when the mapped concept is one
plover_code           PLOVER category, e.g. ``PROTEST``
cameo_code            CAMEO code, e.g. ``145``
actor1, actor1_wikidata  the initiating side: the agent (else requester, speaker,
                      host), else the first participant by name; Q-id if known
actor2, actor2_wikidata  the other side: target (else victim, recipient, accused),
                      else the next participant by name
country, country_iso  the country of the event's place (the place itself when it is
                      one, else through ``schema:containedInPlace``); ISO alpha-2
admin1                the region between place and country, when the graph has one
location              the place's label
latitude, longitude   the place's WGS84 point, when it has one
fatalities_low/high   from ``killed`` counts: an exact value, else min/max bounds.
                      Totals ("people" or no group) are preferred; when only groups
                      are counted (civilians, security forces) their figures are
                      added up. When the reports give only open bounds ("more than
                      160"), fatalities_high stays empty.
status                occurred, ongoing or announced
source_article        the article IRI (also the name of the event's graph)
source_url            the article's URL
outlet                the publisher's name
language              the article's language
sentence              the sentence of the event's first mention (whitespace folded)
event_label           the event's label
date_end              last day of the event (same order as ``date``, from the end)
other_actors          the remaining participants, ``; ``-separated
parent_event          ``sem:subEventOf``, when the event is part of a larger one
===================== ===============================================================

Mapped codes follow the SKOS links of the event type, preferring
``skos:exactMatch``, then ``closeMatch``, then ``broadMatch``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, BinaryIO

import pyoxigraph as ox

__all__ = ["COLUMNS", "event_rows", "write_events_csv"]

COLUMNS = [
    "event_id", "date", "date_precision", "event_type", "event_type_label", "acled_event_type",
    "acled_sub_event_type", "plover_code", "cameo_code", "actor1", "actor1_wikidata", "actor2",
    "actor2_wikidata", "country", "country_iso", "admin1", "location", "latitude", "longitude",
    "fatalities_low", "fatalities_high", "status", "source_article", "source_url", "outlet", "language",
    "sentence", "event_label", "date_end", "other_actors", "parent_event",
]

CKG = "https://w3id.org/conflict-kg/ontology#"
CKGT = "https://w3id.org/conflict-kg/ontology/event-type/"
CAMEO = "https://w3id.org/conflict-kg/ontology/cameo/"
PLOVER = "https://w3id.org/conflict-kg/ontology/plover/"
ACLED = "https://w3id.org/conflict-kg/ontology/acled/"
SCHEMA = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

_PREFIXES = """
PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX gaf: <http://groundedannotationframework.org/gaf#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_EVENTS = _PREFIXES + """
SELECT ?e ?p ?o WHERE {
  ?e a sem:Event ; ?p ?o .
  VALUES ?p { sem:eventType rdfs:label ckg:status ckg:timePrecision sem:hasTimeStamp sem:hasBeginTimeStamp
              sem:hasEndTimeStamp sem:hasEarliestBeginTimeStamp sem:hasLatestEndTimeStamp sem:subEventOf
              sem:hasPlace sem:hasActor }
}"""
_EVENT_GRAPHS = _PREFIXES + "SELECT ?e ?g WHERE { GRAPH ?g { ?e a sem:Event } }"
_ROLES = _PREFIXES + """
SELECT ?e ?actor ?roleType WHERE {
  ?e a sem:Event ; ckg:hasRole ?r . ?r rdf:value ?actor . OPTIONAL { ?r sem:roleType ?roleType }
}"""
_ACTORS = _PREFIXES + """
SELECT ?x ?label ?same WHERE {
  { ?e sem:hasActor ?x } UNION { ?e ckg:hasRole/rdf:value ?x }
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x owl:sameAs ?same FILTER(STRSTARTS(STR(?same), "http://www.wikidata.org/entity/")) }
}"""
_PLACES = _PREFIXES + """
SELECT ?p ?label ?lat ?long ?in ?type WHERE {
  { ?p a sem:Place } UNION { ?e sem:hasPlace ?p }
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?p geo:lat ?lat }
  OPTIONAL { ?p geo:long ?long }
  OPTIONAL { ?p schema:containedInPlace ?in }
  OPTIONAL { ?p a ?type FILTER(?type IN (schema:Country, schema:City)) }
}"""
_COUNTS = _PREFIXES + """
SELECT ?e ?q ?value ?min ?max ?of WHERE {
  ?e a sem:Event ; ckg:reportedCount ?q . ?q ckg:countKind ckg:killed .
  OPTIONAL { ?q schema:value ?value }
  OPTIONAL { ?q schema:minValue ?min }
  OPTIONAL { ?q schema:maxValue ?max }
  OPTIONAL { ?q ckg:countOf ?of }
}"""
_TYPES = _PREFIXES + """
SELECT ?t ?label ?rel ?c WHERE {
  { SELECT DISTINCT ?t WHERE { ?e a sem:Event ; sem:eventType ?t } }
  OPTIONAL { ?t skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { VALUES ?rel { skos:exactMatch skos:closeMatch skos:broadMatch } ?t ?rel ?c }
}"""
_CONCEPTS = _PREFIXES + """
SELECT ?c ?notation ?broader WHERE {
  ?c skos:notation ?notation .
  FILTER(STRSTARTS(STR(?c), "https://w3id.org/conflict-kg/ontology/"))
  OPTIONAL { ?c skos:broader ?broader }
}"""
_MENTIONS = _PREFIXES + """
SELECT ?e ?m ?begin ?end ?article ?sentence WHERE {
  ?e a sem:Event ; gaf:denotedBy ?m .
  OPTIONAL { ?m nif:beginIndex ?begin }
  OPTIONAL { ?m nif:endIndex ?end }
  OPTIONAL { ?m nif:referenceContext ?article }
  OPTIONAL { ?m nif:sentence/nif:anchorOf ?sentence }
}"""
_SENTENCES = _PREFIXES + """
SELECT ?article ?begin ?end ?text WHERE {
  ?s a nif:Sentence ; nif:referenceContext ?article ; nif:beginIndex ?begin ; nif:endIndex ?end ;
     nif:anchorOf ?text .
}"""
_ARTICLES = _PREFIXES + """
SELECT ?a ?url ?lang ?outlet WHERE {
  ?a a schema:NewsArticle .
  OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a schema:inLanguage ?lang }
  OPTIONAL { ?a schema:publisher/schema:name ?outlet }
}"""

_RANK = {SKOS + "exactMatch": 0, SKOS + "closeMatch": 1, SKOS + "broadMatch": 2}
_ACTOR1_ROLES = ("agent", "requester", "speaker", "host")
_ACTOR2_ROLES = ("target", "victim", "recipient", "accused")
_TOTALS = {CKG + "people"}


def _rows(store: Any, sparql: str) -> Iterable[list[Any]]:
    out = store.query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in out.variables]
    for sol in out:
        yield [sol[n] for n in names]


def _v(term: Any) -> str:
    return "" if term is None else str(term.value)


def _local(iri: str) -> str:
    return re.sub(r"^.*[#/]", "", iri)


def _day(lexical: str) -> str:
    return lexical[:10] if re.match(r"^-?\d{4}-\d{2}-\d{2}", lexical) else lexical


def _int(term: Any) -> int | None:
    try:
        return int(float(term.value)) if term is not None else None
    except (ValueError, AttributeError):
        return None


def _fatalities(counts: list[dict[str, Any]]) -> tuple[str, str]:
    """Low and high figures from an event's killed counts (see the module notes)."""
    if not counts:
        return "", ""
    groups: dict[str, list[tuple[int | None, int | None]]] = defaultdict(list)
    for c in counts:
        value, lo, hi = c["value"], c["min"], c["max"]
        low = value if value is not None else lo
        high = value if value is not None else hi
        groups[c["of"] if c["of"] not in _TOTALS else ""].append((low, high))

    def span(pairs: list[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
        lows = [lo for lo, _ in pairs if lo is not None]
        highs = [hi for _, hi in pairs if hi is not None]
        low = max(lows) if lows else None
        # Only open bounds ("more than N") leave the top open; any exact figure or upper bound closes it.
        high = max(highs) if highs else None
        if low is not None and high is not None and high < low:
            high = low
        return low, high

    parts = {g: span(p) for g, p in groups.items()}
    if "" in parts:
        low, high = parts[""]
        # The groups' own figures can only raise the floor of the total.
        group_low = sum(lo or 0 for g, (lo, _) in parts.items() if g)
        if low is not None or group_low:
            low = max(low or 0, group_low)
    else:
        lows = [lo for lo, _ in parts.values()]
        highs = [hi for _, hi in parts.values()]
        low = sum(lo for lo in lows if lo is not None) if any(lo is not None for lo in lows) else None
        high = sum(highs) if highs and all(h is not None for h in highs) else None  # type: ignore[misc]
    if low is not None and high is not None and high < low:
        high = low
    return ("" if low is None else str(low)), ("" if high is None else str(high))


def event_rows(store: Any) -> list[dict[str, str]]:
    """The table as a list of dicts (column -> text), sorted by date (undated last), then event id."""
    ox_store = getattr(store, "oxigraph", store)

    events: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for e, p, o in _rows(ox_store, _EVENTS):
        events[e.value][_local(p.value)].append(o)
    graph_of: dict[str, str] = {}
    for e, g in _rows(ox_store, _EVENT_GRAPHS):
        if isinstance(g, ox.NamedNode):
            graph_of.setdefault(e.value, g.value)
            graph_of[e.value] = min(graph_of[e.value], g.value)

    roles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for e, actor, rt in _rows(ox_store, _ROLES):
        if actor is not None:
            roles[e.value].append((_local(_v(rt)) or "participant", actor.value))
    actors: dict[str, dict[str, str]] = {}
    for x, label, same in _rows(ox_store, _ACTORS):
        a = actors.setdefault(x.value, {"label": "", "qid": ""})
        if label is not None and (not a["label"] or label.value < a["label"]):
            a["label"] = label.value
        if same is not None:
            qid = same.value[len(WD):]
            if not a["qid"] or qid < a["qid"]:
                a["qid"] = qid

    places: dict[str, dict[str, Any]] = {}
    for p, label, lat, long, inside, ptype in _rows(ox_store, _PLACES):
        if not isinstance(p, ox.NamedNode):
            continue
        d = places.setdefault(p.value, {"label": "", "lat": "", "long": "", "in": set(), "types": set()})
        if label is not None and (not d["label"] or label.value < d["label"]):
            d["label"] = label.value
        if lat is not None and not d["lat"]:
            d["lat"] = lat.value
        if long is not None and not d["long"]:
            d["long"] = long.value
        if inside is not None:
            d["in"].add(inside.value)
        if ptype is not None:
            d["types"].add(ptype.value)

    killed: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for e, q, value, lo, hi, of in _rows(ox_store, _COUNTS):
        killed[e.value][q.value] = {"value": _int(value), "min": _int(lo), "max": _int(hi), "of": _v(of)}

    type_label: dict[str, str] = {}
    mapped: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for t, label, rel, c in _rows(ox_store, _TYPES):
        if label is not None:
            type_label.setdefault(t.value, label.value)
        if rel is not None and c is not None:
            mapped[t.value].append((_RANK.get(rel.value, 9), c.value))
    notation: dict[str, str] = {}
    broader: dict[str, set[str]] = defaultdict(set)
    for c, n, b in _rows(ox_store, _CONCEPTS):
        notation.setdefault(c.value, n.value)
        if b is not None:
            broader[c.value].add(b.value)

    # The first mention of each event (lowest offset): its sentence, and its article.
    first_mention: dict[str, tuple[int, str, str, int]] = {}  # event -> (begin, mention, sentence, end)
    mention_article: dict[str, str] = {}
    for e, m, begin, end, article, sentence in _rows(ox_store, _MENTIONS):
        b = _int(begin)
        offset = b if b is not None else 1 << 62
        best = first_mention.get(e.value)
        if best is None or (offset, m.value) < best[:2] or ((offset, m.value) == best[:2] and sentence is not None
                                                            and not best[2]):
            first_mention[e.value] = (offset, m.value, _v(sentence), _int(end) or 0)
            mention_article[e.value] = _v(article)
    # Mentions without a linked sentence: the sentence of the same article that encloses them.
    if any(not v[2] for v in first_mention.values()):
        spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for article, sb_term, se_term, text in _rows(ox_store, _SENTENCES):
            sb, se = _int(sb_term), _int(se_term)
            if sb is not None and se is not None:
                spans[article.value].append((sb, se, text.value))
        for ev, (b0, m0, s0, e0) in list(first_mention.items()):
            if s0:
                continue
            for sb, se, text in sorted(spans.get(mention_article.get(ev, ""), [])):
                if sb <= b0 and e0 <= se:
                    first_mention[ev] = (b0, m0, text, e0)
                    break

    articles: dict[str, dict[str, str]] = {}
    for a, url, lang, outlet in _rows(ox_store, _ARTICLES):
        d = articles.setdefault(a.value, {"url": "", "lang": "", "outlet": ""})
        for field_name, term in (("url", url), ("lang", lang), ("outlet", outlet)):
            if term is not None and not d[field_name]:
                d[field_name] = term.value

    def best_code(t: str, namespace: str) -> str:
        ranked = sorted((rank, -len(notation.get(c, "")), notation.get(c, ""), c)
                        for rank, c in mapped.get(t, []) if c.startswith(namespace) and c in notation)
        return ranked[0][2] if ranked else ""

    def acled(t: str) -> tuple[str, str]:
        ranked = sorted((rank, c) for rank, c in mapped.get(t, []) if c.startswith(ACLED) and c in notation)
        if not ranked:
            return "", ""
        best = ranked[0][1]
        parents = [b for b in sorted(broader.get(best, ())) if b.startswith(ACLED) and b in notation]
        if parents:  # a sub-event type: its broader concept is the event type
            return notation[parents[0]], notation[best]
        subs = [c for _, c in ranked if best in broader.get(c, ())]
        return notation[best], (notation[subs[0]] if subs else "")

    def country_of(place: str) -> str:
        seen: set[str] = set()
        todo = [place]
        while todo:
            p = todo.pop(0)
            if p in seen:
                continue
            seen.add(p)
            d = places.get(p)
            if d is None:
                continue
            if SCHEMA + "Country" in d["types"] or re.search(r"/country/[A-Z]{2}$", p):
                return p
            todo.extend(sorted(d["in"]))
        return ""

    def admin1_of(place: str, country: str) -> str:
        # A region on the containment path between the event's place and its country (not a
        # city, not the place itself): the graph rarely has one, and then the column stays empty.
        path: list[str] = []
        p = place
        for _ in range(10):
            if not p or p == country or p in path:
                break
            path.append(p)
            nxt = sorted(places.get(p, {}).get("in", ()))
            p = country if country in nxt else (nxt[0] if nxt else "")
        for p in reversed(path[1:]):
            if SCHEMA + "City" not in places.get(p, {}).get("types", set()):
                return str(places.get(p, {}).get("label", ""))
        return ""

    rows: list[dict[str, str]] = []
    for e, props in events.items():
        def first(name: str, props: dict[str, list[Any]] = props) -> str:
            vals = sorted(_v(t) for t in props.get(name, []))
            return vals[0] if vals else ""

        etype = first("eventType")
        ts, begin, end_ = first("hasTimeStamp"), first("hasBeginTimeStamp"), first("hasEndTimeStamp")
        earliest, latest = first("hasEarliestBeginTimeStamp"), first("hasLatestEndTimeStamp")
        start = next((x for x in (ts, begin, earliest, end_, latest) if x), "")
        finish = next((x for x in (ts, end_, latest, begin, earliest) if x), "")

        # The two sides: role nodes first, then plain participants by name.
        by_role: dict[str, list[str]] = defaultdict(list)
        for role, actor in roles.get(e, []):
            if actor not in by_role[role]:
                by_role[role].append(actor)
        participants = sorted({_v(a) for a in props.get("hasActor", [])} | {a for _, a in roles.get(e, [])},
                              key=lambda a: (actors.get(a, {}).get("label", "") or a, a))

        def pick(order: tuple[str, ...], taken: set[str],
                 by_role: dict[str, list[str]] = by_role) -> str:
            for role in order:
                for a in sorted(by_role.get(role, []), key=lambda a: (actors.get(a, {}).get("label", "") or a)):
                    if a not in taken:
                        return a
            return ""

        a1 = pick(_ACTOR1_ROLES, set())
        a2 = pick(_ACTOR2_ROLES, {a1})
        if not a1:
            a1 = next((a for a in participants if a != a2), "")
        if not a2:
            a2 = next((a for a in participants if a not in (a1,)), "")
        others = [a for a in participants if a not in (a1, a2)]

        place_iris = sorted(_v(p) for p in props.get("hasPlace", []))
        # The most specific place: one that is not a country, if there is one.
        place = next((p for p in place_iris if SCHEMA + "Country" not in places.get(p, {}).get("types", set())),
                     place_iris[0] if place_iris else "")
        country = country_of(place) if place else ""
        iso = m.group(1) if (m := re.search(r"/country/([A-Z]{2})$", country)) else ""
        pinfo = places.get(place, {})
        low, high = _fatalities(list(killed.get(e, {}).values()))
        article = graph_of.get(e, "") or mention_article.get(e, "")
        art = articles.get(article, {})
        ac_type, ac_sub = acled(etype)
        sentence = first_mention.get(e, (0, "", "", 0))[2]

        def label(a: str) -> str:
            return actors.get(a, {}).get("label", "") or (_local(a) if a else "")

        rows.append({
            "event_id": e,
            "date": _day(start),
            "date_precision": _local(first("timePrecision")),
            "event_type": etype[len(CKGT):] if etype.startswith(CKGT) else _local(etype),
            "event_type_label": type_label.get(etype, ""),
            "acled_event_type": ac_type,
            "acled_sub_event_type": ac_sub,
            "plover_code": best_code(etype, PLOVER),
            "cameo_code": best_code(etype, CAMEO),
            "actor1": label(a1),
            "actor1_wikidata": actors.get(a1, {}).get("qid", ""),
            "actor2": label(a2),
            "actor2_wikidata": actors.get(a2, {}).get("qid", ""),
            "country": places.get(country, {}).get("label", "") if country else "",
            "country_iso": iso,
            "admin1": admin1_of(place, country) if place else "",
            "location": pinfo.get("label", ""),
            "latitude": pinfo.get("lat", ""),
            "longitude": pinfo.get("long", ""),
            "fatalities_low": low,
            "fatalities_high": high,
            "status": _local(first("status")),
            "source_article": article,
            "source_url": art.get("url", ""),
            "outlet": art.get("outlet", ""),
            "language": art.get("lang", ""),
            "sentence": " ".join(sentence.split()),
            "event_label": first("label"),
            "date_end": _day(finish),
            "other_actors": "; ".join(label(a) for a in others),
            "parent_event": first("subEventOf"),
        })
    rows.sort(key=lambda r: (r["date"] == "", r["date"], r["event_id"]))
    return rows


def write_events_csv(store: Any, out: BinaryIO) -> int:
    """Write one CSV row per event (see :data:`COLUMNS`) to a binary stream; returns the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        w = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n", extrasaction="ignore")
        w.writeheader()
        rows = event_rows(store)
        w.writerows(rows)
        text.flush()
    finally:
        text.detach()  # the caller's stream stays open
    return len(rows)
