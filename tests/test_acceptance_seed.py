"""The seed article's graph holds what ../shared/seed/FACTS.md lists.

Checked through SPARQL over the exported TriG, parsed by rdflib (a parser
independent of the Oxigraph store that wrote it). Skips when ../shared is absent.
"""

from __future__ import annotations

import io

import pytest
import rdflib

import kg
from kg.namespaces import PREFIXES

pytestmark = pytest.mark.shared

PRE = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


@pytest.fixture(scope="module")
def g(seed_store: kg.Store) -> rdflib.Dataset:
    buf = io.BytesIO()
    kg.export(seed_store, "trig", buf)
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=buf.getvalue(), format="trig")
    return ds


def ask(g: rdflib.Dataset, body: str) -> bool:
    return bool(g.query(f"{PRE}\nASK {{ {body} }}").askAnswer)


def rows(g: rdflib.Dataset, select: str) -> list[tuple]:  # type: ignore[type-arg]
    return [tuple(r) for r in g.query(f"{PRE}\n{select}")]


def test_article_metadata(g: rdflib.Dataset) -> None:
    assert ask(g, """?a a schema:NewsArticle ;
        schema:headline "Presiden Kazakhstan Sebut Upaya Kudeta Telah Berakhir" ;
        schema:inLanguage "id" ;
        schema:dateModified "2022-01-11T14:18:00+07:00"^^xsd:dateTime ;
        schema:author/schema:name "Surya Feri" ;
        schema:publisher/schema:name "Monitorindonesia.com" ;
        schema:keywords "Kazakhstan", "Kudeta kazakhstan" .""")
    assert rows(g, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?a a schema:NewsArticle ; schema:author ?p }")[0][0].toPython() == 1


def actor(g: rdflib.Dataset, label: str) -> rdflib.URIRef:
    found = rows(g, f'SELECT DISTINCT ?x WHERE {{ ?x a sem:Actor ; rdfs:label "{label}" }}')
    assert len(found) == 1, (label, found)
    return found[0][0]


def names(g: rdflib.Dataset, node: rdflib.URIRef) -> set[str]:
    alt = {str(r[0]) for r in rows(g, f"SELECT ?n WHERE {{ <{node}> skos:altLabel ?n }}")}
    said = {str(r[0]) for r in rows(g, f"SELECT ?n WHERE {{ <{node}> gaf:denotedBy/nif:anchorOf ?n }}")}
    return alt | said


def test_tokayev_one_node_with_all_his_names(g: rdflib.Dataset) -> None:
    t = actor(g, "Kassym-Jomart Tokayev")
    assert ask(g, f"<{t}> a schema:Person ; schema:jobTitle ?j FILTER(CONTAINS(STR(?j), 'Kazakhstan'))")
    seen = names(g, t)
    for form in ("Kassym-Jomart Tokayev", "Tokayev", "presiden Kazakhstan", "Presiden Kazakh"):
        assert form in seen, form
    assert {"dia", "nya"} & seen


def test_putin(g: rdflib.Dataset) -> None:
    p = actor(g, "Vladimir Putin")
    assert ask(g, f"<{p}> a schema:Person ; owl:sameAs wd:Q7747")
    assert "Presiden Rusia" in names(g, p)


def test_csto_typo_and_description(g: rdflib.Dataset) -> None:
    c = actor(g, "Collective Security Treaty Organization")
    assert ask(g, f"<{c}> a schema:Organization")
    seen = names(g, c)
    assert {"CSTO", "CTSO", "aliansi militer negara-negara bekas Soviet"} <= seen


@pytest.mark.parametrize("qid, name", [("Q232", "Kazakhstan"), ("Q159", "Rusia"), ("Q212", "Ukraina"),
                                       ("Q230", "Georgia")])
def test_states_are_places_and_actors(g: rdflib.Dataset, qid: str, name: str) -> None:
    assert ask(g, f"""?x owl:sameAs wd:{qid} ; a sem:Place, sem:Actor, schema:Country ;
                     gaf:denotedBy/nif:anchorOf "{name}" .""")


def test_central_asia(g: rdflib.Dataset) -> None:
    assert ask(g, '?x a sem:Place ; gaf:denotedBy/nif:anchorOf "Asia Tengah"')


def test_unnamed_groups(g: rdflib.Dataset) -> None:
    for anchor in ("warga", "pasukan keamanan", "bandit dan teroris"):
        assert ask(g, f'?x a sem:Actor, schema:Organization ; gaf:denotedBy/nif:anchorOf "{anchor}"'), anchor


def event(g: rdflib.Dataset, slug: str) -> rdflib.URIRef:
    found = rows(g, f"SELECT ?e WHERE {{ ?e a sem:Event ; sem:eventType ckgt:{slug} }}")
    assert len(found) == 1, (slug, found)
    return found[0][0]


def test_riots_with_their_counts(g: rdflib.Dataset) -> None:
    e = event(g, "riot")
    assert ask(g, f"<{e}> sem:hasPlace/owl:sameAs wd:Q232 ; ckg:status ckg:occurred ; ckg:timePrecision ckg:week ;"
                  f' sem:hasEarliestBeginTimeStamp "2022-01-03"^^xsd:date ; sem:hasLatestEndTimeStamp "2022-01-09"^^xsd:date')
    assert ask(g, f"<{e}> ckg:reportedCount [ ckg:countKind ckg:killed ; schema:minValue 160 ]")
    assert ask(g, f"<{e}> ckg:reportedCount [ ckg:countKind ckg:killed ; ckg:countOf ckg:civilians ]")
    assert ask(g, f"<{e}> ckg:reportedCount [ ckg:countKind ckg:killed ; ckg:countOf ckg:securityForces ;"
                  f" schema:minValue 12 ; ckg:countQualifier ckg:moreThan ]")
    assert ask(g, f"<{e}> ckg:reportedCount [ ckg:countKind ckg:arrested ; schema:maxValue 8000 ;"
                  f" ckg:countQualifier ckg:nearly ]")


def test_protests_are_part_of_the_riots(g: rdflib.Dataset) -> None:
    assert ask(g, f"<{event(g, 'protest')}> sem:subEventOf <{event(g, 'riot')}>")


def test_deployment_at_request(g: rdflib.Dataset) -> None:
    d, r = event(g, "foreign-military-deployment"), event(g, "request-military-assistance")
    t, c = actor(g, "Kassym-Jomart Tokayev"), actor(g, "Collective Security Treaty Organization")
    assert ask(g, f"<{d}> sem:hasActor <{c}> ; ckg:hasRole [ rdf:value <{c}> ; sem:roleType ckg:agent ] ;"
                  f" sem:hasPlace/owl:sameAs wd:Q232")
    assert ask(g, f"<{r}> ckg:hasRole [ rdf:value <{t}> ; sem:roleType ckg:requester ], "
                  f"[ rdf:value <{c}> ; sem:roleType ckg:recipient ]")
    for n in (2030, 250):
        assert ask(g, f"<{d}> ckg:reportedCount [ ckg:countKind ckg:troops ; schema:value {n} ; ckg:attributedTo <{t}> ]")
        assert ask(g, f"?claim a schema:Claim ; schema:author <{t}> ; ckg:reportedCount [ schema:value {n} ]")


def test_online_meeting(g: rdflib.Dataset) -> None:
    m = event(g, "meeting")
    for who in ("Kassym-Jomart Tokayev", "Vladimir Putin", "Collective Security Treaty Organization"):
        assert ask(g, f"<{m}> sem:hasActor <{actor(g, who)}>"), who
    assert ask(g, f'<{m}> sem:hasLatestEndTimeStamp ?d FILTER(?d <= "2022-01-11"^^xsd:date)')


def test_statuses_of_what_is_not_over(g: rdflib.Dataset) -> None:
    assert ask(g, f"<{event(g, 'counter-terrorism-operation')}> ckg:status ckg:ongoing")
    w = event(g, "withdrawal")
    assert ask(g, f"<{w}> ckg:status ckg:announced ; sem:hasActor <{actor(g, 'Collective Security Treaty Organization')}>")
    assert not ask(g, f"<{w}> sem:hasTimeStamp|sem:hasLatestEndTimeStamp ?t")


def test_coup_attempt_is_a_claim_not_a_fact(g: rdflib.Dataset) -> None:
    assert not ask(g, "?e a sem:Event ; sem:eventType ckgt:coup-attempt")
    t = actor(g, "Kassym-Jomart Tokayev")
    assert ask(g, f"""?c a schema:Claim ; schema:author <{t}> ; ckg:claimsEventType ckgt:coup-attempt ;
                      schema:appearance ?a ; schema:text ?txt ; schema:about ?e . ?e a sem:Event .
                      ?a a schema:NewsArticle FILTER(LANG(?txt) = "id")""")


def claim_texts(g: rdflib.Dataset, who: str) -> list[str]:
    return [str(r[0]) for r in rows(g, f"SELECT ?t WHERE {{ ?c a schema:Claim ; schema:author <{actor(g, who)}> ;"
                                       f" schema:text ?t }}")]


def test_tokayev_claims(g: rdflib.Dataset) -> None:
    texts = " || ".join(claim_texts(g, "Kassym-Jomart Tokayev"))
    for part in ("upaya kudeta", "ketertiban telah dipulihkan", "bandit dan teroris", "2.030 tentara",
                 "kurangnya informasi", "merebut kekuasaan"):
        assert part in texts, part
    assert ask(g, f"""?c schema:author <{actor(g, 'Kassym-Jomart Tokayev')}> ; ckg:claimsEventType ckgt:accusation ;
                      schema:about/gaf:denotedBy/nif:anchorOf "bandit dan teroris" """)


def test_putin_and_russia_claims(g: rdflib.Dataset) -> None:
    texts = " || ".join(claim_texts(g, "Vladimir Putin"))
    for part in ("mencegah", "akan ditarik", "mencampuri urusan dalam negeri", "revolusi warna"):
        assert part in texts, part
    assert any("kemenangan" in t for t in claim_texts(g, "Russia"))
    assert ask(g, f"""?c schema:author <{actor(g, 'Vladimir Putin')}> ; schema:about ?ua, ?ge .
                      ?ua owl:sameAs wd:Q212 . ?ge owl:sameAs wd:Q230 .""")


def test_every_mention_is_exactly_its_slice(g: rdflib.Dataset) -> None:
    (text,) = rows(g, "SELECT ?t WHERE { ?a a schema:NewsArticle ; nif:isString ?t }")[0]
    found = rows(g, "SELECT DISTINCT ?m ?b ?e ?s WHERE { ?x gaf:denotedBy ?m . ?m nif:beginIndex ?b ; "
                    "nif:endIndex ?e ; nif:anchorOf ?s ; nif:referenceContext/a schema:NewsArticle }")
    assert len(found) > 60
    for _, b, e, s in found:
        assert str(text)[b.toPython():e.toPython()] == str(s)


def test_every_fact_has_a_mention(g: rdflib.Dataset) -> None:
    assert not ask(g, """{ ?x a sem:Event } UNION { ?x a schema:Claim } UNION { ?x a schema:QuantitativeValue }
                         UNION { ?x a sem:Actor } FILTER NOT EXISTS { ?x gaf:denotedBy ?m }""")
