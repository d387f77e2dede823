"""SHACL validation of what the extractor writes, and of graphs that break the shapes."""

from __future__ import annotations

from pathlib import Path

import kg
from kg.cli import main
from kg.validate import validate


def test_examples_and_seed_conform(corpus_store: kg.Store) -> None:
    report = validate(corpus_store.path)
    assert report.graphs >= 14
    assert report.conforms, report.format()


BROKEN = """
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix gaf: <http://groundedannotationframework.org/gaf#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/g1> {
  <http://example.org/a> a schema:NewsArticle, nif:Context ; schema:headline "H" ; schema:inLanguage "en" ;
      schema:datePublished "2024-01-01T00:00:00+00:00"^^xsd:dateTime ; nif:isString "Riots broke out." .
  <http://example.org/e> a sem:Event ; gaf:denotedBy <http://example.org/m> .
  <http://example.org/m> a nif:Phrase ; nif:referenceContext <http://example.org/a> ;
      nif:beginIndex 5 ; nif:endIndex 2 ; nif:anchorOf "Riots" .
}
<http://example.org/g2> {
  <http://example.org/p> a sem:Place ; rdfs:label "Nowhere" ; geo:lat 200.0 ; geo:long 10.0 .
}
"""


def test_broken_graphs_fail_with_messages_per_graph(tmp_path: Path) -> None:
    path = tmp_path / "broken.trig"
    path.write_text(BROKEN, encoding="utf-8")
    report = validate(path)
    assert not report.conforms
    text = report.format()
    assert "sem:eventType" in text
    assert "between -90 and 90" in text
    assert any(v.graph == "http://example.org/g1" for v in report.violations)
    assert any(v.graph == "http://example.org/g2" for v in report.violations)
    assert main(["validate", str(path)]) == 1


def test_ontology_docs(tmp_path: Path) -> None:
    assert main(["ontology-docs", "-o", str(tmp_path)]) == 0
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    for name in ("ACLED", "CAMEO", "PLOVER", "ckg:reportedCount", "ckgt:riot", "exactMatch"):
        assert name in html, name
    assert "<script" not in html and "http-equiv" not in html
