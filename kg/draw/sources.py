"""Where each node was read: its mentions' sentences, with the words that named it, and the article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..analyse.snapshot import SPARQL_PREFIXES, Snapshot

__all__ = ["Sources", "read_sources", "MAX_SENTENCES"]

MAX_SENTENCES = 4  # per node on the page: enough to judge a reading, small enough for 1,500 nodes
_CHUNK = 300  # IRIs per VALUES block
_WIDE = 280  # characters kept either side of the anchor in very long sentences

# Counts and mention IRIs per node are aggregated inside the store, then only the few
# mentions shown are read in full: a hub named in thousands of sentences would otherwise
# cost thousands of result rows in Python.
_COUNTS = """SELECT ?node (COUNT(DISTINCT ?m) AS ?mentions) (GROUP_CONCAT(DISTINCT STR(?a); separator=" ") AS ?articles)
  (GROUP_CONCAT(DISTINCT STR(?m); separator=" ") AS ?all)
WHERE { VALUES ?node { %s } ?node gaf:denotedBy ?m . ?m nif:referenceContext ?a } GROUP BY ?node"""
_MENTIONS = """SELECT DISTINCT ?m ?article ?anchor ?b ?sentence ?sb WHERE {
  VALUES ?m { %s }
  ?m nif:referenceContext ?article .
  OPTIONAL { ?m nif:anchorOf ?anchor } OPTIONAL { ?m nif:beginIndex ?b }
  OPTIONAL { ?m nif:sentence ?s . ?s nif:anchorOf ?sentence . OPTIONAL { ?s nif:beginIndex ?sb } } }"""


@dataclass
class Sources:
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    sentences: list[dict[str, Any]] = field(default_factory=list)


def _split(sentence: str, anchor: str, offset: int | None) -> tuple[str, str, str]:
    """(before, anchor, after): by the NIF offsets (code points, as Python counts), else by search."""
    if offset is None or sentence[offset:offset + len(anchor)] != anchor:
        found = sentence.find(anchor) if anchor else -1
        if found < 0:
            return sentence, "", ""
        offset = found
    before, after = sentence[:offset], sentence[offset + len(anchor):]
    if len(before) > _WIDE:
        before = "…" + before[-_WIDE:]
    if len(after) > _WIDE:
        after = after[:_WIDE] + "…"
    return before, anchor, after


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _terms(iris: Iterable[str]) -> list[str]:
    """IRIs as SPARQL terms, serialised by Oxigraph after it validated them: safe inside query text."""
    out = []
    for iri in iris:
        try:
            out.append(str(ox.NamedNode(iri)))
        except ValueError:
            continue
    return out


def _query(ox_store: Any, template: str, terms: list[str]) -> Iterable[Any]:
    for i in range(0, len(terms), _CHUNK):
        yield from ox_store.query(SPARQL_PREFIXES + "\n" + template % " ".join(terms[i:i + _CHUNK]),
                                  use_default_graph_as_union=True)


def _value(row: Any, name: str) -> str | None:
    term = row[name]
    return None if term is None else term.value


def read_sources(ox_store: Any, snap: Snapshot, nodes: Iterable[str]) -> dict[str, Sources]:
    """Mentions per node: counts, and up to :data:`MAX_SENTENCES` distinct sentences (oldest article first)."""
    out: dict[str, Sources] = {}
    picked: dict[str, list[str]] = {}
    for r in _query(ox_store, _COUNTS, _terms(nodes)):
        node = r["node"].value
        articles = set((_value(r, "articles") or "").split())
        out[node] = Sources(int(_value(r, "mentions") or 0), articles)
        # Oldest articles first; a few spare mentions, as several may share one sentence.
        order = sorted(articles, key=lambda a: (str(snap.articles.get(a, ("", ""))[1] or "~"), a))
        rank = {a: i for i, a in enumerate(order)}
        mentions = (_value(r, "all") or "").split()
        mentions.sort(key=lambda m: (rank.get(m.split("#", 1)[0], len(rank)), _offset(m), m))
        picked[node] = mentions[: 3 * MAX_SENTENCES]
    detail: dict[str, tuple[str, str, str, int | None]] = {}
    for r in _query(ox_store, _MENTIONS, _terms(m for ms in picked.values() for m in ms)):
        b, sb = _int(_value(r, "b")), _int(_value(r, "sb"))
        anchor = _value(r, "anchor") or ""
        detail.setdefault(r["m"].value, (r["article"].value, _value(r, "sentence") or anchor, anchor,
                                         None if b is None or sb is None else b - sb))
    for node, mentions in picked.items():
        seen: set[tuple[str, str]] = set()
        for m in mentions:
            if m not in detail or len(out[node].sentences) >= MAX_SENTENCES:
                continue
            article, sentence, anchor, offset = detail[m]
            if (article, sentence) in seen:
                continue
            seen.add((article, sentence))
            headline, date = snap.articles.get(article, ("", None))
            before, said, after = _split(sentence, anchor, offset)
            out[node].sentences.append({"before": before, "anchor": said, "after": after,
                                        "headline": headline, "date": (date or "")[:10]})
    return out


def _offset(mention: str) -> int:
    """The begin offset in a mention IRI ``...#char=B,E`` (the graph model's form), for reading order."""
    _, _, frag = mention.partition("#char=")
    return _int(frag.split(",", 1)[0]) or 0
