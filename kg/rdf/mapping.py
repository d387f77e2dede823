"""From an extraction to quads, exactly as the public contract and docs/graph-model.md say.

Everything an article says goes into the article's own named graph, which is
self-contained (an entity there carries its types, label, identity and
mentions); the identity data of gazetteer entities also goes to the shared
gazetteer graph. No blank nodes: every node has a deterministic IRI, so reading
the same article twice yields the same quads.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import PurePath

from pyoxigraph import Literal, NamedNode, Quad

from ..model import Article, Count, Entity, Extraction, Span, TimeSpec
from ..namespaces import (CKG, CKGT, GAF, GEO, GEONAMES, NIF, OWL, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, WD, XSD)
from .iri import Minter

__all__ = ["to_quads", "Mapped", "GAZETTEER_GRAPH", "ONTOLOGY_GRAPH"]

GAZETTEER_GRAPH = "gazetteer"
ONTOLOGY_GRAPH = "ontology"

@lru_cache(maxsize=8192)
def _named(iri: str) -> NamedNode:
    return NamedNode(iri)


def N(iri: object) -> NamedNode:  # noqa: N802 - reads like a constructor
    """A NamedNode; vocabulary terms come from a bounded cache (per-article IRIs would fill an unbounded one)."""
    return _named(str(iri))


# Vocabulary terms (rdflib URIRefs of our namespaces) as NamedNodes, filled as the writer meets them;
# bounded by the vocabularies, unlike per-article IRIs.
_TERMS: dict[object, NamedNode] = {}


def _term(p: object) -> NamedNode:
    node = _TERMS[p] = N(p)
    return node


A = N(RDF.type)
_INT = N(XSD.integer)
_NNI = N(XSD.nonNegativeInteger)
_DEC = N(XSD.decimal)
_DATE = N(XSD.date)
_DATETIME = N(XSD.dateTime)

_TYPES = {
    "person": (SEM.Actor, SCHEMA.Person),
    "organization": (SEM.Actor, SCHEMA.Organization),
    "group": (SEM.Actor, SCHEMA.Organization),
    "country": (SEM.Actor, SEM.Place, SCHEMA.Country),
    "region": (SEM.Place, SCHEMA.Place),
    "place": (SEM.Place, SCHEMA.Place),
}


class Mapped:
    """The quads of one article: its own graph, and additions to the gazetteer graph."""

    def __init__(self, article_iri: str, version: str) -> None:
        self.article_iri = article_iri
        self.version = version
        self.article: list[Quad] = []
        self.gazetteer: list[Quad] = []


def _dt_literal(value: dt.datetime) -> Literal:
    return Literal(value.isoformat(), datatype=_DATETIME)


def _date_literal(value: dt.date | dt.datetime) -> Literal:
    if isinstance(value, dt.datetime):
        return _dt_literal(value)
    return Literal(value.isoformat(), datatype=_DATE)


class _Writer:
    def __init__(self, x: Extraction, minter: Minter) -> None:
        self.x = x
        self.m = minter
        a = x.article
        self.lang = (a.language or "und").lower()
        self.article = minter.article(a.key)
        self.g = N(self.article)
        self.out = Mapped(self.article, a.version)
        self.sent_starts = [s.begin for s in x.sentences]

    def t(self, s: str | NamedNode, p: object, o: object) -> None:
        # about a thousand quads an article: plain dict lookups for the vocabulary, no re-parsing of IRIs
        pn = _TERMS.get(p) or _term(p)
        on = o if o.__class__ is Literal or o.__class__ is NamedNode else (
            N(o) if o.__class__ is str else _TERMS.get(o) or _term(o))  # str: a per-article IRI
        self.out.article.append(Quad(s if s.__class__ is NamedNode else N(s), pn, on, self.g))

    def gz(self, s: str, p: object, o: object) -> None:
        self.out.gazetteer.append(Quad(N(s), N(p), o if isinstance(o, (Literal, NamedNode)) else N(o), N(self.m.graph(GAZETTEER_GRAPH))))

    # text anchors ---------------------------------------------------------------
    def mention(self, span: Span, kind: object = NIF.Phrase) -> NamedNode:
        iri = NamedNode(f"{self.article}#char={span.begin},{span.end}")
        self.t(iri, RDF.type, kind)
        self.t(iri, NIF.referenceContext, self.g)
        self.t(iri, NIF.beginIndex, Literal(str(span.begin), datatype=_NNI))
        self.t(iri, NIF.endIndex, Literal(str(span.end), datatype=_NNI))
        self.t(iri, NIF.anchorOf, Literal(span.text))
        k = bisect.bisect_right(self.sent_starts, span.begin) - 1
        if k >= 0:
            s = self.x.sentences[k]
            self.t(iri, NIF.sentence, f"{self.article}#sentence={s.begin},{s.end}")
        return iri

    def denoted(self, node: str, spans: list[Span]) -> None:
        for span in spans:
            self.t(node, GAF.denotedBy, self.mention(span))

    # parts ------------------------------------------------------------------------
    def article_node(self) -> None:
        a, s = self.x.article, self.article
        self.t(s, RDF.type, SCHEMA.NewsArticle)
        self.t(s, RDF.type, NIF.Context)
        self.t(s, NIF.isString, Literal(a.text))
        self.t(s, NIF.beginIndex, Literal("0", datatype=_NNI))
        self.t(s, NIF.endIndex, Literal(str(len(a.text)), datatype=_NNI))
        self.t(s, SCHEMA.identifier, Literal(a.identifier or a.key))
        self.t(s, SCHEMA.inLanguage, Literal(self.lang))
        if a.headline:
            self.t(s, SCHEMA.headline, Literal(a.headline))
        if a.published:
            self.t(s, SCHEMA.datePublished, _dt_literal(a.published))
        if a.modified:
            self.t(s, SCHEMA.dateModified, _dt_literal(a.modified))
        if a.url:
            self.t(s, SCHEMA.url, N(a.url) if " " not in a.url and ":" in a.url else Literal(a.url))
        for name in a.authors:
            who = self.m.agent("author", name)
            self.t(s, SCHEMA.author, who)
            self.t(who, RDF.type, SCHEMA.Person)
            self.t(who, SCHEMA.name, Literal(name))
        if a.publisher:
            pub = self.m.agent("publisher", a.publisher)
            self.t(s, SCHEMA.publisher, pub)
            self.t(pub, RDF.type, SCHEMA.Organization)
            self.t(pub, SCHEMA.name, Literal(a.publisher))
        for kw in a.keywords:
            self.t(s, SCHEMA.keywords, Literal(kw))
        for name, value in sorted(a.extra.items()):
            field = f"{s}/field/{name}"
            self.t(s, SCHEMA.additionalProperty, field)
            self.t(field, RDF.type, SCHEMA.PropertyValue)
            self.t(field, SCHEMA.name, Literal(name))
            self.t(field, SCHEMA.value, Literal(value))
        self.t(s, CKG.sourceFile, Literal(PurePath(a.source.split(":")[0]).name or a.source))
        self.t(s, CKG.contentHash, Literal(content_hash(a, self.x.extractor)))
        run = f"{s}/extraction"
        self.t(s, PROV.wasGeneratedBy, run)
        self.t(run, RDF.type, PROV.Activity)
        self.t(run, CKG.extractor, Literal(self.x.extractor))
        for sent in self.x.sentences:
            iri = f"{s}#sentence={sent.begin},{sent.end}"
            self.t(iri, RDF.type, NIF.Sentence)
            self.t(iri, NIF.referenceContext, self.g)
            self.t(iri, NIF.beginIndex, Literal(str(sent.begin), datatype=_NNI))
            self.t(iri, NIF.endIndex, Literal(str(sent.end), datatype=_NNI))
            self.t(iri, NIF.anchorOf, Literal(sent.text))

    def entity(self, e: Entity) -> str:
        iri = self.m.entity(e.key, self.article)
        identity: list[tuple[object, object]] = [(RDF.type, t) for t in _TYPES[e.kind]]
        if e.kind == "place" and e.geonames:
            identity.append((RDF.type, SCHEMA.City))
        identity.append((RDFS.label, Literal(e.name)))
        if e.wikidata:
            identity.append((OWL.sameAs, WD[e.wikidata]))
        if e.geonames:
            identity.append((OWL.sameAs, GEONAMES[f"{e.geonames}/"]))
        if e.lat is not None and e.lon is not None:
            identity.append((GEO.lat, Literal(f"{e.lat:.5f}", datatype=_DEC)))
            identity.append((GEO.long, Literal(f"{e.lon:.5f}", datatype=_DEC)))
        if e.country and e.kind in ("place",):
            identity.append((SCHEMA.containedInPlace, self.m.entity(f"country:{e.country}", self.article)))
        for p, o in identity:
            self.t(iri, p, o)
            if e.known:
                self.gz(iri, p, o)
        if e.kind in ("place",) and e.country and e.country_name:
            # the container is described where identity data lives, even when this article never names it
            country = self.m.entity(f"country:{e.country}", self.article)
            for t in _TYPES["country"]:
                self.gz(country, RDF.type, t)
            self.gz(country, RDFS.label, Literal(e.country_name))
        for name in sorted(e.names_seen - {e.name}):
            self.t(iri, SKOS.altLabel, Literal(name, language=self.lang))
        if e.job_title:
            self.t(iri, SCHEMA.jobTitle, Literal(e.job_title, language="en"))
        if e.affiliation:
            self.t(iri, SCHEMA.affiliation, self.m.entity(e.affiliation, self.article))
        self.denoted(iri, e.mentions)
        return iri

    def count(self, c: Count, holder: str) -> str:
        iri = f"{self.article}/count/{c.mention.begin},{c.mention.end}"
        self.t(holder, CKG.reportedCount, iri)
        self.t(iri, RDF.type, SCHEMA.QuantitativeValue)
        self.t(iri, CKG.countKind, CKG[c.kind])
        for p, v in ((SCHEMA.value, c.value), (SCHEMA.minValue, c.min_value), (SCHEMA.maxValue, c.max_value)):
            if v is not None:
                self.t(iri, p, Literal(str(v), datatype=_INT))
        self.t(iri, CKG.countQualifier, CKG[c.qualifier])
        if c.group:
            self.t(iri, CKG.countOf, CKG[c.group])
        if c.attributed_to:
            self.t(iri, CKG.attributedTo, self.m.entity(c.attributed_to, self.article))
        self.denoted(iri, [c.mention])
        return iri

    def time(self, e: str, ts: TimeSpec) -> None:
        if ts.stamp is not None:
            self.t(e, SEM.hasTimeStamp, _date_literal(ts.stamp))
        if ts.earliest is not None:
            self.t(e, SEM.hasEarliestBeginTimeStamp, _date_literal(ts.earliest))
        if ts.latest is not None:
            self.t(e, SEM.hasLatestEndTimeStamp, _date_literal(ts.latest))
        self.t(e, CKG.timePrecision, CKG[ts.precision])

    def events(self) -> list[str]:
        iris = [f"{self.article}/event/{n}" for n in range(len(self.x.events))]
        for n, ev in enumerate(self.x.events):
            e = iris[n]
            self.t(e, RDF.type, SEM.Event)
            self.t(e, RDFS.label, Literal(ev.label or ev.type, language="en"))
            self.t(e, SEM.eventType, CKGT[ev.type])
            self.t(e, CKG.status, CKG[ev.status])
            self.denoted(e, ev.mentions)
            for m, role in enumerate(ev.roles):
                actor = self.m.entity(role.entity, self.article)
                r = f"{e}/role/{m}"
                self.t(e, SEM.hasActor, actor)
                self.t(e, CKG.hasRole, r)
                self.t(r, RDF.type, SEM.Role)
                self.t(r, RDF.value, actor)
                self.t(r, SEM.roleType, CKG[role.role])
            for p in ev.places:
                self.t(e, SEM.hasPlace, self.m.entity(p, self.article))
            if ev.time:
                self.time(e, ev.time)
            if ev.parent is not None:
                self.t(e, SEM.subEventOf, iris[ev.parent])
            for c in ev.counts:
                self.count(c, e)
        return iris

    def claims(self, events: list[str]) -> None:
        for n, cl in enumerate(self.x.claims):
            c = f"{self.article}/claim/{n}"
            self.t(c, RDF.type, SCHEMA.Claim)
            self.t(c, SCHEMA.author, self.m.entity(cl.speaker, self.article))
            self.t(c, SCHEMA.appearance, self.g)
            self.t(c, SCHEMA.text, Literal(cl.text, language=self.lang))
            self.denoted(c, [cl.mention])
            for k in cl.about_events:
                self.t(c, SCHEMA.about, events[k])
            for key in cl.about_entities:
                self.t(c, SCHEMA.about, self.m.entity(key, self.article))
            for t in cl.event_types:
                self.t(c, CKG.claimsEventType, CKGT[t])
            for q in cl.counts:
                self.count(q, c)


def content_hash(a: Article, extractor: str = "") -> str:
    """Changes when the article or the extractor that read it changes."""
    h = hashlib.sha1(extractor.encode("utf-8") + b"\x00")
    for part in (a.text, a.headline or "", a.version, a.language or "", "|".join(a.authors), a.publisher or "",
                 a.url or "", "|".join(a.keywords), repr(sorted(a.extra.items()))):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def to_quads(x: Extraction, base: str) -> Mapped:
    w = _Writer(x, Minter(base))
    w.article_node()
    for e in x.entities.values():
        w.entity(e)
    w.claims(w.events())
    w.out.article = list(dict.fromkeys(w.out.article))  # first occurrence wins, order kept
    w.out.gazetteer = list(dict.fromkeys(w.out.gazetteer))
    return w.out

