"""Benchmark the analyst pages: generation time, file size, and time until the page is ready in Chromium.

    python bench/viz.py                      # 200, 2,000 and 20,000-node graphs, default cap, plus uncapped
    python bench/viz.py --sizes 200 2000 --no-uncapped --no-browser

Each graph is a synthetic store in the project's graph model (articles, mentions and
sentences, events with roles, places and dates, claims), so the timing covers the whole
path: SPARQL reads, centrality, layout, sentences, HTML. Actors and places are drawn
with Zipf-like popularity, as in news, so there are hubs. The browser is Debian's
Chromium (/usr/bin/chromium) driven by Playwright; "ready" is the page's first drawing
after load (it runs no physics), measured from navigation start.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

import kg
from kg.draw import DEFAULT_MAX_NODES, render
from kg.namespaces import PREFIXES

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
TYPES = ["protest", "riot", "armed-clash", "air-strike", "arrest", "meeting", "statement", "accusation",
         "military-deployment", "ceasefire", "explosion", "crackdown"]
ROLES = ["agent", "target", "participant", "victim"]


def _n(ns: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[ns] + local)


def synthetic_store(n_nodes: int, path: Path, seed: int = 1) -> kg.Store:
    """A store of about ``n_nodes`` graph nodes: 30% actors, 10% places, 45% events, 15% claims."""
    rnd = random.Random(seed)
    base = "https://w3id.org/conflict-kg/id/"
    n_act, n_pl = max(3, n_nodes * 30 // 100), max(2, n_nodes * 10 // 100)
    n_ev, n_cl = max(2, n_nodes * 45 // 100), max(1, n_nodes * 15 // 100)
    act_w = [1 / (i + 1) ** 0.8 for i in range(n_act)]
    pl_w = [1 / (i + 1) for i in range(n_pl)]
    a, lit = _n("rdf", "type"), ox.Literal
    kinds = ("Person", "Organization", "Country")
    quads: list[ox.Quad] = []
    per_article = 20

    def article(i: int) -> ox.NamedNode:
        return ox.NamedNode(f"{base}article/{i // per_article:016x}")

    def mention(node: ox.NamedNode, g: ox.NamedNode, k: int, words: str) -> None:
        sent = ox.NamedNode(f"{g.value}#sentence={k * 100},{k * 100 + 60}")
        m = ox.NamedNode(f"{g.value}#char={k * 100 + 18},{k * 100 + 18 + len(words)}")
        text = f"Reports said that {words} was seen there on the day, witnesses told reporters."
        triples: list[tuple[Any, Any, Any]] = [
            (node, _n("gaf", "denotedBy"), m), (m, a, _n("nif", "Phrase")), (m, _n("nif", "referenceContext"), g),
            (m, _n("nif", "beginIndex"), lit(str(k * 100 + 18), datatype=_n("xsd", "integer"))),
            (m, _n("nif", "anchorOf"), lit(words)), (m, _n("nif", "sentence"), sent),
            (sent, a, _n("nif", "Sentence")), (sent, _n("nif", "anchorOf"), lit(text)),
            (sent, _n("nif", "beginIndex"), lit(str(k * 100), datatype=_n("xsd", "integer")))]
        quads.extend(ox.Quad(s, p, o, g) for s, p, o in triples)

    def entity(node: ox.NamedNode, g: ox.NamedNode, label: str, types: list[str], k: int) -> None:
        quads.extend(ox.Quad(node, a, _n(*t.split(":")), g) for t in types)
        quads.append(ox.Quad(node, _n("rdfs", "label"), lit(label), g))
        mention(node, g, k, label)

    for i in range((n_ev + per_article - 1) // per_article):
        g = article(i * per_article)
        quads += [ox.Quad(g, a, _n("schema", "NewsArticle"), g),
                  ox.Quad(g, _n("schema", "headline"), lit(f"Synthetic report {i}"), g),
                  ox.Quad(g, _n("schema", "datePublished"),
                          lit(f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+00:00", datatype=_n("xsd", "dateTime")),
                          g)]
    for e in range(n_ev):
        g = article(e)
        ev = ox.NamedNode(f"{g.value}/event/{e}")
        typ = rnd.choice(TYPES)
        day = f"2023-{1 + e % 12:02d}-{1 + (e * 7) % 28:02d}"
        quads += [ox.Quad(ev, a, _n("sem", "Event"), g), ox.Quad(ev, _n("rdfs", "label"), lit(f"{typ} {e}"), g),
                  ox.Quad(ev, _n("sem", "eventType"), _n("ckgt", typ), g),
                  ox.Quad(ev, _n("ckg", "status"), _n("ckg", "occurred"), g),
                  ox.Quad(ev, _n("sem", "hasTimeStamp"), lit(day, datatype=_n("xsd", "date")), g)]
        mention(ev, g, 3 * (e % per_article), typ)
        for j, x in enumerate(sorted(set(rnd.choices(range(n_act), act_w, k=rnd.randint(1, 3))))):
            actor = ox.NamedNode(f"{base}person/actor-{x}")
            kind = kinds[x % 3]
            entity(actor, g, f"Actor {x}", ["sem:Actor", f"schema:{kind}"], 3 * (e % per_article) + 1)
            role = ox.NamedNode(f"{ev.value}/role/{j}")
            quads += [ox.Quad(ev, _n("sem", "hasActor"), actor, g), ox.Quad(ev, _n("ckg", "hasRole"), role, g),
                      ox.Quad(role, a, _n("sem", "Role"), g), ox.Quad(role, _n("rdf", "value"), actor, g),
                      ox.Quad(role, _n("sem", "roleType"), _n("ckg", ROLES[(x + j) % len(ROLES)]), g)]
        p = rnd.choices(range(n_pl), pl_w)[0]
        place = ox.NamedNode(f"{base}place/place-{p}")
        entity(place, g, f"Place {p}", ["sem:Place", "schema:Place"], 3 * (e % per_article) + 2)
        quads.append(ox.Quad(ev, _n("sem", "hasPlace"), place, g))
    for c in range(n_cl):
        e = rnd.randrange(n_ev)
        g = article(e)
        claim = ox.NamedNode(f"{g.value}/claim/{c}")
        author = ox.NamedNode(f"{base}person/actor-{rnd.choices(range(n_act), act_w)[0]}")
        quads += [ox.Quad(claim, a, _n("schema", "Claim"), g), ox.Quad(claim, _n("schema", "author"), author, g),
                  ox.Quad(author, a, _n("sem", "Actor"), g),
                  ox.Quad(claim, _n("schema", "about"), ox.NamedNode(f"{g.value}/event/{e}"), g),
                  ox.Quad(claim, _n("schema", "appearance"), g, g),
                  ox.Quad(claim, _n("schema", "text"), lit(f"claim number {c} about what happened", language="en"), g)]
        mention(claim, g, 3 * (e % per_article), f"claim number {c}")
    store = kg.open_store(path)
    store.oxigraph.bulk_extend(quads)
    store.oxigraph.flush()
    return store


def browser_ready(page_path: Path) -> float:
    """Seconds from navigation start to the page's first drawing, in a fresh headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS, headless=True,
                                                   viewport={"width": 1400, "height": 900})
        try:
            page = ctx.new_page()
            page.goto(page_path.resolve().as_uri(), timeout=600_000)
            page.wait_for_function("window.kg && window.kg.ready", timeout=600_000)
            return float(page.evaluate("window.kg.readyAt")) / 1000
        finally:
            ctx.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    ap.add_argument("--no-uncapped", action="store_true", help="skip the pages without the node cap")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium timing")
    ap.add_argument("--out", type=Path, default=None, help="keep the pages here (default: a temp folder)")
    a = ap.parse_args(argv)
    browser = not a.no_browser and Path(CHROMIUM).exists()
    if not a.no_browser and not browser:
        print(f"note: {CHROMIUM} not found, no browser timing", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = a.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for size in a.sizes:
            t = time.perf_counter()
            store = synthetic_store(size, Path(tmp) / f"store-{size}")
            built = time.perf_counter() - t
            caps = [DEFAULT_MAX_NODES] + ([] if a.no_uncapped or size <= DEFAULT_MAX_NODES else [None])
            for cap in caps:
                page = out / f"graph-{size}-{'all' if cap is None else cap}.html"
                rep = render(store, page, max_nodes=cap)
                ready = browser_ready(page) if browser else float("nan")
                rows.append((size, built, "none" if cap is None else f"{cap:,}", rep, ready))
                print(f"  {size:>6,} nodes, cap {rows[-1][2]}: {rep.summary()}, ready {ready:.2f} s", file=sys.stderr)
            store.close()
    head = ("generated", "graph nodes", "store build s", "cap", "page nodes", "page edges", "generate s", "layout s",
            "file MB", "Chromium ready s")
    table = [head] + [(f"{s:,}", f"{r.total_nodes:,}", f"{b:.1f}", c, f"{r.nodes:,}", f"{r.edges:,}",
                       f"{r.seconds:.2f}", f"{r.layout_seconds:.2f}", f"{r.bytes / 1e6:.2f}", f"{ready:.2f}")
                      for s, b, c, r, ready in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for k, row in enumerate(table):
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
