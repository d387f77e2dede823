"""Exports in every format, checked by parsers other than the one that wrote them."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
import rdflib

import kg
from kg.export import FORMATS

import shutil

RAPPER_SYNTAX = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "ntriples"}


@pytest.fixture(scope="module")
def exported(corpus_store: kg.Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    out = tmp_path_factory.mktemp("export")
    files = {}
    for fmt in FORMATS:
        if fmt == "events-csv":
            continue  # a table, tested in test_events_csv.py
        path = out / f"graph.{fmt}"
        files[fmt] = (path, kg.export(corpus_store, fmt, path))
    return files


def test_formats() -> None:
    assert set(FORMATS) == {"turtle", "trig", "nquads", "ntriples", "jsonld", "events-csv"}


@pytest.mark.skipif(shutil.which("rapper") is None, reason="Debian raptor2-utils (rapper) is not installed")
@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_reads_every_statement(exported: dict[str, tuple[Path, int]], fmt: str) -> None:
    path, n = exported[fmt]
    run = subprocess.run(["rapper", "-i", RAPPER_SYNTAX[fmt], "-c", str(path)], capture_output=True, text=True,
                         check=True)
    m = re.search(r"returned (\d+) (?:triples|statements)", run.stderr)
    assert m and int(m.group(1)) == n


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_rdflib_reads_the_union(exported: dict[str, tuple[Path, int]], fmt: str, rdflib_format: str) -> None:
    path, n = exported[fmt]
    g = rdflib.Graph().parse(path, format=rdflib_format)
    assert len(g) == n


def test_trig_keeps_one_graph_per_article(exported: dict[str, tuple[Path, int]], corpus_store: kg.Store) -> None:
    ds = rdflib.Dataset()
    ds.parse(exported["trig"][0], format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert set(corpus_store.article_graphs()) <= names
    assert {corpus_store.minter.graph("gazetteer"), corpus_store.minter.graph("ontology")} <= names


def test_union_has_no_duplicates(exported: dict[str, tuple[Path, int]]) -> None:
    lines = exported["ntriples"][0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))


def test_unknown_format(corpus_store: kg.Store) -> None:
    with pytest.raises(kg.ExportError):
        kg.export(corpus_store, "rdfa", io.BytesIO())
