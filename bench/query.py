"""Query benchmark: the query library on a synthetic graph of about a million triples.

One command::

    python bench/query.py                 # ~1M triples, the full run (under ~10 minutes on 2 cores)
    python bench/query.py --triples 200000 --baseline-timeout 10

What it does, in one run so that every ratio is paired:

1. generates a synthetic corpus of article graphs in the contract's shape (articles,
   mentions, sentences, events with roles, places, times, statuses and counts, claims,
   actors and places with their identities, plus the gazetteer graph), written directly
   as quads from a fixed seed, and the project's ontology graph;
2. runs every query of the library (``kg.query.library()``, parameters left unbound,
   results read to the end) on the embedded pyoxigraph store, in memory (like for like
   with the baseline) and as the project's on-disk ``kg`` store, default graph = union;
   and on rdflib's in-memory ``Dataset(default_union=True)`` as the baseline, each query
   in a forked child so a slow one can be cut off at ``--baseline-timeout`` (reported as a
   lower bound, never as a number it did not reach; an rdflib failure is reported as such);
3. times ``kg.remote.push`` of the same store to a local ``oxigraph serve`` (triples/s),
   when the ``oxigraph`` executable is available.

Prints a table and writes the figures as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import kg
from kg.query import bind, library

# --- the synthetic corpus -------------------------------------------------------------------------

BASE = "https://w3id.org/conflict-kg/id/"
CKG = "https://w3id.org/conflict-kg/ontology#"
CKGT = "https://w3id.org/conflict-kg/ontology/event-type/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
GAF = "http://groundedannotationframework.org/gaf#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
WD = "http://www.wikidata.org/entity/"
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
A = RDF + "type"

EVENT_TYPES = [
    "protest", "riot", "coup-attempt", "foreign-military-deployment", "military-deployment",
    "request-military-assistance", "meeting", "counter-terrorism-operation", "withdrawal", "statement",
    "accusation", "arrest", "armed-clash", "armed-attack", "air-strike", "shelling", "explosion",
    "suicide-bombing", "abduction", "attack-on-civilians", "looting", "ceasefire", "agreement", "sanctions",
    "threat", "humanitarian-aid", "displacement", "election-violence", "crackdown", "mass-killing",
    "hostage-taking", "peace-talks", "military-exercise",
]
ROLES = ["agent", "target", "requester", "recipient", "speaker", "host", "participant", "victim", "accused"]
STATUSES = ["occurred"] * 6 + ["ongoing"] * 2 + ["announced"]
PRECISIONS = ["day"] * 6 + ["week", "month", "year"]
COUNT_KINDS = ["killed", "killed", "injured", "arrested", "troops", "displaced"]
COUNT_OF = ["people", "civilians", "securityForces", "protesters", "soldiers"]
QUALIFIERS = ["exact", "moreThan", "atLeast", "nearly", "approximately"]
WORDS = ["security", "forces", "clashed", "with", "protesters", "near", "the", "parliament", "while", "the", "government", "announced", "new", "measures", "and", "officials", "said", "troops", "would", "remain", "until", "order", "was", "restored", "in", "the", "capital"]

# A term is a tuple: ("i", iri) | ("l", lexical, datatype IRI or "", language or "").
Term = tuple[str, ...]
QuadT = tuple[Term, Term, Term, Term]


def _i(v: str) -> Term:
    return ("i", v)


def _s(v: str) -> Term:
    return ("l", v, "", "")


def _lang(v: str, lang: str) -> Term:
    return ("l", v, "", lang)


def _typed(v: object, dt: str) -> Term:
    return ("l", str(v), XSD + dt, "")


class _World:
    """The shared cast: countries, cities, people and organisations, with Zipf-like popularity."""

    def __init__(self, rng: random.Random) -> None:
        iso = []
        try:
            rows = resources.files("kg.resolve").joinpath("data", "countries.tsv").read_text(encoding="utf-8")
            for line in rows.splitlines()[1:]:
                parts = line.split("\t")
                iso.append((parts[0], parts[2], float(parts[4] or 0), float(parts[5] or 0)))
        except (OSError, IndexError, ValueError):
            iso = [(f"X{k}", f"Q{1000 + k}", 0.0, 0.0) for k in range(60)]
        self.countries = [(f"{BASE}country/{c}", f"Country {c}", q, lat, lon) for c, q, lat, lon in iso[:80]]
        self.cities = []
        for k in range(600):
            country = self.countries[k % len(self.countries)]
            self.cities.append((f"{BASE}place/geonames-{100000 + k}", f"City {k}", country[0],
                                round(country[3] + rng.uniform(-3, 3), 5), round(country[4] + rng.uniform(-3, 3), 5),
                                100000 + k))
        self.actors = []
        for k in range(2500):
            kind = "person" if k % 3 else "organization"
            self.actors.append((f"{BASE}{kind}/actor-{k}", f"Actor {k}", kind, f"Q{500000 + k}" if k % 4 else None))
        self.rng = rng
        self._cum: dict[int, list[float]] = {}

    def pick(self, seq: list):  # type: ignore[no-untyped-def,type-arg]
        # Zipf's law (s = 1) over the cast: a few actors and places appear in many articles, as
        # in the news (over 2,500 actors the most frequent one takes about 12% of the mentions).
        cum = self._cum.get(len(seq))
        if cum is None:
            total = 0.0
            cum = []
            for k in range(len(seq)):
                total += 1.0 / (k + 1)
                cum.append(total)
            self._cum[len(seq)] = cum
        return self.rng.choices(seq, cum_weights=cum)[0]


def synthetic_quads(n_triples: int, seed: int = 42) -> Iterator[QuadT]:
    """Quads of article graphs in the contract's shape until about ``n_triples`` are written."""
    rng = random.Random(seed)
    w = _World(rng)
    gaz = _i(f"{BASE}graph/gazetteer")
    written = 0
    gaz_seen: set[str] = set()
    n = 0
    while written < n_triples:
        key = f"{n:016x}"
        n += 1
        art = f"{BASE}article/{key}"
        g = _i(art)
        out: list[QuadT] = []

        def t(s: str, p: str, o: Term, graph: Term = g) -> None:
            out.append((_i(s), _i(p), o, graph))

        lang = "id" if n % 2 else "en"
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 2019 + (n // 336) % 6
        published = f"{year}-{month:02d}-{day:02d}T08:{n % 60:02d}:00+07:00"
        words = [rng.choice(WORDS) for _ in range(60)]
        text = " ".join(words)
        outlet = f"Outlet {n % 40}"
        t(art, A, _i(SCHEMA + "NewsArticle"))
        t(art, A, _i(NIF + "Context"))
        t(art, SCHEMA + "headline", _s(" ".join(words[:9]).capitalize()))
        t(art, SCHEMA + "inLanguage", _s(lang))
        t(art, SCHEMA + "datePublished", _typed(published, "dateTime"))
        t(art, SCHEMA + "url", _i(f"https://example.org/news/{key}"))
        t(art, SCHEMA + "identifier", _s(key))
        t(art, SCHEMA + "keywords", _s(rng.choice(["unrest", "protest", "conflict", "security"])))
        t(art, NIF + "isString", _s(text))
        pub = f"{BASE}publisher/outlet-{n % 40}"
        t(art, SCHEMA + "publisher", _i(pub))
        t(pub, SCHEMA + "name", _s(outlet))
        t(art, PROV + "wasGeneratedBy", _i(art + "/extraction"))
        t(art, CKG + "contentHash", _s(f"{n:040x}"))

        sentences: list[tuple[str, int, int]] = []
        pos = 0
        for k in range(6):
            ln = 40 + rng.randrange(60)
            sentences.append((f"{art}#sentence={pos},{pos + ln}", pos, pos + ln))
            pos += ln + 1
        for s_iri, b, e in sentences:
            t(s_iri, A, _i(NIF + "Sentence"))
            t(s_iri, NIF + "referenceContext", _i(art))
            t(s_iri, NIF + "beginIndex", _typed(b, "integer"))
            t(s_iri, NIF + "endIndex", _typed(e, "integer"))
            t(s_iri, NIF + "anchorOf", _s(text[b:e] or "x"))

        def mention(node: str) -> None:
            s_iri, sb, se = rng.choice(sentences)
            b = sb + rng.randrange(max(1, se - sb - 8))
            m = f"{art}#char={b},{b + 7}"
            t(node, GAF + "denotedBy", _i(m))
            t(m, A, _i(NIF + "Phrase"))
            t(m, NIF + "referenceContext", _i(art))
            t(m, NIF + "beginIndex", _typed(b, "integer"))
            t(m, NIF + "endIndex", _typed(b + 7, "integer"))
            t(m, NIF + "anchorOf", _s(text[b:b + 7] or "x"))
            t(m, NIF + "sentence", _i(s_iri))

        def actor(a: tuple) -> str:  # type: ignore[type-arg]
            iri, label, kind, qid = a
            t(iri, A, _i(SEM + "Actor"))
            t(iri, A, _i(SCHEMA + ("Person" if kind == "person" else "Organization")))
            t(iri, RDFS + "label", _s(label))
            t(iri, SKOS + "altLabel", _lang(label.split()[-1], lang))
            if qid:
                t(iri, OWL + "sameAs", _i(WD + qid))
            mention(iri)
            if iri not in gaz_seen:
                gaz_seen.add(iri)
                t(iri, A, _i(SEM + "Actor"), gaz)
                t(iri, RDFS + "label", _s(label), gaz)
                if qid:
                    t(iri, OWL + "sameAs", _i(WD + qid), gaz)
            return iri

        def place(p: tuple, is_country: bool) -> str:  # type: ignore[type-arg]
            if is_country:
                iri, label, qid, lat, lon = p
                types = [SEM + "Place", SEM + "Actor", SCHEMA + "Country"]
                inside = None
            else:
                iri, label, inside, lat, lon, gn = p
                types = [SEM + "Place", SCHEMA + "City", SCHEMA + "Place"]
                qid = None
            for ty in types:
                t(iri, A, _i(ty))
            t(iri, RDFS + "label", _s(label))
            t(iri, GEO + "lat", _typed(lat, "decimal"))
            t(iri, GEO + "long", _typed(lon, "decimal"))
            if qid:
                t(iri, OWL + "sameAs", _i(WD + qid))
            if inside:
                t(iri, SCHEMA + "containedInPlace", _i(inside))
                t(iri, OWL + "sameAs", _i(f"https://sws.geonames.org/{gn}/"))
            mention(iri)
            if iri not in gaz_seen:
                gaz_seen.add(iri)
                for ty in types:
                    t(iri, A, _i(ty), gaz)
                t(iri, RDFS + "label", _s(label), gaz)
                if inside:
                    t(iri, SCHEMA + "containedInPlace", _i(inside), gaz)
            return iri

        events: list[str] = []
        for k in range(2 + rng.randrange(5)):
            e = f"{art}/event/{k}"
            etype = rng.choice(EVENT_TYPES)
            if rng.random() < 0.5:
                where = place(w.pick(w.cities), False)
                where_label = "a city"
            else:
                where = place(w.pick(w.countries), True)
                where_label = "a country"
            t(e, A, _i(SEM + "Event"))
            t(e, RDFS + "label", _lang(f"{etype.replace('-', ' ')} in {where_label}", "en"))
            t(e, SEM + "eventType", _i(CKGT + etype))
            t(e, CKG + "status", _i(CKG + rng.choice(STATUSES)))
            t(e, SEM + "hasPlace", _i(where))
            precision = rng.choice(PRECISIONS)
            d0 = f"{year}-{month:02d}-{max(1, day - rng.randrange(5)):02d}"
            if precision == "day":
                t(e, SEM + "hasTimeStamp", _typed(d0, "date"))
            else:
                t(e, SEM + "hasEarliestBeginTimeStamp", _typed(d0, "date"))
                t(e, SEM + "hasLatestEndTimeStamp", _typed(f"{year}-{month:02d}-{day:02d}", "date"))
            t(e, CKG + "timePrecision", _i(CKG + precision))
            mention(e)
            for r in range(1 + rng.randrange(3)):
                who = actor(w.pick(w.actors))
                role = f"{e}/role/{r}"
                t(e, SEM + "hasActor", _i(who))
                t(e, CKG + "hasRole", _i(role))
                t(role, A, _i(SEM + "Role"))
                t(role, RDF + "value", _i(who))
                t(role, SEM + "roleType", _i(CKG + (ROLES[r] if r < 2 else rng.choice(ROLES))))
            if rng.random() < 0.35:
                q = f"{e}/count/0"
                t(e, CKG + "reportedCount", _i(q))
                t(q, A, _i(SCHEMA + "QuantitativeValue"))
                t(q, CKG + "countKind", _i(CKG + rng.choice(COUNT_KINDS)))
                value = rng.randrange(1, 500)
                qual = rng.choice(QUALIFIERS)
                t(q, SCHEMA + ("value" if qual == "exact" else "minValue" if qual in ("moreThan", "atLeast")
                               else "maxValue"), _typed(value, "integer"))
                t(q, CKG + "countQualifier", _i(CKG + qual))
                t(q, CKG + "countOf", _i(CKG + rng.choice(COUNT_OF)))
                mention(q)
            if events and rng.random() < 0.1:
                t(e, SEM + "subEventOf", _i(events[0]))
            events.append(e)
        for k in range(rng.randrange(3)):
            c = f"{art}/claim/{k}"
            speaker = actor(w.pick(w.actors))
            t(c, A, _i(SCHEMA + "Claim"))
            t(c, SCHEMA + "author", _i(speaker))
            t(c, SCHEMA + "appearance", _i(art))
            t(c, SCHEMA + "about", _i(rng.choice(events)))
            t(c, SCHEMA + "text", _lang(" ".join(rng.choice(WORDS) for _ in range(12)), lang))
            if rng.random() < 0.3:
                t(c, CKG + "claimsEventType", _i(CKGT + rng.choice(["accusation", "coup-attempt", "threat"])))
            mention(c)
        written += len(out)
        yield from out


# --- term conversion --------------------------------------------------------------------------------

class _OxTerms:
    def __init__(self) -> None:
        self.cache: dict[Term, object] = {}

    def __call__(self, t: Term):  # type: ignore[no-untyped-def]
        v = self.cache.get(t)
        if v is None:
            if t[0] == "i":
                v = ox.NamedNode(t[1])
            elif t[3]:
                v = ox.Literal(t[1], language=t[3])
            elif t[2]:
                v = ox.Literal(t[1], datatype=ox.NamedNode(t[2]))
            else:
                v = ox.Literal(t[1])
            if t[0] == "i" or len(self.cache) < 2_000_000:
                self.cache[t] = v
        return v


def ox_quads(quads: list[QuadT]) -> Iterator[ox.Quad]:
    conv = _OxTerms()
    for s, p, o, g in quads:
        yield ox.Quad(conv(s), conv(p), conv(o), conv(g))


def rdflib_dataset(quads: list[QuadT], ontology: list[ox.Quad]):  # type: ignore[no-untyped-def]
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    cache: dict[Term, object] = {}

    def conv(t: Term):  # type: ignore[no-untyped-def]
        v = cache.get(t)
        if v is None:
            if t[0] == "i":
                v = rdflib.URIRef(t[1])
            elif t[3]:
                v = rdflib.Literal(t[1], lang=t[3])
            elif t[2]:
                v = rdflib.Literal(t[1], datatype=rdflib.URIRef(t[2]))
            else:
                v = rdflib.Literal(t[1])
            cache[t] = v
        return v

    graphs: dict[str, object] = {}

    def graph(iri: str):  # type: ignore[no-untyped-def]
        gr = graphs.get(iri)
        if gr is None:
            gr = graphs[iri] = ds.graph(rdflib.URIRef(iri))
        return gr

    ds.addN((conv(s), conv(p), conv(o), graph(g[1])) for s, p, o, g in quads)

    def from_ox(term):  # type: ignore[no-untyped-def]
        if isinstance(term, ox.NamedNode):
            return ("i", term.value)
        if isinstance(term, ox.Literal):
            return ("l", term.value, "" if term.language or term.datatype.value == XSD + "string"
                    else term.datatype.value, term.language or "")
        return None

    onto = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), q.graph_name.value) for q in ontology]
    ds.addN((conv(s), conv(p), conv(o), graph(g)) for s, p, o, g in onto if s and o)
    return ds


# --- timing -------------------------------------------------------------------------------------------

def _time_ox(store: ox.Store, text: str, reps: int, budget: float = 3.0) -> tuple[float, int]:
    """Median of up to ``reps`` runs (fewer once ``budget`` seconds are spent), results fully read."""
    times = []
    rows = 0
    for _ in range(reps):
        t0 = time.perf_counter()
        out = store.query(text, use_default_graph_as_union=True)
        rows = len(list(out)) if not isinstance(out, (bool, ox.QueryBoolean)) else 1  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
        if sum(times) > budget:
            break
    return statistics.median(times), rows


_DS = None  # the baseline dataset, shared with forked children


def _baseline_child(text: str, reps: int, conn) -> None:  # type: ignore[no-untyped-def]
    times = []
    rows = 0
    try:
        for _ in range(reps):
            t0 = time.perf_counter()
            rows = len(list(_DS.query(text)))  # type: ignore[union-attr]
            times.append(time.perf_counter() - t0)
            if sum(times) > 3:
                break
        conn.send((statistics.median(times), rows))
    except Exception as exc:  # noqa: BLE001 - rdflib failing on a query is a result too
        conn.send((None, f"{type(exc).__name__}: {exc}"))
    conn.close()


def _time_baseline(text: str, reps: int, timeout: float) -> tuple[float | None, int | str | None]:
    """Run one query on the rdflib dataset in a forked child, cut off after ``timeout`` seconds."""
    ctx = mp.get_context("fork")  # the child inherits the loaded dataset without copying it
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_baseline_child, args=(text, reps, child))
    proc.start()
    child.close()
    if parent.poll(timeout):
        try:
            seconds, rows = parent.recv()
        except EOFError:
            seconds, rows = None, None
    else:
        seconds, rows = None, None
    proc.kill()
    proc.join()
    return seconds, rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph_exe() -> str | None:
    near = Path(sys.executable).with_name("oxigraph")
    return str(near) if near.exists() else shutil.which("oxigraph")


def bench_push(store: kg.Store, work: Path, *, on_disk: bool = False) -> dict[str, object]:
    """Push the store to a fresh local ``oxigraph serve``; triples per second, then a re-push.

    In memory by default (``oxigraph serve`` without ``--location``); ``on_disk`` gives the
    server a RocksDB folder, where its own transactional writes bound the rate.
    """
    from kg import remote

    exe = _oxigraph_exe()
    if exe is None:
        return {"skipped": "no oxigraph executable"}
    port = _free_port()
    args = [exe, "serve", "--bind", f"127.0.0.1:{port}"]
    if on_disk:
        args += ["--location", str(work / "remote")]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
        remote.wait_for_endpoint(url, timeout=20)
        state = work / f"push-state-{'disk' if on_disk else 'memory'}.json"
        t0 = time.perf_counter()
        report = remote.push(store, url, state_path=state)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = remote.push(store, url, state_path=state)
        second = time.perf_counter() - t0
        return {"server": "on disk" if on_disk else "in memory", "graphs": report.graphs_pushed,
                "triples": report.triples, "seconds": round(first, 2),
                "triples_per_second": round(report.triples / first), "method": report.method,
                "repush_seconds": round(second, 2), "repush_skipped": again.graphs_skipped}
    finally:
        proc.terminate()
        proc.wait(10)


def bound_params(q: Any) -> dict[str, str]:
    """Values for a query's parameters, as an analyst would look something up in the synthetic corpus."""
    actor = f"<{BASE}person/actor-10>"
    event = f"<{BASE}article/{5:016x}/event/0>"
    per_name = {
        "type": "ckgt:riot", "actor": actor, "accuser": actor, "accused": actor, "speaker": actor, "about": event,
        "place": f"<{BASE}country/AF>", "country": f"<{BASE}country/AF>", "since": "2020-03-01",
        "until": "2020-03-31", "status": "ckg:occurred", "name": "Actor 10", "minEvents": "2", "language": "id",
        "event": event, "node": event, "article": f"<{BASE}article/{5:016x}>", "graph": f"<{BASE}article/{5:016x}>",
        "publisher": f"<{BASE}publisher/outlet-3>", "system": "CAMEO", "class": "schema:Person",
    }
    out = {}
    for name, p in q.params.items():
        if name == "kind":
            out[name] = "ckg:killed" if "count" in q.name else "schema:Person"
        elif name in per_name:
            out[name] = per_name[name]
        elif p.type == "date":
            out[name] = "2020-03-01"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reps", type=int, default=5, help="runs per query on the embedded store (median; "
                    "fewer once a query has taken 3 s)")
    ap.add_argument("--baseline-timeout", type=float, default=15.0,
                    help="seconds before a baseline (rdflib) query is cut off (default 15)")
    ap.add_argument("--no-baseline", action="store_true", help="skip rdflib")
    ap.add_argument("--no-bound", action="store_true",
                    help="skip the second pass with parameters bound (embedded store only)")
    ap.add_argument("--disk", action="store_true",
                    help="also time the queries on the on-disk kg store (slow: some take minutes at 1M triples)")
    ap.add_argument("--no-push", action="store_true", help="skip the push to a local oxigraph server")
    ap.add_argument("--push-disk", action="store_true",
                    help="also push to an on-disk oxigraph server (slower: ~15-18k triples/s measured on 2 cores)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    t_start = time.perf_counter()

    t0 = time.perf_counter()
    quads = list(synthetic_quads(a.triples, a.seed))
    print(f"generated {len(quads):,} quads in {time.perf_counter() - t0:.1f} s", flush=True)
    # Federated queries call out to other endpoints (SERVICE): not a measure of this store.
    queries = {n: q for n, q in library().items()
               if not n.startswith("federated/") and not re.search(r"\bSERVICE\b", q.text, re.IGNORECASE)}

    work = Path(tempfile.mkdtemp(prefix="kg-bench-query-"))
    results: dict[str, dict[str, object]] = {name: {} for name in queries}
    figures: dict[str, object] = {"triples_requested": a.triples, "quads_generated": len(quads), "seed": a.seed}
    try:
        # The embedded store in memory (like for like with rdflib's in-memory Dataset) ...
        t0 = time.perf_counter()
        mem = ox.Store()
        mem.extend(ox_quads(quads))
        # ... and the project's own on-disk store, which loads the ontology graph itself.
        store = kg.Store(work / "kg-store")
        ontology = list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(f"{BASE}graph/ontology")))
        mem.extend(ontology)
        figures["load_oxigraph_memory_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        store.oxigraph.bulk_extend(ox_quads(quads))
        store.oxigraph.flush()
        figures["load_oxigraph_disk_s"] = round(time.perf_counter() - t0, 2)
        figures["quads"] = len(store)
        figures["graphs"] = sum(1 for _ in store.oxigraph.named_graphs())
        print(f"embedded stores: {len(store):,} quads in {figures['graphs']:,} graphs; loaded in memory in "
              f"{figures['load_oxigraph_memory_s']} s, on disk in {figures['load_oxigraph_disk_s']} s", flush=True)

        for name, q in queries.items():
            seconds, rows = _time_ox(mem, q.text, a.reps)
            results[name].update(ox_ms=round(seconds * 1000, 1), ox_rows=rows)
            line = f"  oxigraph {name:40s} {seconds * 1000:9.1f} ms in memory"
            if not a.no_bound:
                params = bound_params(q)
                subs = bind(q, params)
                t0 = time.perf_counter()
                bound_times = []
                for _ in range(a.reps):
                    t1 = time.perf_counter()
                    n = len(list(mem.query(q.text, use_default_graph_as_union=True, substitutions=subs)))  # type: ignore[arg-type]
                    bound_times.append(time.perf_counter() - t1)
                    if time.perf_counter() - t0 > 3:
                        break
                results[name].update(ox_bound_ms=round(statistics.median(bound_times) * 1000, 1), ox_bound_rows=n,
                                     bound=params)
                line += f", {statistics.median(bound_times) * 1000:9.1f} ms bound ({n} rows)"
            if a.disk:
                disk_s, _ = _time_ox(store.oxigraph, q.text, a.reps)
                results[name].update(ox_disk_ms=round(disk_s * 1000, 1))
                line += f", {disk_s * 1000:9.1f} ms on disk"
            print(line + f", {rows} rows", flush=True)
        del mem
        gc.collect()

        if not a.no_push:
            figures["push"] = bench_push(store, work)
            print(f"push: {figures['push']}", flush=True)
            if a.push_disk:
                figures["push_disk"] = bench_push(store, work, on_disk=True)
                print(f"push (on-disk server): {figures['push_disk']}", flush=True)
        store.close()
        del store
        gc.collect()

        if not a.no_baseline:
            global _DS
            t0 = time.perf_counter()
            _DS = rdflib_dataset(quads, ontology)
            figures["load_rdflib_s"] = round(time.perf_counter() - t0, 2)
            print(f"rdflib dataset built in {figures['load_rdflib_s']} s", flush=True)
            del quads
            gc.collect()
            gc.freeze()  # keeps the forked children from touching (and copying) every object's page
            for name, q in queries.items():
                seconds, rows = _time_baseline(q.text, 3, a.baseline_timeout)
                if seconds is None and isinstance(rows, str):
                    results[name].update(rdflib_ms=None, rdflib_error=rows)
                    print(f"  rdflib   {name:40s}   failed: {rows[:80]}", flush=True)
                elif seconds is None:
                    results[name].update(rdflib_ms=None, rdflib_rows=None)
                    print(f"  rdflib   {name:40s}   > {a.baseline_timeout:.0f} s (cut off)", flush=True)
                else:
                    results[name].update(rdflib_ms=round(seconds * 1000, 1), rdflib_rows=rows)
                    print(f"  rdflib   {name:40s} {seconds * 1000:9.1f} ms  {rows} rows", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # The table: a cut-off baseline gives a lower bound on the ratio (">="), a failing one none.
    print()
    print(f"{'query':42s} {'ox ms':>9s} {'rdflib ms':>10s} {'ratio':>8s} {'ox bound':>9s}"
          f"{' ox disk' if a.disk else ''}  rows (ox/rdflib)")
    ratios: list[float] = []
    lower_bounds = 0
    for name, r in results.items():
        ox_ms = float(r["ox_ms"])  # type: ignore[arg-type]
        base = r.get("rdflib_ms")
        if "rdflib_ms" not in r:
            ratio_s, base_s = "-", "-"
        elif r.get("rdflib_error"):
            ratio_s, base_s = "n/a", "error"
        elif base is None:
            bound = a.baseline_timeout * 1000 / max(ox_ms, 0.01)
            ratio_s, base_s = f">={bound:.0f}x", f">{a.baseline_timeout * 1000:.0f}"
            ratios.append(bound)
            lower_bounds += 1
        else:
            ratio = float(base) / max(ox_ms, 0.01)  # type: ignore[arg-type]
            ratio_s, base_s = f"{ratio:.1f}x", f"{base:.1f}"
            ratios.append(ratio)
        r["ratio"] = ratio_s
        bound_s = f"{float(r['ox_bound_ms']):9.1f}" if "ox_bound_ms" in r else f"{'-':>9s}"  # type: ignore[arg-type]
        disk_s = f" {float(r['ox_disk_ms']):8.1f}" if "ox_disk_ms" in r else ""  # type: ignore[arg-type]
        print(f"{name:42s} {ox_ms:9.1f} {base_s:>10s} {ratio_s:>8s} {bound_s}{disk_s}  "
              f"{r['ox_rows']}/{r.get('rdflib_rows', '-')}")
    med = statistics.median(float(r["ox_ms"]) for r in results.values())  # type: ignore[arg-type]
    figures["median_ox_ms"] = round(med, 1)
    print(f"\nmedian over {len(results)} queries, embedded pyoxigraph in memory: {med:.1f} ms")
    if not a.no_bound:
        med_b = statistics.median(float(r["ox_bound_ms"]) for r in results.values())  # type: ignore[arg-type]
        figures["median_ox_bound_ms"] = round(med_b, 1)
        print(f"median with parameters bound: {med_b:.1f} ms")
    if a.disk:
        med_d = statistics.median(float(r["ox_disk_ms"]) for r in results.values())  # type: ignore[arg-type]
        figures["median_ox_disk_ms"] = round(med_d, 1)
        print(f"median on the on-disk store: {med_d:.1f} ms")
    if ratios:
        failed = sum(1 for r in results.values() if r.get("rdflib_error"))
        figures["median_ratio"] = round(statistics.median(ratios), 1)
        figures["ratio_lower_bounds"] = lower_bounds
        figures["baseline_failures"] = failed
        print(f"median ratio rdflib/pyoxigraph over {len(ratios)} queries: {statistics.median(ratios):.1f}x"
              + (f" ({lower_bounds} of them lower bounds: baseline cut off)" if lower_bounds else "")
              + (f"; rdflib failed on {failed} (no ratio)" if failed else ""))
    figures["queries"] = results
    figures["total_s"] = round(time.perf_counter() - t_start, 1)
    print(f"total {figures['total_s']} s")
    if a.json:
        a.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
