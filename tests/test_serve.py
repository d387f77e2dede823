"""kg.serve over real HTTP: the SPARQL 1.1 Protocol, content negotiation, limits, and the page."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import kg
from kg.errors import StoreError
from kg.serve import SparqlServer, negotiate, start_server

pytestmark = pytest.mark.slow

SELECT = "SELECT ?e ?label WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> ; " \
         "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?e LIMIT 7"
CONSTRUCT = "CONSTRUCT { ?e a ?t } WHERE { ?e a ?t . ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> } LIMIT 9"
# A cross product of the whole store with itself, three times over: far beyond any timeout here.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def get(server: SparqlServer, query: str, accept: str | None = None, **params: str) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(f"{server.url}/sparql?{qs}", headers={"Accept": accept} if accept else {})


def post_form(server: SparqlServer, field: str, text: str, path: str = "/sparql",
              accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if accept:
        headers["Accept"] = accept
    return http(server.url + path, data=urllib.parse.urlencode({field: text}).encode(), headers=headers)


@pytest.fixture(scope="module")
def server(corpus_store: kg.Store) -> Iterator[SparqlServer]:
    with start_server(corpus_store.path, timeout=20, max_results=10000, quiet=True) as s:
        yield s


@pytest.fixture(scope="module")
def expected_rows(corpus_store: kg.Store) -> int:
    return len(list(corpus_store.oxigraph.query(SELECT, use_default_graph_as_union=True)))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, ctype, fmt", [
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("application/json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    (None, "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("text/html, */*;q=0.1", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml",
     ox.QueryResultsFormat.XML),
])
def test_select_formats(server: SparqlServer, expected_rows: int, accept: str | None, ctype: str, fmt: Any) -> None:
    status, headers, body = get(server, SELECT, accept)
    assert status == 200, body
    assert headers["content-type"].startswith(ctype)
    rows = list(ox.parse_query_results(body, format=fmt))  # type: ignore[arg-type]
    assert len(rows) == expected_rows == 7
    assert "x-kg-truncated" not in headers


def test_select_csv_reads_with_the_csv_module(server: SparqlServer) -> None:
    status, headers, body = get(server, SELECT, "text/csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["e", "label"] and len(rows) == 8


@pytest.mark.parametrize("accept, ctype, fmt", [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/trig", "application/trig", ox.RdfFormat.TRIG),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    (None, "text/turtle", ox.RdfFormat.TURTLE),
])
def test_graph_formats(server: SparqlServer, accept: str | None, ctype: str, fmt: Any) -> None:
    status, headers, body = get(server, CONSTRUCT, accept)
    assert status == 200, body
    assert headers["content-type"].startswith(ctype)
    assert len(list(ox.parse(body, format=fmt))) == 9


def test_format_parameter_and_not_acceptable(server: SparqlServer) -> None:
    status, headers, _ = get(server, SELECT, "application/sparql-results+json", format="tsv")
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")
    status, _, body = get(server, SELECT, "image/png")
    assert status == 406 and b"application/sparql-results+json" in body
    status, _, _ = get(server, CONSTRUCT, "application/sparql-results+json")
    assert status == 406


def test_post_form_and_direct_and_ask(server: SparqlServer, expected_rows: int) -> None:
    status, _, body = post_form(server, "query", SELECT)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == expected_rows
    status, _, body = http(server.url + "/query", data=SELECT.encode(),
                           headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and body.count(b"\n") == expected_rows + 1
    status, _, body = get(server, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_dataset_parameters(server: SparqlServer, corpus_store: kg.Store) -> None:
    g = corpus_store.article_graphs()[0]
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, _, body = get(server, q, "application/sparql-results+json", **{"default-graph-uri": g})
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    local = sum(1 for _ in corpus_store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g)))
    assert status == 200 and n == local


def test_sparqlwrapper_reads_it(server: SparqlServer, expected_rows: int) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(SELECT)
    sw.setReturnFormat(JSON)
    data = sw.queryAndConvert()
    assert len(data["results"]["bindings"]) == expected_rows  # type: ignore[index,call-overload]


def test_library_query_through_kg_remote(server: SparqlServer, corpus_store: kg.Store) -> None:
    from kg import remote

    res = remote.query_endpoint(server.url + "/sparql", "reported-counts", {"kind": "ckg:killed"}, retries=0)
    assert len(res.rows) == len(kg.query(corpus_store, "reported-counts", {"kind": "ckg:killed"}).rows) > 0


def test_errors_are_clear(server: SparqlServer) -> None:
    status, _, body = get(server, "SELECT WHERE {")
    assert status == 400 and b"syntax" in body.lower()
    status, _, _ = http(server.url + "/sparql")
    assert status == 400
    status, _, _ = http(server.url + "/nothing-here")
    assert status == 404
    status, _, _ = http(server.url + "/sparql", data=b"x" * (1 << 21),
                        headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    status, _, _ = http(server.url + "/sparql", data=b"query=1", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_updates_are_refused(server: SparqlServer, corpus_store: kg.Store) -> None:
    update = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    for path, field in (("/update", "update"), ("/sparql", "update")):
        status, _, body = post_form(server, field, update, path)
        assert status == 403 and b"read-only" in body and b"--allow-updates" in body
    status, _, body = http(server.url + "/update", data=update.encode(),
                           headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, body = get(server, "ASK { <urn:x:s> ?p ?o }")
    assert json.loads(body)["boolean"] is False
    status, _, _ = get(server, update)  # an update sent as a query does not parse as one
    assert status == 400


def test_page_is_self_contained(server: SparqlServer) -> None:
    status, headers, body = http(server.url + "/", headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "<textarea" in page and "fetch(" in page
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(//|[a-z]+:)""", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(", page)
    assert "default-src 'none'" in headers["content-security-policy"]
    status, _, body = http(server.url + "/queries.json")
    names = {q["name"] for q in json.loads(body)}
    assert "events-by-type-place-date" in names


def test_viz_when_draw_exists(server: SparqlServer) -> None:
    import importlib.util

    status, headers, body = http(server.url + "/viz?max_nodes=200")
    if importlib.util.find_spec("kg.draw") is None:
        assert status == 404
    else:
        assert status == 200 and headers["content-type"].startswith("text/html") and b"<html" in body.lower()
    status, _, _ = http(server.url + "/viz?depth=99")
    assert status in (400, 404)


# --------------------------------------------------------------------------------------------------
# Limits: a fresh server each, small numbers.

def test_result_cap(corpus_store: kg.Store) -> None:
    with start_server(corpus_store.path, max_results=5, quiet=True, workers=1) as s:
        status, headers, body = get(s, SELECT, "application/sparql-results+json")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
        assert headers["x-kg-truncated"] == "true" and headers["x-sparql-maxrows"] == "5"
        status, headers, body = get(s, SELECT, "text/csv")
        assert body.count(b"\n") == 6 and headers["x-kg-truncated"] == "true"
        status, headers, body = get(s, CONSTRUCT, "application/n-triples")
        assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 5
        status, headers, body = get(s, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
        assert len(json.loads(body)["results"]["bindings"]) == 3 and "x-kg-truncated" not in headers


def test_timeout_stops_the_query_and_the_server_recovers(corpus_store: kg.Store) -> None:
    with start_server(corpus_store.path, timeout=1, quiet=True, workers=1) as s:
        t0 = time.monotonic()
        status, _, body = get(s, SLOW)
        elapsed = time.monotonic() - t0
        assert status == 503 and b"1 s limit" in body
        assert elapsed < 5
        deadline = time.monotonic() + 30  # the replacement worker starts in the background
        while True:
            status, _, body = get(s, "ASK {}")
            if status == 200 or time.monotonic() > deadline:
                break
        assert status == 200 and json.loads(body)["boolean"] is True


def test_updates_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "store"
    kg.Store(path).close()
    with start_server(path, read_only=False, quiet=True) as s:
        status, _, _ = post_form(s, "update", "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> \"o\" } }",
                                 "/update")
        assert status == 204
        status, _, body = get(s, "ASK { <urn:x:s> <urn:x:p> \"o\" }")
        assert json.loads(body)["boolean"] is True
        status, _, body = post_form(s, "update", "INSERT DATA {", "/update")
        assert status == 400
    reopened = kg.Store(path, read_only=True)
    assert ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                   ox.NamedNode("urn:x:g")) in reopened.oxigraph


def test_loopback_by_default_and_bad_store(tmp_path: Path, corpus_store: kg.Store) -> None:
    with SparqlServer(corpus_store.path, port=0, quiet=True, workers=1) as s:
        assert s.url.startswith("http://127.0.0.1:")
    with pytest.raises(StoreError):
        SparqlServer(tmp_path / "no-store-here", port=0, quiet=True)


def test_negotiate_unit() -> None:
    assert negotiate("results", None)[0] == "json"  # type: ignore[index]
    assert negotiate("results", "text/*")[0] == "csv"  # type: ignore[index]
    assert negotiate("graph", "application/*;q=0.5, text/turtle;q=0.4")[0] == "trig"  # type: ignore[index]
    assert negotiate("graph", "*/*")[0] == "turtle"  # type: ignore[index]
    assert negotiate("results", "text/csv;q=0")is None
    assert negotiate("results", None, "xml")[0] == "xml"  # type: ignore[index]
    assert negotiate("results", None, "nonsense") is None
