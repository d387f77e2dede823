"""Ingest benchmark: articles per second and peak memory, Oxigraph on disk against an rdflib baseline.

    python bench/ingest.py [--sizes 1000 10000] [--workers 1]

Each run is its own process, so its peak resident memory is its own. In the same
run, the same extracted quads are also written into rdflib's in-memory Dataset
(the baseline store), and extraction alone and extraction with the mapping to quads
are timed, so the shares of the extractor, the mapping and the store show.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

CHILD = r"""
import json, resource, sys, time
mode, corpus, store, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
import kg
from kg.extract import extract
from kg.rdf import to_quads
from kg.read import read
from kg.resolve.gazetteer import load_gazetteer
load_gazetteer()  # a one-off build per process, not per article
from kg.model import Article
for lang, text in (("en", "Police arrested 12 protesters in Dhaka on Monday."),
                   ("id", "Polisi menangkap 12 demonstran di Jakarta pada Senin.")):
    extract(Article(key="warm-" + lang, text=text, source="warm-up", language=lang))  # lexicons, model, lemmas
t = time.perf_counter()
n = 0
if mode == "oxigraph":
    report = kg.ingest([corpus], store, workers=workers)
    n = report.articles
elif mode == "rdflib":
    import rdflib
    ds = rdflib.Dataset()
    for a in read([corpus]):
        m = to_quads(extract(a), "https://w3id.org/conflict-kg/id/")
        g = ds.graph(rdflib.URIRef(m.article_iri))
        for q in m.article:
            o = q.object
            obj = (rdflib.URIRef(o.value) if o.__class__.__name__ == "NamedNode"
                   else rdflib.Literal(o.value, lang=o.language, datatype=None if o.language else rdflib.URIRef(o.datatype.value)))
            g.add((rdflib.URIRef(q.subject.value), rdflib.URIRef(q.predicate.value), obj))
        n += 1
elif mode == "quads":
    for a in read([corpus]):
        to_quads(extract(a), "https://w3id.org/conflict-kg/id/")
        n += 1
else:
    for a in read([corpus]):
        extract(a)
        n += 1
elapsed = time.perf_counter() - t
print(json.dumps({"articles": n, "seconds": elapsed,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, corpus: Path, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(corpus), str(Path(tmp) / "store"), str(workers)],
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-baseline", action="store_true", help="skip the rdflib baseline (slow at 10,000)")
    args = ap.parse_args()
    print(f"{'articles':>8}  {'mode':<24} {'seconds':>8} {'art/s':>8} {'peak MB':>8} {'vs rdflib':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = write_corpus(Path(tmp) / f"corpus-{size}.jsonl", size)
            kb = corpus.stat().st_size / size / 1024
            results = {"extract (recogniser on)": run("extract", corpus, 1),
                       "extract + map to quads": run("quads", corpus, 1),
                       f"oxigraph, {args.workers} worker(s)": run("oxigraph", corpus, args.workers)}
            if not args.no_baseline:
                results["rdflib memory (baseline)"] = run("rdflib", corpus, 1)
            base = results.get("rdflib memory (baseline)")
            for mode, r in results.items():
                rate = r["articles"] / r["seconds"]
                ratio = f"{rate / (base['articles'] / base['seconds']):.2f}x" if base else "-"
                print(f"{size:>8}  {mode:<24} {r['seconds']:>8.1f} {rate:>8.1f} {r['peak_mb']:>8.0f} {ratio:>9}")
            print(f"          (articles average {kb:.1f} KB)")


if __name__ == "__main__":
    main()
