"""The query library (``queries/*.rq`` by name), parameter binding and result formats.

Parameters are bound as RDF terms through Oxigraph's substitutions (SEP-0007),
never pasted into query text. Each library file opens with a comment block
that this module reads::

    # Title line.
    # Question: …
    # @param NAME TYPE DEFAULT description   (TYPE: iri string date dateTime integer decimal; DEFAULT '-' = unbound)
    # Row: …
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ..config import resource_dir
from ..errors import QueryError
from ..namespaces import PREFIXES, XSD

__all__ = ["Param", "LibraryQuery", "library", "load_query", "bind", "run", "format_result", "Result",
           "PARAM_TYPES"]

PARAM_TYPES = ("iri", "string", "date", "dateTime", "integer", "decimal")
_PARAM = re.compile(r"^#\s*@param\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str = ""


@dataclass
class LibraryQuery:
    name: str
    text: str
    title: str = ""
    question: str = ""
    row: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def parse(cls, name: str, text: str, path: Path | None = None) -> LibraryQuery:
        q = cls(name=name, text=text, path=path)
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            m = _PARAM.match(line)
            body = line.lstrip("#").strip()
            if m:
                pname, ptype, default, desc = m.groups()
                if ptype not in PARAM_TYPES:
                    raise QueryError(f"{name}: parameter {pname} has unknown type {ptype!r}")
                q.params[pname] = Param(pname, ptype, None if default == "-" else default, desc)
            elif body.lower().startswith("question:"):
                q.question = body.split(":", 1)[1].strip()
            elif body.lower().startswith("row:"):
                q.row = body.split(":", 1)[1].strip()
            elif body and not q.title:
                q.title = body
        return q


def library(folder: Path | None = None) -> dict[str, LibraryQuery]:
    """Every query of the library by name; ``federated/NAME`` for the federated ones."""
    root = folder or resource_dir("queries")
    out: dict[str, LibraryQuery] = {}
    for path in sorted(root.rglob("*.rq")):
        name = path.relative_to(root).with_suffix("").as_posix()
        out[name] = LibraryQuery.parse(name, path.read_text(encoding="utf-8"), path)
    return out


def load_query(name_or_path: str) -> LibraryQuery:
    p = Path(name_or_path)
    if p.suffix == ".rq" and p.is_file():
        return LibraryQuery.parse(p.stem, p.read_text(encoding="utf-8"), p)
    lib = library()
    if name_or_path in lib:
        return lib[name_or_path]
    raise QueryError(f"unknown query {name_or_path!r}: not a .rq file, nor one of {', '.join(sorted(lib))}")


def _iri(value: str) -> ox.NamedNode:
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    elif ":" in v and not re.match(r"^[a-z][a-z0-9+.-]*://", v):
        prefix, _, local = v.partition(":")
        if prefix in PREFIXES:
            v = PREFIXES[prefix] + local
    try:
        return ox.NamedNode(v)
    except ValueError as exc:
        raise QueryError(f"not an IRI: {value!r} ({exc})") from None


def term(value: str, ptype: str) -> ox.NamedNode | ox.Literal:
    """One parameter value as an RDF term of its declared type, or a clear error."""
    try:
        if ptype == "iri":
            return _iri(value)
        if ptype == "date":
            return ox.Literal(dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(str(XSD.date)))
        if ptype == "dateTime":
            return ox.Literal(dt.datetime.fromisoformat(value).isoformat(), datatype=ox.NamedNode(str(XSD.dateTime)))
        if ptype == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(str(XSD.integer)))
        if ptype == "decimal":
            return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(str(XSD.decimal)))
    except (ValueError, InvalidOperation):
        raise QueryError(f"{value!r} is not a valid {ptype}") from None
    return ox.Literal(value)


def bind(query: LibraryQuery, values: dict[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Terms for the declared parameters (given values, else defaults); undeclared names are refused."""
    subs: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name, value in values.items():
        if not _NAME.match(name):
            raise QueryError(f"bad parameter name {name!r}")
        p = query.params.get(name)
        if p is None and query.params:
            raise QueryError(f"{query.name} has no parameter {name!r} (it takes: {', '.join(query.params)})")
        ptype = p.type if p else ("iri" if value.startswith("<") or re.match(r"^https?://", value) else "string")
        subs[ox.Variable(name)] = term(value, ptype)
    for p in query.params.values():
        if p.name not in values and p.default is not None:
            subs[ox.Variable(p.name)] = term(p.default, p.type)
    return subs


@dataclass
class Result:
    """A SELECT's variables and rows, an ASK's answer, or a CONSTRUCT's triples."""

    variables: list[str] = field(default_factory=list)
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


def _syntax_message(text: str, exc: SyntaxError) -> str:
    msg = str(exc)
    m = re.search(r"error at (\d+):(\d+)", msg)
    if not m:
        return f"syntax error: {msg}"
    line, col = int(m.group(1)), int(m.group(2))
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    short = msg.split(",")[0]
    return f"syntax error at line {line}, column {col}: {short}\n  {src}\n  {' ' * max(col - 1, 0)}^"


def run(store: object, query: LibraryQuery | str, params: dict[str, str] | None = None) -> Result:
    """Run a query on a :class:`kg.store.Store` (or a raw pyoxigraph store), union of all graphs as default."""
    q = query if isinstance(query, LibraryQuery) else LibraryQuery.parse("query", query)
    subs = bind(q, params or {})
    ox_store = getattr(store, "oxigraph", store)
    try:
        out = ox_store.query(q.text, use_default_graph_as_union=True, substitutions=subs or None)
    except SyntaxError as exc:
        raise QueryError(f"{q.name}: {_syntax_message(q.text, exc)}") from None
    except OSError as exc:
        raise QueryError(f"{q.name}: evaluation failed ({exc})") from None
    if isinstance(out, bool):
        return Result(boolean=out)
    if isinstance(out, ox.QuerySolutions):
        names = [v.value for v in out.variables]
        return Result(variables=names, rows=[[row[v] for v in names] for row in out])
    return Result(triples=list(out))


def _short(t: object) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if t.value.startswith(ns) and re.match(r"^[\w.-]*$", t.value[len(ns):]):
                return f"{prefix}:{t.value[len(ns):]}"
        return f"<{t.value}>"
    if isinstance(t, ox.Literal):
        return t.value
    return str(t)


def _plain(t: object) -> str:
    if t is None:
        return ""
    return t.value if isinstance(t, (ox.NamedNode, ox.Literal)) else str(t)


def _json_term(t: object) -> dict[str, str] | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    assert isinstance(t, ox.Literal)
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != str(XSD.string):
        d["datatype"] = t.datatype.value
    return d


def format_result(result: Result, fmt: str = "table", max_width: int = 60) -> str:
    """``table`` for people, ``csv``/``tsv`` for spreadsheets, ``json`` (SPARQL 1.1 JSON results)."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.triples:
        return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE).decode("utf-8")
    if fmt == "json":
        return json.dumps({"head": {"vars": result.variables},
                           "results": {"bindings": [{v: _json_term(t) for v, t in zip(result.variables, row)
                                                     if t is not None} for row in result.rows]}},
                          ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([_plain(t) for t in row])
        return buf.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown result format {fmt!r} (table, csv, tsv, json)")
    cells = [[_short(t).replace("\n", " ") for t in row] for row in result.rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(r[k]) for r in cells]) for k, v in enumerate(result.variables)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    out = [line(result.variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out)
