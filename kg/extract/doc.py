"""The text as the rules see it: tokens, sentences, quotations, phrase lookup."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import simplemma
from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

from ..model import Span
from ..resolve.gazetteer import normalise, tokens

__all__ = ["Tok", "Doc", "Lexicon", "PhraseMatcher", "load_lexicon"]

_ABBREVIATIONS = {"gen", "mr", "mrs", "ms", "dr", "st", "no", "lt", "col", "sgt", "capt", "jan", "feb", "aug",
                  "sept", "oct", "nov", "dec", "u.s", "u.n", "prof", "rev", "jr", "sr", "vs", "etc", "h", "hj", "ir"}
_SENT_END = re.compile(r"[.!?]+[\"”’']?(?=\s+[\"“‘'(]?[A-Z0-9À-Ý])|\n+")


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str) -> str:
    """The dictionary form of a lower-case word, from simplemma's lexicons (a maintained lemmatiser
    covering Indonesian affixes and clitics as well as English inflection). Words of languages it
    has no dictionary for are kept as they are."""
    if language not in SUPPORTED_LANGUAGES or not word[:1].isalpha():
        return word
    return simplemma.lemmatize(word, lang=language).casefold()


@dataclass(frozen=True, slots=True)
class Tok:
    i: int
    begin: int
    end: int
    text: str
    low: str
    sent: int


class Doc:
    def __init__(self, text: str, language: str = "und") -> None:
        self.text = text
        self.language = language
        self.sentences = self._sentences(text)
        starts = [s.begin for s in self.sentences]
        self.toks = [
            Tok(i, b, e, t, t.casefold(), max(0, bisect.bisect_right(starts, b) - 1))
            for i, (b, e, t) in enumerate(tokens(text))
        ]
        self._tok_starts = [t.begin for t in self.toks]
        self.quotes = self._quotes(text)
        self.found: dict[int, list[tuple[int, int, str, bool]]] = {}
        self._lows = [t.low for t in self.toks]
        self._lemmas: list[str] | None = None

    @property
    def lemmas(self) -> list[str]:
        """Dictionary form of each token (``diserang`` → ``serang``), computed on first use."""
        if self._lemmas is None:
            self._lemmas = [lemma(t.low, self.language) for t in self.toks]
        return self._lemmas

    def words(self, by: str) -> list[str]:
        return self.lemmas if by == "lemma" else self._lows

    def positions(self, by: str) -> dict[str, list[int]]:
        """Where each word (or lemma) occurs: phrase matchers intersect it with their first words."""
        index = self.__dict__.setdefault("_positions", {})
        if by not in index:
            where: dict[str, list[int]] = {}
            for k, w in enumerate(self.words(by)):
                where.setdefault(w, []).append(k)
            index[by] = where
        return index[by]

    @staticmethod
    def _sentences(text: str) -> list[Span]:
        spans: list[Span] = []
        start = 0
        for m in _SENT_END.finditer(text):
            word = re.search(r"(\S+)$", text[start:m.start()])
            if m.group(0)[0] == "." and word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            end = m.end() if m.group(0)[0] != "\n" else m.start()
            if text[start:end].strip():
                b = start + (len(text[start:end]) - len(text[start:end].lstrip()))
                e = end - (len(text[start:end]) - len(text[start:end].rstrip()))
                spans.append(Span(b, e, text[b:e]))
            start = m.end()
        if text[start:].strip():
            b = start + (len(text[start:]) - len(text[start:].lstrip()))
            e = len(text.rstrip())
            spans.append(Span(b, e, text[b:e]))
        return spans

    @staticmethod
    def _quotes(text: str) -> list[tuple[int, int]]:
        """Content spans of quotations; straight quotes pair up, curly ones open and close."""
        found: list[tuple[int, int]] = []
        open_at: int | None = None
        for i, ch in enumerate(text):
            if open_at is None and ch in "“\"":
                open_at = i + 1
            elif open_at is not None and ch in "”\"":
                found.append((open_at, i))
                open_at = None
            elif open_at is not None and ch == "\n":
                open_at = None
        return found

    def tok_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect.bisect_left(self._tok_starts, pos)

    def quote_of(self, begin: int, end: int) -> tuple[int, int] | None:
        for q in self.quotes:
            if q[0] <= begin and end <= q[1]:
                return q
        return None

    def after(self, i: int, phrases: set[str] | frozenset[str]) -> bool:
        """Whether token i follows one of ``phrases`` (of one to three words) in its sentence:
        "in Goma", "the town of Gorazde", "di ibu kota Kinshasa"."""
        s = self.toks[i].sent if i < len(self.toks) else -1
        for n in (1, 2, 3):
            if i - n < 0 or self.toks[i - n].sent != s:
                break
            if " ".join(self._lows[i - n:i]) in phrases:
                return True
        return False

    def gap(self, i: int) -> str:
        """Text between token i-1 and token i (punctuation, quotes)."""
        if i <= 0 or i >= len(self.toks):
            return ""
        return self.text[self.toks[i - 1].end:self.toks[i].begin]

    def span(self, i: int, j: int) -> Span:
        """Span from token i to token j-1 inclusive."""
        b, e = self.toks[i].begin, self.toks[j - 1].end
        return Span(b, e, self.text[b:e])

    def sent_toks(self, s: int) -> range:
        lo = self.tok_at(self.sentences[s].begin)
        hi = self.tok_at(self.sentences[s].end)
        return range(lo, hi)


class PhraseMatcher:
    """Longest match of lower-case phrases over tokens, optionally past a clitic.

    ``by="lemma"`` matches phrases written in dictionary forms against the tokens' lemmas, so
    one entry ``tuntut`` covers *menuntut*, *dituntut*, *tuntutan* and *tuntutannya*.
    """

    def __init__(self, phrases: dict[str, str], clitic: str | None = None, by: str = "low") -> None:
        self.by = by
        self.table: dict[tuple[str, ...], str] = {}
        for phrase, value in phrases.items():
            key = tuple(normalise(phrase).split())
            if key:
                self.table.setdefault(key, value)
        self.longest = max((len(k) for k in self.table), default=1)
        # most tokens start no phrase: the longest phrase per first word answers that at once
        self.first: dict[str, int] = {}
        for key in self.table:
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.clitic = clitic

    def _forms(self, low: str) -> list[str]:
        if self.clitic and low.endswith(self.clitic) and len(low) > len(self.clitic) + 3:
            return [low, low[: -len(self.clitic)]]
        return [low]

    def match_at(self, doc: Doc, i: int, limit: int | None = None) -> tuple[int, str, bool] | None:
        """(end token index, value, ended in a clitic) of the longest phrase starting at token i."""
        stop = min(len(doc.toks), limit if limit is not None else len(doc.toks))
        if i >= stop:
            return None
        seq = doc.words(self.by)
        low = seq[i]
        longest = self.first.get(low, 0)
        if self.clitic and low.endswith(self.clitic):
            longest = max(longest, 1 if (low[: -len(self.clitic)],) in self.table else 0)
        if not longest:
            return None
        for n in range(min(longest, stop - i), 0, -1):
            words = seq[i:i + n]
            if any(doc.toks[i + k].sent != doc.toks[i].sent for k in range(n)):
                continue
            if tuple(words) in self.table:
                return i + n, self.table[tuple(words)], False
            for form in self._forms(words[-1])[1:]:
                key = tuple(words[:-1] + [form])
                if key in self.table:
                    return i + n, self.table[key], True
        return None

    def find(self, doc: Doc, lo: int = 0, hi: int | None = None) -> list[tuple[int, int, str, bool]]:
        """Greedy left-to-right matches; whole-document results are cached on the document."""
        if lo == 0 and hi is None:
            key = id(self)
            if key not in doc.found:
                doc.found[key] = self._find(doc, 0, None)
            return doc.found[key]
        return [m for m in self.find(doc) if lo <= m[0] and (hi is None or m[0] < hi)]

    def _find(self, doc: Doc, lo: int, hi: int | None) -> list[tuple[int, int, str, bool]]:
        hi = len(doc.toks) if hi is None else hi
        first, clitic = self.first, self.clitic
        # the document's word index, met with the matcher's first words, gives the few possible starts
        where = doc.positions(self.by)
        hits = where.keys() & first.keys()
        if clitic:
            n = len(clitic)
            hits |= {w for w in where if w.endswith(clitic) and (w[:-n],) in self.table}
        starts = sorted(i for w in hits for i in where[w] if lo <= i < hi)
        out = []
        end = lo
        for i in starts:
            if i < end:
                continue  # inside the previous match: matches do not overlap
            m = self.match_at(doc, i, hi)
            if m:
                out.append((i, m[0], m[1], m[2]))
                end = m[0]
        return out


@dataclass
class Lexicon:
    language: str
    data: dict[str, Any]
    triggers: PhraseMatcher = field(init=False)
    trigger_lemmas: PhraseMatcher = field(init=False)
    not_triggers: PhraseMatcher = field(init=False)
    hypothetical: PhraseMatcher = field(init=False)
    denials: PhraseMatcher = field(init=False)
    done_by: PhraseMatcher = field(init=False)
    speech: dict[str, PhraseMatcher] = field(init=False)
    titles: PhraseMatcher = field(init=False)
    count_kinds: PhraseMatcher = field(init=False)
    count_groups: PhraseMatcher = field(init=False)
    qualifiers: PhraseMatcher = field(init=False)
    relative_time: PhraseMatcher = field(init=False)
    descriptors: PhraseMatcher = field(init=False)
    kills: PhraseMatcher = field(init=False)
    kill_lemmas: PhraseMatcher = field(init=False)

    def __post_init__(self) -> None:
        d, clitic = self.data, self.data.get("clitic")
        self.triggers = PhraseMatcher({p: t for t, ps in d["triggers"].items() for p in ps}, clitic)
        self.trigger_lemmas = PhraseMatcher(
            {p: t for t, ps in d.get("trigger_lemmas", {}).items() for p in ps}, None, by="lemma")
        # words that hold a trigger's root and name no act: "bahan bakar" is fuel, not burning
        self.not_triggers = PhraseMatcher({p: p for p in d.get("not_triggers", [])}, None)
        self.hypothetical = PhraseMatcher({p: p for p in d.get("hypothetical", [])}, None)
        self.denials = PhraseMatcher({p: p for p in d.get("denials", [])}, None)
        self.done_by = PhraseMatcher({p: p for p in d.get("done_by", [])}, None)
        self.speech = {k: PhraseMatcher({p: k for p in v}, None) for k, v in d["speech"].items()}
        self.titles = PhraseMatcher({p: r for r, ps in d["titles"].items() for p in ps}, None)
        c = d["counts"]
        self.count_kinds = PhraseMatcher({p: k for k, ps in c["kinds"].items() for p in ps}, clitic)
        self.count_groups = PhraseMatcher({p: g for g, ps in c["groups"].items() for p in ps}, clitic)
        self.qualifiers = PhraseMatcher({p: q for q, ps in c["qualifiers"].items() for p in ps}, None)
        self.relative_time = PhraseMatcher({p: p for p in d["time"]["relative"]}, None)
        self.descriptors = PhraseMatcher({p: k for k, ps in d["descriptors"].items() for p in ps}, None)
        # verbs of killing, as words ("menewaskan": the bare root "tewas" only says someone died)
        # and as lemmas ("kill" for "killed", "killing")
        self.kills = PhraseMatcher({p: "kill" for p in d.get("kill_verbs", [])}, None)
        self.kill_lemmas = PhraseMatcher({p: "kill" for p in d.get("kill_lemmas", [])}, None, by="lemma")

    def matcher(self, name: str) -> PhraseMatcher:
        """A phrase matcher over one of the lexicon's word lists, built on first use."""
        cache = self.__dict__.setdefault("_matchers", {})
        if name not in cache:
            cache[name] = PhraseMatcher({p: name for p in self.data.get(name, [])}, None)
        return cache[name]

    def words(self, name: str) -> set[str]:
        cache = self.__dict__.setdefault("_words", {})
        if name not in cache:
            cache[name] = frozenset(normalise(w) for w in self.data.get(name, []))
        return cache[name]


@lru_cache(maxsize=None)
def load_lexicon(language: str) -> Lexicon | None:
    try:
        raw = resources.files("kg.extract").joinpath("lexicons").joinpath(f"{language}.json").read_text("utf-8")
    except FileNotFoundError:
        return None
    return Lexicon(language, json.loads(raw))
