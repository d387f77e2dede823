"""A SPARQL 1.1 Protocol endpoint over the embedded store, with a page to type queries into.

Why not ``oxigraph serve-read-only``? It was checked (oxigraph 0.5): it has a query
timeout (``--timeout-s``), the union default graph and a bundled YASGUI page, but no
cap on result size, no ``/viz`` and no say over its page. So this is a small server
on the standard library (``ThreadingHTTPServer``) that keeps the protocol work thin:
pyoxigraph parses and evaluates every query and serialises every result format.

How it is kept safe:

* Queries run in worker processes that open the store themselves (read-only unless
  updates are allowed). A query that runs past ``timeout`` is stopped by ending its
  worker process, which is the only reliable way to stop an evaluation already
  inside Rust; a fresh worker takes its place. The client gets a 503 that says so.
* ``max_results`` caps the rows (SELECT) or triples (CONSTRUCT/DESCRIBE) sent back;
  a cut result carries ``X-SPARQL-MaxRows`` and ``X-KG-Truncated: true`` headers, and
  the page shows a warning.
* Read-only by default: updates get 403 with the reason, and the store is opened
  read-only as well, so nothing can write even if a request slipped through.
* Loopback (127.0.0.1) unless told otherwise; request bodies are capped.
* The page is one self-contained HTML document (inline CSS and script, no external
  URL at all) served with a Content-Security-Policy that forbids loading anything
  from elsewhere.

Endpoints: ``/sparql`` and ``/query`` (GET, POST form, POST ``application/sparql-query``),
``/update`` (POST; also ``update=`` on ``/sparql``), ``/`` the page, ``/queries.json``
the query library for the page, ``/viz`` the analyst page when ``kg.draw.render``
exists.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import inspect
import ipaddress
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import StoreError

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "SparqlServer", "negotiate", "serve", "start_server"]

MAX_BODY = 1 << 20  # 1 MiB of query or update text is plenty; more is a mistake or an attack
READ_ONLY_MESSAGE = ("This SPARQL endpoint is read-only: updates are refused. "
                     "Start it with --allow-updates (kg serve --allow-updates) to accept them.\n")

# name, media type, pyoxigraph format; the first is the default.
RESULT_FORMATS: list[tuple[str, str, ox.QueryResultsFormat]] = [
    ("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("csv", "text/csv", ox.QueryResultsFormat.CSV),
    ("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
]
GRAPH_FORMATS: list[tuple[str, str, ox.RdfFormat]] = [
    ("turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("trig", "application/trig", ox.RdfFormat.TRIG),
    ("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
    ("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
]
# Other names clients use for the same formats.
_ALIASES = {
    "results": {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "csv": "csv",
                "tsv": "tsv", "json": "json", "xml": "xml", "srj": "json", "srx": "xml"},
    "graph": {"application/x-turtle": "turtle", "ttl": "turtle", "turtle": "turtle", "nt": "ntriples",
              "ntriples": "ntriples", "n-triples": "ntriples", "text/plain": "ntriples", "trig": "trig",
              "jsonld": "jsonld", "json-ld": "jsonld", "application/json": "jsonld", "json": "jsonld",
              "nq": "nquads", "nquads": "nquads", "rdfxml": "rdfxml", "xml": "rdfxml",
              "application/xml": "rdfxml"},
}


def _accept_entries(accept: str) -> list[tuple[str, float, int]]:
    out = []
    for k, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        mtype = bits[0].lower()
        if "/" not in mtype:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        out.append((mtype, q, k))
    return out


def negotiate(kind: str, accept: str | None, fmt: str | None = None) -> tuple[str, str, Any] | None:
    """Pick a format for a ``kind`` of answer (``"results"`` or ``"graph"``).

    An explicit ``fmt`` (the ``format=``/``output=`` parameter: a name like ``csv`` or
    a media type) wins; else the Accept header by q-value, the most specific match
    counting, ties going to the server's order (JSON, Turtle first); no header means
    the default. None when nothing offered is acceptable (the caller answers 406).
    """
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    by_name = {name: entry for entry in table for name in (entry[0], entry[1])}
    if fmt:
        f = fmt.strip().lower()
        name = _ALIASES[kind].get(f, f)
        return by_name.get(name)
    if not accept or not accept.strip():
        return table[0]
    entries = _accept_entries(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for pos, entry in enumerate(table):
        names = {entry[1]} | {alias for alias, target in _ALIASES[kind].items() if target == entry[0] and "/" in alias}
        major = entry[1].split("/")[0]
        q_here, spec_here = -1.0, -1
        for mtype, q, _ in entries:
            if mtype in names:
                spec = 2
            elif mtype == f"{major}/*":
                spec = 1
            elif mtype == "*/*":
                spec = 0
            else:
                continue
            if spec > spec_here:  # the most specific matching range decides the quality
                q_here, spec_here = q, spec
        if q_here <= 0:
            continue
        key = (q_here, spec_here, -pos)
        if best is None or key > best:
            best, chosen = key, entry
    return chosen


# --------------------------------------------------------------------------------------------------
# The worker process: owns an open store, answers one job at a time.

def _json_term(t: object) -> dict[str, Any]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                            "object": _json_term(t.object)}}
    raise TypeError(f"unexpected term {t!r}")


def _reply(status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> tuple:  # type: ignore[type-arg]
    return (status, ctype, body, headers or {})


def _text(status: int, message: str) -> tuple:  # type: ignore[type-arg]
    return _reply(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def _evaluate(store: Any, job: dict[str, Any]) -> tuple:  # type: ignore[type-arg]
    kwargs: dict[str, Any] = {}
    if job.get("default_graphs") or job.get("named_graphs"):
        try:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.get("default_graphs", [])] or ox.DefaultGraph()
            if job.get("named_graphs"):
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        except ValueError as exc:
            return _text(400, f"bad graph IRI: {exc}")
    else:
        kwargs["use_default_graph_as_union"] = True  # as everywhere in kg: the union of all graphs
    try:
        out = store.oxigraph.query(job["query"], **kwargs)
    except SyntaxError as exc:
        return _text(400, f"SPARQL syntax error: {exc}")
    except (OSError, ValueError) as exc:
        return _text(500, f"query evaluation failed: {exc}")
    cap = int(job.get("max_results") or 0)
    kind = "graph" if isinstance(out, ox.QueryTriples) else "results"
    chosen = negotiate(kind, job.get("accept"), job.get("format"))
    if chosen is None:
        offered = ", ".join(m for _, m, _ in (GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS))
        return _text(406, f"none of the accepted media types can carry this answer; offered: {offered}")
    name, media, fmt = chosen
    ctype = media + ("; charset=utf-8" if media.startswith("text/") else "")
    headers: dict[str, str] = {}
    try:
        if isinstance(out, ox.QueryBoolean):
            return _reply(200, ctype, out.serialize(format=fmt) or b"")
        if isinstance(out, ox.QuerySolutions):
            names = [v.value for v in out.variables]
            bindings = []
            for n, sol in enumerate(out):
                if cap and n >= cap:
                    headers = {"X-SPARQL-MaxRows": str(cap), "X-KG-Truncated": "true"}
                    break
                bindings.append({v: _json_term(sol[v]) for v in names if sol[v] is not None})
            doc = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if name == "json":
                return _reply(200, ctype, doc, headers)
            # pyoxigraph writes the other formats from the (possibly capped) rows.
            return _reply(200, ctype, ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
                          .serialize(format=fmt) or b"", headers)
        triples = []
        for n, t in enumerate(out):
            if cap and n >= cap:
                headers = {"X-SPARQL-MaxRows": str(cap), "X-KG-Truncated": "true"}
                break
            triples.append(t)
        from .namespaces import PREFIXES

        kw: dict[str, Any] = {"prefixes": PREFIXES} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD) else {}
        body = ox.serialize(triples, format=fmt, **kw) or b""
        return _reply(200, ctype, body, headers)
    except (OSError, ValueError, SyntaxError) as exc:
        return _text(500, f"could not write the answer as {media}: {exc}")


def _update(store: Any, job: dict[str, Any]) -> tuple:  # type: ignore[type-arg]
    if store.read_only:
        return _text(403, READ_ONLY_MESSAGE)
    try:
        store.oxigraph.update(job["update"])
        store.oxigraph.flush()
    except SyntaxError as exc:
        return _text(400, f"SPARQL syntax error: {exc}")
    except (OSError, ValueError) as exc:
        return _text(500, f"update failed: {exc}")
    return _reply(204, "text/plain", b"")


_VIZ_OPTIONS = {"focus": str, "since": str, "until": str, "event_type": str, "depth": int, "max_nodes": int}


def _viz(store: Any, options: dict[str, str]) -> tuple:  # type: ignore[type-arg]
    """The analyst page from ``kg.draw.render``, whatever its exact calling convention turns out to be."""
    try:
        draw = importlib.import_module("kg.draw")
    except ImportError:
        return _text(404, "no analyst page here: kg.draw is not installed")
    render = getattr(draw, "render", None)
    if not callable(render):
        return _text(404, "no analyst page here: kg.draw has no render()")
    with tempfile.TemporaryDirectory(prefix="kg-viz-") as tmp:
        out = Path(tmp) / "viz.html"
        try:
            params = list(inspect.signature(render).parameters.values())
        except (TypeError, ValueError):
            params = []
        args: list[Any] = [store]
        kwargs: dict[str, Any] = {}
        for p in params[1:]:
            if p.name in ("out", "output", "path", "out_path", "dest", "html_path", "file"):
                if p.kind == p.POSITIONAL_ONLY:
                    args.append(out)
                else:
                    kwargs[p.name] = out
                break
        names = {p.name for p in params}
        for key, value in options.items():
            if key not in names:
                continue
            try:
                kwargs[key] = _VIZ_OPTIONS[key](value)
            except ValueError:
                return _text(400, f"bad value for {key}: {value!r}")
        if isinstance(kwargs.get("depth"), int) and not 0 <= kwargs["depth"] <= 5:
            return _text(400, "depth must be between 0 and 5")
        if isinstance(kwargs.get("max_nodes"), int) and not 0 < kwargs["max_nodes"] <= 20000:
            return _text(400, "max_nodes must be between 1 and 20000")
        try:
            result = render(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - another module's failure becomes a 500 with its reason
            return _text(500, f"kg.draw.render failed: {type(exc).__name__}: {exc}")
        page: bytes | None = None
        if isinstance(result, bytes):
            page = result
        elif isinstance(result, str) and "<" in result:
            page = result.encode("utf-8")
        elif isinstance(result, (str, os.PathLike)) and Path(result).is_file():
            page = Path(result).read_bytes()
        elif out.is_file():
            page = out.read_bytes()
        elif hasattr(result, "read"):
            data = result.read()
            page = data.encode("utf-8") if isinstance(data, str) else data
    if page is None:
        return _text(500, "kg.draw.render returned no page")
    return _reply(200, "text/html; charset=utf-8", page)


def _worker_main(conn: Any, store_path: str, read_only: bool) -> None:
    """Entry point of a worker process: open the store, then answer jobs until the pipe closes."""
    try:
        from .store import Store

        store = Store(store_path, read_only=read_only)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it properly
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        try:
            op = job.get("op")
            if op == "query":
                reply = _evaluate(store, job)
            elif op == "update":
                reply = _update(store, job)
            elif op == "viz":
                reply = _viz(store, job.get("options") or {})
            else:
                reply = _text(400, f"unknown job {op!r}")
        except Exception as exc:  # noqa: BLE001 - one bad job must not take the worker down
            reply = _text(500, f"internal error: {type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            break
    try:
        store.close()
    except Exception:  # noqa: BLE001
        pass


def _worker_entry(fd: int, store_path: str, read_only: bool) -> None:
    """What a worker process runs (``python -c``): the job loop on the inherited socket."""
    from multiprocessing.connection import Connection

    _worker_main(Connection(fd), store_path, read_only)


class _Worker:
    """One query process. Started with ``python -c`` rather than multiprocessing's spawn,
    which would re-import the caller's ``__main__`` (and break scripts without a main guard)."""

    def __init__(self, store_path: str, read_only: bool, start_timeout: float = 60) -> None:
        from multiprocessing.connection import Connection

        mine, theirs = socket.socketpair()
        here = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        code = "import sys; from kg.serve import _worker_entry; _worker_entry(int(sys.argv[1]), sys.argv[2], sys.argv[3] == '1')"
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), store_path,
                                          "1" if read_only else "0"],
                                         pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        self.conn = Connection(mine.detach())
        if not self.conn.poll(start_timeout):
            self.kill()
            raise StoreError(f"{store_path}: the query worker did not start within {start_timeout:g} s")
        try:
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            status, detail = "error", "the query worker exited while opening the store"
        if status != "ready":
            self.kill()
            raise StoreError(f"{store_path}: cannot serve this store ({detail})")

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.proc.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        if self.proc.poll() is None:
            self.kill()
        else:
            self.conn.close()


class _Pool:
    """Worker processes handed out one request at a time; a timed-out worker is ended and replaced."""

    def __init__(self, store_path: str, read_only: bool, size: int) -> None:
        self.store_path = store_path
        self.read_only = read_only
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        first = _Worker(store_path, read_only)  # fails fast, with the reason, on a bad store
        self._add(first)
        threads = [threading.Thread(target=self._spawn, daemon=True) for _ in range(size - 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def _add(self, w: _Worker) -> None:
        with self.lock:
            if self.closed:
                w.stop()
                return
            self.all.add(w)
        self.idle.put(w)

    def _spawn(self) -> None:
        try:
            self._add(_Worker(self.store_path, self.read_only))
        except StoreError as exc:
            print(f"kg serve: could not start a worker: {exc}", file=sys.stderr)

    def run(self, job: dict[str, Any], timeout: float) -> tuple:  # type: ignore[type-arg]
        try:
            w = self.idle.get(timeout=max(timeout, 1.0))
        except queue.Empty:
            return _text(503, f"the server is busy: no worker came free within {timeout:g} s; try again")
        try:
            w.conn.send(job)
            if w.conn.poll(timeout if timeout > 0 else None):
                reply = w.conn.recv()
                self.idle.put(w)
                return reply
        except (EOFError, OSError, ValueError):
            self._retire(w)
            return _text(500, "the query worker failed while answering; it has been replaced")
        self._retire(w)
        return _text(503, f"query stopped: it ran longer than the {timeout:g} s limit "
                          "(kg serve --timeout); narrow it down or add a LIMIT")

    def _retire(self, w: _Worker) -> None:
        with self.lock:
            self.all.discard(w)
        w.kill()
        if not self.closed:
            threading.Thread(target=self._spawn, daemon=True).start()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
        for w in workers:
            w.stop()


# --------------------------------------------------------------------------------------------------
# HTTP.

@dataclass
class _Config:
    store_path: str
    read_only: bool
    timeout: float
    max_results: int
    cors: bool
    quiet: bool


_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"
    timeout = 60  # a client that stalls mid-request is dropped

    # set on the subclass made per server
    cfg: _Config
    pool: _Pool

    def log_message(self, format: str, *args: Any) -> None:
        if not self.cfg.quiet:
            super().log_message(format, *args)

    # -- plumbing -------------------------------------------------------------------------
    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.cfg.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-SPARQL-MaxRows, X-KG-Truncated")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_reply(self, reply: tuple) -> None:  # type: ignore[type-arg]
        status, ctype, body, headers = reply
        self._send(status, ctype, body, headers)

    def _text(self, status: int, message: str) -> None:
        self._send_reply(_text(status, message))

    def _body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            self._text(411, "send the request body with a Content-Length")
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            # Read (and drop) a body that is too large but not absurd, so the client, still
            # sending, gets the 413 rather than a reset connection; then close either way.
            if 0 < length <= 16 * MAX_BODY:
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 1 << 16))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            self.close_connection = True
            self._text(413, f"request body too large (limit {MAX_BODY} bytes)")
            return None
        return self.rfile.read(length) if length else b""

    def _path(self) -> tuple[str, dict[str, list[str]]]:
        parts = urllib.parse.urlsplit(self.path)
        return parts.path, urllib.parse.parse_qs(parts.query, keep_blank_values=True)

    # -- routes ---------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        if self.cfg.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path, params = self._path()
        if path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", _page(self.cfg),
                       {"Content-Security-Policy": _CSP, "Cache-Control": "no-store"})
        elif path == "/queries.json":
            self._send(200, "application/json", _library_json())
        elif path == "/viz":
            # The page's own options (focus, since, until, event_type, depth, max_nodes) pass through.
            options = {k: v[0] for k, v in params.items() if k in _VIZ_OPTIONS and v and v[0]}
            self._send_reply(self.pool.run({"op": "viz", "options": options}, self.cfg.timeout))
        elif path in ("/sparql", "/query"):
            if "update" in params:
                self._text(405 if not self.cfg.read_only else 403,
                           READ_ONLY_MESSAGE if self.cfg.read_only else "updates must be sent by POST")
                return
            if "query" not in params:
                if "text/html" in (self.headers.get("Accept") or ""):
                    self.send_response(303)
                    self.send_header("Location", "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._text(400, "missing the 'query' parameter")
                return
            self._query(params["query"], params)
        elif path == "/update":
            self._text(403 if self.cfg.read_only else 405,
                       READ_ONLY_MESSAGE if self.cfg.read_only else "updates must be sent by POST")
        else:
            self._text(404, f"nothing at {path}; the SPARQL endpoint is /sparql, the query page is /")

    def do_POST(self) -> None:
        path, params = self._path()
        body = self._body()
        if body is None:
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if path not in ("/sparql", "/query", "/update"):
            self._text(404, f"nothing to POST to at {path}; use /sparql or /update")
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._text(400, "the request body is not UTF-8")
            return
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(text, keep_blank_values=True)
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
            if "update" in params:
                self._update(params["update"], params)
            elif "query" in params and path != "/update":
                self._query(params["query"], params)
            else:
                self._text(400, "missing the 'query' (or 'update') parameter")
        elif ctype == "application/sparql-query" and path != "/update":
            self._query([text], params)
        elif ctype == "application/sparql-update":
            self._update([text], params)
        else:
            self._text(415, "send application/x-www-form-urlencoded, application/sparql-query or "
                            "application/sparql-update")

    def _query(self, queries: list[str], params: dict[str, list[str]]) -> None:
        if len(queries) != 1:
            self._text(400, "exactly one 'query' parameter, please")
            return
        given = params.get("format") or params.get("output") or []
        fmt = given[0] if given else None
        job = {"op": "query", "query": queries[0], "accept": self.headers.get("Accept"), "format": fmt,
               "default_graphs": params.get("default-graph-uri", []),
               "named_graphs": params.get("named-graph-uri", []), "max_results": self.cfg.max_results}
        self._send_reply(self.pool.run(job, self.cfg.timeout))

    def _update(self, updates: list[str], params: dict[str, list[str]]) -> None:
        if self.cfg.read_only:
            self._text(403, READ_ONLY_MESSAGE)
            return
        if len(updates) != 1:
            self._text(400, "exactly one 'update' parameter, please")
            return
        if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
            self._text(400, "using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
            return
        self._send_reply(self.pool.run({"op": "update", "update": updates[0]}, self.cfg.timeout))


def _library_json() -> bytes:
    try:
        from .query import library

        items = [{"name": q.name, "title": q.title, "question": q.question, "text": q.text,
                  "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                             for p in q.params.values()]}
                 for q in library().values()]
    except Exception:  # noqa: BLE001 - the page works without the library
        items = []
    return json.dumps(items, ensure_ascii=False).encode("utf-8")


def _has_viz() -> bool:
    try:
        return importlib.util.find_spec("kg.draw") is not None
    except (ImportError, ValueError):
        return False


def _page(cfg: _Config) -> bytes:
    mode = "read-only" if cfg.read_only else "updates allowed"
    viz = '<a href="viz">graph view</a>' if _has_viz() else ""
    info = html.escape(f"{Path(cfg.store_path).name} · {mode} · timeout {cfg.timeout:g} s · "
                       f"at most {cfg.max_results:,} results")
    return _PAGE.replace("__INFO__", info).replace("__VIZ__", viz).encode("utf-8")


# The page: no external URL anywhere (the library's IRIs arrive by fetch from /queries.json).
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>conflict-kg SPARQL</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{padding:.6em 1em;background:#24323f;color:#fff;display:flex;gap:1em;align-items:baseline;flex-wrap:wrap}
header h1{font-size:1.1em;margin:0}header small{opacity:.8}header a{color:#cde}
main{padding:1em;max-width:1400px}
textarea{width:100%;height:16em;font:13px/1.35 ui-monospace,monospace;box-sizing:border-box;padding:.5em}
.bar{display:flex;gap:.6em;align-items:center;margin:.5em 0;flex-wrap:wrap}
button{padding:.35em 1.2em}#status{color:#555}#status.err{color:#a00}#status.warn{color:#8a5a00}
#help{color:#555;margin:.2em 0 .6em}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top;max-width:40em;overflow-wrap:anywhere}
th{background:#eef2f5;position:sticky;top:0}
pre{background:#fff;border:1px solid #ddd;padding:.6em;overflow:auto;max-height:70vh}
</style></head>
<body>
<header><h1>conflict-kg SPARQL endpoint</h1><small>__INFO__</small>__VIZ__</header>
<main>
<div class="bar"><label>Library query <select id="lib"><option value="">(type your own)</option></select></label></div>
<div id="help"></div>
<textarea id="q" spellcheck="false">SELECT * WHERE { ?s ?p ?o } LIMIT 20</textarea>
<div class="bar">
<button id="run">Run</button><span>(Ctrl+Enter)</span>
<label>Answer as <select id="fmt">
<option value="application/sparql-results+json, text/turtle;q=0.9">table / Turtle</option>
<option value="text/csv, text/turtle;q=0.9">CSV</option>
<option value="text/tab-separated-values, application/n-triples;q=0.9">TSV / N-Triples</option>
<option value="application/sparql-results+xml, application/trig;q=0.9">XML / TriG</option>
<option value="application/sparql-results+json, application/ld+json;q=0.9">JSON / JSON-LD</option>
</select></label>
<span id="status"></span></div>
<div id="out"></div>
</main>
<script>
"use strict";
const q = document.getElementById("q"), out = document.getElementById("out"),
      statusEl = document.getElementById("status"), fmt = document.getElementById("fmt"),
      lib = document.getElementById("lib"), help = document.getElementById("help");
let queries = [];
function setStatus(text, cls) { statusEl.textContent = text; statusEl.className = cls || ""; }
function cell(term) {
  if (!term) return "";
  if (term.type === "literal") return term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
  if (term.type === "bnode") return "_:" + term.value;
  if (term.type === "triple") return "<< " + cell(term.value.subject) + " " + cell(term.value.predicate) + " " + cell(term.value.object) + " >>";
  return term.value;
}
function table(data) {
  const t = document.createElement("table"), head = t.createTHead().insertRow();
  for (const v of data.head.vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  const body = t.createTBody();
  for (const b of data.results.bindings) {
    const r = body.insertRow();
    for (const v of data.head.vars) r.insertCell().textContent = cell(b[v]);
  }
  return t;
}
async function run() {
  const started = performance.now();
  setStatus("running…");
  out.textContent = "";
  let resp;
  try {
    resp = await fetch("sparql", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded",
      "Accept": fmt.value}, body: new URLSearchParams({query: q.value})});
  } catch (e) { setStatus("request failed: " + e, "err"); return; }
  const ms = Math.round(performance.now() - started), ct = resp.headers.get("Content-Type") || "";
  const text = await resp.text();
  if (!resp.ok) { setStatus("HTTP " + resp.status + " after " + ms + " ms", "err");
    const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre); return; }
  let rows = null;
  if (ct.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) { const p = document.createElement("pre"); p.textContent = String(data.boolean); out.appendChild(p); }
    else { rows = data.results.bindings.length; out.appendChild(table(data)); }
  } else { const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre); }
  const cap = resp.headers.get("X-SPARQL-MaxRows");
  if (resp.headers.get("X-KG-Truncated")) setStatus("answer cut at " + cap + " results (the server's limit); " + ms + " ms", "warn");
  else setStatus((rows !== null ? rows + " rows, " : "") + ms + " ms");
}
document.getElementById("run").addEventListener("click", run);
q.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
lib.addEventListener("change", () => {
  const item = queries.find(x => x.name === lib.value);
  help.textContent = "";
  if (!item) return;
  q.value = item.text;
  const params = item.params.map(p => "?" + p.name + " (" + p.type + "): " + p.description).join("; ");
  help.textContent = (item.question || item.title) + (params ? "  Parameters are unbound here; bind one with VALUES ?name { … } or edit the query. " + params : "");
});
fetch("queries.json").then(r => r.json()).then(list => {
  queries = list;
  for (const item of list) { const o = document.createElement("option"); o.value = item.name; o.textContent = item.name + " — " + item.title; lib.appendChild(o); }
}).catch(() => {});
</script>
</body></html>
"""


# --------------------------------------------------------------------------------------------------
# The server.

def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SparqlServer:
    """The endpoint as an object: ``start()`` in a background thread, ``stop()``; or :func:`serve` to block.

    ``port=0`` picks a free port (see :attr:`url`).
    """

    def __init__(self, store_path: str | os.PathLike[str] | None = None, host: str = "127.0.0.1", port: int = 7878, *,
                 read_only: bool = True, timeout: float = 30, max_results: int = 10000, workers: int | None = None,
                 cors: bool = False, quiet: bool = False) -> None:
        from .config import store_path as default_store

        path = default_store(store_path)
        if read_only and not Path(path).exists():
            raise StoreError(f"{path}: no store here (run 'kg ingest' first)")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if max_results < 0:
            raise ValueError("max_results must be 0 (no cap) or positive")
        if not _is_loopback(host):
            print(f"kg serve: warning: listening on {host}, reachable from other machines", file=sys.stderr)
        # Several readers can share a read-only store; a writer must be alone with it.
        size = 1 if not read_only else max(1, workers or min(4, os.cpu_count() or 1))
        self.cfg = _Config(str(path), read_only, float(timeout), int(max_results), cors, quiet)
        self.pool = _Pool(str(path), read_only, size)
        handler = type("Handler", (_Handler,), {"cfg": self.cfg, "pool": self.pool})
        try:
            self.httpd = ThreadingHTTPServer((host, port), handler)
        except OSError:
            self.pool.close()
            raise
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:7878``; the endpoint is ``url + "/sparql"``."""
        host, port = (str(x) for x in self.httpd.server_address[:2])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    def start(self) -> SparqlServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="kg-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self.httpd.server_close()
        self.pool.close()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(store_path: str | os.PathLike[str] | None = None, host: str = "127.0.0.1", port: int = 0,
                 **kwargs: Any) -> SparqlServer:
    """A :class:`SparqlServer` already answering in a background thread (``port=0``: any free port)."""
    return SparqlServer(store_path, host, port, **kwargs).start()


def serve(store_path: str | os.PathLike[str] | None = None, host: str = "127.0.0.1", port: int = 7878, *,
          read_only: bool = True, timeout: float = 30, max_results: int = 10000, workers: int | None = None,
          cors: bool = False, quiet: bool = False) -> None:
    """Serve the store as a SPARQL 1.1 endpoint until interrupted (Ctrl+C).

    GET and POST queries at ``/sparql`` (also ``/query``); results as JSON, XML, CSV
    or TSV and graphs as Turtle, TriG, N-Triples, JSON-LD (also N-Quads, RDF/XML) by
    content negotiation or ``format=``; the default graph is the union of all graphs.
    ``read_only`` refuses updates with 403 (``read_only=False`` accepts them at
    ``/update`` and opens the store for writing, which needs it to be free).
    ``timeout`` seconds per request and ``max_results`` rows/triples per answer
    (0 = no cap). ``workers`` query processes (default: up to 4, one when writable).
    ``cors`` allows calls from pages on other origins.
    """
    server = SparqlServer(store_path, host, port, read_only=read_only, timeout=timeout, max_results=max_results,
                          workers=workers, cors=cors, quiet=quiet)
    print(f"kg serve: SPARQL endpoint {server.url}/sparql, query page {server.url}/ "
          f"({'read-only' if read_only else 'updates allowed'}; Ctrl+C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover - `python -m kg.serve STORE` for a quick look
    serve(sys.argv[1] if len(sys.argv) > 1 else None)
