"""kg.analyse: graphs from the store and the measures on them.

A small hand-made store whose answers are known by hand, and the bundled examples
ingested for real.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg.analyse import ANALYSES, analyse, measure, snapshot, timeline, to_networkx
from kg.errors import QueryError

ID = "https://w3id.org/conflict-kg/id/"
A, B, C, D = (f"{ID}person/{x}" for x in ("alpha", "bravo", "charlie", "delta"))
P1, P2 = f"{ID}place/one", f"{ID}place/two"
ART = f"{ID}article/0000000000000001"
E1, E2, E3 = (f"{ART}/event/{i}" for i in (1, 2, 3))

# Four actors in three events:  e1 {A agent, B target} riot 2024-01-01 at P1;
# e2 {A, B, C} protest 2024-01-02 at P1;  e3 {C, D} riot 2024-01-02 at P2.
# Claims: A accuses B (accusation claim); C says something about e3 and D.
KNOWN = f"""
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix schema: <https://schema.org/> .
@prefix ckg: <https://w3id.org/conflict-kg/ontology#> .
@prefix ckgt: <https://w3id.org/conflict-kg/ontology/event-type/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix gaf: <http://groundedannotationframework.org/gaf#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
<{ART}> {{
  <{ART}> a schema:NewsArticle ; schema:headline "Known graph" ;
      schema:datePublished "2024-01-03T09:00:00+00:00"^^xsd:dateTime .
  <{A}> a sem:Actor, schema:Person ; rdfs:label "Alpha" ; owl:sameAs <http://www.wikidata.org/entity/Q1> ;
      gaf:denotedBy <{ART}#char=4,9> .
  <{ART}#char=4,9> a nif:Phrase ; nif:referenceContext <{ART}> ; nif:beginIndex 4 ; nif:endIndex 9 ;
      nif:anchorOf "Alpha" ; nif:sentence <{ART}#sentence=0,20> .
  <{ART}#sentence=0,20> a nif:Sentence ; nif:referenceContext <{ART}> ; nif:beginIndex 0 ; nif:endIndex 20 ;
      nif:anchorOf "Yes Alpha said so." .
  <{B}> a sem:Actor, schema:Organization ; rdfs:label "Bravo" .
  <{C}> a sem:Actor, schema:Country, sem:Place ; rdfs:label "Charlie" .
  <{D}> a sem:Actor, schema:Person ; rdfs:label "Delta" .
  <{P1}> a sem:Place, schema:City ; rdfs:label "One" .
  <{P2}> a sem:Place, schema:City ; rdfs:label "Two" .
  <{E1}> a sem:Event ; rdfs:label "riot one" ; sem:eventType ckgt:riot ; sem:hasTimeStamp "2024-01-01"^^xsd:date ;
      sem:hasActor <{A}>, <{B}> ; sem:hasPlace <{P1}> ; ckg:hasRole <{E1}/role/0>, <{E1}/role/1> .
  <{E1}/role/0> a sem:Role ; rdf:value <{A}> ; sem:roleType ckg:agent .
  <{E1}/role/1> a sem:Role ; rdf:value <{B}> ; sem:roleType ckg:target .
  <{E2}> a sem:Event ; rdfs:label "protest" ; sem:eventType ckgt:protest ; sem:hasTimeStamp "2024-01-02"^^xsd:date ;
      sem:hasActor <{A}>, <{B}>, <{C}> ; sem:hasPlace <{P1}> .
  <{E3}> a sem:Event ; rdfs:label "riot two" ; sem:eventType ckgt:riot ;
      sem:hasBeginTimeStamp "2024-01-02"^^xsd:date ; sem:hasEndTimeStamp "2024-01-04"^^xsd:date ;
      sem:hasActor <{C}>, <{D}> ; sem:hasPlace <{P2}> .
  <{ART}/claim/1> a schema:Claim ; schema:author <{A}> ; schema:about <{B}> ; ckg:claimsEventType ckgt:accusation ;
      schema:appearance <{ART}> ; schema:text "Bravo did it"@en .
  <{ART}/claim/2> a schema:Claim ; schema:author <{C}> ; schema:about <{E3}>, <{D}> ;
      schema:appearance <{ART}> ; schema:text "Delta started it"@en .
}}
"""


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> kg.Store:
    import pyoxigraph as ox

    path = tmp_path_factory.mktemp("known") / "store"
    with kg.open_store(path) as s:
        s.oxigraph.load(KNOWN.encode(), format=ox.RdfFormat.TRIG)
    return kg.open_store(path, read_only=True)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> kg.Store:
    path = tmp_path_factory.mktemp("examples") / "store"
    report = kg.ingest([examples_dir], path)
    # Extraction has its own tests; here enough articles must be in for the graphs to mean something.
    assert sum(report.outcomes.values()) >= 10, report.failures
    return kg.open_store(path, read_only=True)


def test_snapshot_reads_events_roles_dates_and_claims(known: kg.Store) -> None:
    snap = snapshot(known)
    assert set(snap.events) == {E1, E2, E3}
    assert snap.events[E1].actors == {A: {"agent"}, B: {"target"}}
    assert snap.events[E2].actors == {A: set(), B: set(), C: set()}
    e3 = snap.events[E3]
    assert (e3.start, e3.end, e3.day) == ("2024-01-02", "2024-01-04", "2024-01-02")
    assert snap.actors[A].kind == "person" and snap.actors[A].wikidata == "http://www.wikidata.org/entity/Q1"
    assert snap.actors[B].kind == "organisation" and snap.actors[C].kind == "state"
    assert C in snap.places and snap.places[C].kind == "state"
    assert snap.claims[f"{ART}/claim/1"].claimed_type == "accusation"
    headline, date = snap.articles[ART]
    assert headline == "Known graph" and date is not None and date.startswith("2024-01-03T09:00:00")


def test_actor_actor_weights_and_measures(known: kg.Store) -> None:
    res = analyse(known, kind="actor-actor")
    g = res.graph
    assert g is not None and set(g) == {A, B, C, D}
    assert {frozenset(e): d["weight"] for *e, d in g.edges(data=True)} == {
        frozenset({A, B}): 2, frozenset({A, C}): 1, frozenset({B, C}): 1, frozenset({C, D}): 1}
    rows = {r["id"]: r for r in res.nodes}
    assert {n: rows[n]["degree"] for n in rows} == {A: 2, B: 2, C: 3, D: 1}
    assert {n: rows[n]["weighted_degree"] for n in rows} == {A: 3, B: 3, C: 3, D: 1}
    # only C lies between others: on the A-D and B-D shortest paths, 2 of the 3 pairs not involving it
    assert rows[C]["betweenness"] == pytest.approx(2 / 3)
    assert rows[A]["betweenness"] == rows[B]["betweenness"] == rows[D]["betweenness"] == 0
    assert sum(r["pagerank"] for r in res.nodes) == pytest.approx(1.0)
    assert min(res.nodes, key=lambda r: r["pagerank"])["id"] == D
    # Louvain: {A, B} (tied twice) and {C, D} is the best split (modularity 0.08 against 0 for one group)
    assert rows[A]["community"] == rows[B]["community"] != rows[C]["community"] == rows[D]["community"]
    assert res.meta["betweenness_k"] is None and res.meta["communities"] == 2
    assert g.nodes[C]["pagerank"] == rows[C]["pagerank"]  # measures are node attributes too


def test_actor_event_is_bipartite_with_roles(known: kg.Store) -> None:
    g = to_networkx(known, "actor-event")
    assert nx.is_bipartite(g)
    assert {n for n, d in g.nodes(data=True) if d["bipartite"] == 1} == {E1, E2, E3}
    assert g[A][E1]["roles"] == "agent" and g[B][E1]["roles"] == "target" and g[A][E2]["roles"] == ""
    assert g.nodes[E1]["event_type"] == "riot" and g.nodes[E1]["date"] == "2024-01-01"


def test_claims_graph_accusations_and_claims_about_actors(known: kg.Store) -> None:
    g = to_networkx(known, "claims")
    assert g.is_directed()
    assert set(g.edges()) == {(A, B), (C, D)}  # the claim about event e3 links to no actor
    assert g[A][B]["accusations"] == 1 and g[A][B]["relation"] == "accuses"
    assert g[C][D]["claims"] == 1 and g[C][D]["accusations"] == 0 and g[C][D]["relation"] == "claims about"


def test_place_event_graph(known: kg.Store) -> None:
    g = to_networkx(known, "place-event")
    assert dict(g.degree([P1, P2])) == {P1: 2, P2: 1}
    assert g.nodes[P1]["kind"] == "place"


def test_filters_by_date_and_type(known: kg.Store) -> None:
    later = to_networkx(known, "actor-actor", since="2024-01-02")
    assert later[A][B]["weight"] == 1  # e1 (1 January) is out
    riots = to_networkx(known, "actor-event", event_type="ckgt:riot")
    assert {n for n, d in riots.nodes(data=True) if d["kind"] == "event"} == {E1, E3}
    window = to_networkx(known, "actor-event", since="2024-01-03", until="2024-01-03")
    assert {n for n, d in window.nodes(data=True) if d["kind"] == "event"} == {E3}  # e3 runs 2 to 4 January
    with pytest.raises(QueryError):
        to_networkx(known, "actor-actor", since="last tuesday")


def test_timeline_per_day_and_type(known: kg.Store) -> None:
    assert timeline(known) == [
        {"day": "2024-01-01", "event_type": "riot", "events": 1},
        {"day": "2024-01-02", "event_type": "protest", "events": 1},
        {"day": "2024-01-02", "event_type": "riot", "events": 1},
    ]
    res = analyse(known, kind="timeline")
    assert res.graph is None and res.meta["undated"] == 0
    assert res.to_csv().splitlines()[0] == "day,event_type,events"


def test_tables_as_csv_and_json(known: kg.Store, tmp_path: Path) -> None:
    res = analyse(known, kind="actor-actor")
    rows = list(csv.DictReader(io.StringIO(res.to_csv())))
    assert [r["id"] for r in rows] == [r["id"] for r in res.nodes]
    assert list(rows[0])[:8] == ["id", "label", "kind", "degree", "weighted_degree", "betweenness", "pagerank",
                                 "community"]
    edges = list(csv.DictReader(io.StringIO(res.to_csv("edges"))))
    assert edges[0]["source_label"] == "Alpha" and edges[0]["weight"] == "2"
    doc = json.loads(res.write(tmp_path / "aa.json").read_text())
    assert doc["kind"] == "actor-actor" and len(doc["nodes"]) == 4 and len(doc["edges"]) == 4
    assert res.top(1, by="degree")[0]["label"] == "Charlie"
    with pytest.raises(QueryError):
        analyse(known, kind="who-knows")


def test_sampled_betweenness_above_the_exact_limit() -> None:
    g = nx.relabel_nodes(nx.barabasi_albert_graph(700, 2, seed=3), str)
    first = measure(g, seed=5)
    assert g.graph["betweenness_k"] == 256
    again = measure(g.copy(), seed=5)
    assert first["betweenness"] == again["betweenness"] and first["community"] == again["community"]
    assert measure(g, betweenness_k=50)["betweenness"] != first["betweenness"]


def test_measures_on_an_empty_graph() -> None:
    out = measure(nx.Graph())
    assert out["pagerank"] == {} and out["community"] == {}


def test_examples_store_analyses(examples: kg.Store) -> None:
    for kind in ANALYSES:
        res = analyse(examples, kind=kind)
        assert res.rows, kind
    actors = analyse(examples, kind="actor-actor")
    labels = {r["label"] for r in actors.nodes}
    assert {"Kassym-Jomart Tokayev", "Rapid Support Forces"} <= labels
    assert all(r["kind"] in {"person", "organisation", "state", "group", "actor"} for r in actors.nodes)
    claims = to_networkx(examples, "claims")
    assert any(d["accusations"] for *_, d in claims.edges(data=True))
    days = [r["day"] for r in analyse(examples, kind="timeline").rows]
    # the earliest is the May 2018 Surabaya bombings the Makassar article recalls (examples/expected.json)
    assert days == sorted(days) and days[0] == "2018-05-01"
