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


class _Terms:
    """A namespace's terms as NamedNodes, each made once: rdflib builds a new term on every attribute
    access, and the writer asks for about a thousand an article."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        node = N(getattr(self._namespace, name))
        setattr(self, name, node)
        return node


_nif, _rdf, _rdfs, _schema, _sem, _gaf, _geo, _prov, _owl, _skos, _ckg = (
    _Terms(ns) for ns in (NIF, RDF, RDFS, SCHEMA, SEM, GAF, GEO, PROV, OWL, SKOS, CKG))

A = N(RDF.type)
_INT = N(XSD.integer)
_NNI = N(XSD.nonNegativeInteger)
_DEC = N(XSD.decimal)
_DATE = N(XSD.date)
_DATETIME = N(XSD.dateTime)

_TYPES = {
    "person": (_sem.Actor, _schema.Person),
    "organization": (_sem.Actor, _schema.Organization),
    "group": (_sem.Actor, _schema.Organization),
    "country": (_sem.Actor, _sem.Place, _schema.Country),
    "region": (_sem.Place, _schema.Place),
    "place": (_sem.Place, _schema.Place),
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
        self.gazetteer_graph = N(self.m.graph(GAZETTEER_GRAPH))

    def t(self, s: str | NamedNode, p: object, o: object) -> None:
        # about a thousand quads an article: plain dict lookups for the vocabulary, no re-parsing of IRIs
        pn = p if p.__class__ is NamedNode else _TERMS.get(p) or _term(p)
        on = o if o.__class__ is Literal or o.__class__ is NamedNode else (
            N(o) if o.__class__ is str else _TERMS.get(o) or _term(o))  # str: a per-article IRI
        self.out.article.append(Quad(s if s.__class__ is NamedNode else N(s), pn, on, self.g))

    def gz(self, s: str, p: object, o: object) -> None:
        self.out.gazetteer.append(Quad(N(s), p if p.__class__ is NamedNode else N(p),
                                       o if isinstance(o, (Literal, NamedNode)) else N(o), self.gazetteer_graph))

    # text anchors ---------------------------------------------------------------
    def mention(self, span: Span, kind: object = _nif.Phrase) -> NamedNode:
        iri = NamedNode(f"{self.article}#char={span.begin},{span.end}")
        self.t(iri, _rdf.type, kind)
        self.t(iri, _nif.referenceContext, self.g)
        self.t(iri, _nif.beginIndex, Literal(str(span.begin), datatype=_NNI))
        self.t(iri, _nif.endIndex, Literal(str(span.end), datatype=_NNI))
        self.t(iri, _nif.anchorOf, Literal(span.text))
        k = bisect.bisect_right(self.sent_starts, span.begin) - 1
        if k >= 0:
            s = self.x.sentences[k]
            self.t(iri, _nif.sentence, f"{self.article}#sentence={s.begin},{s.end}")
        return iri

    def denoted(self, node: str, spans: list[Span]) -> None:
        for span in spans:
            self.t(node, _gaf.denotedBy, self.mention(span))

    # parts ------------------------------------------------------------------------
    def article_node(self) -> None:
        a, s = self.x.article, self.article
        self.t(s, _rdf.type, _schema.NewsArticle)
        self.t(s, _rdf.type, _nif.Context)
        self.t(s, _nif.isString, Literal(a.text))
        self.t(s, _nif.beginIndex, Literal("0", datatype=_NNI))
        self.t(s, _nif.endIndex, Literal(str(len(a.text)), datatype=_NNI))
        self.t(s, _schema.identifier, Literal(a.identifier or a.key))
        self.t(s, _schema.inLanguage, Literal(self.lang))
        if a.headline:
            self.t(s, _schema.headline, Literal(a.headline))
        if a.published:
            self.t(s, _schema.datePublished, _dt_literal(a.published))
        if a.modified:
            self.t(s, _schema.dateModified, _dt_literal(a.modified))
        if a.url:
            self.t(s, _schema.url, N(a.url) if " " not in a.url and ":" in a.url else Literal(a.url))
        for name in a.authors:
            who = self.m.agent("author", name)
            self.t(s, _schema.author, who)
            self.t(who, _rdf.type, _schema.Person)
            self.t(who, _schema.name, Literal(name))
        if a.publisher:
            pub = self.m.agent("publisher", a.publisher)
            self.t(s, _schema.publisher, pub)
            self.t(pub, _rdf.type, _schema.Organization)
            self.t(pub, _schema.name, Literal(a.publisher))
        for kw in a.keywords:
            self.t(s, _schema.keywords, Literal(kw))
        for name, value in sorted(a.extra.items()):
            field = f"{s}/field/{name}"
            self.t(s, _schema.additionalProperty, field)
            self.t(field, _rdf.type, _schema.PropertyValue)
            self.t(field, _schema.name, Literal(name))
            self.t(field, _schema.value, Literal(value))
        self.t(s, _ckg.sourceFile, Literal(PurePath(a.source.split(":")[0]).name or a.source))
        self.t(s, _ckg.contentHash, Literal(content_hash(a, self.x.extractor)))
        run = f"{s}/extraction"
        self.t(s, _prov.wasGeneratedBy, run)
        self.t(run, _rdf.type, _prov.Activity)
        self.t(run, _ckg.extractor, Literal(self.x.extractor))
        for sent in self.x.sentences:
            iri = f"{s}#sentence={sent.begin},{sent.end}"
            self.t(iri, _rdf.type, _nif.Sentence)
            self.t(iri, _nif.referenceContext, self.g)
            self.t(iri, _nif.beginIndex, Literal(str(sent.begin), datatype=_NNI))
            self.t(iri, _nif.endIndex, Literal(str(sent.end), datatype=_NNI))
            self.t(iri, _nif.anchorOf, Literal(sent.text))

    def entity(self, e: Entity) -> str:
        iri = self.m.entity(e.key, self.article)
        identity: list[tuple[object, object]] = [(_rdf.type, t) for t in _TYPES[e.kind]]
        if e.kind == "place" and e.geonames:
            identity.append((_rdf.type, _schema.City))
        identity.append((_rdfs.label, Literal(e.name)))
        if e.wikidata:
            identity.append((_owl.sameAs, WD[e.wikidata]))
        if e.geonames:
            identity.append((_owl.sameAs, GEONAMES[f"{e.geonames}/"]))
        if e.lat is not None and e.lon is not None:
            identity.append((_geo.lat, Literal(f"{e.lat:.5f}", datatype=_DEC)))
            identity.append((_geo.long, Literal(f"{e.lon:.5f}", datatype=_DEC)))
        if e.country and e.kind in ("place",):
            identity.append((_schema.containedInPlace, self.m.entity(f"country:{e.country}", self.article)))
        for p, o in identity:
            self.t(iri, p, o)
            if e.known:
                self.gz(iri, p, o)
        if e.country and e.country_name and (e.kind == "place" or e.affiliation == f"country:{e.country}"):
            # the container, or the state a person serves, is described where identity data lives,
            # even when this article never names it
            country = self.m.entity(f"country:{e.country}", self.article)
            for t in _TYPES["country"]:
                self.gz(country, _rdf.type, t)
            self.gz(country, _rdfs.label, Literal(e.country_name))
        for name in sorted(e.names_seen - {e.name}):
            self.t(iri, _skos.altLabel, Literal(name, language=self.lang))
        if e.job_title:
            self.t(iri, _schema.jobTitle, Literal(e.job_title, language="en"))
        if e.affiliation:
            self.t(iri, _schema.affiliation, self.m.entity(e.affiliation, self.article))
        self.denoted(iri, e.mentions)
        return iri

    def count(self, c: Count, holder: str) -> str:
        iri = f"{self.article}/count/{c.mention.begin},{c.mention.end}"
        self.t(holder, _ckg.reportedCount, iri)
        self.t(iri, _rdf.type, _schema.QuantitativeValue)
        self.t(iri, _ckg.countKind, CKG[c.kind])
        for p, v in ((_schema.value, c.value), (_schema.minValue, c.min_value), (_schema.maxValue, c.max_value)):
            if v is not None:
                self.t(iri, p, Literal(str(v), datatype=_INT))
        self.t(iri, _ckg.countQualifier, CKG[c.qualifier])
        if c.group:
            self.t(iri, _ckg.countOf, CKG[c.group])
        if c.attributed_to:
            self.t(iri, _ckg.attributedTo, self.m.entity(c.attributed_to, self.article))
        self.denoted(iri, [c.mention])
        return iri

    def time(self, e: str, ts: TimeSpec) -> None:
        if ts.stamp is not None:
            self.t(e, _sem.hasTimeStamp, _date_literal(ts.stamp))
        if ts.earliest is not None:
            self.t(e, _sem.hasEarliestBeginTimeStamp, _date_literal(ts.earliest))
        if ts.latest is not None:
            self.t(e, _sem.hasLatestEndTimeStamp, _date_literal(ts.latest))
        self.t(e, _ckg.timePrecision, CKG[ts.precision])

    def events(self) -> list[str]:
        iris = [f"{self.article}/event/{n}" for n in range(len(self.x.events))]
        for n, ev in enumerate(self.x.events):
            e = iris[n]
            self.t(e, _rdf.type, _sem.Event)
            self.t(e, _rdfs.label, Literal(ev.label or ev.type, language="en"))
            self.t(e, _sem.eventType, CKGT[ev.type])
            self.t(e, _ckg.status, CKG[ev.status])
            self.denoted(e, ev.mentions)
            for m, role in enumerate(ev.roles):
                actor = self.m.entity(role.entity, self.article)
                r = f"{e}/role/{m}"
                self.t(e, _sem.hasActor, actor)
                self.t(e, _ckg.hasRole, r)
                self.t(r, _rdf.type, _sem.Role)
                self.t(r, _rdf.value, actor)
                self.t(r, _sem.roleType, CKG[role.role])
            for p in ev.places:
                self.t(e, _sem.hasPlace, self.m.entity(p, self.article))
            if ev.time:
                self.time(e, ev.time)
            if ev.parent is not None:
                self.t(e, _sem.subEventOf, iris[ev.parent])
            for c in ev.counts:
                self.count(c, e)
        return iris

    def claims(self, events: list[str]) -> None:
        for n, cl in enumerate(self.x.claims):
            c = f"{self.article}/claim/{n}"
            self.t(c, _rdf.type, _schema.Claim)
            self.t(c, _schema.author, self.m.entity(cl.speaker, self.article))
            self.t(c, _schema.appearance, self.g)
            self.t(c, _schema.text, Literal(cl.text, language=self.lang))
            self.denoted(c, [cl.mention])
            for k in cl.about_events:
                self.t(c, _schema.about, events[k])
            for key in cl.about_entities:
                self.t(c, _schema.about, self.m.entity(key, self.article))
            for t in cl.event_types:
                self.t(c, _ckg.claimsEventType, CKGT[t])
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

