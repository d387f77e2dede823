"""PLOVER scoring: the crosswalk lookup and the accuracy counts on sentences we wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluate_plover import evaluate_plover, plover_of

ROOT = Path(__file__).resolve().parents[1]


def test_crosswalk_lookup() -> None:
    assert plover_of("protest") == "PROTEST"
    assert plover_of("air-strike") == "ASSAULT"
    assert plover_of("no-such-type") is None


def test_accuracy_counts(tmp_path: Path) -> None:
    records = [
        {"id": "a", "event": "PROTEST", "source": [{"code": "KEN"}],
         "text": "Thousands of Kenyan students protested in Nairobi on Tuesday against a new tax."},
        {"id": "b", "event": "ASSAULT", "source": [{"code": "RUS"}], "target": [{"code": "UKR"}],
         "text": "Russian forces shelled the Ukrainian city of Kharkiv on Monday, killing four civilians."},
        {"id": "c", "event": "AGREE", "source": [{"code": "SDN"}],
         "text": "The weather in the capital was mild on Sunday."},
    ]
    path = tmp_path / "gsr.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    r = evaluate_plover(path)
    assert r.records == 3
    assert r.category_correct == 2
    assert r.source_total == 3 and r.source_correct >= 1
    assert ("AGREE", "-") in r.confusion


@pytest.mark.shared
def test_shared_gsr_runs() -> None:
    path = ROOT.parent / "shared" / "data" / "plover-gsr" / "plover_gsr_dev.jsonl"
    if not path.is_file():
        pytest.skip("../shared/data is not present")
    r = evaluate_plover(path)
    assert r.records == 164
    assert r.category_correct > 0


def test_draft_coded_records_score_in_the_draft_categories() -> None:
    assert plover_of("armed-clash", draft=True) == "FIGHT"
    assert plover_of("armed-clash") == "ASSAULT"
    assert plover_of("demand", draft=True) == "DEMAND"
    assert plover_of("demand") == "REQUEST"  # the 2023 release folds DEMAND into REQUEST
    assert plover_of("disapproval") == "ACCUSE"


def test_leading_event_and_international_actors(tmp_path: Path) -> None:
    records = [
        {"id": "a", "event": "DISAPPROVE", "version": "0.5b1", "source": [{"code": "IGO"}],
         "target": [{"code": "MMR"}],
         "text": "The United Nations condemned Myanmar on Friday for the air strike on the village."},
        {"id": "b", "event": "CONCEDE", "version": "0.5b1", "source": [{"code": "SRB"}],
         "text": "Serbia eased restrictions on the press on Sunday."},
    ]
    path = tmp_path / "gsr.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    r = evaluate_plover(path)
    assert r.category_correct == 2, r.format()
    assert r.source_correct == 2 and r.target_correct == 1, r.format()


def test_announced_acts_are_promises_or_threats_in_plover() -> None:
    from kg.evaluate_plover import plover_of_event

    assert plover_of_event("humanitarian-aid", "announced") == "AGREE"
    assert plover_of_event("armed-attack", "announced") == "THREATEN"
    assert plover_of_event("armed-attack", "occurred") == plover_of("armed-attack")


def test_a_visit_runs_from_the_visitor_to_its_host() -> None:
    from kg.evaluate_plover import _source_target
    from kg.model import Event, Role

    visit = Event(type="meeting", status="occurred",
                  roles=[Role("country:RU", "host"), Role("person:x", "participant")])
    assert _source_target(visit) == ("person:x", "country:RU")
    alone = Event(type="meeting", status="occurred", roles=[Role("country:RU", "host")])
    assert _source_target(alone) == ("country:RU", None)


def test_office_holders_and_stateless_armed_groups_get_plover_actor_codes(tmp_path: Path) -> None:
    records = [
        {"id": "a", "event": "THREATEN", "version": "0.5b1", "source": [{"code": "IMG"}],
         "target": [{"code": "USA"}], "text": "al-Qaeda has threatened to strike the United States."},
        {"id": "b", "event": "AGREE", "version": "0.5b1", "source": [{"code": "RUS"}],
         "target": [{"code": "ARM"}], "text": "On Tuesday, Putin offered to negotiate with Armenia."},
    ]
    path = tmp_path / "gsr.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    r = evaluate_plover(path)
    assert (r.source_correct, r.target_correct) == (2, 2), r.format()


def test_draft_codings_split_state_fire_from_irregular_violence() -> None:
    from kg.evaluate_plover import code_record

    base = {"event": "FIGHT", "version": "0.5b1"}
    police = code_record({**base, "id": "a", "text": "Egyptian police opened fire on demonstrators in Cairo on Monday."})
    gunmen = code_record({**base, "id": "b", "text": "Gunmen opened fire on a bus in Cairo on Monday."})
    shells = code_record({**base, "id": "c", "text": "The army shelled rebel positions near Goma on Monday."})
    assert (police.predicted, gunmen.predicted, shells.predicted) == ("FIGHT", "ASSAULT", "FIGHT")
    assert code_record({**base, "version": "1.0", "id": "d", "text": shells.text}).predicted == "ASSAULT"


def test_misses_list_each_wrong_record_with_its_sentence(tmp_path: Path) -> None:
    path = tmp_path / "gsr.jsonl"
    path.write_text(json.dumps({"id": "x1", "event": "AID", "version": "0.5b1", "source": [{"code": "FRA"}],
                                "text": "Serbia eased restrictions on the press on Sunday."}), encoding="utf-8")
    text = evaluate_plover(path).format(misses=True)
    assert "x1: category, source; AID / CONCEDE" in text and "Serbia eased restrictions" in text
