"""The scorer (kg.evaluate) on hand-made gold and predictions, and the gold set itself.

The gold checks read every gold article with the readers (never the extractor:
the test split stays untouched by tuning) and check the annotations against the
text and the ontology.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.config import resource_dir
from kg.evaluate import (CATEGORIES, EvalReport, GoldError, actor_names_match, evaluate, gold_files, load_gold, main,
                         norm, norm_text, parse_gold, read_gold_article, score_extraction, time_fits)
from kg.extract import extractors
from kg.model import Article, Claim, Count, Entity, Event, Extraction, Role, Span, TimeSpec

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
CKG = rdflib.Namespace("https://w3id.org/conflict-kg/ontology#")

# ---------------------------------------------------------------- helpers

TEXT = ("Police arrested 12 protesters in Dhaka on Monday, Reuters said. "
        "He said the army would not withdraw.")
ARTICLE = Article(key="k", text=TEXT, source="mem", language="en",
                  published=dt.datetime(2024, 7, 17, 9, 0, tzinfo=dt.timezone.utc))


def span(text: str) -> Span:
    i = TEXT.find(text)
    return Span(i, i + len(text), text) if i >= 0 else Span(0, len(text), text)


def ent(key: str, kind: str, name: str, *seen: str, place: bool = False, actor: bool = True,
        wikidata: str | None = None, geonames: str | None = None) -> Entity:
    return Entity(key=key, kind=kind, name=name, mentions=[span(s) for s in (name, *seen)],
                  names_seen=set(seen), is_place=place, is_actor=actor, wikidata=wikidata, geonames=geonames)


def gold_doc(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "article": "a.txt", "language": "en", "split": "dev", "article_date": "2024-07-17",
        "actors": [
            {"name": "police", "kind": "organization", "wikidata": None, "aliases": ["Police"]},
            {"name": "protesters", "kind": "group", "wikidata": None, "aliases": ["12 protesters", "he"]},
            {"name": "Reuters", "kind": "organization", "wikidata": "Q130879", "aliases": ["Reuters"]},
        ],
        "places": [{"name": "Dhaka", "wikidata": "Q1354", "geonames": "1185241", "aliases": ["Dhaka"]}],
        "events": [{"type": "arrest", "place": "Dhaka", "date": "2024-07-15", "status": "occurred"}],
        "counts": [{"kind": "arrested", "value": 12, "group": "protesters"}],
        "claims": [{"speaker": "Reuters", "contains": "arrested 12 protesters"}],
    }
    doc.update(over)
    return doc


def gold(**over: Any):  # type: ignore[no-untyped-def]
    return parse_gold(gold_doc(**over), Path("/tmp/gold/dev/x.json"), article_root=Path("/tmp/gold"))


def perfect() -> Extraction:
    ents = {
        "police": ent("police", "organization", "Police"),
        "protesters": ent("protesters", "group", "protesters", "12 protesters"),
        "reuters": ent("reuters", "organization", "Reuters", wikidata="Q130879"),
        "dhaka": ent("dhaka", "place", "Dhaka", place=True, actor=False, wikidata="http://www.wikidata.org/entity/Q1354",
                     geonames="https://sws.geonames.org/1185241/"),
    }
    count = Count(kind="arrested", mention=span("12 protesters"), value=12, group="protesters")
    ev = Event(type="arrest", status="occurred", mentions=[span("arrested")], places=["dhaka"],
               time=TimeSpec("day", stamp=dt.date(2024, 7, 15)), counts=[count])
    claim = Claim(speaker="reuters", text="Police arrested 12 protesters in Dhaka on Monday", language="en",
                  mention=span("Police arrested 12 protesters in Dhaka on Monday"), counts=[count])
    return Extraction(article=ARTICLE, extractor="test/1", entities=ents, events=[ev], claims=[claim])


def score(x: Extraction, **over: Any):  # type: ignore[no-untyped-def]
    return score_extraction(gold(**over), x)


# ---------------------------------------------------------------- scorer

def test_perfect_match_scores_one_everywhere() -> None:
    r = score(perfect())
    for c in CATEGORIES:
        s = r.scores[c]
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), (c, s)
    assert r.scores["links"].gold == 3  # Reuters Q, Dhaka Q, Dhaka GeoNames
    assert r.agreement["event status"] == (1, 1)
    assert r.agreement["count group"] == (1, 1)
    assert not any(r.missed.values()) and not any(r.spurious.values())


def test_missing_event_lowers_recall_not_precision() -> None:
    r = score(perfect(), events=gold_doc()["events"] + [
        {"type": "protest", "place": "Dhaka", "date": "2024-07-15", "status": "occurred"}])
    s = r.scores["events"]
    assert s.recall == 0.5 and s.precision == 1.0
    assert r.missed["events"] == ["protest @Dhaka 2024-07-15 occurred"]


def test_extra_event_lowers_precision() -> None:
    x = perfect()
    x.events.append(Event(type="withdrawal", status="announced", mentions=[span("withdraw")]))
    s = score(x).scores["events"]
    assert (s.precision, s.recall) == (0.5, 1.0)


def test_wrong_count_lowers_precision_and_recall() -> None:
    x = perfect()
    x.events[0].counts[0].value = 21
    s = score(x).scores["counts"]
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


def test_count_bounds_and_vague() -> None:
    x = perfect()
    c = x.events[0].counts[0]
    c.value, c.min_value, c.qualifier = None, 12, "atLeast"
    assert score(x).scores["counts"].f1 == 0.0  # gold says exactly 12
    assert score(x, counts=[{"kind": "arrested", "min": 12}]).scores["counts"].f1 == 1.0
    assert score(x, counts=[{"kind": "arrested", "max": 12}]).scores["counts"].f1 == 0.0
    c.min_value, c.max_value, c.qualifier = 20, 99, "vague"
    assert score(x, counts=[{"kind": "arrested", "vague": "dozens"}]).scores["counts"].f1 == 1.0
    assert score(x, counts=[{"kind": "killed", "vague": "dozens"}]).scores["counts"].f1 == 0.0


def test_same_count_on_event_and_claim_counts_once() -> None:
    s = score(perfect()).scores["counts"]
    assert s.pred == 1


def test_duplicate_events_cost_precision() -> None:
    x = perfect()
    x.events.append(Event(type="arrest", status="occurred", places=["dhaka"],
                          time=TimeSpec("day", stamp=dt.date(2024, 7, 15))))
    s = score(x).scores["events"]
    assert (s.tp_gold, s.pred, s.precision) == (1, 2, 0.5)


def test_wrong_time_does_not_match() -> None:
    x = perfect()
    x.events[0].time = TimeSpec("day", stamp=dt.date(2024, 7, 16))
    r = score(x)
    assert r.scores["events"].f1 == 0.0
    assert r.scores["events_untimed"].f1 == 1.0  # type and place still match
    assert r.scores["event_types"].f1 == 1.0


@pytest.mark.parametrize(("gold_date", "time", "fits"), [
    (None, None, True),
    ("2024-07-15", None, False),
    ("2024-07-15", TimeSpec("day", stamp=dt.date(2024, 7, 15)), True),
    ("2024-07-15", TimeSpec("minute", stamp=dt.datetime(2024, 7, 15, 23, 0)), True),
    ("2024-07-15", TimeSpec("week", earliest=dt.date(2024, 7, 15), latest=dt.date(2024, 7, 21)), True),
    ("2024-07-15", TimeSpec("week", earliest=dt.date(2024, 7, 8), latest=dt.date(2024, 7, 14)), False),
    ("2024-07-15", TimeSpec("day", latest=dt.date(2024, 7, 17)), False),  # open window
    ("2024-07-15", TimeSpec("month", earliest=dt.date(2024, 7, 1), latest=dt.date(2024, 7, 31)), True),
    ("2024-07-15", TimeSpec("year", earliest=dt.date(2024, 1, 1), latest=dt.date(2024, 12, 31)), False),
    ("2024-07", TimeSpec("day", stamp=dt.date(2024, 7, 30)), True),
    ("2024-07", TimeSpec("day", stamp=dt.date(2024, 8, 1)), False),
    ("2024-07", TimeSpec("month", stamp=dt.date(2024, 7, 1)), True),
    ("2024", TimeSpec("year", stamp=dt.date(2024, 1, 1)), True),
    ("2024-07-08/2024-07-14", TimeSpec("day", stamp=dt.date(2024, 7, 10)), True),
    ("2024-07-08/2024-07-14", TimeSpec("week", earliest=dt.date(2024, 7, 8), latest=dt.date(2024, 7, 14)), True),
    ("2024-07-08/2024-07-14", TimeSpec("day", stamp=dt.date(2024, 7, 15)), False),
])
def test_time_fits(gold_date: str | None, time: TimeSpec | None, fits: bool) -> None:
    assert time_fits(gold_date, time) is fits


def test_event_place_must_match() -> None:
    x = perfect()
    x.entities["yangon"] = ent("yangon", "place", "Yangon", place=True, actor=False)
    x.events[0].places = ["yangon"]
    assert score(x).scores["events"].f1 == 0.0
    assert score(x).scores["events_untimed"].f1 == 0.0 and score(x).scores["event_types"].f1 == 1.0
    x.events[0].places = []
    assert score(x).scores["events"].f1 == 0.0  # gold has a place, prediction none
    ev = [{"type": "arrest", "place": None, "date": "2024-07-15", "status": "occurred"}]
    assert score(x, events=ev).scores["events"].f1 == 1.0
    x.events[0].places = ["dhaka"]
    assert score(x, events=ev).scores["events"].f1 == 0.0  # gold says no place
    ev[0]["place"] = [None, "Dhaka"]
    assert score(x, events=ev).scores["events"].f1 == 1.0  # alternatives


def test_alt_types_accepted() -> None:
    x = perfect()
    x.events[0].type = "crackdown"
    assert score(x).scores["events"].f1 == 0.0
    ev = [{"type": "arrest", "alt_types": ["crackdown"], "place": "Dhaka", "date": "2024-07-15"}]
    assert score(x, events=ev).scores["events"].f1 == 1.0


def test_status_is_reported_apart() -> None:
    x = perfect()
    x.events[0].status = "announced"
    r = score(x)
    assert r.scores["events"].f1 == 1.0
    assert r.agreement["event status"] == (0, 1)


def test_actor_kinds_agree_loosely() -> None:
    x = perfect()
    x.entities["protesters"].kind = "organization"  # group ~ organization
    assert score(x).scores["actors"].f1 == 1.0
    x.entities["police"].kind = "person"
    s = score(x).scores["actors"]
    assert (s.tp_gold, s.gold, s.pred) == (2, 3, 3)


def test_actor_matched_by_alias_and_not_by_pronoun() -> None:
    x = perfect()
    x.entities["protesters"] = ent("protesters", "group", "demonstrators", "12 protesters")
    assert score(x).scores["actors"].recall == 1.0
    x.entities["protesters"] = ent("protesters", "group", "crowd", "He")
    s = score(x).scores["actors"]
    assert s.tp_gold == 2 and "crowd (group) «He», «crowd»" in score(x).spurious["actors"]


@pytest.mark.parametrize(("gold_name", "predicted", "match"), [
    ("Ronald Rwivanga", "Colonel Ronald Rwivanga", True),
    ("the Pakistani Taliban", "Taliban", True),
    ("Irakli Kobakhidze", "Kobakhidze", True),
    ("the army's media wing", "army", False),
    ("Kabid Humas Polda Metro Jaya", "Polda Metro", True),
    ("Polda Metro Jaya", "Jaya Polda", False),
    ("Presiden Rusia", "Rusia Presiden", False),
])
def test_partial_actor_names(gold_name: str, predicted: str, match: bool) -> None:
    assert actor_names_match(frozenset({norm(gold_name)}), frozenset({norm(predicted)})) is match


def test_place_names_must_be_equal() -> None:
    x = perfect()
    x.entities["dhaka"] = ent("dhaka", "place", "Dhaka Division", place=True, actor=False)
    assert score(x).scores["places"].f1 == 0.0


def test_state_named_as_place_is_neither_right_nor_wrong() -> None:
    x = perfect()
    x.entities["bd"] = ent("bd", "country", "Bangladesh", place=True)
    places = [{"name": "Dhaka", "wikidata": None, "geonames": None, "aliases": ["Dhaka"]},
              {"name": "Bangladesh", "wikidata": None, "geonames": None, "aliases": ["Bangladesh"]}]
    r = score(x, places=places)
    assert r.scores["actors"].precision == 1.0 and r.ignored["actors"] == 1
    assert r.scores["places"].f1 == 1.0
    r = score(x)  # Bangladesh in no gold list: a wrong actor and a wrong place
    assert r.scores["actors"].precision == 0.75 and r.scores["places"].precision == 0.5


def test_claims_need_speaker_and_words() -> None:
    x = perfect()
    x.claims[0].speaker = "police"
    assert score(x).scores["claims"].f1 == 0.0
    x = perfect()
    x.claims[0].text = "Police detained people"
    assert score(x).scores["claims"].f1 == 0.0
    x = perfect()
    x.claims[0].text = "“Police ARRESTED  12 protesters” in Dhaka"
    assert score(x).scores["claims"].f1 == 1.0  # case, quotes and spaces do not matter


def test_one_claim_may_cover_several_gold_claims() -> None:
    claims = [{"speaker": "Reuters", "contains": "arrested 12"}, {"speaker": "Reuters", "contains": "in Dhaka"}]
    s = score(perfect(), claims=claims).scores["claims"]
    assert (s.gold, s.pred, s.tp_gold, s.tp_pred) == (2, 1, 2, 1)


def test_wrong_link_is_counted() -> None:
    x = perfect()
    x.entities["reuters"].wikidata = "Q1"
    x.entities["dhaka"].geonames = None
    r = score(x)
    s = r.scores["links"]
    assert (s.gold, s.pred, s.tp_gold) == (3, 2, 1)
    assert r.spurious["links"] == ["Reuters wikidata=Q1 (gold Q130879)"]


def test_bad_gold_is_refused() -> None:
    with pytest.raises(GoldError, match="not one of the article's gold places"):
        gold(events=[{"type": "arrest", "place": "Yangon", "date": None}])
    with pytest.raises(GoldError, match="exactly one of"):
        gold(counts=[{"kind": "killed", "value": 3, "min": 2}])
    with pytest.raises(GoldError, match="speaker"):
        gold(claims=[{"speaker": "Nobody", "contains": "x"}])
    with pytest.raises(GoldError, match="date"):
        gold(events=[{"type": "arrest", "place": None, "date": "15 July"}])
    with pytest.raises(GoldError, match="kind"):
        gold(actors=[{"name": "x", "kind": "armed-group"}])


def test_report_totals_and_formats() -> None:
    r1, r2 = score(perfect()), score(perfect(), language="id", split="seed")
    x = perfect()
    x.events.clear()
    r3 = score(x)
    report = EvalReport("test/1", [r1, r2, r3])
    overall = report.overall()
    assert (overall["events"].gold, overall["events"].tp_gold) == (3, 2)
    assert set(report.by("language")) == {"en", "id"} and set(report.by("split")) == {"dev", "seed"}
    text = report.format()
    assert "overall" in text and "language id" in text and "split seed" in text
    assert "missed   arrest @Dhaka 2024-07-15 occurred" in text
    data = json.loads(report.to_json())
    assert data["overall"]["events"]["recall"] == round(2 / 3, 4)
    assert report.to_json() == EvalReport("test/1", [r1, r2, r3]).to_json()  # deterministic


class _Fixed:
    """An extractor that finds the arrest in the tiny article, whatever it is."""

    name, version = "eval-test-fixed", "1"

    def extract(self, article: Article) -> Extraction:
        x = perfect()
        x.article = article
        return x


def test_evaluate_reads_gold_runs_extractor_and_holds_out_test(tmp_path: Path) -> None:
    extractors.register("eval-test-fixed", _Fixed)
    root = tmp_path / "gold"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "a.txt").write_text(
        "Arrests in Dhaka\n\nStaff\nPublished 17 July 2024 09:00 UTC\nWire.example - " + TEXT + "\n", encoding="utf-8")
    doc = gold_doc(article="articles/a.txt")
    (root / "dev").mkdir()
    (root / "dev" / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    (root / "test").mkdir()
    (root / "test" / "a.json").write_text(json.dumps({**doc, "split": "test"}), encoding="utf-8")
    (root / "dev" / "missing.json").write_text(json.dumps({**doc, "article": "articles/none.txt"}), encoding="utf-8")

    report = evaluate([root], "eval-test-fixed")
    assert report.skipped_test == 1 and len(report.articles) == 2 and not report.ok
    good = next(r for r in report.articles if r.gold_path.endswith("a.json"))
    assert good.error is None and all(s.f1 == 1.0 for s in good.scores.values())
    bad = next(r for r in report.articles if r.error)
    assert "does not exist" in bad.error and bad.scores["events"].recall == 0.0
    assert len(evaluate([root / "test"], "eval-test-fixed", include_test=True).articles) == 1
    assert main([str(root / "dev" / "a.json"), "--extractor", "eval-test-fixed", "--no-misses"]) == 0
    assert main([str(root / "dev"), "--extractor", "eval-test-fixed", "--format", "json"]) == 1


# ---------------------------------------------------------------- the gold set

GOLD_FILES = sorted(p for p in GOLD.rglob("*.json") if not p.is_relative_to(GOLD / "articles"))


def _slugs() -> set[str]:
    g = rdflib.Graph()
    g.parse(resource_dir("ontology") / "event-types.ttl")
    return {str(s).rsplit("/", 1)[-1] for s in g.subjects(SKOS.inScheme, CKG.EventTypeScheme)}


def _scheme(name: str) -> set[str]:
    g = rdflib.Graph()
    g.parse(resource_dir("ontology") / "conflict.ttl")
    return {str(s).rsplit("#", 1)[-1] for s in g.subjects(SKOS.inScheme, CKG[name])}


def _emitted() -> set[str]:
    doc = (ROOT / "docs" / "graph-model.md").read_text(encoding="utf-8")
    block = doc.split("## Event types the extractor emits", 1)[1].split("\n\n", 1)[0]
    return {s.strip() for s in re.sub(r"\([^)]*\)", "", block.split("\n", 1)[1]).replace("\n", " ").split(",")
            if s.strip()}


def test_gold_set_has_the_promised_shape() -> None:
    golds = [load_gold(p) for p in GOLD_FILES]
    by = {(g.split, g.language): 0 for g in golds}
    for g in golds:
        by[(g.split, g.language)] += 1
    assert by.get(("dev", "en"), 0) + by.get(("dev", "id"), 0) == 30
    assert by.get(("test", "en"), 0) + by.get(("test", "id"), 0) == 20
    assert by[("dev", "en")] == by[("dev", "id")] and by[("test", "en")] == by[("test", "id")]
    assert by[("seed", "id")] == 1
    for g in golds:
        if g.split != "seed":
            assert g.path.parent.name == g.split, g.path
            assert f"/articles/{g.split}/{g.language}/" in g.article.as_posix(), g.path
    articles = [g.article for g in golds]
    assert len(set(articles)) == len(articles)


def test_gold_uses_known_slugs_kinds_and_groups() -> None:
    slugs, emitted = _slugs(), _emitted()
    kinds, groups = _scheme("CountKindScheme"), _scheme("CountedGroupScheme")
    assert emitted <= slugs
    for p in GOLD_FILES:
        g = load_gold(p)
        for e in g.events:
            assert e.type in emitted, (p.name, e.type)  # the primary type is one the extractor can emit
            assert set(e.alt_types) <= slugs, (p.name, e.alt_types)
        for c in g.counts:
            assert c.kind in kinds, (p.name, c.kind)
            assert c.group is None or c.group in groups, (p.name, c.group)
        for item in (*g.actors, *g.places):
            assert item.wikidata is None or re.fullmatch(r"Q\d+", item.wikidata), (p.name, item)
        for pl in g.places:
            assert pl.geonames is None or pl.geonames.isdigit(), (p.name, pl)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.relative_to(GOLD).as_posix())
def test_gold_file_matches_its_article(path: Path) -> None:
    g = load_gold(path)
    if g.split == "seed" and not g.article.is_file():
        pytest.skip("../shared/seed is not present beside the checkout")
    assert g.article.is_file(), g.article
    article = read_gold_article(g)  # the reader only: no extraction here
    assert g.language in ("en", "id")
    when = article.date
    assert when is not None and when.date() == g.article_date, (when, g.article_date)
    text = article.text.casefold()
    for item in (*g.actors, *g.places):
        for alias in item.aliases:
            assert alias.casefold() in text, f"{path.name}: alias {alias!r} of {item.name!r} is not in the text"
    flat = norm_text(article.text)
    for c in g.claims:
        assert norm_text(c.contains) in flat, f"{path.name}: claim words {c.contains!r} are not in the text"
    assert g.events, f"{path.name}: no events"
    if g.split != "seed":
        assert 120 <= len(article.text.split()) <= 350, len(article.text.split())


def test_gold_files_helper_expands_folders() -> None:
    found = gold_files([GOLD / "dev", GOLD / "dev"])
    assert len(found) == 30 and found == sorted(found)


def test_interactions_count_only_where_the_gold_annotates_them() -> None:
    x = perfect()
    x.events.append(Event(type="demand", status="occurred", mentions=[span("demanded")]))
    silent = score(x)
    assert silent.scores["events"].precision == 1.0 and silent.ignored["events"] == 1
    annotated = score(x, interactions=True)
    assert annotated.scores["events"].precision == 0.5 and annotated.ignored["events"] == 0
    x.events.append(Event(type="withdrawal", status="occurred", mentions=[span("withdrew")]))
    assert score(x).scores["events"].precision == 0.5  # conflict events always count


def test_roles_are_scored_on_the_events_found() -> None:
    roles = {"agent": ["police"], "target": ["protesters"]}
    events = [{"type": "arrest", "place": "Dhaka", "date": "2024-07-15", "status": "occurred", **roles}]
    x = perfect()
    x.events[0].roles = [Role("police", "agent"), Role("protesters", "target")]
    assert score(x, events=events).scores["roles"].f1 == 1.0
    x.events[0].roles = [Role("protesters", "agent"), Role("police", "target")]  # the wrong way round
    swapped = score(x, events=events)
    assert swapped.scores["roles"].tp_gold == 0 and swapped.scores["roles"].pred == 2
    assert "arrest: agent police" in swapped.missed["roles"]
    x.events[0].roles = [Role("police", "agent")]
    half = score(x, events=events).scores["roles"]
    assert (half.precision, half.recall) == (1.0, 0.5)


def test_sides_of_a_clash_are_parties_without_direction() -> None:
    events = [{"type": "armed-clash", "place": "Dhaka", "date": "2024-07-15", "status": "occurred",
               "agent": ["police", "protesters"], "target": []}]
    x = perfect()
    x.events[0].type = "armed-clash"
    x.events[0].roles = [Role("police", "agent"), Role("protesters", "target")]
    assert score(x, events=events).scores["roles"].f1 == 1.0


def test_roles_name_gold_actors() -> None:
    with pytest.raises(GoldError, match="agent 'army' is not one of the article's gold actors"):
        gold(events=[{"type": "arrest", "place": "Dhaka", "date": None, "agent": ["army"], "target": []}])


def test_every_gold_event_says_who_did_what_to_whom() -> None:
    for path in GOLD_FILES:
        for e in load_gold(path).events:
            assert e.agent is not None and e.target is not None, path


def test_a_deployments_requester_is_not_scored_as_its_agent() -> None:
    events = [{"type": "arrest", "place": "Dhaka", "date": "2024-07-15", "status": "occurred",
               "agent": ["police"], "target": []}]
    x = perfect()
    x.events[0].roles = [Role("police", "agent"), Role("reuters", "requester")]
    assert score(x, events=events).scores["roles"].precision == 1.0
