"""Every vocabulary the graph uses, in one place.

The project's own namespaces are closed (:class:`rdflib.namespace.DefinedNamespace`):
a misspelt term fails at import instead of minting a new IRI silently.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "CKG", "CKGT", "CAMEO", "PLOVER", "ACLED", "SEM", "SCHEMA", "PROV", "GAF", "NIF",
    "GEO", "WD", "GEONAMES", "OWL", "RDF", "RDFS", "SKOS", "XSD", "DCTERMS",
    "DEFAULT_DATA_BASE", "PREFIXES",
]

DEFAULT_DATA_BASE = "https://w3id.org/conflict-kg/id/"


class CKG(DefinedNamespace):
    """The project's ontology: classes, properties and its small SKOS vocabularies."""

    _NS = Namespace("https://w3id.org/conflict-kg/ontology#")
    _fail = True

    # properties
    status: URIRef
    timePrecision: URIRef
    reportedCount: URIRef
    countKind: URIRef
    countOf: URIRef
    countQualifier: URIRef
    attributedTo: URIRef
    claimsEventType: URIRef
    hasRole: URIRef
    extractor: URIRef
    contentHash: URIRef
    sourceFile: URIRef
    extraField: URIRef
    # schemes
    EventTypeScheme: URIRef
    CameoScheme: URIRef
    PloverScheme: URIRef
    AcledScheme: URIRef
    StatusScheme: URIRef
    TimePrecisionScheme: URIRef
    RoleTypeScheme: URIRef
    CountKindScheme: URIRef
    CountedGroupScheme: URIRef
    CountQualifierScheme: URIRef
    # status
    occurred: URIRef
    ongoing: URIRef
    announced: URIRef
    # time precision
    minute: URIRef
    day: URIRef
    week: URIRef
    month: URIRef
    year: URIRef
    # roles
    agent: URIRef
    target: URIRef
    requester: URIRef
    recipient: URIRef
    speaker: URIRef
    host: URIRef
    participant: URIRef
    victim: URIRef
    accused: URIRef
    # count kinds
    killed: URIRef
    injured: URIRef
    arrested: URIRef
    detained: URIRef
    troops: URIRef
    displaced: URIRef
    missing: URIRef
    abducted: URIRef
    participants: URIRef
    # counted groups
    people: URIRef
    civilians: URIRef
    securityForces: URIRef
    protesters: URIRef
    soldiers: URIRef
    militaryPersonnel: URIRef
    militants: URIRef
    police: URIRef
    children: URIRef
    journalists: URIRef
    # count qualifiers
    exact: URIRef
    moreThan: URIRef
    atLeast: URIRef
    nearly: URIRef
    approximately: URIRef
    atMost: URIRef
    vague: URIRef


# Event types and external code lists are open-ended data (ontology/*.ttl), so
# plain namespaces; tests check that every emitted type exists in the scheme.
CKGT = Namespace("https://w3id.org/conflict-kg/ontology/event-type/")
CAMEO = Namespace("https://w3id.org/conflict-kg/ontology/cameo/")
PLOVER = Namespace("https://w3id.org/conflict-kg/ontology/plover/")
ACLED = Namespace("https://w3id.org/conflict-kg/ontology/acled/")


class SEM(DefinedNamespace):
    """Simple Event Model, the terms the contract uses."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    Role: URIRef
    eventType: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef
    hasBeginTimeStamp: URIRef
    hasEndTimeStamp: URIRef
    hasEarliestBeginTimeStamp: URIRef
    hasLatestEndTimeStamp: URIRef
    roleType: URIRef
    subEventOf: URIRef


class SCHEMA(DefinedNamespace):
    """schema.org, https flavour, the terms the graph uses."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    NewsArticle: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    City: URIRef
    Place: URIRef
    Claim: URIRef
    QuantitativeValue: URIRef
    headline: URIRef
    inLanguage: URIRef
    datePublished: URIRef
    dateModified: URIRef
    author: URIRef
    publisher: URIRef
    url: URIRef
    keywords: URIRef
    name: URIRef
    identifier: URIRef
    jobTitle: URIRef
    affiliation: URIRef
    containedInPlace: URIRef
    value: URIRef
    minValue: URIRef
    maxValue: URIRef
    appearance: URIRef
    about: URIRef
    text: URIRef
    PropertyValue: URIRef
    additionalProperty: URIRef
    description: URIRef


class PROV(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/ns/prov#")
    _fail = True

    Activity: URIRef
    wasGeneratedBy: URIRef
    wasAttributedTo: URIRef
    used: URIRef
    startedAtTime: URIRef


class GAF(DefinedNamespace):
    _NS = Namespace("http://groundedannotationframework.org/gaf#")
    _fail = True

    denotedBy: URIRef


class NIF(DefinedNamespace):
    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    Context: URIRef
    Phrase: URIRef
    Sentence: URIRef
    referenceContext: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    isString: URIRef
    sentence: URIRef


class GEO(DefinedNamespace):
    """WGS84 basic, http flavour as the contract says (rdflib's WGS is https)."""

    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    _fail = True

    lat: URIRef
    long: URIRef


WD = Namespace("http://www.wikidata.org/entity/")
GEONAMES = Namespace("https://sws.geonames.org/")
DCTERMS = Namespace("http://purl.org/dc/terms/")

PREFIXES: dict[str, str] = {
    "ckg": str(CKG._NS),
    "ckgt": str(CKGT),
    "cameo": str(CAMEO),
    "plover": str(PLOVER),
    "acled": str(ACLED),
    "sem": str(SEM._NS),
    "schema": str(SCHEMA._NS),
    "prov": str(PROV._NS),
    "gaf": str(GAF._NS),
    "nif": str(NIF._NS),
    "skos": str(SKOS),
    "geo": str(GEO._NS),
    "wd": str(WD),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
}
