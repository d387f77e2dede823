"""The ``kg`` command: a thin layer over :mod:`kg.api`; nothing here that a notebook would need.

Exit codes: 0 success; 1 when some input failed, the data does not conform or a
query failed; 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import api
from .errors import KgError
from .export import FORMATS, SUFFIXES

__all__ = ["main", "build_parser"]


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise KgError(f"--param wants NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def _err(msg: str) -> None:
    print(f"kg: {msg}", file=sys.stderr)


def cmd_ingest(a: argparse.Namespace) -> int:
    progress = sys.stderr.isatty() and not a.quiet
    report = api.ingest(a.paths, a.store, workers=a.workers, extractor=a.extractor, stdin=sys.stdin.buffer,
                        progress=progress, on_error=lambda m: _err(f"skipped {m}"))
    print(report.summary())
    return 0 if report.ok else 1


def cmd_export(a: argparse.Namespace) -> int:
    if a.output in (None, "-"):
        n = api.export(a.store, a.format, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        n = api.export(a.store, a.format, a.output)
        unit = "rows" if a.format == "events-csv" else "statements"
        print(f"wrote {n} {unit} as {a.format} to {a.output}", file=sys.stderr)
    return 0


def cmd_query(a: argparse.Namespace) -> int:
    from .query import format_result, library

    if a.list:
        for name, q in library().items():
            params = " ".join(f"{p.name}:{p.type}" for p in q.params.values())
            print(f"{name:40} {q.title}" + (f"  [{params}]" if params else ""))
        return 0
    if not a.query and not a.sparql:
        raise KgError("give a query NAME, a FILE.rq, or --sparql TEXT (kg query --list shows the library)")
    if a.endpoint:
        from .remote import query_endpoint

        result = query_endpoint(a.endpoint, a.sparql or a.query, _params(a.param), text=bool(a.sparql),
                                timeout=a.timeout, user=a.user, password=a.password)
    else:
        result = api.query(a.store, a.sparql or a.query, _params(a.param), text=bool(a.sparql))
    print(format_result(result, a.format))
    return 0


def cmd_serve(a: argparse.Namespace) -> int:
    from .serve import serve

    serve(a.store, host=a.host, port=a.port, read_only=not a.allow_updates, timeout=a.timeout,
          max_results=a.max_results)
    return 0


def cmd_push(a: argparse.Namespace) -> int:
    import os

    from .remote import push

    report = push(a.store, a.endpoint, graph_store_url=a.graph_store, progress=sys.stderr.isatty(), user=a.user,
                  password=a.password or os.environ.get("KG_ENDPOINT_PASSWORD"), resume=not a.no_resume)
    print(report.summary())
    return 0


def cmd_gazetteer(a: argparse.Namespace) -> int:
    if not a.from_endpoint:
        import time

        from .resolve.gazetteer import build_gazetteer, load_gazetteer

        t = time.perf_counter()
        path = build_gazetteer(a.output)
        print(f"built {len(load_gazetteer().entries):,} entries in {time.perf_counter() - t:.1f} s: {path}")
        return 0
    from .remote import refresh_gazetteer

    report = refresh_gazetteer(a.from_endpoint, a.output or "curated.json")
    print(report.summary() if hasattr(report, "summary") else report)
    return 0


def cmd_stats(a: argparse.Namespace) -> int:
    for k, v in api.stats(a.store).items():
        print(f"{k:10} {v}")
    return 0


def cmd_validate(a: argparse.Namespace) -> int:
    from .validate import validate

    report = validate(a.file or a.store, limit=a.limit)
    print(report.format())
    return 0 if report.conforms else 1


def cmd_analyze(a: argparse.Namespace) -> int:
    from .analyse import analyse

    res = analyse(a.store, kind=a.kind, since=a.since, until=a.until, event_type=a.type)
    if a.output:
        print(f"wrote {res.write(a.output, a.format)}", file=sys.stderr)
    else:
        print(res.to_json() if a.format == "json" else res.to_csv(), end="")
    return 0


def cmd_viz(a: argparse.Namespace) -> int:
    from .draw import render  # imports pyvis and scipy: only when drawing

    report = render(a.store, a.output, focus=a.focus, depth=a.depth, since=a.since, until=a.until,
                    event_type=a.type, max_nodes=a.max_nodes)
    print(report.summary())
    return 0


def cmd_eval(a: argparse.Namespace) -> int:
    from .evaluate import evaluate

    report = evaluate(a.gold, a.extractor, include_test=a.include_test)
    print(report.to_json() if a.format == "json" else report.format(misses=not a.no_misses), end="")
    return 0 if report.ok else 1


def _ner_data(a: argparse.Namespace) -> str:
    from pathlib import Path

    if a.data:
        return a.data
    if a.language == "en":
        return str(Path(__file__).resolve().parent.parent / "tests" / "fixtures")
    return str(Path.cwd().parent / "shared" / "data" / "indonlu-ner")


def cmd_train_ner(a: argparse.Namespace) -> int:
    from .extract.ner import train

    print(train(a.language, a.output, _ner_data(a)).summary())
    return 0


def cmd_eval_ner(a: argparse.Namespace) -> int:
    import json

    from .extract.ner import evaluate_ner

    print(json.dumps(evaluate_ner(a.language, _ner_data(a)), indent=1))
    return 0


def cmd_eval_plover(a: argparse.Namespace) -> int:
    from .evaluate_plover import evaluate_plover

    print(evaluate_plover(a.path, a.extractor).format(misses=a.misses))
    return 0


def cmd_ontology_docs(a: argparse.Namespace) -> int:
    from .docs import build_ontology_docs

    print(f"wrote {build_ontology_docs(a.output)}")
    return 0


def cmd_demo(a: argparse.Namespace) -> int:
    from .query import format_result

    r = api.demo(a.out, workers=a.workers)
    print(r.ingest.summary())
    for fmt, path in r.files.items():
        print(f"wrote {fmt}: {path}")
    print("store:", ", ".join(f"{k} {v}" for k, v in r.stats.items()))
    print("\nFigures reported per event, with who gives them (queries/reported-counts.rq):")
    sample = r.sample
    # "source" tells the article's own figure from the same figure in a speaker's claim
    keep = [k for k, v in enumerate(sample.variables) if v in ("eventLabel", "countKind", "counted", "value",
                                                               "minValue", "maxValue", "qualifier", "source",
                                                               "speaker")]
    sample.variables = [sample.variables[k] for k in keep]
    sample.rows = [[row[k] for k in keep] for row in sample.rows[:12]]
    print(format_result(sample))
    return 0 if r.ingest.ok else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Turn news articles about conflict into an RDF knowledge graph.")
    p.add_argument("--version", action="version", version=f"kg {__import__('kg').__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def store_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--store", metavar="DIR", help="store folder (default: $KG_STORE or ./kg-store)")

    def window_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--since", metavar="DATE", help="only events on or after this day")
        sp.add_argument("--until", metavar="DATE", help="only events on or before this day")
        sp.add_argument("--type", metavar="EVENT_TYPE", help="only events of this type (slug or IRI)")

    s = sub.add_parser("ingest", help="read articles into the store", description=
                       "Read articles (text, HTML, JSON Lines; folders recursively; '-' is JSON Lines on stdin), "
                       "extract what they say and store one graph per article.")
    s.add_argument("paths", nargs="+", metavar="PATH")
    store_arg(s)
    s.add_argument("--workers", type=int, default=1, metavar="N", help="extraction processes (default 1)")
    s.add_argument("--extractor", default="rules", help="extractor plugin (default: rules)")
    s.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("export", help="write the store as RDF", description=
                       "Write the store: trig and nquads keep one graph per article; turtle, ntriples and jsonld "
                       "write their union.")
    store_arg(s)
    s.add_argument("--format", required=True, choices=FORMATS)
    s.add_argument("-o", "--output", metavar="FILE", help=f"file to write (default: stdout); suffixes {SUFFIXES}")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("query", help="run a library query, a .rq file or SPARQL text", description=
                       "Run SPARQL over the union of all graphs. Parameters are bound as RDF terms.")
    s.add_argument("query", nargs="?", metavar="NAME|FILE.rq")
    s.add_argument("--sparql", metavar="TEXT", help="SPARQL text instead of a NAME or file")
    store_arg(s)
    s.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a parameter (IRIs as <…> or prefix:name)")
    s.add_argument("--format", default="table", choices=("table", "csv", "tsv", "json"))
    s.add_argument("--list", action="store_true", help="list the query library")
    s.add_argument("--endpoint", metavar="URL", help="run against a remote SPARQL endpoint instead")
    s.add_argument("--timeout", type=float, default=60.0, help="remote timeout in seconds")
    s.add_argument("--user", help="HTTP user for the endpoint")
    s.add_argument("--password", help="HTTP password for the endpoint")
    s.set_defaults(func=cmd_query)

    s = sub.add_parser("serve", help="a read-only SPARQL 1.1 endpoint over the store", description=
                       "SPARQL 1.1 Protocol over the store (GET and POST; JSON, XML, CSV, TSV results; Turtle, TriG, "
                       "N-Triples, JSON-LD graphs by content negotiation), a page to type queries into at /, and "
                       "the graph page at /viz. Loopback and read-only unless told otherwise.")
    store_arg(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7878)
    s.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run")
    s.add_argument("--max-results", type=int, default=10000, metavar="N", help="rows (or triples) an answer holds")
    s.add_argument("--allow-updates", action="store_true", help="accept SPARQL updates (off by default)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("push", help="copy the store into a remote triple store", description=
                       "Copy every graph into a remote store by the SPARQL 1.1 Graph Store Protocol (a re-push "
                       "replaces), resumable after a failure, and check the remote triple counts.")
    s.add_argument("--endpoint", required=True, metavar="URL", help="the SPARQL query endpoint")
    s.add_argument("--graph-store", metavar="URL", help="the Graph Store endpoint (guessed from --endpoint)")
    store_arg(s)
    s.add_argument("--user")
    s.add_argument("--password", help="or $KG_ENDPOINT_PASSWORD")
    s.add_argument("--no-resume", action="store_true", help="push every graph again")
    s.set_defaults(func=cmd_push)

    s = sub.add_parser("gazetteer", help="build the gazetteer cache, or refresh curated entries from Wikidata",
                       description="Without --from-endpoint: build the gazetteer from CLDR, pycountry, GeoNames and "
                       "the curated files, and write it where every later run reads it (default: the cache "
                       "directory, $KG_CACHE_DIR or ~/.cache/conflict-kg). With --from-endpoint: query a "
                       "Wikidata-shaped SPARQL endpoint for heads of state and government with their terms, and "
                       "write them in the shape of kg/resolve/data/curated.json.")
    s.add_argument("--from-endpoint", metavar="URL")
    s.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="where to write (default: the cache file, or curated.json with --from-endpoint)")
    s.set_defaults(func=cmd_gazetteer)

    s = sub.add_parser("stats", help="count what the store holds")
    store_arg(s)
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("validate", help="check the graph against the SHACL shapes", description=
                       "Validate each article graph and the gazetteer graph on its own against ontology/shapes.ttl "
                       "with pySHACL; exit 1 when anything does not conform.")
    s.add_argument("file", nargs="?", metavar="FILE", help="an RDF file (TriG/N-Quads keep graphs apart) instead")
    store_arg(s)
    s.add_argument("--limit", type=int, metavar="N", help="validate only the first N article graphs")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("analyze", help="network measures over actors, events, claims and places", description=
                       "Project the graph onto networkx (actor-event, actor-actor co-participation, claims: who "
                       "accuses or speaks about whom, place-event) or count events per day by type (timeline); "
                       "degree, weighted degree, betweenness, PageRank and Louvain communities per node.")
    store_arg(s)
    s.add_argument("--kind", default="actor-actor",
                   choices=("actor-event", "actor-actor", "claims", "place-event", "timeline"))
    window_args(s)
    s.add_argument("--format", default="csv", choices=("csv", "json"))
    s.add_argument("-o", "--output", metavar="FILE")
    s.set_defaults(func=cmd_analyze)

    s = sub.add_parser("viz", help="an interactive graph page that works offline", description=
                       "Write a self-contained HTML page (pyvis, every script inlined, article text escaped) of the "
                       "graph or the part around --focus; above --max-nodes it keeps the most central part and "
                       "says on the page what it left out.")
    store_arg(s)
    s.add_argument("-o", "--output", required=True, metavar="FILE.html")
    s.add_argument("--focus", metavar="IRI_OR_NAME")
    s.add_argument("--depth", type=int, default=1, metavar="N")
    window_args(s)
    s.add_argument("--max-nodes", type=int, default=1500, metavar="N", help="0 keeps every node")
    s.set_defaults(func=cmd_viz)

    s = sub.add_parser("eval", help="score the extractor against gold annotations", description=
                       "Precision, recall and F1 for actors, places, events (type + place + time), counts, claims "
                       "and identity links, overall, per language and per split, with the misses listed. Files of "
                       "the held-out test split are skipped unless --include-test is given.")
    s.add_argument("gold", nargs="+", metavar="GOLD", help="gold .json files or folders (e.g. gold/dev gold/seed.json)")
    s.add_argument("--extractor", default="rules")
    s.add_argument("--format", default="text", choices=("text", "json"))
    s.add_argument("--no-misses", action="store_true", help="scores only, without the list of misses")
    s.add_argument("--include-test", action="store_true", help="also score the held-out test split")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("train-ner", help="retrain the packaged name recogniser", description=
                       "Train the Indonesian CRF on the IndoNLU NER corpora (train splits) or rebuild the English "
                       "name lists, and write the model file the extractor loads.")
    s.add_argument("--language", default="id", choices=("id", "en"))
    s.add_argument("--data", metavar="DIR", help="corpus folder (default ../shared/data/indonlu-ner)")
    s.add_argument("-o", "--output", default="kg/extract/models/ner-id.crfsuite.gz", metavar="FILE")
    s.set_defaults(func=cmd_train_ner)

    s = sub.add_parser("eval-ner", help="entity-level F1 of the name recogniser", description=
                       "Precision, recall and F1 (exact span and type) on the validation splits.")
    s.add_argument("--language", default="id", choices=("id", "en"))
    s.add_argument("--data", metavar="DIR", help="corpus folder (default ../shared/data/indonlu-ner)")
    s.set_defaults(func=cmd_eval_ner)

    s = sub.add_parser("eval-plover", help="PLOVER category and country accuracy on PLOVER-coded sentences",
                       description="Read each JSON line's sentence, map the first event's type to PLOVER through "
                       "the ontology's crosswalk, and compare category, source and target country with the coding.")
    s.add_argument("path", metavar="FILE.jsonl", help="e.g. ../shared/data/plover-gsr/plover_gsr_dev.jsonl")
    s.add_argument("--extractor", default="rules")
    s.add_argument("--misses", action="store_true", help="list every record coded wrongly, with its sentence")
    s.set_defaults(func=cmd_eval_plover)

    s = sub.add_parser("ontology-docs", help="write HTML documentation of the ontology", description=
                       "Generate one self-contained HTML page from ontology/*.ttl: classes, properties, and every "
                       "concept scheme with its codes and crosswalk links.")
    s.add_argument("-o", "--output", default="docs/ontology-html", metavar="DIR")
    s.set_defaults(func=cmd_ontology_docs)

    s = sub.add_parser("demo", help="the main job on the bundled examples", description=
                       "Ingest the bundled example articles, export Turtle and TriG, print a summary and a query.")
    s.add_argument("--out", default="kg-demo", metavar="DIR", help="output folder (default ./kg-demo)")
    s.add_argument("--workers", type=int, default=1, metavar="N")
    s.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KgError as exc:
        _err(str(exc))
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
