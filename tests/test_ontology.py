"""Checks of ``ontology/``: the OWL ontology, the SKOS schemes and the SHACL shapes.

* every file parses in rdflib, in pyoxigraph and in Raptor's ``rapper``;
* the event-type scheme holds every type the extractor emits, each with labels,
  a definition and mappings, and the mappings reach every ACLED sub-type, every
  PLOVER category and every CAMEO code listed in ``schemes/cameo.ttl``;
* the code-list schemes carry notations, labels, definitions and sources;
* the shapes accept a small correct article graph (and a gazetteer graph) and
  reject hand-broken ones with the expected message.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
GRAPH_MODEL = ROOT / "docs" / "graph-model.md"

ONTOLOGY_FILES = [
    ONTOLOGY / "conflict.ttl",
    ONTOLOGY / "event-types.ttl",
    ONTOLOGY / "schemes" / "cameo.ttl",
    ONTOLOGY / "schemes" / "plover.ttl",
    ONTOLOGY / "schemes" / "acled.ttl",
]
SHAPES_FILE = ONTOLOGY / "shapes.ttl"
ALL_FILES = ONTOLOGY_FILES + [SHAPES_FILE]

CKG = Namespace("https://w3id.org/conflict-kg/ontology#")
CKGT = Namespace("https://w3id.org/conflict-kg/ontology/event-type/")
CAMEO = Namespace("https://w3id.org/conflict-kg/ontology/cameo/")
PLOVER = Namespace("https://w3id.org/conflict-kg/ontology/plover/")
ACLED = Namespace("https://w3id.org/conflict-kg/ontology/acled/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
WD = Namespace("http://www.wikidata.org/entity/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # plain Namespace: rdflib's closed XSD trips pytest's collector

# The "Event types the extractor emits" list of docs/graph-model.md, copied here
# so the test still runs from an sdist without docs/; when the doc is present
# its list is read too and must agree (see test_emitted_slug_list_matches_doc).
EMITTED_SLUGS = [
    "protest", "riot", "coup-attempt", "foreign-military-deployment", "military-deployment",
    "request-military-assistance", "meeting", "counter-terrorism-operation", "withdrawal",
    "statement", "accusation", "arrest", "armed-clash", "armed-attack", "air-strike", "shelling",
    "explosion", "suicide-bombing", "abduction", "attack-on-civilians", "looting", "ceasefire",
    "agreement", "sanctions", "threat", "humanitarian-aid", "displacement", "election-violence",
    "crackdown", "mass-killing", "hostage-taking", "peace-talks", "military-exercise",
    "assassination", "physical-assault", "property-destruction", "cyber-attack", "occupation-of-territory",
    "strike", "hunger-strike", "restriction-of-freedoms", "state-of-emergency", "deportation",
    "property-seizure", "reduce-relations", "force-posture", "retreat", "release-of-detainees",
    "aid", "economic-aid", "military-aid", "intent-to-cooperate", "diplomatic-cooperation",
    "material-cooperation", "concession", "demand", "request", "rejection", "disapproval", "investigation",
]
# Types the seed article needs that no standard code list has as such.
NON_STANDARD_SLUGS = [
    "coup-attempt", "counter-terrorism-operation", "foreign-military-deployment", "withdrawal",
    "meeting", "statement", "accusation", "request-military-assistance",
]

# ACLED Codebook 2023: event type -> sub-event types (official names).
ACLED_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ],
}
# PLOVER: the sixteen categories of the 2023 release, plus the five of the 0.x drafts.
PLOVER_CATEGORIES = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
PLOVER_LEGACY = ["DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT", "CRIME"]
CAMEO_ROOTS = [f"{i:02d}" for i in range(1, 21)]
CAMEO_REQUIRED_SUBCODES = [
    "010", "011", "012", "013", "014", "015", "016", "017", "018", "019",
    "070", "071", "072", "073", "074", "075",
    "140", "141", "142", "143", "144", "145",
    "150", "151", "152", "153", "154", "155",
    "170", "171", "1711", "1712", "172", "173", "174", "175", "176",
    "180", "181", "182", "1821", "1822", "1823", "183", "1831", "1832", "1833", "1834",
    "184", "185", "186",
    "190", "191", "192", "193", "194", "195", "1951", "1952", "196",
    "200", "201", "202", "203", "204", "2041", "2042",
]

MAPPINGS = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch]
EXTERNAL_SCHEMES = {CKG.CameoScheme: "CAMEO", CKG.PloverScheme: "PLOVER", CKG.AcledScheme: "ACLED"}

# The small vocabularies of docs/graph-model.md.
SMALL_VOCABULARIES = {
    CKG.StatusScheme: ["occurred", "ongoing", "announced"],
    CKG.TimePrecisionScheme: ["minute", "day", "week", "month", "year"],
    CKG.RoleTypeScheme: [
        "agent", "target", "requester", "recipient", "speaker", "host", "participant", "victim", "accused",
    ],
    CKG.CountKindScheme: [
        "killed", "injured", "arrested", "detained", "troops", "displaced", "missing", "abducted", "participants",
    ],
    CKG.CountedGroupScheme: [
        "people", "civilians", "securityForces", "protesters", "soldiers", "militaryPersonnel", "militants",
        "police", "children", "journalists",
    ],
    CKG.CountQualifierScheme: ["exact", "moreThan", "atLeast", "nearly", "approximately", "atMost", "vague"],
}


def _id(path: Path) -> str:
    return str(path.relative_to(ONTOLOGY))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for path in ONTOLOGY_FILES:
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _in_scheme(g: Graph, scheme: URIRef) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, scheme))


def _reached(g: Graph) -> set[URIRef]:
    """External concepts that some event type maps to with exact/close/broad/narrowMatch."""
    types = _in_scheme(g, CKG.EventTypeScheme)
    return {o for p in MAPPINGS for s, o in g.subject_objects(p) if s in types}


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_parses_with_rdflib(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    assert len(g) > 0


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_parses_with_pyoxigraph(path: Path) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert quads
    assert len(quads) == len(Graph().parse(path, format="turtle"))


@pytest.mark.parametrize("path", ALL_FILES, ids=_id)
def test_parses_with_rapper(path: Path) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    done = subprocess.run([rapper, "-i", "turtle", "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr.lower(), done.stderr
    assert "warning" not in done.stderr.lower(), done.stderr


# --------------------------------------------------------------------------- the ontology


def test_ontology_header(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/conflict-kg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) is not None
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    langs = {t.language for t in ontology.objects(onto, DCTERMS.title)}
    assert {"en", "id"} <= langs
    assert ontology.value(onto, DCTERMS.description) is not None


@pytest.mark.parametrize(
    "prop",
    [
        "status", "timePrecision", "reportedCount", "countKind", "countOf", "countQualifier",
        "attributedTo", "claimsEventType", "hasRole", "extractor", "contentHash", "sourceFile", "extraField",
    ],
)
def test_property_declared_with_labels_and_definition(ontology: Graph, prop: str) -> None:
    p = CKG[prop]
    kinds = set(ontology.objects(p, RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property}, prop
    langs = {lbl.language for lbl in ontology.objects(p, RDFS.label)}
    assert {"en", "id"} <= langs, prop
    assert any(d.language == "en" for d in ontology.objects(p, SKOS.definition)), prop


def test_property_alignments(ontology: Graph) -> None:
    assert (CKG.attributedTo, RDFS.subPropertyOf, PROV.wasAttributedTo) in ontology
    assert (CKG.hasRole, RDFS.subPropertyOf, SEM.eventProperty) in ontology
    assert ontology.value(CKG.hasRole, RDFS.range) == SEM.Role
    for prop in ("status", "timePrecision", "hasRole"):
        assert ontology.value(CKG[prop], RDFS.domain) == SEM.Event, prop
    for prop in ("countKind", "countOf", "countQualifier", "attributedTo"):
        assert ontology.value(CKG[prop], RDFS.domain) == SCHEMA.QuantitativeValue, prop
    assert ontology.value(CKG.reportedCount, RDFS.range) == SCHEMA.QuantitativeValue
    assert ontology.value(CKG.claimsEventType, RDFS.domain) == SCHEMA.Claim
    # Under RDFS inference a claim must never become an event: reportedCount's
    # domain is a union, which RDFS reasoners ignore.
    assert ontology.value(CKG.reportedCount, RDFS.domain) not in (SEM.Event, SCHEMA.Claim)
    assert (CKG.UnnamedGroup, RDFS.subClassOf, SEM.Actor) in ontology
    assert (CKG.ExtractionRun, RDFS.subClassOf, PROV.Activity) in ontology


@pytest.mark.parametrize("scheme", list(SMALL_VOCABULARIES), ids=lambda s: s.split("#")[-1])
def test_small_vocabulary(ontology: Graph, scheme: URIRef) -> None:
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    members = _in_scheme(ontology, scheme)
    expected = {CKG[name] for name in SMALL_VOCABULARIES[scheme]}
    assert members == expected
    for c in members:
        assert (c, RDF.type, SKOS.Concept) in ontology, c
        labels = Counter(lbl.language for lbl in ontology.objects(c, SKOS.prefLabel))
        assert labels["en"] == 1 and labels["id"] == 1, c
        assert any(d.language == "en" for d in ontology.objects(c, SKOS.definition)), c
        top = (c, SKOS.topConceptOf, scheme) in ontology
        broader = set(ontology.objects(c, SKOS.broader))
        assert top or (broader and broader <= members), c


def test_schemes_are_named_individuals_without_has_top_concept(ontology: Graph) -> None:
    # pySHACL mixes an ontology into the data graph by copying OWL/RDFS axioms,
    # owl:NamedIndividual nodes and the triples pointing at them: that is how the
    # shapes see skos:inScheme. skos:hasTopConcept from the scheme would make the
    # copy walk the whole scheme, so it is left implicit (skos:topConceptOf is given).
    schemes = set(ontology.subjects(RDF.type, SKOS.ConceptScheme))
    assert set(SMALL_VOCABULARIES) | set(EXTERNAL_SCHEMES) | {CKG.EventTypeScheme} <= schemes
    for scheme in schemes:
        assert (scheme, RDF.type, OWL.NamedIndividual) in ontology, scheme
        assert ontology.value(scheme, SKOS.hasTopConcept) is None, scheme
        assert any(lbl.language == "en" for lbl in ontology.objects(scheme, SKOS.prefLabel)), scheme
        assert any(lbl.language == "id" for lbl in ontology.objects(scheme, SKOS.prefLabel)), scheme


# --------------------------------------------------------------------------- the event-type scheme


def _slugs_from_graph_model() -> list[str]:
    text = GRAPH_MODEL.read_text(encoding="utf-8")
    match = re.search(r"^## Event types the extractor emits[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, "section 'Event types the extractor emits' not found in docs/graph-model.md"
    return [s.strip() for s in match.group(1).replace("\n", " ").split(",") if s.strip()]


def test_emitted_slug_list_matches_doc() -> None:
    if not GRAPH_MODEL.exists():
        pytest.skip("docs/graph-model.md is not present")
    assert sorted(_slugs_from_graph_model()) == sorted(EMITTED_SLUGS)


def test_every_emitted_slug_exists(ontology: Graph) -> None:
    slugs = set(EMITTED_SLUGS) | set(NON_STANDARD_SLUGS)
    if GRAPH_MODEL.exists():
        slugs |= set(_slugs_from_graph_model())
    types = _in_scheme(ontology, CKG.EventTypeScheme)
    missing = sorted(s for s in slugs if CKGT[s] not in types)
    assert not missing, f"event types missing from ckg:EventTypeScheme: {missing}"


def test_event_type_concepts_are_complete(ontology: Graph) -> None:
    types = _in_scheme(ontology, CKG.EventTypeScheme)
    assert len(types) >= len(EMITTED_SLUGS)
    problems = []
    for c in sorted(types):
        if not str(c).startswith(str(CKGT)):
            problems.append(f"{c}: not in the ckgt: namespace")
        if (c, RDF.type, SKOS.Concept) not in ontology:
            problems.append(f"{c}: not a skos:Concept")
        labels = Counter(lbl.language for lbl in ontology.objects(c, SKOS.prefLabel))
        if labels["en"] != 1 or labels["id"] != 1:
            problems.append(f"{c}: needs exactly one prefLabel @en and one @id, has {dict(labels)}")
        if not any(d.language == "en" for d in ontology.objects(c, SKOS.definition)):
            problems.append(f"{c}: no English skos:definition")
        if not any(True for p in MAPPINGS for _ in ontology.objects(c, p)):
            problems.append(f"{c}: no exact/close/broad/narrow mapping")
        broader = set(ontology.objects(c, SKOS.broader))
        if not broader and (c, SKOS.topConceptOf, CKG.EventTypeScheme) not in ontology:
            problems.append(f"{c}: neither skos:broader nor skos:topConceptOf")
        if not broader <= types:
            problems.append(f"{c}: skos:broader outside the scheme: {broader - types}")
    assert not problems, "\n".join(problems)


def test_event_type_hierarchy_has_no_cycle(ontology: Graph) -> None:
    types = _in_scheme(ontology, CKG.EventTypeScheme)
    for c in types:
        seen, todo = set(), list(ontology.objects(c, SKOS.broader))
        while todo:
            b = todo.pop()
            assert b != c, f"{c} is its own ancestor"
            if b not in seen:
                seen.add(b)
                todo.extend(ontology.objects(b, SKOS.broader))


def test_hierarchy_examples(ontology: Graph) -> None:
    def ancestors(c: URIRef) -> set[URIRef]:
        return set(ontology.transitive_objects(c, SKOS.broader)) - {c}

    assert CKGT["armed-attack"] in ancestors(CKGT["air-strike"])
    assert CKGT["riot"] in ancestors(CKGT["violent-demonstration"])
    assert CKGT["military-deployment"] in ancestors(CKGT["foreign-military-deployment"])
    assert CKGT["abduction"] in ancestors(CKGT["hostage-taking"])


def test_mapping_targets_are_code_list_concepts(ontology: Graph) -> None:
    types = _in_scheme(ontology, CKG.EventTypeScheme)
    external = set().union(*(_in_scheme(ontology, s) for s in EXTERNAL_SCHEMES))
    bad = [
        (s, p, o)
        for p in MAPPINGS + [SKOS.relatedMatch]
        for s, o in ontology.subject_objects(p)
        if s in types and o not in external
    ]
    assert not bad, f"mapping targets that are no concept of the CAMEO/PLOVER/ACLED schemes: {bad}"


def test_no_concept_has_two_exact_matches_into_one_scheme(ontology: Graph) -> None:
    problems = []
    for c in _in_scheme(ontology, CKG.EventTypeScheme):
        per_scheme = Counter()
        for o in ontology.objects(c, SKOS.exactMatch):
            for scheme in ontology.objects(o, SKOS.inScheme):
                per_scheme[EXTERNAL_SCHEMES.get(scheme, str(scheme))] += 1
        problems += [f"{c}: {n} exactMatch into {s}" for s, n in per_scheme.items() if n > 1]
    assert not problems, "\n".join(problems)


def test_no_code_is_the_exact_match_of_two_event_types(ontology: Graph) -> None:
    # exactMatch is transitive: two event types exactly matching one code would be the same type.
    by_target = defaultdict(list)
    for s, o in ontology.subject_objects(SKOS.exactMatch):
        by_target[o].append(s)
    shared = {o: ss for o, ss in by_target.items() if len(ss) > 1}
    assert not shared, shared


def test_mappings_are_not_contradictory(ontology: Graph) -> None:
    # One concept links a target through one mapping property only, and exactMatch
    # never sits beside broadMatch/narrowMatch/relatedMatch to the same target.
    props = MAPPINGS + [SKOS.relatedMatch]
    for c in _in_scheme(ontology, CKG.EventTypeScheme):
        used = Counter(o for p in props for o in ontology.objects(c, p))
        assert all(n == 1 for n in used.values()), (c, [o for o, n in used.items() if n > 1])


def test_every_acled_type_and_sub_type_is_reached(ontology: Graph) -> None:
    reached = _reached(ontology)
    acled = _in_scheme(ontology, CKG.AcledScheme)
    assert len(acled) == 6 + 25
    missing = sorted(str(c) for c in acled if c not in reached)
    assert not missing, f"ACLED concepts no event type maps to: {missing}"


def test_every_plover_category_is_reached(ontology: Graph) -> None:
    reached = _reached(ontology)
    plover = _in_scheme(ontology, CKG.PloverScheme)
    assert {PLOVER[c] for c in PLOVER_CATEGORIES + PLOVER_LEGACY} == plover
    missing = sorted(str(c) for c in plover if c not in reached)
    assert not missing, f"PLOVER categories no event type maps to: {missing}"


def test_every_listed_cameo_code_is_reached(ontology: Graph) -> None:
    reached = _reached(ontology)
    cameo = _in_scheme(ontology, CKG.CameoScheme)
    missing = sorted(str(c) for c in cameo if c not in reached)
    assert not missing, f"CAMEO codes no event type maps to: {missing}"


def test_debatable_mappings_are_explained(ontology: Graph) -> None:
    # A type with no exactMatch anywhere is mapped by judgement: the note says why.
    unexplained = sorted(
        str(c)
        for c in _in_scheme(ontology, CKG.EventTypeScheme)
        if ontology.value(c, SKOS.exactMatch) is None and ontology.value(c, SKOS.editorialNote) is None
    )
    assert not unexplained, f"event types mapped without any exactMatch need a skos:editorialNote: {unexplained}"
    for slug in NON_STANDARD_SLUGS:
        if slug not in ("meeting", "statement"):  # these two have exact CAMEO equivalents
            assert ontology.value(CKGT[slug], SKOS.editorialNote) is not None, slug


# --------------------------------------------------------------------------- the code-list schemes


def test_acled_scheme_structure(ontology: Graph) -> None:
    for type_name, sub_names in ACLED_TYPES.items():
        t = ACLED[_acled_slug(type_name)]
        assert (t, SKOS.topConceptOf, CKG.AcledScheme) in ontology, type_name
        assert ontology.value(t, SKOS.notation) == Literal(type_name)
        for name in sub_names:
            s = ACLED[_acled_slug(name)]
            assert ontology.value(s, SKOS.notation) == Literal(name), name
            assert (s, SKOS.broader, t) in ontology, name
    assert (ACLED.riots, SKOS.notation, Literal("Riots")) in ontology
    assert (ACLED["violent-demonstration"], SKOS.broader, ACLED.riots) in ontology


def _acled_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def test_cameo_scheme_structure(ontology: Graph) -> None:
    cameo = _in_scheme(ontology, CKG.CameoScheme)
    for code in CAMEO_ROOTS:
        assert (CAMEO[code], SKOS.topConceptOf, CKG.CameoScheme) in ontology, code
    for code in CAMEO_REQUIRED_SUBCODES:
        assert CAMEO[code] in cameo, code
    for c in cameo:
        code = str(c)[len(str(CAMEO)):]
        assert re.fullmatch(r"\d{2,4}", code), c
        assert ontology.value(c, SKOS.notation) == Literal(code), c
        if len(code) > 2:
            assert ontology.value(c, SKOS.broader) == CAMEO[code[: 2 if len(code) == 3 else 3]], c
    assert (CAMEO["145"], SKOS.broader, CAMEO["14"]) in ontology


@pytest.mark.parametrize("scheme", list(EXTERNAL_SCHEMES), ids=lambda s: EXTERNAL_SCHEMES[s])
def test_scheme_concepts_are_documented(ontology: Graph, scheme: URIRef) -> None:
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    assert ontology.value(scheme, DCTERMS.source) is not None
    concepts = _in_scheme(ontology, scheme)
    assert concepts
    notations = Counter()
    for c in concepts:
        assert (c, RDF.type, SKOS.Concept) in ontology, c
        notation = list(ontology.objects(c, SKOS.notation))
        assert len(notation) == 1, f"{c} needs exactly one skos:notation"
        notations[str(notation[0])] += 1
        assert any(lbl.language == "en" for lbl in ontology.objects(c, SKOS.prefLabel)), c
        assert any(d.language == "en" for d in ontology.objects(c, SKOS.definition)), c
        assert ontology.value(c, DCTERMS.source) is not None, c
        top = (c, SKOS.topConceptOf, scheme) in ontology
        assert top or set(ontology.objects(c, SKOS.broader)) <= concepts, c
    assert all(n == 1 for n in notations.values()), [k for k, n in notations.items() if n > 1]


def test_plover_legacy_categories_are_marked(ontology: Graph) -> None:
    for cat in PLOVER_LEGACY:
        assert ontology.value(PLOVER[cat], OWL.deprecated) == Literal(True), cat
    for cat in PLOVER_CATEGORIES:
        assert ontology.value(PLOVER[cat], OWL.deprecated) is None, cat
    assert ontology.value(PLOVER.PROTEST, SKOS.notation) == Literal("PROTEST")


# --------------------------------------------------------------------------- SHACL

ARTICLE_KEY = "0123456789abcdef"
ID = Namespace("https://w3id.org/conflict-kg/id/")
ART = ID[f"article/{ARTICLE_KEY}"]
TEXT = "Tokayev meminta bantuan CSTO. Pasukan CSTO tiba di Almaty, Kazakhstan."


def _span(word: str, start: int = 0) -> tuple[int, int]:
    begin = TEXT.index(word, start)
    return begin, begin + len(word)


def _mention(g: Graph, word: str, start: int = 0, cls: URIRef = NIF.Phrase) -> URIRef:
    b, e = _span(word, start)
    m = URIRef(f"{ART}#char={b},{e}")
    g.add((m, RDF.type, cls))
    g.add((m, NIF.referenceContext, ART))
    g.add((m, NIF.beginIndex, Literal(b, datatype=XSD.nonNegativeInteger)))
    g.add((m, NIF.endIndex, Literal(e, datatype=XSD.nonNegativeInteger)))
    g.add((m, NIF.anchorOf, Literal(TEXT[b:e])))
    return m


def _good_article() -> Graph:
    """A small article graph that follows CONTRACT.md and docs/graph-model.md."""
    g = Graph()
    author, publisher = ID["author/surya-feri"], ID["publisher/monitorindonesia-com"]
    g.add((ART, RDF.type, SCHEMA.NewsArticle))
    g.add((ART, RDF.type, NIF.Context))
    g.add((ART, NIF.isString, Literal(TEXT)))
    g.add((ART, SCHEMA.headline, Literal("Presiden Kazakhstan Sebut Upaya Kudeta Telah Berakhir", lang="id")))
    g.add((ART, SCHEMA.inLanguage, Literal("id")))
    g.add((ART, SCHEMA.dateModified, Literal("2022-01-11T14:18:00+07:00", datatype=XSD.dateTime)))
    g.add((ART, SCHEMA.author, author))
    g.add((author, SCHEMA.name, Literal("Surya Feri")))
    g.add((ART, SCHEMA.publisher, publisher))
    g.add((publisher, SCHEMA.name, Literal("Monitorindonesia.com")))
    g.add((ART, SCHEMA.keywords, Literal("Kazakhstan")))
    g.add((ART, PROV.wasGeneratedBy, ID["run/test"]))
    g.add((ID["run/test"], RDF.type, PROV.Activity))

    s1 = _mention(g, "Tokayev meminta bantuan CSTO.", cls=NIF.Sentence)
    s2 = _mention(g, "Pasukan CSTO tiba di Almaty, Kazakhstan.", cls=NIF.Sentence)

    tokayev, csto = ID["person/kassym-jomart-tokayev"], ID["organization/csto"]
    kz, almaty = ID["country/KZ"], ID["place/geonames-1526384"]
    for node, types, label, word, start in [
        (tokayev, [SEM.Actor, SCHEMA.Person], "Kassym-Jomart Tokayev", "Tokayev", 0),
        (csto, [SEM.Actor, SCHEMA.Organization], "Collective Security Treaty Organization", "CSTO", 0),
        (kz, [SEM.Actor, SEM.Place, SCHEMA.Country], "Kazakhstan", "Kazakhstan", 0),
        (almaty, [SEM.Place, SCHEMA.City], "Almaty", "Almaty", 0),
    ]:
        for t in types:
            g.add((node, RDF.type, t))
        g.add((node, RDFS.label, Literal(label)))
        m = _mention(g, word, start)
        g.add((m, NIF.sentence, s1 if TEXT.index(word, start) < len("Tokayev meminta bantuan CSTO.") else s2))
        g.add((node, GAF.denotedBy, m))
    g.add((tokayev, SKOS.altLabel, Literal("Tokayev", lang="id")))
    g.add((csto, GAF.denotedBy, _mention(g, "CSTO", 30)))
    g.add((kz, OWL.sameAs, WD.Q232))
    g.add((kz, GEO.lat, Literal("48.0", datatype=XSD.decimal)))
    g.add((kz, GEO.long, Literal("68.0", datatype=XSD.decimal)))
    g.add((almaty, GEO.lat, Literal("43.25", datatype=XSD.decimal)))
    g.add((almaty, GEO.long, Literal("76.95", datatype=XSD.decimal)))
    g.add((almaty, SCHEMA.containedInPlace, kz))

    base = f"{ART}/event"
    request, deploy = URIRef(f"{base}/1"), URIRef(f"{base}/2")
    g.add((request, RDF.type, SEM.Event))
    g.add((request, RDFS.label, Literal("Tokayev asks the CSTO for troops", lang="en")))
    g.add((request, SEM.eventType, CKGT["request-military-assistance"]))
    g.add((request, CKG.status, CKG.occurred))
    g.add((request, GAF.denotedBy, _mention(g, "meminta")))
    g.add((request, SEM.hasEarliestBeginTimeStamp, Literal("2022-01-03", datatype=XSD.date)))
    g.add((request, SEM.hasLatestEndTimeStamp, Literal("2022-01-09", datatype=XSD.date)))
    g.add((request, CKG.timePrecision, CKG.week))
    for m, (actor, role) in enumerate([(tokayev, CKG.requester), (csto, CKG.recipient)], start=1):
        r = URIRef(f"{request}/role/{m}")
        g.add((request, SEM.hasActor, actor))
        g.add((request, CKG.hasRole, r))
        g.add((r, RDF.type, SEM.Role))
        g.add((r, RDF.value, actor))
        g.add((r, SEM.roleType, role))

    g.add((deploy, RDF.type, SEM.Event))
    g.add((deploy, SEM.eventType, CKGT["foreign-military-deployment"]))
    g.add((deploy, CKG.status, CKG.occurred))
    g.add((deploy, GAF.denotedBy, _mention(g, "tiba")))
    g.add((deploy, SEM.hasActor, csto))
    g.add((deploy, SEM.hasPlace, almaty))
    g.add((deploy, SEM.hasTimeStamp, Literal("2022-01-06T10:00:00+06:00", datatype=XSD.dateTime)))
    g.add((deploy, CKG.timePrecision, CKG.day))
    r = URIRef(f"{deploy}/role/1")
    g.add((deploy, CKG.hasRole, r))
    g.add((r, RDF.type, SEM.Role))
    g.add((r, RDF.value, csto))
    g.add((r, SEM.roleType, CKG.agent))

    claim = URIRef(f"{ART}/claim/1")
    count = URIRef(f"{claim}/count/1")
    g.add((claim, RDF.type, SCHEMA.Claim))
    g.add((claim, SCHEMA.author, tokayev))
    g.add((claim, SCHEMA.appearance, ART))
    g.add((claim, SCHEMA.about, deploy))
    g.add((claim, SCHEMA.text, Literal("Pasukan CSTO tiba di Almaty", lang="id")))
    g.add((claim, GAF.denotedBy, s2))
    g.add((claim, CKG.claimsEventType, CKGT["foreign-military-deployment"]))
    g.add((claim, CKG.reportedCount, count))
    g.add((count, RDF.type, SCHEMA.QuantitativeValue))
    g.add((count, CKG.countKind, CKG.troops))
    g.add((count, SCHEMA.value, Literal(2030)))
    g.add((count, CKG.countQualifier, CKG.exact))
    g.add((count, CKG.countOf, CKG.soldiers))
    g.add((count, CKG.attributedTo, tokayev))
    g.add((count, GAF.denotedBy, _mention(g, "Pasukan")))
    return g


def _validate(data: Graph, shapes: Graph, ontology: Graph, inference: str = "none") -> tuple[bool, list[str], str]:
    pyshacl = pytest.importorskip("pyshacl")
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference=inference, abort_on_first=False,
    )
    sh = Namespace("http://www.w3.org/ns/shacl#")
    messages = [str(m) for m in results.objects(None, sh.resultMessage)]
    return conforms, messages, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_good_article_conforms(shapes: Graph, ontology: Graph, inference: str) -> None:
    # Also under RDFS inference: the ontology's domains and ranges must not turn
    # claims into events or the like.
    conforms, _, text = _validate(_good_article(), shapes, ontology, inference)
    assert conforms, text


def test_gazetteer_graph_without_mentions_conforms(shapes: Graph, ontology: Graph) -> None:
    g = Graph()
    kz = ID["country/KZ"]
    for t in (SEM.Actor, SEM.Place, SCHEMA.Country):
        g.add((kz, RDF.type, t))
    g.add((kz, RDFS.label, Literal("Kazakhstan")))
    g.add((kz, SKOS.altLabel, Literal("Kazakstan", lang="id")))
    g.add((kz, OWL.sameAs, WD.Q232))
    g.add((kz, GEO.lat, Literal(48.0)))
    g.add((kz, GEO.long, Literal(68.0)))
    conforms, _, text = _validate(g, shapes, ontology)
    assert conforms, text


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def _drop(g: Graph, s: URIRef, p: URIRef) -> None:
    g.remove((s, p, None))


def _set(g: Graph, s: URIRef, p: URIRef, o) -> None:
    g.set((s, p, o))


def _event_without_type(g: Graph) -> None:
    _drop(g, _first(g, SEM.Event), SEM.eventType)


def _event_with_foreign_type(g: Graph) -> None:
    _set(g, _first(g, SEM.Event), SEM.eventType, CAMEO["145"])


def _event_without_mention(g: Graph) -> None:
    _drop(g, _first(g, SEM.Event), GAF.denotedBy)


def _event_without_status(g: Graph) -> None:
    _drop(g, _first(g, SEM.Event), CKG.status)


def _event_with_two_statuses(g: Graph) -> None:
    g.add((_first(g, SEM.Event), CKG.status, CKG.announced))


def _event_with_bad_status(g: Graph) -> None:
    _set(g, _first(g, SEM.Event), CKG.status, CKG.killed)


def _event_with_string_date(g: Graph) -> None:
    g.add((_first(g, SEM.Event), SEM.hasTimeStamp, Literal("6 January 2022")))


def _role_without_type(g: Graph) -> None:
    _drop(g, _first(g, SEM.Role), SEM.roleType)


def _role_actor_not_an_actor_of_the_event(g: Graph) -> None:
    event = _first(g, SEM.Event)
    for actor in list(g.objects(event, SEM.hasActor)):
        g.remove((event, SEM.hasActor, actor))


def _count_without_number(g: Graph) -> None:
    _drop(g, _first(g, SCHEMA.QuantitativeValue), SCHEMA.value)


def _count_without_kind(g: Graph) -> None:
    _drop(g, _first(g, SCHEMA.QuantitativeValue), CKG.countKind)


def _count_with_inverted_bounds(g: Graph) -> None:
    q = _first(g, SCHEMA.QuantitativeValue)
    g.add((q, SCHEMA.minValue, Literal(200)))
    g.add((q, SCHEMA.maxValue, Literal(100)))


def _claim_without_author(g: Graph) -> None:
    _drop(g, _first(g, SCHEMA.Claim), SCHEMA.author)


def _claim_with_untagged_text(g: Graph) -> None:
    _set(g, _first(g, SCHEMA.Claim), SCHEMA.text, Literal("Pasukan CSTO tiba di Almaty"))


def _mention_begin_after_end(g: Graph) -> None:
    m = sorted(g.subjects(RDF.type, NIF.Phrase))[0]
    _set(g, m, NIF.beginIndex, Literal(20, datatype=XSD.nonNegativeInteger))
    _set(g, m, NIF.endIndex, Literal(10, datatype=XSD.nonNegativeInteger))


def _mention_with_wrong_anchor(g: Graph) -> None:
    m = sorted(g.subjects(RDF.type, NIF.Phrase))[0]
    anchor = str(g.value(m, NIF.anchorOf))
    _set(g, m, NIF.anchorOf, Literal(anchor[::-1] if anchor[::-1] != anchor else anchor.upper()))


def _latitude_200(g: Graph) -> None:
    _set(g, ID["place/geonames-1526384"], GEO.lat, Literal("200.0", datatype=XSD.decimal))


def _latitude_without_longitude(g: Graph) -> None:
    _drop(g, ID["place/geonames-1526384"], GEO.long)


def _undated_article(g: Graph) -> None:
    _drop(g, ART, SCHEMA.datePublished)
    _drop(g, ART, SCHEMA.dateModified)


def _article_date_without_zone(g: Graph) -> None:
    _set(g, ART, SCHEMA.dateModified, Literal("2022-01-11T14:18:00", datatype=XSD.dateTime))


def _article_without_headline(g: Graph) -> None:
    _drop(g, ART, SCHEMA.headline)


def _actor_without_contract_class(g: Graph) -> None:
    g.remove((ID["organization/csto"], RDF.type, SCHEMA.Organization))


def _actor_without_label(g: Graph) -> None:
    _drop(g, ID["organization/csto"], RDFS.label)


def _actor_without_mention(g: Graph) -> None:
    _drop(g, ID["person/kassym-jomart-tokayev"], GAF.denotedBy)


BROKEN = [
    ("event-without-type", _event_without_type, "An event must have at least one sem:eventType."),
    ("event-type-outside-scheme", _event_with_foreign_type, "must be a concept of the project's event-type scheme"),
    ("event-without-mention", _event_without_mention, "An event must have at least one gaf:denotedBy mention"),
    ("event-without-status", _event_without_status, "An event must have exactly one ckg:status."),
    ("event-with-two-statuses", _event_with_two_statuses, "An event must have exactly one ckg:status."),
    ("event-status-outside-scheme", _event_with_bad_status, "must be a concept of ckg:StatusScheme"),
    ("event-date-as-string", _event_with_string_date, "must be an xsd:date or xsd:dateTime literal"),
    ("role-without-type", _role_without_type, "A role node must have exactly one sem:roleType."),
    ("role-actor-not-hasActor", _role_actor_not_an_actor_of_the_event, "must also be linked to the event by a plain sem:hasActor"),
    ("count-without-number", _count_without_number, "A count must give its number as at least one of schema:value, schema:minValue or schema:maxValue."),
    ("count-without-kind", _count_without_kind, "A count must have exactly one ckg:countKind."),
    ("count-min-above-max", _count_with_inverted_bounds, "must not be greater than its schema:maxValue"),
    ("claim-without-author", _claim_without_author, "A claim must have a schema:author"),
    ("claim-text-untagged", _claim_with_untagged_text, "language-tagged string"),
    ("mention-begin-after-end", _mention_begin_after_end, "nif:beginIndex must be less than its nif:endIndex"),
    ("mention-anchor-not-the-slice", _mention_with_wrong_anchor, "must be exactly the slice of its article's nif:isString"),
    ("latitude-200", _latitude_200, "geo:lat must be a single number of decimal degrees between -90 and 90."),
    ("latitude-without-longitude", _latitude_without_longitude, "A place with geo:lat must also have geo:long."),
    ("undated-article", _undated_article, "An article must have a schema:datePublished or a schema:dateModified."),
    ("article-date-without-zone", _article_date_without_zone, "with a time-zone offset"),
    ("article-without-headline", _article_without_headline, "An article must have a schema:headline"),
    ("actor-without-contract-class", _actor_without_contract_class, "An actor must also be typed schema:Person, schema:Organization or schema:Country."),
    ("actor-without-label", _actor_without_label, "An actor must have an rdfs:label"),
    ("actor-without-mention", _actor_without_mention, "every actor and place must have at least one gaf:denotedBy mention"),
]


@pytest.mark.parametrize("name, breaker, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_graph_fails_with_message(shapes: Graph, ontology: Graph, name: str, breaker, expected: str) -> None:
    g = _good_article()
    before = set(g)
    breaker(g)
    assert set(g) != before, f"{name}: the breaker changed nothing"
    conforms, messages, text = _validate(g, shapes, ontology)
    assert not conforms, f"{name}: the broken graph conforms"
    assert any(expected in m for m in messages), f"{name}: expected {expected!r} among:\n" + "\n".join(sorted(set(messages)))


def test_every_shape_message_is_english(shapes: Graph) -> None:
    sh = Namespace("http://www.w3.org/ns/shacl#")
    messages = list(shapes.objects(None, sh.message))
    assert messages
    for m in messages:
        assert isinstance(m, Literal) and m.language == "en", m
        assert str(m)[0].isupper() or str(m).split()[0].count(":") == 1, m
        assert str(m).rstrip().endswith("."), m


def test_shapes_do_not_target_ontology_terms(shapes: Graph, ontology: Graph) -> None:
    # The ontology is mixed into every validated graph: nothing in it may be a focus node.
    conforms, _, text = _validate(Graph(), shapes, ontology)
    assert conforms, text
