"""kg.remote against a real ``oxigraph serve`` and against a small faulty server started here.

The oxigraph tests skip only when the ``oxigraph`` executable (PyPI ``oxigraph``)
is neither next to the Python running the tests nor on PATH. Every server is
started by a fixture on a free loopback port and stopped afterwards; every retry
loop is bounded (few retries, short backoff).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import kg
from kg import remote
from kg.errors import EndpointError, QueryError
from kg.query import LibraryQuery, bind, library, run

FIXTURES = Path(__file__).parent / "fixtures"
CKG = "https://w3id.org/conflict-kg/ontology#"
ID = "https://w3id.org/conflict-kg/id/"


# --------------------------------------------------------------------------------------------------
# Servers.

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_exe() -> str | None:
    near = Path(sys.executable).with_name("oxigraph")
    return str(near) if near.exists() else shutil.which("oxigraph")


class Oxigraph:
    """A running ``oxigraph serve`` (union default graph), in memory or on disk."""

    def __init__(self, exe: str, location: Path | None = None) -> None:
        self.port = free_port()
        args = [exe, "serve", "--union-default-graph", "--bind", f"127.0.0.1:{self.port}"]
        if location is not None:
            args += ["--location", str(location)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        self.query_url = self.base + "/query"
        self.store_url = self.base + "/store"
        remote.wait_for_endpoint(self.query_url, timeout=20)

    def count(self, graph: str | None = None) -> int:
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        body = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"}).encode()
        req = urllib.request.Request(self.query_url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return int(json.load(r)["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def oxigraph() -> Iterator[Oxigraph]:
    exe = oxigraph_exe()
    if exe is None:
        pytest.skip("the oxigraph executable (PyPI 'oxigraph') is not installed")
    server = Oxigraph(exe)
    try:
        yield server
    finally:
        server.stop()


class Faulty:
    """A tiny HTTP server whose behaviour a test sets: fail, drop, stall, or pass requests on.

    ``plan`` is a list of actions used one per request, then ``then`` for every later one:
    ``"500"``, ``"400"``, ``"401"``, ``"drop"`` (close the socket without answering),
    ``"sleep"`` (answer after ``sleep`` seconds), ``"ok"`` (canned SPARQL JSON answer),
    ``"proxy"`` (forward to ``upstream``). ``fail_put_graph`` answers 500 to every PUT
    of that graph and passes the rest on; ``swallow_put_graph`` answers 204 to it and
    stores nothing.
    """

    def __init__(self) -> None:
        self.plan: list[str] = []
        self.then = "500"
        self.sleep = 3.0
        self.upstream: str | None = None
        self.fail_put_graph: str | None = None
        self.swallow_put_graph: str | None = None
        self.auth: str | None = None
        self.requests: list[tuple[str, str]] = []
        faulty = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                faulty.requests.append((self.command, self.path))
                if faulty.auth is not None and self.headers.get("Authorization") != faulty.auth:
                    return self._send(401, b"who are you?", {"WWW-Authenticate": 'Basic realm="test"'})
                action = faulty.plan.pop(0) if faulty.plan else faulty.then
                if faulty.fail_put_graph and self.command == "PUT" and \
                        urllib.parse.quote(faulty.fail_put_graph, safe="") in self.path:
                    action = "500"
                if faulty.swallow_put_graph and self.command == "PUT" and \
                        urllib.parse.quote(faulty.swallow_put_graph, safe="") in self.path:
                    return self._send(204, b"")  # says yes, stores nothing
                if action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if action == "sleep":
                    time.sleep(faulty.sleep)
                    action = "ok"
                if action in ("500", "400", "401", "503"):
                    return self._send(int(action), f"planned {action}".encode())
                if action == "ok":
                    answer = {"head": {"vars": ["n"]}, "results": {"bindings": [
                        {"n": {"type": "literal", "value": "1",
                               "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}
                    return self._send(200, json.dumps(answer).encode(),
                                      {"Content-Type": "application/sparql-results+json"})
                assert faulty.upstream is not None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept", "authorization")}
                req = urllib.request.Request(faulty.upstream + self.path, data=body or None, method=self.command,
                                             headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        return self._send(r.status, r.read(), {"Content-Type": r.headers.get("Content-Type", "")})
                except urllib.error.HTTPError as e:
                    return self._send(e.code, e.read())

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *a: None  # type: ignore[method-assign]  # dropped sockets are the point
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def faulty() -> Iterator[Faulty]:
    server = Faulty()
    try:
        yield server
    finally:
        server.stop()


def small_store(path: Path, n_articles: int = 3, per_article: int = 20) -> kg.Store:
    """A store with a few small article graphs (and the ontology graph the Store loads itself)."""
    s = kg.Store(path)
    for a in range(n_articles):
        g = ox.NamedNode(f"{ID}article/{a:016x}")
        s.oxigraph.add(ox.Quad(g, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                               ox.NamedNode("https://schema.org/NewsArticle"), g))
        for k in range(per_article):
            s.oxigraph.add(ox.Quad(ox.NamedNode(f"{g.value}/event/{k}"), ox.NamedNode(CKG + "status"),
                                   ox.Literal(f"value {k} with \"quotes\" and {{braces}}\nnewline"), g))
    return s


# --------------------------------------------------------------------------------------------------
# VALUES injection (no server needed).

def test_query_form_skips_comments_and_prefixes() -> None:
    assert remote.query_form("# SELECT in a comment\nPREFIX a: <http://a/>\nASK { ?s ?p ?o }") == "ASK"
    assert remote.query_form("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    with pytest.raises(QueryError):
        remote.query_form("INSERT DATA { <a:b> <a:c> <a:d> }")


def test_inject_values_goes_inside_the_outer_where_group() -> None:
    q = """# a comment with { a brace
PREFIX ex: <http://example.org/>
SELECT ?x (COUNT(*) AS ?n) WHERE {
  ?x ex:p "a } in a string" .  # and } in a comment
  FILTER(?x != <http://example.org/{not-an-iri})
} GROUP BY ?x"""
    # the IRI above is not valid: it is scanned as '<', so it cannot fool the brace count either way
    out = remote.inject_values(q, {"x": ox.NamedNode("http://example.org/a")})
    where = out.index("WHERE {")
    assert out.index("VALUES (?x) { (<http://example.org/a>) }") > where
    assert out.index("VALUES") < out.index("?x ex:p")


def test_inject_values_in_construct_and_subselect_and_describe() -> None:
    store = ox.Store()
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    store.add(ox.Quad(s, p, ox.Literal("v")))
    lit = ox.Literal("v")
    construct = remote.inject_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"o": lit})
    assert len(list(store.query(construct))) == 1
    short = remote.inject_values("CONSTRUCT WHERE { ?s ?p ?o }", {"o": lit})
    assert short.rstrip().endswith('VALUES (?o) { ("v") }')
    assert len(list(store.query(short))) == 1
    sub = remote.inject_values("SELECT * WHERE { SELECT ?s ?o WHERE { ?s ?p ?o } }", {"o": ox.Literal("w")})
    assert list(store.query(sub)) == []
    describe = remote.inject_values("DESCRIBE ?s", {"s": s})
    assert len(list(store.query(describe))) == 1
    rows = remote.inject_values("SELECT ?a ?b WHERE { }", [{"a": lit}, {"b": s}])
    assert 'VALUES (?a ?b) { ("v" UNDEF) (UNDEF <http://e/s>) }' in rows
    assert len(list(store.query(rows))) == 2


def test_inject_values_refuses_what_it_cannot_carry() -> None:
    with pytest.raises(QueryError):
        remote.inject_values("SELECT * WHERE { ?s ?p ?o }", {"s": ox.BlankNode()})  # type: ignore[dict-item]
    with pytest.raises(QueryError):
        remote.inject_values("SELECT * WHERE { ?s ?p ?o }", {"bad name": ox.Literal("x")})
    with pytest.raises(QueryError):  # no WHERE group, and the trailing VALUES clause is taken
        remote.inject_values("DESCRIBE ?s VALUES ?s { <http://e/s> }", {"o": ox.Literal("x")})


HOSTILE = 'Tokayev" } ; DROP ALL ; SELECT * WHERE { ?s ?p "x\\" # }'


# A query in the library's style: a string parameter tested inside a sub-select.
NAME_QUERY = """# Things by part of their name.
# @param name string - part of a name; unbound = any name
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?x ?label ?name WHERE {
  {
    SELECT DISTINCT ?x ?name WHERE {
      ?x rdfs:label ?any .
      FILTER(IF(COALESCE(sameTerm(?name, ?name), false), CONTAINS(LCASE(STR(?any)), LCASE(STR(?name))), true))
    }
  }
  OPTIONAL { ?x rdfs:label ?label }
}
"""


def test_a_hostile_literal_stays_data() -> None:
    q = LibraryQuery.parse("by-name", NAME_QUERY)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(f"{ID}person/x"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Somebody")))
    text = remote.inject_values(q.text, bind(q, {"name": HOSTILE}))
    # It parses (the value did not escape its string) and answers as the substitution does.
    got = list(store.query(text))
    assert len(got) == len(run(store, q, {"name": HOSTILE}).rows) == 0
    # One block in the outer group, one in the sub-select that filters on ?name; each holds
    # the whole value as one literal.
    starts = [m.start() for m in re.finditer(r"VALUES \(\?name\)", text)]
    assert len(starts) == 2 and "DROP ALL" in text
    for at in starts:
        block = text[at:at + text[at:].index(") }") + 3]
        values = list(ox.Store().query(f"SELECT ?name WHERE {{ {block} }}"))
        assert [v["name"] for v in values] == [ox.Literal(HOSTILE)]
    # Matching still works through the same door, and only through the sub-select's block:
    # with the outer block alone the filter would see ?name unbound and keep everything.
    hit = list(store.query(remote.inject_values(q.text, bind(q, {"name": "somebody"}))))
    miss = list(store.query(remote.inject_values(q.text, bind(q, {"name": "nobody"}))))
    assert len(hit) == 1 and miss == []


# Values for the library's parameters, chosen so that most of them select something;
# parameters not listed stay unbound (the library grows while this file does not).
PARAM_VALUES = {
    "type": "ckgt:riot", "actor": f"<{ID}person/kassym-jomart-tokayev>", "accuser": f"<{ID}person/kassym-jomart-tokayev>",
    "accused": f"<{ID}organization/csto>", "speaker": f"<{ID}person/kassym-jomart-tokayev>",
    "about": f"<{ID}organization/csto>", "place": f"<{ID}country/KZ>", "country": f"<{ID}country/KZ>",
    "since": "2021-01-01", "until": "2023-12-31", "status": "ckg:occurred", "name": "Tokayev", "minEvents": "1",
    "language": "id",
}
PER_QUERY = {("actors-with-identifiers", "kind"): "schema:Person", ("reported-counts", "kind"): "ckg:killed",
             ("event-type-mappings", "system"): "CAMEO", ("lookup-by-name", "class"): "schema:Person"}


def _canon(rows: list[list[Any]]) -> list[tuple[str, ...]]:
    # GROUP_CONCAT and SAMPLE may pick another order or member under another plan: compare sets of parts.
    out = []
    for row in rows:
        cells = []
        for t in row:
            v = "" if t is None else str(t.value)
            for sep in (" | ", ", ", "; "):
                if sep in v:
                    v = sep.join(sorted(v.split(sep)))
            cells.append(v)
        out.append(tuple(cells))
    return sorted(out)


def local_library() -> dict[str, Any]:
    """The library without federated queries (those call other endpoints with SERVICE)."""
    return {n: q for n, q in library().items()
            if not n.startswith("federated/") and not re.search(r"\bSERVICE\b", q.text, re.IGNORECASE)}


def _params_for(q: Any) -> dict[str, str]:
    out = {}
    for name in q.params:
        if (q.name, name) in PER_QUERY:
            out[name] = PER_QUERY[(q.name, name)]
        elif name in PARAM_VALUES and name != "kind":
            out[name] = PARAM_VALUES[name]
    return out


def test_values_injection_matches_substitutions_on_every_library_query(corpus_store: kg.Store) -> None:
    checked = narrowed = 0
    for name, q in local_library().items():
        params = _params_for(q)
        try:
            subs = bind(q, params)
        except QueryError:
            continue
        expected = run(corpus_store, q, params)
        injected = remote.inject_values(q.text, subs)
        got = corpus_store.oxigraph.query(injected, use_default_graph_as_union=True)
        if isinstance(got, bool) or expected.boolean is not None:
            assert bool(got) == expected.boolean, name
            continue
        names = [v.value for v in got.variables]  # type: ignore[union-attr]
        rows = [[sol[n] for n in names] for sol in got]  # type: ignore[union-attr]
        assert names == expected.variables, name
        assert len(rows) == len(expected.rows), name
        assert _canon(rows) == _canon(expected.rows), name
        checked += 1
        if params and len(rows) < len(run(corpus_store, q, {}).rows):
            narrowed += 1  # the values really took part
    assert checked >= 10 and narrowed >= 5, (checked, narrowed)


# --------------------------------------------------------------------------------------------------
# Queries against a real endpoint.

@pytest.mark.slow
def test_library_queries_remote_equal_local(oxigraph: Oxigraph, corpus_store: kg.Store, tmp_path: Path) -> None:
    remote.push(corpus_store, oxigraph.query_url, state_path=tmp_path / "state.json")
    for name, q in local_library().items():
        params = _params_for(q)
        local = run(corpus_store, q, params)
        far = remote.query_endpoint(oxigraph.query_url, name, params, retries=0)
        assert far.variables == local.variables, name
        assert len(far.rows) == len(local.rows), name
        assert far.boolean == local.boolean, name


@pytest.mark.slow
def test_hostile_literal_on_a_real_endpoint(oxigraph: Oxigraph, corpus_store: kg.Store, tmp_path: Path) -> None:
    remote.push(corpus_store, oxigraph.query_url, state_path=tmp_path / "state.json")
    before = oxigraph.count()
    q = LibraryQuery.parse("by-name", NAME_QUERY)
    res = remote.query_endpoint(oxigraph.query_url, q, {"name": HOSTILE}, retries=0)
    assert res.rows == []
    assert oxigraph.count() == before
    hit = remote.query_endpoint(oxigraph.query_url, q, {"name": "Tokayev"}, retries=0)
    local = run(corpus_store, q, {"name": "Tokayev"})
    assert len(hit.rows) == len(local.rows) >= 1


@pytest.mark.slow
def test_query_text_construct_and_ask(oxigraph: Oxigraph, corpus_store: kg.Store, tmp_path: Path) -> None:
    remote.push(corpus_store, oxigraph.query_url, state_path=tmp_path / "state.json")
    ask = remote.query_endpoint(oxigraph.query_url, "ASK { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }",
                                text=True)
    assert ask.boolean is True
    con = remote.query_endpoint(oxigraph.query_url, "CONSTRUCT { ?e a ?t } WHERE { ?e a ?t } LIMIT 5", text=True)
    assert len(con.triples) == 5


# --------------------------------------------------------------------------------------------------
# Push.

@pytest.mark.slow
def test_push_repush_and_plain_clients(oxigraph: Oxigraph, corpus_store: kg.Store, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    report = remote.push(corpus_store, oxigraph.query_url, state_path=state, progress=False)
    graphs = [g.value for g in corpus_store.oxigraph.named_graphs()]
    assert report.graphs == len(graphs) == report.graphs_pushed
    assert report.triples == len(corpus_store)
    assert oxigraph.count() == len(corpus_store)
    for g in graphs:
        local = sum(1 for _ in corpus_store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        assert report.remote_counts[g] == local == oxigraph.count(g)
    saved = json.loads(state.read_text())
    assert set(saved["targets"][oxigraph.store_url]) == set(graphs)

    again = remote.push(corpus_store, oxigraph.query_url, state_path=state)
    assert again.graphs_pushed == 0 and again.graphs_skipped == len(graphs)
    forced = remote.push(corpus_store, oxigraph.query_url, state_path=state, resume=False)
    assert forced.graphs_pushed == len(graphs)
    assert oxigraph.count() == len(corpus_store)  # replaced, not doubled

    # The pushed graph answers a plain HTTP client and SPARQLWrapper alike.
    body = urllib.parse.urlencode({"query": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE "
                                            "{ ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"}).encode()
    req = urllib.request.Request(oxigraph.query_url, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        plain = int(json.load(r)["results"]["bindings"][0]["n"]["value"])
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(oxigraph.query_url)
    sw.setQuery("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }")
    sw.setReturnFormat(JSON)
    wrapped = int(sw.queryAndConvert()["results"]["bindings"][0]["n"]["value"])  # type: ignore[index,call-overload]
    local = kg.stats(corpus_store)["events"]
    assert plain == wrapped == local


@pytest.mark.slow
def test_push_replaces_a_changed_graph(oxigraph: Oxigraph, tmp_path: Path) -> None:
    s = small_store(tmp_path / "store")
    first = remote.push(s, oxigraph.query_url)
    assert first.state_path == s.path / remote.DEFAULT_STATE_FILE and first.state_path.is_file()
    g = ox.NamedNode(f"{ID}article/{0:016x}")
    victims = list(s.oxigraph.quads_for_pattern(None, ox.NamedNode(CKG + "status"), None, g))[:5]
    for q in victims:
        s.oxigraph.remove(q)
    second = remote.push(s, oxigraph.query_url)
    assert second.graphs_pushed == 1 and second.graphs_skipped == first.graphs - 1
    assert oxigraph.count(g.value) == 21 - 5
    assert oxigraph.count() == len(s)
    s.close()
    reopened = kg.Store(tmp_path / "store", read_only=True)  # the state file beside the data harms nothing
    assert len(reopened) == first.triples - 5


@pytest.mark.slow
def test_push_resumes_after_a_failure(oxigraph: Oxigraph, faulty: Faulty, tmp_path: Path) -> None:
    s = small_store(tmp_path / "store", n_articles=4)
    faulty.upstream, faulty.then = oxigraph.base, "proxy"
    bad = f"{ID}article/{2:016x}"
    faulty.fail_put_graph = bad
    state = tmp_path / "state.json"
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as err:
        remote.push(s, faulty.base + "/query", state_path=state, retries=2, backoff=0.01, batch_triples=1)
    assert time.monotonic() - t0 < 20
    assert bad in str(err.value) and "HTTP 500" in str(err.value)
    done = json.loads(state.read_text())["targets"][faulty.base + "/store"]
    assert bad not in done and len(done) >= 2  # ontology and the first articles, each verified
    assert oxigraph.count(bad) == 0  # no partial copy under its name
    puts = sum(1 for m, p in faulty.requests if m == "PUT" and urllib.parse.quote(bad, safe="") in p)
    assert puts == 3  # one try and two retries

    faulty.fail_put_graph = None
    report = remote.push(s, faulty.base + "/query", state_path=state, retries=2, backoff=0.01)
    assert report.graphs_skipped == len(done)
    assert report.graphs_pushed == report.graphs - len(done)
    assert oxigraph.count() == len(s)


@pytest.mark.slow
def test_push_notices_a_graph_that_did_not_arrive(oxigraph: Oxigraph, faulty: Faulty, tmp_path: Path) -> None:
    s = small_store(tmp_path / "store", n_articles=3)
    faulty.upstream, faulty.then = oxigraph.base, "proxy"
    lost = f"{ID}article/{1:016x}"
    faulty.swallow_put_graph = lost
    state = tmp_path / "state.json"
    with pytest.raises(EndpointError) as err:
        remote.push(s, faulty.base + "/query", state_path=state, retries=0)
    assert lost in str(err.value) and "instead of 21" in str(err.value)
    done = json.loads(state.read_text())["targets"][faulty.base + "/store"]
    assert lost not in done and len(done) == 3  # the ontology and the two graphs that did arrive


@pytest.mark.slow
def test_push_survives_transient_faults(oxigraph: Oxigraph, faulty: Faulty, tmp_path: Path) -> None:
    s = small_store(tmp_path / "store", n_articles=2)
    faulty.upstream, faulty.then = oxigraph.base, "proxy"
    faulty.plan = ["500", "drop", "503"]  # the first three requests fail, then all pass
    report = remote.push(s, faulty.base + "/query", state_path=tmp_path / "st.json", retries=3, backoff=0.01)
    assert report.graphs_pushed == report.graphs
    assert oxigraph.count() == len(s)


def test_push_to_an_endpoint_that_is_down(tmp_path: Path) -> None:
    s = small_store(tmp_path / "store", n_articles=1)
    url = f"http://127.0.0.1:{free_port()}/query"
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as err:
        remote.push(s, url, retries=2, backoff=0.01, timeout=2)
    assert time.monotonic() - t0 < 10
    assert "PUT of graph" in str(err.value) and "after 3 attempts" in str(err.value)
    assert "cannot connect" in str(err.value) or "refused" in str(err.value)
    state = s.path / remote.DEFAULT_STATE_FILE
    assert not state.exists() or not any(json.loads(state.read_text())["targets"].values())  # nothing marked done


def test_graph_store_urls() -> None:
    assert remote.graph_store_url_for("http://localhost:7878/query") == "http://localhost:7878/store"
    assert remote.graph_store_url_for("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert remote.graph_store_url_for("http://h:3030/ds/query") == "http://h:3030/ds/data"
    assert remote.graph_store_url_for("http://h:7200/repositories/kg") == \
        "http://h:7200/repositories/kg/rdf-graphs/service"
    assert remote.graph_store_url_for("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud"
    with pytest.raises(EndpointError):
        remote.graph_store_url_for("http://h/")


# --------------------------------------------------------------------------------------------------
# Query faults: retries with backoff, then a clear error; bounded in time.

def _q(url: str, **kw: Any) -> Any:
    return remote.query_endpoint(url, "SELECT (1 AS ?n) WHERE {}", text=True, **kw)


def test_retries_then_succeeds(faulty: Faulty) -> None:
    faulty.plan, faulty.then = ["500", "drop", "503"], "ok"
    res = _q(faulty.base + "/sparql", retries=3, backoff=0.01)
    assert res.rows[0][0] == ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert len(faulty.requests) == 4


def test_persistent_500_gives_a_clear_error(faulty: Faulty) -> None:
    faulty.then = "500"
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as err:
        _q(faulty.base + "/sparql", retries=2, backoff=0.01)
    assert time.monotonic() - t0 < 5
    assert "after 3 attempts" in str(err.value) and "500" in str(err.value)
    assert len(faulty.requests) == 3


def test_dropped_connections(faulty: Faulty) -> None:
    faulty.then = "drop"
    with pytest.raises(EndpointError) as err:
        _q(faulty.base + "/sparql", retries=1, backoff=0.01)
    assert "after 2 attempts" in str(err.value)
    assert len(faulty.requests) == 2


def test_slow_endpoint_times_out(faulty: Faulty) -> None:
    faulty.then, faulty.sleep = "sleep", 3.0
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as err:
        _q(faulty.base + "/sparql", retries=1, backoff=0.01, timeout=1)
    assert time.monotonic() - t0 < 6
    assert "timed out" in str(err.value)


def test_endpoint_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as err:
        _q(url, retries=2, backoff=0.01, timeout=2)
    assert time.monotonic() - t0 < 10
    assert "cannot connect" in str(err.value) and url in str(err.value)


def test_client_errors_are_not_retried(faulty: Faulty) -> None:
    faulty.then = "400"
    with pytest.raises(EndpointError) as err:
        _q(faulty.base + "/sparql", retries=3, backoff=0.01)
    assert "malformed" in str(err.value)
    assert len(faulty.requests) == 1


def test_basic_auth(faulty: Faulty) -> None:
    faulty.auth = "Basic " + base64.b64encode(b"analyst:s3cret").decode()
    faulty.then = "ok"
    with pytest.raises(EndpointError) as err:
        _q(faulty.base + "/sparql", retries=3, backoff=0.01)
    assert "401" in str(err.value) and len(faulty.requests) == 1
    assert _q(faulty.base + "/sparql", user="analyst", password="s3cret", retries=0).rows


def test_unknown_parameter_is_refused_before_any_request(faulty: Faulty) -> None:
    with pytest.raises(QueryError):
        remote.query_endpoint(faulty.base + "/sparql", "events-by-type-place-date", {"nope": "1"})
    assert faulty.requests == []


# --------------------------------------------------------------------------------------------------
# Gazetteer refresh from a Wikidata-shaped endpoint.

@pytest.fixture
def wikidata(oxigraph: Oxigraph) -> Oxigraph:
    data = (FIXTURES / "wikidata-sample.ttl").read_bytes()
    req = urllib.request.Request(oxigraph.store_url + "?default", data=data, method="POST",
                                 headers={"Content-Type": "text/turtle"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 201, 204)
    return oxigraph


@pytest.mark.slow
def test_refresh_gazetteer(wikidata: Oxigraph, tmp_path: Path) -> None:
    out = tmp_path / "curated.json"
    report = remote.refresh_gazetteer(wikidata.query_url, out, countries=["KZ", "RU"], retries=0)
    data = json.loads(out.read_text(encoding="utf-8"))
    people = {p["id"]: p for p in data["persons"]}

    tokayev = people["kassym-jomart-tokayev"]
    assert tokayev["wikidata"] == "Q200881"
    kz = [o for o in tokayev["offices"] if o["role"] == "head-of-state" and o["country"] == "KZ"]
    assert kz == [{"country": "KZ", "role": "head-of-state",
                   "title": {"en": "President of Kazakhstan", "id": "Presiden Kazakhstan"},
                   "start": "2019-03-20", "end": None, "source": "wikidata:Q200881 P39 wd:Q900001"}]
    assert "Qasym-Jomart Toqaev" in tokayev["names"]["en"] and "KJT" not in tokayev["names"]["en"]
    assert "Tokayev" in tokayev["names"]["en"]  # the curated surname form is kept

    putin = people["vladimir-putin"]
    terms = sorted((o["role"], o["start"], o["end"]) for o in putin["offices"] if o["country"] == "RU")
    assert terms == [("head-of-government", "2008-05-08", "2012-05-07"),
                     ("head-of-state", "2000-05-07", "2008-05-07"),
                     ("head-of-state", "2012-05-07", None)]  # the deprecated statement is left out
    assert "VVP" not in putin["names"]["en"]

    naz = people["nursultan-nazarbayev"]  # new: not in the bundled file
    assert naz["wikidata"] == "Q44236"
    assert [(o["role"], o["start"], o["end"]) for o in naz["offices"]] == [("head-of-state", "1990-04-24",
                                                                           "2019-03-19")]
    mishustin = people["mikhail-mishustin"]  # matched by name, now with his Q-id
    assert mishustin["wikidata"] == "Q4225696"
    assert any(o["start"] is None and o["end"] == "2024-05-10" for o in mishustin["offices"])
    assert "frank-walter-steinmeier" not in people  # Germany was not asked for
    assert people["sergei-lavrov"]["offices"]  # people Wikidata did not return are kept as they were

    csto = next(o for o in data["organizations"] if o.get("wikidata") == "Q318693")
    assert "ODKB" in csto["names"]["id"] and '"Tashkent Pact" alliance' in csto["names"]["en"]
    assert report.persons_added == 1 and report.offices >= 7
    for key in ("regions", "state_forces", "groups"):
        assert key in data
    # The result reads like the bundled file: every person has the fields the gazetteer loads.
    for p in data["persons"]:
        assert {"id", "name", "wikidata", "names", "offices"} <= set(p)
        for o in p["offices"]:
            assert {"country", "role", "title", "start", "end"} <= set(o)


def test_refresh_gazetteer_checks_its_inputs(tmp_path: Path) -> None:
    with pytest.raises(QueryError):
        remote.refresh_gazetteer("http://127.0.0.1:9/sparql", tmp_path / "x.json", countries=['KZ" }'])
    with pytest.raises(QueryError):
        remote.refresh_gazetteer("http://127.0.0.1:9/sparql", tmp_path / "x.json", since="last year")

