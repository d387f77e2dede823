"""Measure an extractor against hand-annotated gold articles (``kg eval``).

The gold set lives in ``gold/`` (its ``README.md`` is the full description of
the format and of the annotation rules). Each gold file is one JSON object per
article::

    {"article": "articles/dev/en/001-....txt",   # relative to the gold/ folder
     "record": "id-of-a-jsonl-record",          # optional: which record of a .jsonl file
     "language": "en", "split": "dev" | "test" | "seed", "article_date": "2024-02-08",
     "actors": [{"name", "kind", "wikidata", "aliases": [...]}],
     "places": [{"name", "wikidata", "geonames", "aliases": [...]}],
     "events": [{"type", "alt_types": [...], "place": "Name" | null | ["Name", null, ...],
                 "date": "2024-02-07" | "2024-02" | "2024" | "2024-01-29/2024-02-04" | null,
                 "status": "occurred" | "ongoing" | "announced"}],
     "counts": [{"kind", "value" | "min" | "max" | "min"+"max" | "vague", "group"}],
     "claims": [{"speaker": "<actor name>", "contains": "exact words of the claim"}]}

:func:`evaluate` reads each gold file, reads its article with :func:`kg.read.read`,
runs the extractor on it and scores what comes back. Scoring, category by category
(every comparison of names or text first normalises it: Unicode compatibility
form, case folded, accents dropped, a possessive "'s" and a leading "the/a/an"
removed, punctuation turned into spaces):

* **actors**: a gold actor matches a predicted entity that acts (``is_actor``)
  when one of the gold name and aliases equals one of the entity's name, names
  seen or mention texts (pronouns such as "he", "dia", "-nya" never count), or
  one of them is a run of whole words inside the other that holds a word which
  is not generic ("Colonel Ronald Rwivanga" ~ "Ronald Rwivanga", "Taliban" ~
  "the Pakistani Taliban", but not "army" ~ "the army's media wing"), and their
  kinds agree loosely: person = person; organization = group; country = region
  = place. A predicted actor that matches no gold actor but matches a gold
  *place* (a state named as a place, "Kigali" for Rwanda) is ignored, neither
  right nor wrong; so is a predicted place that matches a gold actor.
* **places**: equal names (no partial match: "Europe" is not "Europe Square")
  against entities that are places (``is_place`` or kind country/region/place);
  kinds are not compared.
* **events**: the predicted type equals the gold ``type`` or one of its
  ``alt_types``; the place fits (gold ``place`` is one name, null, or a list of
  acceptable alternatives where null means "no place": a name fits when it
  matches any place of the predicted event, null fits an event with no place);
  and the time fits: a gold null date fits anything; otherwise the predicted
  time, as a window (a day, a week, a month, a year or an earliest/latest
  window), must overlap the gold window and be no wider than the gold window or
  31 days, whichever is wider. An open window ("on or before the article's
  date") or no time never fits a dated gold event. Two diagnostics go with it:
  ``events_untimed`` (type and place, any time) and ``event_types`` (type alone). Status is not part of the match; its
  agreement on matched events is reported apart.
* **counts**: gold counts are the article's (event and claim counts together);
  predicted counts are those of every event and claim, once each. A match needs
  the same kind and the same numbers: ``value`` equal to the predicted value;
  ``min``/``max`` equal to the predicted bounds with no exact value; ``vague``
  ("dozens", "puluhan") any predicted count of that kind whose qualifier is
  ``vague``. The counted group is reported apart as an agreement.
* **claims**: a predicted claim fits a gold claim when its speaker matches the
  gold speaker (names as for actors, kinds not compared) and its text contains the
  gold ``contains`` (compared case-folded, quotes dropped, spaces collapsed).
  One predicted claim may cover several gold ones: recall counts the gold
  claims covered, precision the predicted claims that cover at least one.
* **links**: for each Wikidata or GeoNames identifier the gold gives an actor or
  place (once per identifier and article), whether the predicted entities
  matched to it carry the same identifier. Precision is over the matched items
  that carry one; recall over every gold identifier.

Actors, places, events and counts are matched one to one (a maximum bipartite
matching, in file order), so duplicates cost precision. Precision is
``tp_pred / pred`` and recall ``tp_gold / gold``; an empty side scores 1.0 when
the other is empty too, else 0.0. Totals are micro-averages over articles,
overall, per language and per split. Everything is deterministic: same gold,
same extractor, same report.

Gold files of the ``test`` split are held out: they are skipped unless
``include_test=True`` (``kg eval --include-test``), so that nobody tunes on them
by accident.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import KgError, ReadError
from .model import Article, Count, Entity, Event, Extraction, TimeSpec

__all__ = [
    "GoldError", "GoldActor", "GoldPlace", "GoldEvent", "GoldCount", "GoldClaim", "GoldArticle",
    "Score", "ArticleResult", "EvalReport", "CATEGORIES", "ACTOR_KINDS", "SPLITS", "STATUSES",
    "load_gold", "parse_gold", "gold_files", "read_gold_article", "score_extraction", "evaluate", "main",
    "norm", "norm_text", "actor_names_match", "time_fits",
]

CATEGORIES = ("actors", "places", "events", "events_untimed", "event_types", "roles", "counts", "claims", "links")
ACTOR_KINDS = ("person", "organization", "country", "group")
SPLITS = ("dev", "test", "seed")
STATUSES = ("occurred", "ongoing", "announced")
MAX_WINDOW_DAYS = 31
# PLOVER-style interactions between actors: appeals, demands, refusals, criticism, threats, promises,
# support, cooperation, aid, probes, concessions, sanctions and restrictions. The first gold batch was
# annotated for conflict events, meetings and agreements only, so a file that does not say
# ``"interactions": true`` is silent about these: predicted events of these types are set aside for
# it (counted under ``ignored``), neither right nor wrong.
INTERACTIONS = frozenset({
    "demand", "request", "rejection", "disapproval", "threat", "intent-to-cooperate", "diplomatic-cooperation",
    "material-cooperation", "investigation", "aid", "economic-aid", "military-aid", "concession", "retreat",
    "release-of-detainees", "reduce-relations", "sanctions", "force-posture", "restriction-of-freedoms",
    "state-of-emergency", "deportation", "property-seizure", "strike", "hunger-strike"})

_COARSE = {"person": "person", "organization": "org", "group": "org",
           "country": "geo", "region": "geo", "place": "geo"}
# Pronouns and clitics never identify an actor on their own (English and Indonesian).
PRONOUNS = frozenset("""
    he she it they him her his hers its their theirs them we us our ours i me my you your
    dia ia beliau mereka nya kami kita anda saya aku kamu engkau
""".split())
_ARTICLES = ("the", "a", "an")
# Words that cannot carry a partial name match on their own ("army" in "the army's media wing").
GENERIC = frozenset("""
    of and for the de al el army armed forces force military police government group groups party people
    president minister prime general colonel spokesman spokeswoman spokesperson chief head commander
    ministry state national security united republic democratic council court agency agencies officials
    residents office public service services department new
    presiden menteri perdana juru bicara pemerintah militer polisi tentara pasukan warga kepala jenderal
    kementerian negara nasional dewan badan partai kelompok
""".split())
_QUOTES = dict.fromkeys(map(ord, "\"'“”„‟«»‘’‚‛`´"), None)


class GoldError(KgError):
    """A gold file is missing, malformed or inconsistent."""


# ---------------------------------------------------------------- gold records

@dataclass(frozen=True, slots=True)
class GoldActor:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class GoldPlace:
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: str | None = None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    type: str
    place: tuple[str | None, ...] = (None,)  # acceptable alternatives; None = no place
    date: str | None = None
    status: str = "occurred"
    alt_types: tuple[str, ...] = ()
    agent: tuple[str, ...] | None = None  # actor names; None where the file does not annotate roles
    target: tuple[str, ...] | None = None

    @property
    def types(self) -> frozenset[str]:
        return frozenset((self.type, *self.alt_types))


@dataclass(frozen=True, slots=True)
class GoldCount:
    kind: str
    value: int | None = None
    min: int | None = None
    max: int | None = None
    vague: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class GoldClaim:
    speaker: str
    contains: str


@dataclass(slots=True)
class GoldArticle:
    path: Path
    article: Path
    language: str
    split: str
    record: str | None = None
    article_date: dt.date | None = None
    actors: list[GoldActor] = field(default_factory=list)
    places: list[GoldPlace] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)
    counts: list[GoldCount] = field(default_factory=list)
    claims: list[GoldClaim] = field(default_factory=list)
    interactions: bool = False

    def actor(self, name: str) -> GoldActor | None:
        return next((a for a in self.actors if a.name == name), None)

    def place(self, name: str) -> GoldPlace | None:
        return next((p for p in self.places if p.name == name), None)


def _gold_root(path: Path) -> Path:
    """The folder article paths are relative to: the nearest ancestor called ``gold``."""
    for parent in path.resolve().parents:
        if parent.name == "gold":
            return parent
    return path.resolve().parent


def _interval(text: str) -> tuple[dt.date, dt.date]:
    """'2024', '2024-02', '2024-02-07' or 'A/B' as a closed window of days."""
    if "/" in text:
        a, b = text.split("/", 1)
        return _interval(a)[0], _interval(b)[1]
    parts = text.split("-")
    if len(parts) == 1 and re.fullmatch(r"\d{4}", text):
        y = int(text)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if len(parts) == 2 and re.fullmatch(r"\d{4}-\d{2}", text):
        y, m = int(parts[0]), int(parts[1])
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    if len(parts) == 3 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        d = dt.date.fromisoformat(text)
        return d, d
    raise ValueError(f"not a gold date: {text!r}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GoldError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _int(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GoldError(f"{where}: expected a non-negative integer, got {value!r}")
    return value


def parse_gold(doc: Any, path: Path, article_root: Path | None = None) -> GoldArticle:
    """Check one gold object and turn it into a :class:`GoldArticle` (``path`` names it in errors)."""
    where = str(path)
    if not isinstance(doc, dict):
        raise GoldError(f"{where}: a gold file holds one JSON object")
    for key in ("article", "language", "split"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise GoldError(f"{where}: missing {key!r}")
    if doc["split"] not in SPLITS:
        raise GoldError(f"{where}: split {doc['split']!r} is not one of {', '.join(SPLITS)}")
    root = article_root if article_root is not None else _gold_root(path)
    article_date = None
    if doc.get("article_date") is not None:
        try:
            article_date = dt.date.fromisoformat(doc["article_date"])
        except (TypeError, ValueError):
            raise GoldError(f"{where}: article_date {doc['article_date']!r} is not YYYY-MM-DD") from None

    actors = []
    for i, a in enumerate(doc.get("actors") or []):
        w = f"{where}: actors[{i}]"
        if not isinstance(a, dict) or not isinstance(a.get("name"), str) or not a["name"].strip():
            raise GoldError(f"{w}: needs a name")
        if a.get("kind") not in ACTOR_KINDS:
            raise GoldError(f"{w} ({a['name']}): kind {a.get('kind')!r} is not one of {', '.join(ACTOR_KINDS)}")
        actors.append(GoldActor(a["name"], a["kind"], _strings(a.get("aliases"), w), a.get("wikidata")))
    places = []
    for i, p in enumerate(doc.get("places") or []):
        w = f"{where}: places[{i}]"
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not p["name"].strip():
            raise GoldError(f"{w}: needs a name")
        gn = p.get("geonames")
        places.append(GoldPlace(p["name"], _strings(p.get("aliases"), w), p.get("wikidata"),
                                str(gn) if gn is not None else None))
    for items, what in ((actors, "actor"), (places, "place")):
        names = [x.name for x in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise GoldError(f"{where}: {what} names must be unique: {', '.join(dupes)}")
    place_names = {p.name for p in places}
    actor_names = {a.name for a in actors}

    events = []
    for i, e in enumerate(doc.get("events") or []):
        w = f"{where}: events[{i}]"
        if not isinstance(e, dict) or not isinstance(e.get("type"), str):
            raise GoldError(f"{w}: needs a type")
        place = e.get("place")
        alts = tuple(place) if isinstance(place, list) else (place,)
        if not alts or not all(a is None or isinstance(a, str) for a in alts):
            raise GoldError(f"{w}: place is a name, null, or a list of names and null")
        unknown = [a for a in alts if a is not None and a not in place_names]
        if unknown:
            raise GoldError(f"{w}: place {unknown[0]!r} is not one of the article's gold places")
        date = e.get("date")
        if date is not None:
            try:
                first, last = _interval(date)
            except (TypeError, ValueError):
                raise GoldError(f"{w}: date {date!r} is not YYYY, YYYY-MM, YYYY-MM-DD or A/B") from None
            if first > last:
                raise GoldError(f"{w}: date window {date!r} ends before it starts")
        status = e.get("status", "occurred")
        if status not in STATUSES:
            raise GoldError(f"{w}: status {status!r} is not one of {', '.join(STATUSES)}")
        roles: dict[str, tuple[str, ...] | None] = {}
        for role in ("agent", "target"):
            roles[role] = _strings(e[role], w) if role in e else None
            stray = [n for n in roles[role] or () if n not in actor_names]
            if stray:
                raise GoldError(f"{w}: {role} {stray[0]!r} is not one of the article's gold actors")
        events.append(GoldEvent(e["type"], alts, date, status, _strings(e.get("alt_types"), w),
                                roles["agent"], roles["target"]))

    counts = []
    for i, c in enumerate(doc.get("counts") or []):
        w = f"{where}: counts[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("kind"), str):
            raise GoldError(f"{w}: needs a kind")
        value, lo, hi = _int(c.get("value"), w), _int(c.get("min"), w), _int(c.get("max"), w)
        vague = c.get("vague")
        if vague is not None and (not isinstance(vague, str) or not vague.strip()):
            raise GoldError(f"{w}: vague is the vague word, e.g. \"dozens\"")
        shapes = [value is not None, lo is not None or hi is not None, vague is not None]
        if sum(shapes) != 1:
            raise GoldError(f"{w}: give exactly one of value, min and/or max, or vague")
        if lo is not None and hi is not None and lo > hi:
            raise GoldError(f"{w}: min is above max")
        counts.append(GoldCount(c["kind"], value, lo, hi, vague, c.get("group")))

    claims = []
    actor_names = {a.name for a in actors}
    for i, c in enumerate(doc.get("claims") or []):
        w = f"{where}: claims[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("speaker"), str) \
                or not isinstance(c.get("contains"), str) or not c["contains"].strip():
            raise GoldError(f"{w}: needs a speaker and a non-empty contains")
        if c["speaker"] not in actor_names:
            raise GoldError(f"{w}: speaker {c['speaker']!r} is not one of the article's gold actors")
        claims.append(GoldClaim(c["speaker"], c["contains"]))

    record = doc.get("record")
    return GoldArticle(path=path, article=(root / doc["article"]).resolve(), language=doc["language"],
                       split=doc["split"], record=str(record) if record is not None else None,
                       article_date=article_date, actors=actors, places=places, events=events,
                       counts=counts, claims=claims, interactions=bool(doc.get("interactions", False)))


def load_gold(path: str | Path) -> GoldArticle:
    """Read and check one gold file."""
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"{p}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{p}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
    return parse_gold(doc, p)


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """Gold files named, and every ``*.json`` under folders named (sorted), each once."""
    out: list[Path] = []
    for item in paths:
        p = Path(item)
        found = sorted(p.rglob("*.json")) if p.is_dir() else [p]
        for f in found:
            if f not in out:
                out.append(f)
    return out


def read_gold_article(gold: GoldArticle) -> Article:
    """The article a gold file annotates, read as the pipeline reads it."""
    from .read import read

    if not gold.article.is_file():
        raise ReadError(str(gold.article), "the article this gold file names does not exist")
    found: list[Article] = []
    for item in read([gold.article]):
        if isinstance(item, ReadError):
            raise item
        found.append(item)
    if gold.record is not None:
        chosen = [a for a in found if gold.record in (a.identifier, a.key)]
        if not chosen:
            raise ReadError(str(gold.article), f"no record with id {gold.record!r}")
        return chosen[0]
    if not found:
        raise ReadError(str(gold.article), "no article read")
    return found[0]


# ---------------------------------------------------------------- normalising

def norm(text: str) -> str:
    """A name as compared: case and accents folded, possessive and leading article dropped."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = s.replace("’", "'").replace("‘", "'")
    s = re.sub(r"'s\b", "", s)
    words = re.sub(r"[\W_]+", " ", s).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(words)


def norm_text(text: str) -> str:
    """Claim text as compared: compatibility form, case folded, quotes dropped, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES).split())


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in map(norm, values) if n and n not in PRONOUNS)


def _contains(long: str, short: str) -> bool:
    """``short`` is a run of whole words inside ``long`` and has a word that is not generic."""
    lw, sw = long.split(), short.split()
    if len(sw) >= len(lw) or all(w in GENERIC or len(w) < 3 for w in sw):
        return False
    return any(lw[i:i + len(sw)] == sw for i in range(len(lw) - len(sw) + 1))


def actor_names_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """Equal names, or one name a distinctive run of words inside the other ("Colonel Ronald Rwivanga")."""
    return bool(a & b) or any(_contains(x, y) or _contains(y, x) for x in a for y in b)


def _gold_names(item: GoldActor | GoldPlace) -> frozenset[str]:
    return _names((item.name, *item.aliases))


def _entity_names(e: Entity) -> frozenset[str]:
    return _names((e.name, *e.names_seen, *(m.text for m in e.mentions)))


def _qid(value: str | None) -> str | None:
    if not value:
        return None
    tail = str(value).rstrip("/").rsplit("/", 1)[-1].upper()
    return tail if re.fullmatch(r"Q\d+", tail) else None


def _geonames(value: str | None) -> str | None:
    if value is None:
        return None
    m = re.search(r"(\d+)/?$", str(value))
    return m.group(1) if m else None


# ---------------------------------------------------------------- scores

@dataclass(slots=True)
class Score:
    """Counts behind precision and recall; ``tp_pred`` differs from ``tp_gold`` only for claims."""

    gold: int = 0
    pred: int = 0
    tp_gold: int = 0
    tp_pred: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else (1.0 if self.gold == 0 else 0.0)

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else (1.0 if self.pred == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.gold + other.gold, self.pred + other.pred,
                     self.tp_gold + other.tp_gold, self.tp_pred + other.tp_pred)

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "pred": self.pred, "tp_gold": self.tp_gold, "tp_pred": self.tp_pred,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(slots=True)
class ArticleResult:
    """One gold article scored: per-category counts, and what was missed or spurious."""

    gold_path: str
    article: str
    language: str
    split: str
    scores: dict[str, Score] = field(default_factory=dict)
    missed: dict[str, list[str]] = field(default_factory=dict)  # false negatives
    spurious: dict[str, list[str]] = field(default_factory=dict)  # false positives
    agreement: dict[str, tuple[int, int]] = field(default_factory=dict)  # (agree, compared)
    ignored: dict[str, int] = field(default_factory=dict)
    extractor: str = ""
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold_path, "article": self.article, "language": self.language, "split": self.split,
                "extractor": self.extractor, "error": self.error,
                "scores": {c: s.as_dict() for c, s in self.scores.items()},
                "missed": self.missed, "spurious": self.spurious,
                "agreement": {k: {"agree": a, "compared": n} for k, (a, n) in self.agreement.items()},
                "ignored": self.ignored}


def _total(results: Iterable[ArticleResult]) -> dict[str, Score]:
    out = {c: Score() for c in CATEGORIES}
    for r in results:
        for c in CATEGORIES:
            out[c] = out[c] + r.scores.get(c, Score())
    return out


def _agreement(results: Iterable[ArticleResult]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for r in results:
        for k, (a, n) in r.agreement.items():
            a0, n0 = out.get(k, (0, 0))
            out[k] = (a0 + a, n0 + n)
    return dict(sorted(out.items()))


def _table(scores: dict[str, Score], indent: str = "  ") -> list[str]:
    lines = [f"{indent}{'':15}{'gold':>6}{'pred':>6}{'tp(g)':>7}{'tp(p)':>7}{'P':>8}{'R':>8}{'F1':>8}"]
    for c in CATEGORIES:
        s = scores[c]
        lines.append(f"{indent}{c:15}{s.gold:>6}{s.pred:>6}{s.tp_gold:>7}{s.tp_pred:>7}"
                     f"{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}")
    return lines


@dataclass(slots=True)
class EvalReport:
    """Every gold article scored; totals overall, per language and per split."""

    extractor: str
    articles: list[ArticleResult] = field(default_factory=list)
    skipped_test: int = 0

    @property
    def ok(self) -> bool:
        return all(r.error is None for r in self.articles)

    def overall(self) -> dict[str, Score]:
        return _total(self.articles)

    def by(self, attribute: str) -> dict[str, dict[str, Score]]:
        """Totals grouped by ``language`` or ``split``."""
        keys = sorted({getattr(r, attribute) for r in self.articles})
        return {k: _total(r for r in self.articles if getattr(r, attribute) == k) for k in keys}

    def agreement(self) -> dict[str, tuple[int, int]]:
        return _agreement(self.articles)

    def as_dict(self) -> dict[str, Any]:
        return {
            "extractor": self.extractor,
            "articles_scored": len(self.articles),
            "skipped_test": self.skipped_test,
            "overall": {c: s.as_dict() for c, s in self.overall().items()},
            "by_language": {k: {c: s.as_dict() for c, s in v.items()} for k, v in self.by("language").items()},
            "by_split": {k: {c: s.as_dict() for c, s in v.items()} for k, v in self.by("split").items()},
            "agreement": {k: {"agree": a, "compared": n} for k, (a, n) in self.agreement().items()},
            "articles": [r.as_dict() for r in self.articles],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=indent, sort_keys=False)

    def format(self, misses: bool = True) -> str:
        """A readable report: the tables, the agreements, then (optionally) each article's misses."""
        n = len(self.articles)
        lines = [f"Evaluation of extractor {self.extractor} on {n} gold article{'s' if n != 1 else ''}"
                 + (f" ({self.skipped_test} test-split file{'s' if self.skipped_test != 1 else ''} held out)"
                    if self.skipped_test else ""),
                 "P = tp(p)/pred, R = tp(g)/gold, micro-averaged over articles.", "", "overall"]
        lines += _table(self.overall())
        for attribute in ("language", "split"):
            for key, scores in self.by(attribute).items():
                count = sum(1 for r in self.articles if getattr(r, attribute) == key)
                lines += ["", f"{attribute} {key} ({count} article{'s' if count != 1 else ''})"]
                lines += _table(scores)
        agree = self.agreement()
        if agree:
            lines += ["", "agreement on matched items"]
            for k, (a, m) in agree.items():
                lines.append(f"  {k:24}{a:>5}/{m:<5}" + (f"{a / m:>8.3f}" if m else "       -"))
        errors = [r for r in self.articles if r.error]
        if errors:
            lines += ["", "errors"] + [f"  {r.gold_path}: {r.error}" for r in errors]
        if misses:
            for r in self.articles:
                if not any(r.missed.values()) and not any(r.spurious.values()) and not r.error:
                    continue
                lines += ["", f"{r.gold_path} [{r.language} {r.split}]"]
                for c in CATEGORIES:
                    for label, items in (("missed", r.missed.get(c, [])), ("spurious", r.spurious.get(c, []))):
                        for item in items:
                            lines.append(f"  {c:14} {label:8} {item}")
        return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- matching

def _max_matching(n_gold: int, n_pred: int, ok: Callable[[int, int], bool]) -> dict[int, int]:
    """A maximum one-to-one matching gold -> pred (augmenting paths, in index order: deterministic)."""
    adj = [[j for j in range(n_pred) if ok(i, j)] for i in range(n_gold)]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(n_gold):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _window(t: TimeSpec | None) -> tuple[dt.date, dt.date] | None:
    if t is None:
        return None
    if t.stamp is not None:
        d = t.stamp.date() if isinstance(t.stamp, dt.datetime) else t.stamp
        if t.precision == "week":
            return d, d + dt.timedelta(days=6)
        if t.precision == "month":
            return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
        if t.precision == "year":
            return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
        return d, d
    return t.earliest or dt.date.min, t.latest or dt.date.max


def time_fits(gold_date: str | None, time: TimeSpec | None) -> bool:
    """Whether a predicted time is compatible with a gold date (see the module docstring)."""
    if gold_date is None:
        return True
    w = _window(time)
    if w is None or w[0] == dt.date.min or w[1] == dt.date.max:
        return False
    g0, g1 = _interval(gold_date)
    if w[0] > g1 or g0 > w[1]:
        return False
    return (w[1] - w[0]).days + 1 <= max((g1 - g0).days + 1, MAX_WINDOW_DAYS)


def _count_fits(g: GoldCount, p: Count) -> bool:
    if g.kind != p.kind:
        return False
    if g.vague is not None:
        return p.qualifier == "vague"
    if g.value is not None:
        return p.value == g.value
    if p.value is not None:
        return False
    return p.min_value == g.min and p.max_value == g.max


def _predicted_counts(x: Extraction) -> list[Count]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Count] = []
    for c in [c for e in x.events for c in e.counts] + [c for cl in x.claims for c in cl.counts]:
        key = (c.kind, c.value, c.min_value, c.max_value, c.mention.begin, c.mention.end)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _fmt_time(t: TimeSpec | None) -> str:
    if t is None:
        return "no time"
    if t.stamp is not None:
        return f"{t.stamp.isoformat()}({t.precision})"
    return f"{t.earliest or '…'}/{t.latest or '…'}({t.precision})"


def _fmt_gold_count(c: GoldCount) -> str:
    nums = (f"value={c.value}" if c.value is not None else
            f"vague={c.vague!r}" if c.vague is not None else
            " ".join(f"{k}={v}" for k, v in (("min", c.min), ("max", c.max)) if v is not None))
    return f"{c.kind} {nums}" + (f" ({c.group})" if c.group else "")


def _fmt_count(c: Count) -> str:
    nums = " ".join(f"{k}={v}" for k, v in (("value", c.value), ("min", c.min_value), ("max", c.max_value))
                    if v is not None)
    return f"{c.kind} {nums} {c.qualifier}" + (f" ({c.group})" if c.group else "") + f" «{c.mention.text}»"


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def score_extraction(gold: GoldArticle, x: Extraction) -> ArticleResult:
    """Score one extraction against its gold article."""
    r = ArticleResult(str(gold.path), str(gold.article), gold.language, gold.split, extractor=x.extractor)
    entities = x.entities
    ent_names = {k: _entity_names(e) for k, e in entities.items()}

    def names_of(key: str) -> frozenset[str]:
        return ent_names.get(key) or _names([key])

    g_actor_names = [_gold_names(a) for a in gold.actors]
    g_place_names = [_gold_names(p) for p in gold.places]
    all_actor_names = frozenset().union(*g_actor_names) if g_actor_names else frozenset()
    all_place_names = frozenset().union(*g_place_names) if g_place_names else frozenset()

    # actors
    p_actors = [e for e in entities.values() if e.is_actor and e.kind in ("person", "organization", "country", "group")]
    pa_names = [ent_names[e.key] for e in p_actors]
    m_actors = _max_matching(len(gold.actors), len(p_actors), lambda i, j: _COARSE[gold.actors[i].kind]
                             == _COARSE.get(p_actors[j].kind) and actor_names_match(g_actor_names[i], pa_names[j]))
    hit = set(m_actors.values())
    fp = [j for j in range(len(p_actors)) if j not in hit and not (pa_names[j] & all_place_names)]
    r.ignored["actors"] = len(p_actors) - len(hit) - len(fp)
    r.scores["actors"] = Score(len(gold.actors), len(hit) + len(fp), len(m_actors), len(m_actors))
    r.missed["actors"] = [f"{a.name} ({a.kind})" for i, a in enumerate(gold.actors) if i not in m_actors]
    r.spurious["actors"] = [f"{p_actors[j].name} ({p_actors[j].kind}) «{'», «'.join(sorted({m.text for m in p_actors[j].mentions}))}»"
                            for j in fp]

    # places
    p_places = [e for e in entities.values() if e.is_place or e.kind in ("country", "region", "place")]
    pp_names = [ent_names[e.key] for e in p_places]
    m_places = _max_matching(len(gold.places), len(p_places), lambda i, j: bool(g_place_names[i] & pp_names[j]))
    hit = set(m_places.values())
    fp = [j for j in range(len(p_places)) if j not in hit and not (pp_names[j] & all_actor_names)]
    r.ignored["places"] = len(p_places) - len(hit) - len(fp)
    r.scores["places"] = Score(len(gold.places), len(hit) + len(fp), len(m_places), len(m_places))
    r.missed["places"] = [p.name for i, p in enumerate(gold.places) if i not in m_places]
    r.spurious["places"] = [f"{p_places[j].name} ({p_places[j].kind})" for j in fp]

    # links: one per gold identifier
    links: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for items, matched, preds in ((gold.actors, m_actors, p_actors), (gold.places, m_places, p_places)):
        for i, g in enumerate(items):
            props = [("wikidata", _qid(g.wikidata), lambda e: _qid(e.wikidata))]
            if isinstance(g, GoldPlace):
                props.append(("geonames", _geonames(g.geonames), lambda e: _geonames(e.geonames)))
            for prop, value, get in props:
                if value is None:
                    continue
                label, got = links.setdefault((prop, value), (g.name, set()))
                if i in matched:
                    v = get(preds[matched[i]])
                    if v:
                        got.add(v)
    s = Score(gold=len(links))
    r.missed["links"], r.spurious["links"] = [], []
    for (prop, value), (label, got) in links.items():
        if got:
            s.pred += 1
        if value in got:
            s.tp_gold += 1
            s.tp_pred += 1
        elif got:
            r.spurious["links"].append(f"{label} {prop}={'/'.join(sorted(got))} (gold {value})")
        if value not in got:
            r.missed["links"].append(f"{label} {prop}={value}" + ("" if got else " (not linked or not matched)"))
    r.scores["links"] = s

    # events
    def place_fits(g: GoldEvent, e: Event) -> bool:
        for alt in g.place:
            if alt is None:
                if not e.places:
                    return True
                continue
            gp = gold.place(alt)
            want = _gold_names(gp) if gp else _names([alt])
            if any(want & names_of(k) for k in e.places):
                return True
        return False

    ev = x.events if gold.interactions else [e for e in x.events if e.type not in INTERACTIONS]
    r.ignored["events"] = len(x.events) - len(ev)
    m_events = _max_matching(len(gold.events), len(ev), lambda i, j: ev[j].type in gold.events[i].types
                             and place_fits(gold.events[i], ev[j]) and time_fits(gold.events[i].date, ev[j].time))
    r.scores["events"] = Score(len(gold.events), len(ev), len(m_events), len(m_events))
    r.missed["events"] = [f"{g.type} @{'|'.join(str(p) for p in g.place)} {g.date or 'any date'} {g.status}"
                          for i, g in enumerate(gold.events) if i not in m_events]
    hit = set(m_events.values())
    r.spurious["events"] = [
        f"{e.type} @{'|'.join(entities[k].name if k in entities else k for k in e.places) or 'None'} "
        f"{_fmt_time(e.time)} {e.status} «{'», «'.join(m.text for m in e.mentions[:3])}»"
        for j, e in enumerate(ev) if j not in hit]
    agree = sum(1 for i, j in m_events.items() if gold.events[i].status == ev[j].status)
    r.agreement["event status"] = (agree, len(m_events))
    m_untimed = _max_matching(len(gold.events), len(ev), lambda i, j: ev[j].type in gold.events[i].types
                              and place_fits(gold.events[i], ev[j]))
    r.scores["events_untimed"] = Score(len(gold.events), len(ev), len(m_untimed), len(m_untimed))
    hit_u = set(m_untimed.values())
    r.missed["events_untimed"] = [f"{g.type} @{'|'.join(str(p) for p in g.place)}"
                                  for i, g in enumerate(gold.events) if i not in m_untimed]
    r.spurious["events_untimed"] = [
        f"{e.type} @{'|'.join(entities[k].name if k in entities else k for k in e.places) or 'None'}"
        for j, e in enumerate(ev) if j not in hit_u]
    m_types = _max_matching(len(gold.events), len(ev), lambda i, j: ev[j].type in gold.events[i].types)
    r.scores["event_types"] = Score(len(gold.events), len(ev), len(m_types), len(m_types))
    hit_t = set(m_types.values())
    r.missed["event_types"] = [g.type for i, g in enumerate(gold.events) if i not in m_types]
    r.spurious["event_types"] = [e.type for j, e in enumerate(ev) if j not in hit_t]
    # roles are read on the event the place agrees on where there is one, else on one of the same type
    paired = dict(m_untimed)
    paired.update({i: j for i, j in m_types.items() if i not in paired and j not in paired.values()})
    _score_roles(r, gold, ev, paired, names_of, g_actor_names)

    # counts
    pc = _predicted_counts(x)
    m_counts = _max_matching(len(gold.counts), len(pc), lambda i, j: _count_fits(gold.counts[i], pc[j]))
    r.scores["counts"] = Score(len(gold.counts), len(pc), len(m_counts), len(m_counts))
    r.missed["counts"] = [_fmt_gold_count(c) for i, c in enumerate(gold.counts) if i not in m_counts]
    hit = set(m_counts.values())
    r.spurious["counts"] = [_fmt_count(c) for j, c in enumerate(pc) if j not in hit]
    grouped = [(i, j) for i, j in m_counts.items() if gold.counts[i].group]
    r.agreement["count group"] = (sum(1 for i, j in grouped if gold.counts[i].group == pc[j].group), len(grouped))

    # claims (many-to-one allowed)
    cl = x.claims
    cl_text = [norm_text(c.text) for c in cl]

    def claim_fits(g: GoldClaim, j: int) -> bool:
        actor = gold.actor(g.speaker)
        want = _gold_names(actor) if actor else _names([g.speaker])
        return norm_text(g.contains) in cl_text[j] and actor_names_match(want, names_of(cl[j].speaker))

    covered = {i for i, g in enumerate(gold.claims) if any(claim_fits(g, j) for j in range(len(cl)))}
    useful = {j for j in range(len(cl)) if any(claim_fits(g, j) for g in gold.claims)}
    r.scores["claims"] = Score(len(gold.claims), len(cl), len(covered), len(useful))
    r.missed["claims"] = [f"{g.speaker}: «{g.contains}»" for i, g in enumerate(gold.claims) if i not in covered]
    r.spurious["claims"] = [
        f"{entities[c.speaker].name if c.speaker in entities else c.speaker}: «{_short(c.text)}»"
        for j, c in enumerate(cl) if j not in useful]
    return r


# Event types whose gold puts every side under agent (gold/README.md).
SYMMETRIC = frozenset({"armed-clash", "peace-talks", "agreement", "meeting", "ceasefire", "diplomatic-cooperation",
                       "material-cooperation"})
_ROLE_CLASS = {"agent": "agent", "requester": "agent", "host": "agent", "participant": "agent",
               "target": "target", "victim": "target", "recipient": "target"}


def _score_roles(r: ArticleResult, gold: GoldArticle, ev: list[Event], matched: dict[int, int],
                 names_of: Callable[[str], frozenset[str]], g_actor_names: list[frozenset[str]]) -> None:
    """Who did it to whom, on the events found with the right type: each (agent|target, actor) pair."""
    s = Score()
    r.missed["roles"], r.spurious["roles"] = [], []
    index = {a.name: n for n, a in enumerate(gold.actors)}
    for i, j in sorted(matched.items()):
        g = gold.events[i]
        if g.agent is None and g.target is None:
            continue
        # both sides of a clash or a deal are parties to it; which one the text names first says nothing
        side = (lambda role: "party") if g.type in SYMMETRIC else (lambda role: role)
        want = [(side(role), index[name]) for role in ("agent", "target") for name in getattr(g, role) or ()]
        # a deployment's requester (the host who invited it) is a role of its own, not who deploys
        got = list(dict.fromkeys((side(_ROLE_CLASS[x.role]), x.entity) for x in ev[j].roles
                                 if x.role in _ROLE_CLASS and (x.role != "requester" or "request" in ev[j].type)))
        m = _max_matching(len(want), len(got), lambda a, b: want[a][0] == got[b][0]
                          and actor_names_match(g_actor_names[want[a][1]], names_of(got[b][1])))
        s += Score(len(want), len(got), len(m), len(m))
        hit = set(m.values())
        r.missed["roles"] += [f"{g.type}: {role} {gold.actors[a].name}" for k, (role, a) in enumerate(want)
                              if k not in m]
        r.spurious["roles"] += [f"{g.type}: {role} {min(names_of(key), default=key)}"
                                for k, (role, key) in enumerate(got) if k not in hit]
    r.scores["roles"] = s


def _failed(gold: GoldArticle, extractor: str, message: str) -> ArticleResult:
    r = ArticleResult(str(gold.path), str(gold.article), gold.language, gold.split, extractor=extractor, error=message)
    gl = len({(p, v) for items in (gold.actors, gold.places) for g in items
              for p, v in (("wikidata", _qid(g.wikidata)),
                           ("geonames", _geonames(getattr(g, "geonames", None)))) if v})
    for c, n in (("actors", len(gold.actors)), ("places", len(gold.places)), ("events", len(gold.events)),
                 ("events_untimed", len(gold.events)), ("event_types", len(gold.events)), ("counts", len(gold.counts)), ("claims", len(gold.claims)),
                 ("links", gl), ("roles", sum(len(e.agent or ()) + len(e.target or ()) for e in gold.events))):
        r.scores[c] = Score(gold=n)
    return r


def evaluate(gold_paths: Sequence[str | Path], extractor: str = "rules", *, include_test: bool = False) -> EvalReport:
    """Score ``extractor`` on gold files (folders are searched for ``*.json``).

    Test-split files are skipped unless ``include_test``. An article that cannot
    be read or extracted is reported as an error and scores zero for it.
    """
    from .extract import extract

    report = EvalReport(extractor=extractor)
    results: list[ArticleResult] = []
    for path in gold_files(gold_paths):
        gold = load_gold(path)
        if gold.split == "test" and not include_test:
            report.skipped_test += 1
            continue
        try:
            article = read_gold_article(gold)
            x = extract(article, extractor)
        except KgError as exc:
            results.append(_failed(gold, extractor, str(exc)))
            continue
        if report.extractor == extractor and x.extractor:
            report.extractor = x.extractor
        results.append(score_extraction(gold, x))
    report.articles = sorted(results, key=lambda r: r.gold_path)
    return report


# ---------------------------------------------------------------- command line

def main(argv: Sequence[str] | None = None) -> int:
    """``kg eval GOLD...``: 0 when every article was scored, 1 when some failed, 2 for a bad gold file."""
    ap = argparse.ArgumentParser(prog="kg eval", description="Score an extractor against gold annotations "
                                 "(gold/README.md describes the format).")
    ap.add_argument("gold", nargs="+", help="gold JSON files or folders holding them")
    ap.add_argument("--extractor", default="rules", help="extractor name (default: rules)")
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--no-misses", action="store_true", help="leave out the per-article misses")
    ap.add_argument("--include-test", action="store_true", help="also score the held-out test split")
    a = ap.parse_args(argv)
    try:
        report = evaluate(a.gold, a.extractor, include_test=a.include_test)
    except GoldError as exc:
        print(f"kg eval: {exc}", file=sys.stderr)
        return 2
    print(report.to_json() if a.format == "json" else report.format(misses=not a.no_misses), end="")
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
