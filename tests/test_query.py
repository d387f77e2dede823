"""The query library: every file is documented and runs, and the answers on the seed are the right ones."""

from __future__ import annotations

import re

import pytest

import kg
from kg.query import format_result, library, load_query, run

ID = "https://w3id.org/conflict-kg/id/"
KZ, TOKAYEV, PUTIN, CSTO = (f"<{ID}country/KZ>", f"<{ID}person/kassym-jomart-tokayev>",
                            f"<{ID}person/vladimir-putin>", f"<{ID}organization/csto>")
LIB = library()
LOCAL = sorted(n for n in LIB if not n.startswith("federated/"))


def test_library_size() -> None:
    assert len(LOCAL) >= 15
    assert len([n for n in LIB if n.startswith("federated/")]) >= 3


@pytest.mark.parametrize("name", sorted(LIB))
def test_every_query_is_documented(name: str) -> None:
    q = LIB[name]
    assert q.title and q.question and q.row, name
    for p in q.params:
        assert re.search(rf"\?{p}\b", q.text), f"{name}: parameter {p} is not used"


@pytest.mark.parametrize("name", LOCAL)
def test_every_query_answers_on_the_corpus(corpus_store: kg.Store, name: str) -> None:
    result = run(corpus_store, LIB[name])
    assert result.rows, name
    for fmt in ("table", "csv", "tsv", "json"):
        assert format_result(result, fmt)


def values(result: kg.query.Result, column: str) -> list[str]:  # type: ignore[name-defined]
    k = result.variables.index(column)
    return [row[k].value if row[k] is not None else "" for row in result.rows]


def seed_event(store: kg.Store, slug: str) -> str:
    res = kg.query(store, f"SELECT ?e WHERE {{ ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> ; "
                          f"<http://semanticweb.cs.vu.nl/2009/11/sem/eventType> "
                          f"<https://w3id.org/conflict-kg/ontology/event-type/{slug}> }}", text=True)
    assert len(res.rows) == 1
    return f"<{res.rows[0][0].value}>"


pytestmark_seed = pytest.mark.shared


@pytestmark_seed
def test_events_by_type_place_date(seed_store: kg.Store) -> None:
    q = load_query("events-by-type-place-date")
    inside = run(seed_store, q, {"type": "ckgt:riot", "place": KZ, "since": "2022-01-01", "until": "2022-01-31"})
    assert values(inside, "label") == ["riot in Kazakhstan"]
    before = run(seed_store, q, {"type": "ckgt:riot", "until": "2021-12-31"})
    assert before.rows == []


@pytestmark_seed
def test_actor_activity_has_roles(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("actor-activity"), {"actor": TOKAYEV})
    assert "requester" in " ".join(values(res, "roles"))


@pytestmark_seed
def test_who_deployed_and_requested(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("actor-interactions"))
    rows = set(zip(values(res, "interaction"), values(res, "role"), values(res, "participantLabel")))
    assert ("foreign-military-deployment", "agent", "Collective Security Treaty Organization") in rows
    assert ("request-military-assistance", "requester", "Kassym-Jomart Tokayev") in rows
    assert ("withdrawal", "agent", "Collective Security Treaty Organization") in rows


@pytestmark_seed
def test_reported_counts_side_by_side(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("reported-counts"))
    rows = list(zip(values(res, "countKind"), values(res, "value"), values(res, "minValue"), values(res, "maxValue"),
                    values(res, "attributedTo")))
    kinds = {r[0].rsplit("#", 1)[-1] for r in rows}
    assert {"killed", "arrested", "troops"} <= kinds
    assert any(r[2] == "160" for r in rows) and any(r[3] == "8000" for r in rows)
    assert any(r[1] == "2030" and r[4] for r in rows)


@pytestmark_seed
def test_claims_by_speaker_and_about(seed_store: kg.Store) -> None:
    putin = run(seed_store, load_query("claims-by-speaker"), {"speaker": PUTIN})
    assert len(putin.rows) >= 4
    about = run(seed_store, load_query("claims-about"), {"about": seed_event(seed_store, "riot")})
    assert any("bandit" in t for t in values(about, "text"))


@pytestmark_seed
def test_accusations(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("accusations"), {"accuser": TOKAYEV})
    assert any("bandit dan teroris" in t for t in values(res, "accusedLabel"))


@pytestmark_seed
def test_timeline_has_sub_events(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("event-timeline"), {"event": seed_event(seed_store, "riot")})
    assert any("protest" in t for t in values(res, "type"))


@pytestmark_seed
def test_sentence_behind_a_fact(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("sentence-behind-fact"), {"node": CSTO})
    assert "CTSO" in values(res, "anchor")
    assert any(s.startswith("Dia mengatakan CTSO") for s in values(res, "sentenceText"))


@pytestmark_seed
def test_articles_by_outlet_and_language(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("articles-by-outlet-language"))
    assert list(zip(values(res, "outletName"), values(res, "lang"))) == [("Monitorindonesia.com", "id")]


@pytestmark_seed
def test_event_codes(seed_store: kg.Store) -> None:
    res = run(seed_store, load_query("event-codes"), {"event": seed_event(seed_store, "riot")})
    text = " ".join(values(res, "acled") + values(res, "cameo") + values(res, "plover"))
    assert "Riots" in text and "145" in text


@pytestmark_seed
def test_statuses_and_identifiers(seed_store: kg.Store) -> None:
    announced = run(seed_store, load_query("events-by-status"), {"status": "ckg:announced"})
    assert any("withdrawal" in t for t in values(announced, "typeLabel"))
    ids = run(seed_store, load_query("actors-with-identifiers"))
    assert ("Vladimir Putin", "Q7747") in set(zip(values(ids, "label"), values(ids, "qid")))


def test_parameters_are_bound_not_pasted(corpus_store: kg.Store) -> None:
    hostile = 'x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    res = run(corpus_store, load_query("actors-with-identifiers"), {"name": hostile})
    assert res.rows == []
    assert kg.stats(corpus_store)["articles"] >= 13


def test_bad_parameters_are_refused(corpus_store: kg.Store) -> None:
    q = load_query("events-by-type-place-date")
    with pytest.raises(kg.QueryError, match="no parameter"):
        run(corpus_store, q, {"colour": "red"})
    with pytest.raises(kg.QueryError, match="not a valid date"):
        run(corpus_store, q, {"since": "last tuesday"})
    with pytest.raises(kg.QueryError, match="unknown query"):
        load_query("no-such-query")


def test_syntax_error_points_at_it(corpus_store: kg.Store) -> None:
    with pytest.raises(kg.QueryError) as err:
        kg.query(corpus_store, "SELECT ?x\nWHERE { ?x ?y }", text=True)
    assert "line 2" in str(err.value) and "^" in str(err.value)
