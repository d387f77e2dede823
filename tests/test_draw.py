"""kg.draw: the analyst pages. File-level checks, then the pages in a real headless Chromium.

Browser tests use Debian's Chromium (/usr/bin/chromium) through Playwright and skip
only when that binary is absent. Screenshots go to $KG_ARTIFACTS (default: a temp dir).
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg
from kg.analyse import EventRecord, Node, Snapshot
from kg.draw import layout, render
from kg.errors import QueryError

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ID = "https://w3id.org/conflict-kg/id/"
TOKAYEV = f"{ID}person/kassym-jomart-tokayev"
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> kg.Store:
    path = tmp_path_factory.mktemp("examples") / "store"
    report = kg.ingest([examples_dir], path)
    # Extraction has its own tests; here enough articles must be in for the pages to mean something.
    assert sum(report.outcomes.values()) >= 10, report.failures
    return kg.open_store(path, read_only=True)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("KG_ARTIFACTS") or tmp_path_factory.mktemp("artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def page_data(html: str) -> dict[str, Any]:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag as the browser's tokenizer sees it (script bodies are text, not tags)."""
    found: list[tuple[str, dict[str, str | None]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


def synthetic(n_nodes: int, seed: int = 1) -> Snapshot:
    """A news-like graph without a store: Zipf-popular actors and places, 1-3 actors per event."""
    rnd = random.Random(seed)
    n_act, n_pl = n_nodes * 3 // 10, n_nodes // 10
    snap = Snapshot()
    for i in range(n_act):
        iri = f"{ID}person/a{i}"
        snap.actors[iri] = Node(iri, f"Actor {i}", ("person", "organisation", "state")[i % 3])
    for i in range(n_pl):
        iri = f"{ID}place/p{i}"
        snap.places[iri] = Node(iri, f"Place {i}", "place")
    actors, places = list(snap.actors), list(snap.places)
    wa = [1 / (i + 1) ** 0.8 for i in range(n_act)]
    wp = [1 / (i + 1) for i in range(n_pl)]
    for e in range(n_nodes - n_act - n_pl):
        iri = f"{ID}article/{e // 20:016x}/event/{e}"
        who = set(rnd.choices(actors, wa, k=rnd.randint(1, 3)))
        snap.events[iri] = EventRecord(iri, f"event {e}", type=rnd.choice(["riot", "protest", "air-strike"]),
                                       start=f"2023-{1 + e % 12:02d}-01", actors={a: {"agent"} for a in who},
                                       places=[rnd.choices(places, wp)[0]])
    return snap


# --- the file ---------------------------------------------------------------------------


def test_page_is_one_file_with_nothing_remote(examples: kg.Store, tmp_path: Path) -> None:
    rep = render(examples, tmp_path / "g.html")
    html = rep.path.read_text(encoding="utf-8")
    assert rep.nodes == rep.total_nodes > 50 and not rep.cropped and rep.bytes == len(html.encode())
    assert not re.search(r"<(script|link|img|iframe|object|embed|source)\b[^>]*\b(src|href)\s*=", html, re.I)
    assert "@import" not in html and not re.search(r"url\(\s*(?!['\"]?data:)", html)
    assert re.search(r"Content-Security-Policy\" content=\"default-src 'none'; script-src 'nonce-", html)
    nonce = re.search(r"'nonce-([^']+)'", html).group(1)  # type: ignore[union-attr]
    scripts = [attrs for tag, attrs in tags(html) if tag == "script"]
    assert scripts == [{"id": "kg-data", "type": "application/json"}, {"nonce": nonce}, {"nonce": nonce}]
    assert {tag for tag, _ in tags(html)} <= {"html", "head", "meta", "title", "style", "body", "main", "div", "aside",
                                              "header", "h1", "h2", "p", "section", "ul", "li", "span", "input",
                                              "button", "ol", "script"}


def test_article_text_never_becomes_markup(examples: kg.Store, tmp_path: Path) -> None:
    html = render(examples, tmp_path / "g.html").path.read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<img", "</script>\""):
        assert raw not in html
    data = page_data(html)
    headlines = {s["headline"] for d in data["details"].values() for s in d["sources"]}
    hostile = [h for h in headlines if "<script>alert(1)</script>" in h]
    assert hostile, "the script-injection article should be on the page, as text"
    assert all("\n" in n["title"] and "<" not in n["title"].split("\n")[1] for n in data["nodes"])


def test_nodes_styled_by_kind_sized_by_centrality(examples: kg.Store, tmp_path: Path) -> None:
    data = page_data(render(examples, tmp_path / "g.html").path.read_text(encoding="utf-8"))
    shapes = {n["kind"]: n["shape"] for n in data["nodes"]}
    assert shapes["person"] == "dot" and shapes["event"] == "hexagon" and shapes["claim"] == "star"
    assert shapes["state"] == "diamond" and shapes["place"] == "triangleDown"
    assert max(n["value"] for n in data["nodes"]) == 1.0
    assert {e["label"] for e in data["edges"]} >= {"place", "says", "about", "agent"}
    assert data["options"]["physics"]["enabled"] is False
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])


def test_panel_data_has_sentences_headlines_and_links(examples: kg.Store, tmp_path: Path) -> None:
    data = page_data(render(examples, tmp_path / "g.html").path.read_text(encoding="utf-8"))
    tok = data["details"][TOKAYEV]
    assert tok["label"] == "Kassym-Jomart Tokayev" and tok["kind"] == "person"
    assert ["Wikidata", "http://www.wikidata.org/entity/Q200881"] in tok["links"]
    assert tok["sources"] and all("Tokayev" in s["anchor"] and s["headline"] for s in tok["sources"])
    counts = dict(tok["counts"])
    assert counts["mentions"] >= len(tok["sources"]) and counts["events"] >= 1
    event = next(d for d in data["details"].values() if d["kind"] == "event" and d["sources"])
    assert dict(event["facts"])["type"] and event["sources"][0]["anchor"]


def test_focus_by_name_or_iri_and_depth(examples: kg.Store, tmp_path: Path) -> None:
    one = render(examples, tmp_path / "f1.html", focus="tokayev")
    assert one.focus == TOKAYEV and one.focus_label == "Kassym-Jomart Tokayev"
    two = render(examples, tmp_path / "f2.html", focus=f"<{TOKAYEV}>", depth=2)
    assert one.nodes < two.nodes < two.total_nodes
    html = one.path.read_text(encoding="utf-8")
    assert "around Kassym-Jomart Tokayev" in html and TOKAYEV in page_data(html)["details"]
    with pytest.raises(QueryError):
        render(examples, tmp_path / "none.html", focus="Nobody Anywhere")


def test_filters_keep_matching_events(examples: kg.Store, tmp_path: Path) -> None:
    data = page_data(render(examples, tmp_path / "r.html", event_type="riot").path.read_text(encoding="utf-8"))
    events = [n for n in data["nodes"] if n["kind"] == "event"]
    assert events and all(n["title"].split("\n")[1].endswith("· riot") for n in events)
    data = page_data(render(examples, tmp_path / "d.html", since="2022-01-01", until="2022-12-31")
                     .path.read_text(encoding="utf-8"))
    dates = [dict(d["facts"])["date"][:10] for d in data["details"].values() if d["kind"] == "event"]
    assert dates and all("2022-01-01" <= d <= "2022-12-31" for d in dates)


def test_cap_keeps_a_connected_centre_and_says_what_it_left_out(tmp_path: Path) -> None:
    snap = synthetic(3000)
    rep = render(snap, tmp_path / "big.html", max_nodes=300)
    assert rep.nodes == 300 and rep.cropped
    assert sum(rep.omitted.values()) == rep.total_nodes - 300 and rep.omitted["event"] > 0
    html = rep.path.read_text(encoding="utf-8")
    assert "left out by the 300-node cap" in html
    data = page_data(html)
    g = nx.Graph([(e["from"], e["to"]) for e in data["edges"]])
    assert g.number_of_nodes() >= 290  # grown outwards: almost nothing dangles alone
    assert nx.number_connected_components(g) <= 8
    assert render(snap, tmp_path / "all.html", max_nodes=None).nodes == rep.total_nodes


def test_layout_is_deterministic_and_spread() -> None:
    g = nx.relabel_nodes(nx.disjoint_union(nx.barabasi_albert_graph(200, 1, seed=2), nx.path_graph(5)), str)
    g.add_node("alone")
    pos = layout(g)
    assert pos == layout(g) and set(pos) == set(g)
    points = {p for p in pos.values()}
    assert len(points) == len(pos)  # no two nodes on one spot
    lengths = sorted(math.dist(pos[a], pos[b]) for a, b in g.edges())
    assert 40 < lengths[len(lengths) // 2] < 400  # about one ideal edge (110 px)
    assert layout(nx.Graph()) == {}


# --- in the browser ---------------------------------------------------------------------

HOOKS = """
window.__kgCalls = [];
["alert", "confirm", "prompt", "print"].forEach(function (name) {
  window[name] = function (m) { window.__kgCalls.push(name + ":" + m); };
});
window.__kgViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__kgViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class Browser:
    """One page in a fresh headless Chromium profile, recording every request and error."""

    def __init__(self, path: Path) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._profile = tempfile.TemporaryDirectory()
        self.ctx = self._pw.chromium.launch_persistent_context(
            self._profile.name, executable_path=str(CHROMIUM), args=FLAGS, headless=True,
            viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.ctx.on("request", lambda r: self.requests.append(r.url))
        self.ctx.add_init_script(HOOKS)
        self.page = self.ctx.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.kg && window.kg.ready", timeout=60_000)

    def js(self, code: str) -> Any:
        return self.page.evaluate(code)

    def close(self) -> None:
        self.ctx.close()
        self._pw.stop()
        self._profile.cleanup()


@pytest.mark.slow
@needs_chromium
def test_page_in_chromium(examples: kg.Store, tmp_path: Path, artifacts: Path) -> None:
    rep = render(examples, tmp_path / "graph.html")
    data = page_data(rep.path.read_text(encoding="utf-8"))
    hostile = next(i for i, d in data["details"].items()
                   if d["kind"] == "event" and any("<script>" in s["headline"] for s in d["sources"]))
    b = Browser(rep.path)
    try:
        assert b.js("network.body.data.nodes.length") == rep.nodes
        assert b.js("network.body.data.edges.length") == rep.edges
        assert b.js(f"network.body.data.nodes.get({json.dumps(TOKAYEV)}) !== null")
        assert b.js(f"network.body.data.nodes.get({json.dumps(hostile)}) !== null")
        # a real click on the node from the script-injection article opens its panel, as text
        b.js(f"network.focus({json.dumps(hostile)}, {{scale: 1.5, animation: false}}); network.redraw();")
        box = b.js(f"""(() => {{ const p = network.canvasToDOM(network.getPosition({json.dumps(hostile)}));
                      const r = document.getElementById('kg-network').getBoundingClientRect();
                      return [r.left + p.x, r.top + p.y]; }})()""")
        b.page.mouse.move(*box)
        b.page.wait_for_timeout(400)
        # the tooltip is plain text (innerText: line breaks become <br>, nothing else)
        tip = b.js("(() => { const t = document.querySelector('.vis-tooltip'); return [t.textContent, "
                   "Array.from(t.querySelectorAll('*')).map(e => e.tagName)]; })()")
        assert data["details"][hostile]["label"] in tip[0] and set(tip[1]) <= {"BR"}
        b.page.mouse.click(*box)
        assert b.js("document.querySelector('#kg-details h2').textContent") == data["details"][hostile]["label"]
        cite = b.js("document.querySelector('#kg-details blockquote cite').textContent")
        assert "<script>alert(1)</script>" in cite  # shown as the article wrote it, not run
        b.page.screenshot(path=str(artifacts / "graph-xss-panel.png"))
        b.js(f"window.kg.select({json.dumps(TOKAYEV)})")
        assert "Tokayev" in b.js("document.querySelector('#kg-details mark').textContent")
        b.js("network.fit({animation: false})")
        b.page.screenshot(path=str(artifacts / "graph-examples.png"))
        assert b.js("window.__kgCalls") == []
        assert b.js("window.__kgViolations") == []
        # and the policy is live: a script slipped in without the page's nonce does not run
        assert b.js("""(() => { const s = document.createElement('script'); s.textContent = 'window.__kgRan = 1';
                       document.body.appendChild(s); return window.__kgRan === undefined; })()""")
        b.page.wait_for_function("window.__kgViolations.length > 0")
        assert b.js("window.__kgViolations")[0].startswith("script-src")
        b.js("document.scripts[document.scripts.length - 1].remove()")
        assert b.js("document.scripts.length") == 3
        assert b.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert "<script>alert" not in b.js("document.documentElement.outerHTML")
        assert b.errors == []
        assert b.requests and all(u.startswith(("file:", "data:")) for u in b.requests), b.requests
    finally:
        b.close()


@pytest.mark.slow
@needs_chromium
def test_large_graph_page_is_usable_at_once(tmp_path: Path, artifacts: Path) -> None:
    rep = render(synthetic(20_000), tmp_path / "large.html")
    assert rep.nodes == 1500 and rep.cropped
    b = Browser(rep.path)
    try:
        assert b.js("network.body.data.nodes.length") == 1500
        ready = b.js("window.kg.readyAt") / 1000
        assert ready < 10, f"first drawing after {ready:.1f} s"
        assert "left out" in b.js("document.getElementById('kg-cut').textContent")
        assert not b.js("network.physics.physicsEnabled")
        b.page.screenshot(path=str(artifacts / "graph-large.png"))
        assert b.errors == [] and all(u.startswith(("file:", "data:")) for u in b.requests)
    finally:
        b.close()
