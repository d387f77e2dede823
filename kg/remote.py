"""Remote SPARQL endpoints: run library queries there, push the store there, refresh the gazetteer.

Three jobs, one module, the same rules:

* :func:`query_endpoint` runs a library query (or SPARQL text) on any SPARQL 1.1
  endpoint through SPARQLWrapper. Remote endpoints lack Oxigraph's substitutions,
  so parameters become a ``VALUES`` block of RDF terms injected into the query
  (:func:`inject_values`); values are never pasted into the query text as strings.
* :func:`push` copies the store into a remote triple store with the SPARQL 1.1
  Graph Store Protocol: one ``PUT`` per named graph, so pushing twice replaces and
  never duplicates. It remembers which graphs arrived (with their content hash) in a
  small state file, so an interrupted push resumes, and it marks a graph done only
  once the remote triple count of that graph matches.
* :func:`refresh_gazetteer` rebuilds the curated actors (heads of state and
  government with their office dates, organisations' names) from Wikidata's SPARQL
  endpoint into a JSON file shaped like ``kg/resolve/data/curated.json``.

Every network call has a timeout and is retried with exponential backoff on
transient failures (connection refused or dropped, timeouts, HTTP 5xx, 408, 429);
other HTTP errors (400, 401, 403, 404, ...) fail at once. What still fails becomes
one :class:`kg.errors.EndpointError` that says what, where and what to do.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.client
import json
import os
import random
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from .errors import EndpointError, QueryError
from .query import LibraryQuery, Result, bind, load_query

__all__ = [
    "WIKIDATA_ENDPOINT",
    "GazetteerReport",
    "PushReport",
    "graph_store_url_for",
    "inject_values",
    "push",
    "query_endpoint",
    "query_form",
    "refresh_gazetteer",
    "wait_for_endpoint",
]

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "conflict-kg/0.1 (https://w3id.org/conflict-kg; research knowledge-graph toolkit)"

Term = ox.NamedNode | ox.Literal
T = TypeVar("T")

# --------------------------------------------------------------------------------------------------
# Reading SPARQL text just enough to place a VALUES block.
#
# The scanner only needs to know what is a string, an IRI, a comment, a word or a
# bracket, so that braces inside strings, IRIs and comments are never counted.

_TOKEN = re.compile(
    r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<lstring>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\')
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\s{}()<>,;.'"\#]+)
  | (?P<word>[A-Za-z_][\w\-.]*(?::[^\s{}()<>,;'"\#]*)?|:[^\s{}()<>,;'"\#]*)
  | (?P<other>.)
    ''',
    re.VERBOSE | re.DOTALL,
)
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(_Tok(kind, m.group(0), m.start(), m.end()))
    return out


def _match_brace(toks: list[_Tok], i: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``toks[i]``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind == "other":
            if toks[j].text == "{":
                depth += 1
            elif toks[j].text == "}":
                depth -= 1
                if depth == 0:
                    return j
    raise QueryError("unbalanced braces in the query")


def query_form(text: str) -> str:
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``: the form of a SPARQL query (comments and prefixes skipped)."""
    depth = 0
    for tok in _tokens(text):
        if tok.kind == "other" and tok.text in "{(":
            depth += 1
        elif tok.kind == "other" and tok.text in "})":
            depth -= 1
        elif tok.kind == "word" and depth == 0 and tok.text.upper() in _FORMS:
            return tok.text.upper()
    raise QueryError("not a SPARQL query (no SELECT, CONSTRUCT, DESCRIBE or ASK)")


def _where_group(text: str) -> tuple[list[_Tok], int | None]:
    """The tokens and the index of the ``{`` that opens the query's outer WHERE group (None: there is none)."""
    toks = _tokens(text)
    form_at = None
    depth = 0
    for i, tok in enumerate(toks):
        if tok.kind == "other" and tok.text in "{(":
            depth += 1
        elif tok.kind == "other" and tok.text in "})":
            depth -= 1
        elif tok.kind == "word" and depth == 0 and tok.text.upper() in _FORMS:
            form_at = i
            break
    if form_at is None:
        raise QueryError("not a SPARQL query (no SELECT, CONSTRUCT, DESCRIBE or ASK)")
    i = form_at + 1
    if toks[form_at].text.upper() == "CONSTRUCT":
        if i < len(toks) and toks[i].text == "{":
            i = _match_brace(toks, i) + 1  # skip the template
        else:
            return toks, None  # CONSTRUCT WHERE { triples }: only triples may go inside
    parens = 0
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind == "word" and tok.text.upper() == "VALUES" and parens == 0:
            return toks, None  # a trailing VALUES clause before any group: there is no WHERE group
        if tok.kind != "other":
            continue
        if tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{" and parens == 0:
            return toks, j
    return toks, None  # e.g. DESCRIBE <x>


def _sparql_term(term: object) -> str:
    """One RDF term in SPARQL syntax, from pyoxigraph's own (escaping) serialisation."""
    if isinstance(term, ox.NamedNode):
        # pyoxigraph refuses IRIs with spaces, <, >, ", {, }, |, ^, ` or backslashes;
        # checking again costs nothing and keeps this safe if that ever changes.
        if re.search(r'[\x00-\x20<>"{}|^`\\]', term.value):
            raise QueryError(f"refusing an IRI with characters SPARQL cannot carry: {term.value!r}")
        return str(term)
    if isinstance(term, ox.Literal):
        # Every backslash and quote in the value comes out escaped (\\ and \"), so the
        # text stays one string token whatever the value holds: quotes, braces, '#'.
        return str(term)
    raise QueryError(f"a parameter must be an IRI or a literal, not {type(term).__name__}")


_CHECK_STORE: ox.Store | None = None


def _check_round_trip(variables: list[str], rows: list[list[Term | None]], block: str) -> None:
    """Parse the VALUES block back and compare: the terms that come out must be those that went in."""
    global _CHECK_STORE
    if _CHECK_STORE is None:
        _CHECK_STORE = ox.Store()
    try:
        got = list(_CHECK_STORE.query(f"SELECT * WHERE {{ {block} }}"))  # type: ignore[arg-type]
    except SyntaxError as exc:  # pragma: no cover - would mean a serialisation bug
        raise QueryError(f"could not build a VALUES block for the parameters ({exc})") from None
    if len(got) != len(rows) or any(sol[v] != t for sol, row in zip(got, rows) for v, t in zip(variables, row)):
        raise QueryError("a parameter value did not survive serialisation; refusing to send the query")


def _values_block(variables: list[str], rows: list[list[Term | None]]) -> str:
    seen: list[list[Term | None]] = []
    for row in rows:
        if row not in seen:  # a projection of several rows may repeat
            seen.append(row)
    cells = [" ".join("UNDEF" if t is None else _sparql_term(t) for t in row) for row in seen]
    return f"VALUES ({' '.join('?' + v for v in variables)}) {{ {' '.join(f'({c})' for c in cells)} }}"


# Words before a "{" that does not open a group graph pattern where the values may go:
# a CONSTRUCT template or VALUES data (no patterns at all), MINUS (a VALUES there would
# add a shared variable and change what is removed), SERVICE (evaluated elsewhere),
# EXISTS (it already sees the bindings of the solution it tests).
_NO_VALUES_BEFORE = {"CONSTRUCT", "MINUS", "SERVICE", "EXISTS", "DATA"}


def _inner_groups(toks: list[_Tok], outer: int, names: set[str]) -> list[tuple[int, list[str]]]:
    """Groups inside the outer WHERE group whose own text (not their nested groups) uses a parameter.

    Oxigraph's substitutions reach into sub-selects and nested groups; a VALUES block in
    the outer group alone does not (a sub-select sees only its own bindings, a FILTER in a
    nested group is applied before the join). So the block also goes into each such group.
    """
    close_outer = _match_brace(toks, outer)
    out: list[tuple[int, list[str]]] = []
    stack: list[tuple[int, bool, set[str]]] = []  # (index of "{", may take values, variables used directly)
    skip_until = -1
    for i in range(outer + 1, close_outer):
        if i <= skip_until:
            continue
        tok = toks[i]
        if tok.kind == "other" and tok.text == "{":
            prev = toks[i - 1]
            word = prev.text.upper() if prev.kind == "word" else ""
            # SERVICE [SILENT] <endpoint> { ... }: the word sits before the endpoint's IRI or variable.
            before = [t.text.upper() for t in toks[max(0, i - 3):i - 1] if t.kind == "word"]
            if prev.kind in ("iri", "var", "word") and "SERVICE" in before:
                word = "SERVICE"
            after_values = any(t.kind == "word" and t.text.upper() == "VALUES" for t in toks[max(0, i - 12):i]) and (
                prev.kind == "var" or prev.text == ")")
            if after_values or word == "CONSTRUCT" or word == "DATA":
                skip_until = _match_brace(toks, i)  # data, not patterns
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            starts_select = nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SELECT"
            stack.append((i, word not in _NO_VALUES_BEFORE and not starts_select, set()))
        elif tok.kind == "other" and tok.text == "}":
            if stack:
                at, ok, used = stack.pop()
                if ok and used:
                    out.append((at, sorted(used)))
        elif tok.kind == "var" and tok.text[1:] in names and stack:
            stack[-1][2].add(tok.text[1:])
    return out


def inject_values(query: str, bindings: Mapping[Any, Term] | Sequence[Mapping[Any, Term]]) -> str:
    """The query with ``bindings`` joined in as ``VALUES`` blocks of RDF terms.

    ``bindings`` maps variable names (``str``, with or without ``?``, or
    ``pyoxigraph.Variable``) to ``NamedNode``/``Literal`` terms; a sequence of
    mappings gives several rows (missing variables are ``UNDEF``).

    Placement follows what Oxigraph's substitutions do: the block goes first inside
    the outer WHERE group (so the parameters are bound, and projected, for the whole
    query), and the block for the variables it uses goes first inside every nested
    group and sub-select that mentions a parameter itself (a sub-select or a nested
    group's FILTER would not see the outer block). Where a query has no WHERE group
    (``CONSTRUCT WHERE``, ``DESCRIBE <x>``) it is appended as the trailing VALUES
    clause. Terms are serialised by pyoxigraph (escaped) and parsed back to check
    they are unchanged, so a value holding quotes, braces or ``#`` stays data.
    """
    rows_in = [bindings] if isinstance(bindings, Mapping) else list(bindings)
    rows_in = [r for r in rows_in if r]
    if not rows_in:
        return query
    variables: list[str] = []
    for row in rows_in:
        for k in row:
            name = k.value if isinstance(k, ox.Variable) else str(k).lstrip("?$")
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise QueryError(f"bad variable name {name!r}")
            if name not in variables:
                variables.append(name)

    def get(row: Mapping[Any, Term], name: str) -> Term | None:
        for k, v in row.items():
            if (k.value if isinstance(k, ox.Variable) else str(k).lstrip("?$")) == name:
                return v
        return None

    rows = [[get(r, v) for v in variables] for r in rows_in]
    block = _values_block(variables, rows)
    _check_round_trip(variables, rows, block)

    toks, at = _where_group(query)
    if at is None:
        tail = [t for t in toks if t.kind == "word" and t.text.upper() == "VALUES"]
        if tail:
            raise QueryError("the query already ends with a VALUES clause; cannot add the parameters to it")
        return f"{query.rstrip()}\n{block}\n"

    # Insertions as (offset, text), applied from the end so offsets stay valid.
    edits: list[tuple[int, str]] = []
    for brace, used in _inner_groups(toks, at, set(variables)):
        idx = [variables.index(v) for v in used]
        edits.append((toks[brace].end, f" {_values_block(used, [[r[k] for k in idx] for r in rows])} "))
    open_brace = toks[at]
    first = toks[at + 1] if at + 1 < len(toks) else None
    if first is not None and first.kind == "word" and first.text.upper() == "SELECT":
        # WHERE { SELECT ... }: a sub-select must stand alone in its group, so wrap it.
        close = toks[_match_brace(toks, at)]
        edits += [(open_brace.end, f"\n  {block}\n  {{"), (close.start, "}\n")]
    else:
        edits.append((open_brace.end, f"\n  {block}\n"))
    out = query
    for offset, text in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:offset] + text + out[offset:]
    return out


# --------------------------------------------------------------------------------------------------
# Retrying.

_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class _Transient(Exception):
    """A failure worth another try (the endpoint may come back)."""


def _retrying(what: str, call: Callable[[], T], *, retries: int, backoff: float,
              sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()`` until it succeeds, retrying :class:`_Transient` failures with exponential backoff and jitter."""
    last: BaseException | None = None
    attempts = max(0, retries) + 1
    for attempt in range(attempts):
        try:
            return call()
        except _Transient as exc:
            last = exc.__cause__ or exc
            if attempt + 1 < attempts:
                # Jitter keeps several clients from hammering a recovering server in step.
                sleep(min(backoff * (2 ** attempt), 30.0) * (0.75 + random.random() / 2))
    raise EndpointError(f"{what}: still failing after {attempts} attempt{'s' if attempts > 1 else ''} "
                        f"({_describe(last)})")


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot connect: {exc.reason}"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


# --------------------------------------------------------------------------------------------------
# Queries.

def _library_query(query_name_or_text: str | LibraryQuery, text: bool) -> LibraryQuery:
    if isinstance(query_name_or_text, LibraryQuery):
        return query_name_or_text
    if text:
        return LibraryQuery.parse("query", query_name_or_text)
    return load_query(query_name_or_text)


def _to_result(form: str, raw: bytes, content_type: str) -> Result:
    if form in ("SELECT", "ASK"):
        ct = content_type.split(";")[0].strip().lower()
        fmt = ox.QueryResultsFormat.from_media_type(ct) or ox.QueryResultsFormat.JSON
        parsed = ox.parse_query_results(raw, format=fmt)
        if isinstance(parsed, ox.QueryBoolean):
            return Result(boolean=bool(parsed))
        names = [v.value for v in parsed.variables]
        return Result(variables=names, rows=[[sol[n] for n in names] for sol in parsed])
    ct = content_type.split(";")[0].strip().lower()
    rdf = ox.RdfFormat.from_media_type(ct) if ct else None
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(raw, format=rdf or ox.RdfFormat.TURTLE)]
    return Result(triples=triples)


def query_endpoint(url: str, query_name_or_text: str | LibraryQuery, params: Mapping[str, str] | None = None, *,
                   text: bool = False, timeout: float = 60, retries: int = 3, user: str | None = None,
                   password: str | None = None, auth: str = "basic", backoff: float = 1.0) -> Result:
    """Run a library query (by name or ``.rq`` path) or SPARQL text (``text=True``) on a remote endpoint.

    ``params`` are checked against the query's ``@param`` declarations and bound as
    RDF terms through an injected ``VALUES`` block (see :func:`inject_values`). The
    endpoint should use the union of its named graphs as the default graph, as the
    embedded store does (``oxigraph serve --union-default-graph``; Fuseki's
    ``unionDefaultGraph``; GraphDB and Virtuoso do it by default).

    HTTP ``auth`` is ``"basic"`` or ``"digest"`` when ``user`` and ``password`` are
    given. Transient failures are retried ``retries`` times with exponential backoff
    starting at ``backoff`` seconds; then :class:`kg.errors.EndpointError`.
    Returns the same :class:`kg.query.Result` as the embedded :func:`kg.query.run`.
    """
    from SPARQLWrapper import (
        BASIC,
        DIGEST,
        JSON,
        POST,
        TURTLE,
        URLENCODED,
        SPARQLWrapper,
    )
    from SPARQLWrapper.SPARQLExceptions import (
        EndPointInternalError,
        EndPointNotFound,
        QueryBadFormed,
        Unauthorized,
        URITooLong,
    )

    lq = _library_query(query_name_or_text, text)
    sparql = inject_values(lq.text, bind(lq, dict(params or {})))
    form = query_form(sparql)
    if auth not in ("basic", "digest"):
        raise QueryError(f"auth must be 'basic' or 'digest', not {auth!r}")

    def once() -> Result:
        sw = SPARQLWrapper(url, agent=USER_AGENT)
        sw.setQuery(sparql)
        sw.queryType = form  # our reading of the form, which skips comments and VALUES reliably
        sw.setMethod(POST)  # library queries are long; POST avoids URL length limits
        sw.setRequestMethod(URLENCODED)
        sw.setOnlyConneg(True)  # ask by Accept header only, no extra format=… parameters
        sw.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        sw.setTimeout(int(max(1, round(timeout))))
        if user is not None and password is not None:
            sw.setHTTPAuth(DIGEST if auth == "digest" else BASIC)
            sw.setCredentials(user, password)
        try:
            response = sw.query().response
            raw = response.read()
            content_type = response.headers.get("Content-Type", "") if hasattr(response, "headers") else ""
        except QueryBadFormed as exc:
            raise EndpointError(f"{url} rejected query {lq.name} as malformed: {_body_text(exc)}") from None
        except Unauthorized:
            raise EndpointError(f"{url}: authentication failed (HTTP 401); check --user/--password") from None
        except EndPointNotFound:
            raise EndpointError(f"{url}: no SPARQL endpoint there (HTTP 404); check the URL") from None
        except URITooLong:
            raise EndpointError(f"{url}: request too long (HTTP 414)") from None
        except EndPointInternalError as exc:
            raise _Transient(f"HTTP 500: {_body_text(exc)}") from exc
        except urllib.error.HTTPError as exc:
            if exc.code in _RETRY_STATUS:
                raise _Transient(f"HTTP {exc.code}") from exc
            raise EndpointError(f"{url}: HTTP {exc.code} {exc.reason} for query {lq.name}: "
                                f"{_read_error(exc)}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise _Transient(str(exc)) from exc
        try:
            return _to_result(form, raw, content_type)
        except (SyntaxError, ValueError) as exc:
            # A truncated body from a dropped connection parses badly: worth another try.
            raise _Transient(f"unreadable response ({exc})") from exc

    return _retrying(f"query {lq.name} on {url}", once, retries=retries, backoff=backoff)


def _body_text(exc: BaseException) -> str:
    msg = str(exc)
    m = re.search(r"Response:\s*(.*)", msg, re.DOTALL)
    text = (m.group(1) if m else msg).strip()
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return text[:400]


def _read_error(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read().decode("utf-8", "replace").strip()[:400]
    except Exception:  # noqa: BLE001 - the body of an error is a courtesy
        return ""


def wait_for_endpoint(url: str, timeout: float = 10.0) -> None:
    """Block until a SPARQL endpoint answers ``ASK {}`` (for scripts that start a server), else EndpointError."""
    deadline = time.monotonic() + timeout
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    last: BaseException | None = None
    while time.monotonic() < deadline:
        req = urllib.request.Request(url, data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                r.read()
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not to our liking: the caller will see why
        except (urllib.error.URLError, OSError) as exc:
            last = exc
            time.sleep(0.05)
    raise EndpointError(f"{url}: no answer within {timeout:g} s ({_describe(last)})")


# --------------------------------------------------------------------------------------------------
# Graph Store Protocol client.

def graph_store_url_for(endpoint_url: str) -> str:
    """The usual Graph Store Protocol URL beside a query endpoint URL, else EndpointError.

    Oxigraph ``/query`` -> ``/store``; Fuseki ``/DATASET/sparql|query`` -> ``/DATASET/data``;
    GraphDB/RDF4J ``/repositories/ID`` -> ``/repositories/ID/rdf-graphs/service``;
    Virtuoso ``/sparql`` -> ``/sparql-graph-crud``.
    """
    parts = urllib.parse.urlsplit(endpoint_url)
    path = parts.path.rstrip("/")

    def at(p: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, p, "", ""))

    m = re.fullmatch(r"(.*/repositories/[^/]+)", path)
    if m:
        return at(m.group(1) + "/rdf-graphs/service")
    if path == "/query":
        return at("/store")
    if path == "/sparql":
        return at("/sparql-graph-crud")
    m = re.fullmatch(r"(/.+)/(sparql|query)", path)
    if m:
        return at(m.group(1) + "/data")
    raise EndpointError(f"cannot tell the Graph Store URL for {endpoint_url}; give it with graph_store_url "
                        "(kg push --graph-store URL)")


class _Http:
    """Keep-alive HTTP(S) requests to one server, with Basic auth; reconnects after any failure."""

    def __init__(self, base_url: str, *, timeout: float, user: str | None, password: str | None) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(f"not an http(s) URL: {base_url}")
        self.parts = parts
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.auth = None
        if user is not None and password is not None:
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self.auth = f"Basic {token}"

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            cls = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            self.conn = cls(self.parts.hostname, self.parts.port, timeout=self.timeout)  # type: ignore[arg-type]
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, target: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """One request; connection trouble raises :class:`_Transient`, any status is returned."""
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.auth:
            hdrs["Authorization"] = self.auth
        try:
            conn = self._connection()
            conn.request(method, target, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            return resp.status, data
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise _Transient(_describe(exc)) from exc


# --------------------------------------------------------------------------------------------------
# Push.

@dataclass
class PushReport:
    """What :func:`push` did."""

    endpoint: str
    graph_store: str
    graphs: int = 0  # graphs in the store
    graphs_pushed: int = 0  # sent in this run
    graphs_skipped: int = 0  # already there with the same content (state file), count re-verified
    triples: int = 0  # triples sent in this run
    seconds: float = 0.0
    remote_counts: dict[str, int] = field(default_factory=dict)  # graph -> triples counted remotely
    state_path: Path | None = None
    method: str = "PUT per graph (SPARQL 1.1 Graph Store Protocol), N-Triples"

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        return (f"pushed {self.graphs_pushed} graph(s), {self.triples:,} triples in {self.seconds:.1f} s "
                f"({self.triples_per_second:,.0f} triples/s); {self.graphs_skipped} unchanged graph(s) skipped; "
                f"all {self.graphs} graph(s) verified by remote triple counts")


_STATE_VERSION = 1
DEFAULT_STATE_FILE = "push-state.json"


def _load_state(path: Path, target: str) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
        return {}
    graphs = data.get("targets", {}).get(target, {})
    return graphs if isinstance(graphs, dict) else {}


def _save_state(path: Path, target: str, graphs: dict[str, dict[str, Any]]) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
            data = {}
    except (OSError, ValueError):
        data = {}
    data["version"] = _STATE_VERSION
    data.setdefault("targets", {})[target] = graphs
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a crash leaves the old state or the new, never half a file


def _graph_target(gsp_url: str, graph: str | None) -> str:
    parts = urllib.parse.urlsplit(gsp_url)
    extra = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urllib.parse.urlunsplit(("", "", parts.path or "/", query, ""))


def _remote_counts(endpoint_url: str, graphs: Sequence[str], **kw: Any) -> dict[str, int]:
    """Triples per named graph on the remote side, counted by SPARQL (graphs it lacks count 0)."""
    out = {g: 0 for g in graphs}
    named = [g for g in graphs if g]
    for i in range(0, len(named), 400):
        chunk = named[i:i + 400]
        values = " ".join(_sparql_term(ox.NamedNode(g)) for g in chunk)
        q = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        res = query_endpoint(endpoint_url, q, text=True, **kw)
        for g, n in res.rows:
            if isinstance(g, ox.NamedNode) and n is not None:
                out[g.value] = int(n.value)
    return out


def _one_graph(ox_store: ox.Store, g: str) -> bytes:
    return ox_store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)) or b""


def _prefetch(func: Callable[[str], T], keys: Sequence[str], *, workers: int = 2, depth: int = 16) -> Iterable[T]:
    """``func(k)`` for each key, in order, computed ahead by ``workers`` threads (at most ``depth`` waiting).

    Reading a graph out of an on-disk store costs about as much CPU as the server spends
    storing it; pyoxigraph lets go of the GIL while it reads, so a couple of threads
    serialise the next graphs while the current one is uploaded.
    """
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-push-read") as pool:
        pending: deque[Future[T]] = deque()
        it = iter(keys)
        for k in it:
            pending.append(pool.submit(func, k))
            if len(pending) >= depth:
                break
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(func, nxt))
            yield result


def push(store: Any, endpoint_url: str, *, graph_store_url: str | None = None, progress: bool = False,
         user: str | None = None, password: str | None = None, timeout: float = 120, retries: int = 3,
         backoff: float = 1.0, state_path: str | os.PathLike[str] | None = None, resume: bool = True,
         batch_triples: int = 200_000) -> PushReport:
    """Copy the store into a remote triple store, one named graph at a time, and verify it arrived.

    ``store`` is a :class:`kg.store.Store` or a store folder (opened read-only).
    ``endpoint_url`` is the remote SPARQL query endpoint (used to count triples);
    ``graph_store_url`` its Graph Store Protocol URL (guessed by
    :func:`graph_store_url_for` when not given). Every named graph (article graphs,
    the gazetteer and the ontology graph) is sent with ``PUT ?graph=IRI`` as
    N-Triples, replacing what the remote held under that name.

    Resumable: ``state_path`` (default ``push-state.json`` in the store folder)
    records, per remote target, each graph whose remote triple count matched after
    it was sent, with the SHA-256 of what was sent. A later push skips graphs whose
    content is unchanged, and re-sends only what changed or never arrived. A graph is
    written to the state only after its count verifies; it is removed from the state
    before it is re-sent. At the end every graph's remote count is checked again
    (one query per 400 graphs); graphs that differ are re-sent once.

    Failures (endpoint down, slow, HTTP 5xx, connection dropped) are retried
    ``retries`` times with exponential backoff from ``backoff`` seconds, then
    :class:`kg.errors.EndpointError` says which graph failed and that re-running
    resumes. A graph whose PUT failed is deleted on the remote side when the remote
    still answers, so no partial copy stays behind under its name.
    """
    from .store import Store

    own = not hasattr(store, "oxigraph")
    s = Store(store, read_only=True) if own else store
    t_start = time.perf_counter()
    try:
        gsp = graph_store_url or graph_store_url_for(endpoint_url)
        state_file = Path(state_path) if state_path is not None else Path(s.path) / DEFAULT_STATE_FILE
        target = gsp
        done = _load_state(state_file, target) if resume else {}
        report = PushReport(endpoint=endpoint_url, graph_store=gsp, state_path=state_file)
        qkw: dict[str, Any] = {"timeout": timeout, "retries": retries, "backoff": backoff, "user": user,
                               "password": password}
        http_ = _Http(gsp, timeout=timeout, user=user, password=password)

        reference = [g for g in s.reference_graphs().values()]
        names = sorted(g.value for g in s.oxigraph.named_graphs()
                       if isinstance(g, ox.NamedNode) and not g.value.endswith("#staging"))
        ordered = [g for g in reference if g in names] + [g for g in names if g not in reference]
        report.graphs = len(ordered)
        expected: dict[str, int] = {}

        bar = None
        if progress:
            from tqdm import tqdm  # type: ignore[import-untyped]

            bar = tqdm(total=len(s), unit="triple", unit_scale=True, desc="push", leave=False)

        def described(g: str, body: bytes) -> tuple[str, bytes, int, str]:
            # One triple per line in N-Triples (newlines inside literals are escaped).
            return g, body, body.count(b"\n"), hashlib.sha256(body).hexdigest()

        def body_of(g: str) -> tuple[bytes, int, str]:
            _, body, n, h = described(g, _one_graph(s.oxigraph, g))
            return body, n, h

        def put(g: str, body: bytes) -> None:
            path = _graph_target(gsp, g)

            def once() -> None:
                status, data = http_.request("PUT", path, body, {"Content-Type": "application/n-triples"})
                if status in _RETRY_STATUS:
                    raise _Transient(f"HTTP {status}: {data[:200].decode('utf-8', 'replace')}")
                if status >= 300:
                    raise EndpointError(f"{gsp}: PUT of graph <{g}> refused with HTTP {status}: "
                                        f"{data[:300].decode('utf-8', 'replace').strip()}")

            try:
                _retrying(f"PUT of graph <{g}> to {gsp}", once, retries=retries, backoff=backoff)
            except EndpointError:
                _delete_quietly(http_, path)
                raise

        def flush(batch: list[tuple[str, int, str]]) -> None:
            """Verify a batch of sent graphs by remote counts, then record them as done."""
            if not batch:
                return
            counts = _remote_counts(endpoint_url, [g for g, _, _ in batch], **qkw)
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            bad = []
            for g, n, h in batch:
                if counts.get(g, 0) == n:
                    done[g] = {"sha256": h, "triples": n, "pushed": stamp}
                    report.remote_counts[g] = n
                else:
                    bad.append((g, n, counts.get(g, 0)))
            _save_state(state_file, target, done)
            if bad:
                for g, _, _ in bad:
                    _delete_quietly(http_, _graph_target(gsp, g))
                g, n, got = bad[0]
                raise EndpointError(f"{gsp}: after PUT, graph <{g}> holds {got} triples instead of {n} "
                                    f"({len(bad)} graph(s) differ, not marked done)")

        batch: list[tuple[str, int, str]] = []
        in_batch = 0
        skipped: set[str] = set()
        try:
            # Serialising the next graphs (reads from the store) overlaps with uploading this one.
            bodies = _prefetch(lambda g: described(g, _one_graph(s.oxigraph, g)), ordered, workers=1)
            for g, body, n, h in bodies:
                expected[g] = n
                prior = done.get(g)
                if prior and prior.get("sha256") == h and prior.get("triples") == n:
                    skipped.add(g)
                    if bar is not None:
                        bar.update(n)
                    continue
                if prior:
                    # Its remote copy is about to change: it is no longer known to be complete.
                    del done[g]
                    _save_state(state_file, target, done)
                put(g, body)
                report.graphs_pushed += 1
                report.triples += n
                batch.append((g, n, h))
                in_batch += n
                if bar is not None:
                    bar.update(n)
                if in_batch >= batch_triples:
                    flush(batch)
                    batch, in_batch = [], 0
            flush(batch)

            # Final check of everything, including graphs skipped as unchanged: the remote
            # may have been edited or wiped since the state file was written.
            counts = _remote_counts(endpoint_url, ordered, **qkw)
            stale = [g for g in ordered if counts.get(g, 0) != expected[g]]
            if stale:
                for g in stale:
                    done.pop(g, None)
                _save_state(state_file, target, done)
                again: list[tuple[str, int, str]] = []
                for g in stale:
                    body, n, h = body_of(g)
                    put(g, body)
                    skipped.discard(g)
                    report.graphs_pushed += 1
                    report.triples += n
                    again.append((g, n, h))
                flush(again)
                counts.update({g: report.remote_counts[g] for g, _, _ in again})
            report.remote_counts = {g: counts[g] for g in ordered}
            report.graphs_skipped = len(skipped)
        except EndpointError as exc:
            raise EndpointError(f"{exc}; {len(done)} graph(s) verified and recorded in {state_file}: "
                                "run the push again to resume") from None
        finally:
            if bar is not None:
                bar.close()
            http_.close()
        report.seconds = time.perf_counter() - t_start
        return report
    finally:
        if own:
            s.close()


def _delete_quietly(http_: _Http, path: str) -> None:
    """Best effort: remove a graph whose upload failed, so no partial copy stays under its name."""
    try:
        http_.request("DELETE", path)
    except _Transient:
        pass


# --------------------------------------------------------------------------------------------------
# Gazetteer refresh from Wikidata.

_WD_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# Who held the office of head of state (P1906) or head of government (P1313) of a
# country (ISO code P297), from the position-held statements (P39) with their start
# (P580) and end (P582) qualifiers; deprecated statements are left out.
_OFFICE_HOLDERS = _WD_PREFIXES + """
SELECT ?iso ?role ?position ?person ?start ?end WHERE {
  ?country wdt:P297 ?iso .
  { ?country wdt:P1906 ?position . BIND("head-of-state" AS ?role) }
  UNION
  { ?country wdt:P1313 ?position . BIND("head-of-government" AS ?role) }
  ?person p:P39 ?statement .
  ?statement ps:P39 ?position .
  FILTER NOT EXISTS { ?statement wikibase:rank wikibase:DeprecatedRank }
  OPTIONAL { ?statement pq:P580 ?start }
  OPTIONAL { ?statement pq:P582 ?end }
  FILTER(!BOUND(?end) || !isLiteral(?end) || STR(?end) >= STR(?since))
}
"""

_LABELS = _WD_PREFIXES + """
SELECT ?item ?label WHERE { ?item rdfs:label ?label . FILTER(LANG(?label) = ?lang) }
"""

_ALT_LABELS = _WD_PREFIXES + """
SELECT ?item ?label WHERE { ?item skos:altLabel ?label . FILTER(LANG(?label) = ?lang) }
"""

_WD = "http://www.wikidata.org/entity/"


@dataclass
class GazetteerReport:
    """What :func:`refresh_gazetteer` wrote."""

    path: Path
    countries: list[str]
    persons: int = 0
    persons_added: int = 0
    persons_updated: int = 0
    offices: int = 0
    organizations_updated: int = 0

    def summary(self) -> str:
        return (f"wrote {self.path}: {self.persons} persons ({self.persons_added} new, {self.persons_updated} "
                f"refreshed, {self.offices} offices from Wikidata), {self.organizations_updated} organisations "
                f"refreshed, countries {', '.join(self.countries)}")


def _qid(term: object) -> str | None:
    if isinstance(term, ox.NamedNode) and term.value.startswith(_WD):
        q = term.value[len(_WD):]
        return q if re.fullmatch(r"Q\d+", q) else None
    return None


def _day(term: object) -> str | None:
    if not isinstance(term, ox.Literal):
        return None  # Wikidata's "unknown value" is a blank node
    m = re.match(r"^(\d{4}-\d{2}-\d{2})", term.value)
    return m.group(1) if m else None


def _norm(name: str) -> str:
    return " ".join(re.findall(r"\w+", name.casefold()))


def _merge_names(old: Sequence[str], new: Iterable[str]) -> list[str]:
    out = list(old)
    seen = {_norm(n) for n in out}
    for n in new:
        n = n.strip()
        if n and _norm(n) not in seen:
            seen.add(_norm(n))
            out.append(n)
    return out


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def refresh_gazetteer(endpoint_url: str = WIKIDATA_ENDPOINT, out_path: str | os.PathLike[str] = "curated.json", *,
                      countries: Iterable[str] | None = None, since: str = "2000-01-01",
                      base: str | os.PathLike[str] | None = None, languages: Sequence[str] = ("en", "id"),
                      timeout: float = 120, retries: int = 3, backoff: float = 2.0) -> GazetteerReport:
    """Refresh the curated actors from a Wikidata-shaped SPARQL endpoint into a ``curated.json``-shaped file.

    Starts from ``base`` (default: the bundled ``kg/resolve/data/curated.json``) and,
    for each country (ISO 3166-1 alpha-2; default: the countries of the base file's
    offices), asks who held its head-of-state and head-of-government positions with
    terms ending on or after ``since``, with the start and end dates of each term.
    Office holders become ``persons`` (matched to existing entries by Wikidata id,
    then by name, so their ``id`` and thus their IRI stay stable; names from
    ``rdfs:label`` and ``skos:altLabel`` in ``languages`` are added to the curated
    ones; their head-of-state/government offices for those countries are replaced by
    Wikidata's). Organisations with a Wikidata id get their labels and alternative
    labels added. Everything else in the base file is kept as it is.

    All values (countries, the date, languages, item ids) reach the endpoint as a
    VALUES block of RDF terms. The file is written atomically.
    """
    if base is None:
        base_data = json.loads(resources.files("kg.resolve").joinpath("data", "curated.json").read_text("utf-8"))
    else:
        base_data = json.loads(Path(base).read_text(encoding="utf-8"))
    persons: list[dict[str, Any]] = [dict(p) for p in base_data.get("persons", [])]
    orgs: list[dict[str, Any]] = [dict(o) for o in base_data.get("organizations", [])]
    if countries is None:
        countries = sorted({o["country"] for p in persons for o in p.get("offices", []) if o.get("country")})
    isos = sorted({c.strip().upper() for c in countries if c and c.strip()})
    for c in isos:
        if not re.fullmatch(r"[A-Z]{2}", c):
            raise QueryError(f"not an ISO 3166-1 alpha-2 country code: {c!r}")
    try:
        dt.date.fromisoformat(since)
    except ValueError:
        raise QueryError(f"since must be a date (YYYY-MM-DD), not {since!r}") from None
    langs = [lang for lang in languages if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", lang)]
    kw: dict[str, Any] = {"timeout": timeout, "retries": retries, "backoff": backoff}

    # 1. Office holders, one VALUES row per country.
    rows = [{"iso": ox.Literal(c), "since": ox.Literal(since)} for c in isos]
    holders = query_endpoint(endpoint_url, inject_values(_OFFICE_HOLDERS, rows), text=True, **kw) if rows \
        else Result(variables=[], rows=[])
    col = {v: i for i, v in enumerate(holders.variables)}
    terms: list[dict[str, Any]] = []
    for r in holders.rows:
        person, position = _qid(r[col["person"]]), _qid(r[col["position"]])
        iso, role = r[col["iso"]], r[col["role"]]
        if not person or not position or iso is None or role is None:
            continue
        terms.append({"person": person, "position": position, "country": iso.value, "role": role.value,
                      "start": _day(r[col["start"]]), "end": _day(r[col["end"]])})

    # 2. Labels and other names of the people, their positions and the organisations.
    items = sorted({t["person"] for t in terms} | {t["position"] for t in terms}
                   | {o["wikidata"] for o in orgs if o.get("wikidata")},
                   key=lambda q: int(q[1:]))
    labels: dict[str, dict[str, str]] = {}
    alts: dict[str, dict[str, list[str]]] = {}
    for chunk in _chunks(items, 200):
        item_rows = [{"item": ox.NamedNode(_WD + q)} for q in chunk]
        for lang in langs:
            lang_row = {"lang": ox.Literal(lang)}
            for text, sink in ((_LABELS, "label"), (_ALT_LABELS, "alt")):
                q = inject_values(inject_values(text, item_rows), lang_row)
                res = query_endpoint(endpoint_url, q, text=True, **kw)
                for item, label in res.rows:
                    qid = _qid(item)
                    if not qid or not isinstance(label, ox.Literal):
                        continue
                    if sink == "label":
                        labels.setdefault(qid, {}).setdefault(lang, label.value)
                    else:
                        alts.setdefault(qid, {}).setdefault(lang, []).append(label.value)

    def names_of(qid: str, lang: str) -> list[str]:
        out = [labels.get(qid, {}).get(lang, "")] + sorted(alts.get(qid, {}).get(lang, []))
        # Short alternative labels (initials, "VVP") match too much running text.
        return [n for n in out if len(n) >= 4 or (n and n == labels.get(qid, {}).get(lang))]

    # 3. Merge into the persons.
    from .rdf import slug

    by_qid = {p["wikidata"]: p for p in persons if p.get("wikidata")}
    by_name = {_norm(p.get("name", "")): p for p in persons}
    report = GazetteerReport(path=Path(out_path), countries=isos)
    refreshed: dict[str, dict[str, Any]] = {}
    stamp = dt.date.today().isoformat()
    for qid in sorted({t["person"] for t in terms}, key=lambda q: int(q[1:])):
        label_en = labels.get(qid, {}).get("en") or next(iter(labels.get(qid, {}).values()), qid)
        entry = by_qid.get(qid) or by_name.get(_norm(label_en))
        if entry is None:
            entry = {"id": slug(label_en), "name": label_en, "wikidata": qid, "names": {}, "offices": [],
                     "source": f"wikidata ({endpoint_url}, {stamp})"}
            taken = {p["id"] for p in persons}
            while entry["id"] in taken:  # two people with one name: keep both, distinctly
                entry["id"] = f"{slug(label_en)}-{qid.lower()}"
            persons.append(entry)
            report.persons_added += 1
        else:
            report.persons_updated += 1
            entry["source"] = f"{entry.get('source', '')}; wikidata refresh {stamp}".lstrip("; ")
        entry["wikidata"] = qid
        names = dict(entry.get("names") or {})
        for lang in langs:
            found = names_of(qid, lang)
            surname = (labels.get(qid, {}).get("en") or "").split()[-1:] if lang in ("en", "id") else []
            found += [s for s in surname if len(s) >= 4]
            if found:
                names[lang] = _merge_names(names.get(lang, []), found)
        entry["names"] = names
        refreshed[qid] = entry

    for qid, entry in refreshed.items():
        mine = [t for t in terms if t["person"] == qid]
        kept = [o for o in entry.get("offices", [])
                if not (o.get("country") in isos and o.get("role") in ("head-of-state", "head-of-government"))]
        new = []
        for t in mine:
            title = {lang: labels.get(t["position"], {}).get(lang) for lang in langs}
            new.append({"country": t["country"], "role": t["role"],
                        "title": {k: v for k, v in title.items() if v},
                        "start": t["start"], "end": t["end"],
                        "source": f"wikidata:{qid} P39 wd:{t['position']}"})
        # One office per term even if Wikidata states it twice.
        uniq = {(o["country"], o["role"], o["start"], o["end"]): o for o in new}
        offices = kept + list(uniq.values())
        offices.sort(key=lambda o: (o.get("start") or "", o.get("end") or "9999"))
        entry["offices"] = offices
        report.offices += len(uniq)

    # 4. Organisations: more names, nothing else changed.
    for o in orgs:
        qid = o.get("wikidata")
        if not qid or qid not in labels and qid not in alts:
            continue
        names = dict(o.get("names") or {})
        for lang in langs:
            found = names_of(qid, lang)
            if found:
                names[lang] = _merge_names(names.get(lang, []), found)
        if names != o.get("names"):
            o["names"] = names
            report.organizations_updated += 1

    out = dict(base_data)
    out["persons"] = persons
    out["organizations"] = orgs
    report.persons = len(persons)
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return report
