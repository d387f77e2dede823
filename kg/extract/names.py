"""Actors and places: gazetteer names, titles, new names, acronym slips, descriptions.

Every pass adds :class:`NameMention` s to a shared list; entities are created on
first mention and keyed by their gazetteer key (the same IRI in every article) or,
for names the gazetteer lacks, by kind and normalised name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import Entity, Span
from ..resolve.gazetteer import Entry, Gazetteer, normalise
from .doc import Doc, Lexicon, Tok

__all__ = ["NameMention", "Names", "find_names"]

# Mentions of a state that name no place: its adjective ("Rwandan troops") and its government.
NOT_A_PLACE = frozenset({"demonym", "government"})
_KIND_ORDER = {"person": 0, "organization": 1, "country": 2, "region": 3, "group": 4, "place": 5}
_CONNECTORS = {"bin", "binti", "al", "el", "de", "van", "von", "der", "da", "dos", "ibn", "abu", "bt", "la", "di"}
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


@dataclass(slots=True)
class NameMention:
    i: int  # first token
    j: int  # one past the last token
    key: str
    how: str  # name | title | acronym | descriptor | pronoun | new | demonym (an adjective: an actor,
    # never a place) | force (a common noun for a national force the article names: "polisi" for Polri)
    in_title: bool = False


class Names:
    """The entities of one article and where each is mentioned."""

    def __init__(self, doc: Doc, gaz: Gazetteer, article_date: dt.date | None) -> None:
        self.doc, self.gaz, self.date = doc, gaz, article_date
        self.mentions: list[NameMention] = []
        self.open_titles: list[tuple[int, str]] = []  # (token after a state's title, country key)
        self.inside_triggers: set[int] = set()  # tokens of event triggers, set by the event reader
        self.entities: dict[str, Entity] = {}
        self.covered: set[int] = set()
        self._sorted: list[NameMention] | None = None

    def entity_from_entry(self, e: Entry) -> Entity:
        if e.key not in self.entities:
            self.entities[e.key] = Entity(
                key=e.key, kind=e.kind if e.kind != "group" else "group", name=e.name, known=e.kind != "group",
                wikidata=e.wikidata, geonames=e.geonames, lat=e.lat, lon=e.lon, country=e.country,
                country_name=self.gaz.entries[f"country:{e.country}"].name
                if f"country:{e.country}" in self.gaz.entries else None,
                is_place=e.is_place, is_actor=e.is_actor,
            )
        return self.entities[e.key]

    def add(self, i: int, j: int, key: str, how: str, in_title: bool = False) -> NameMention:
        m = NameMention(i, j, key, how, in_title)
        self.mentions.append(m)
        self._sorted = None
        self.covered.update(range(i, j))
        span = self.doc.span(i, j)
        ent = self.entities[key]
        if span not in ent.mentions:
            ent.mentions.append(span)
        if how in ("name", "acronym", "new", "title"):
            ent.names_seen.add(span.text)
        return m

    def at(self, i: int) -> NameMention | None:
        for m in self.mentions:
            if m.i <= i < m.j and not m.in_title:
                return m
        return None

    def kind(self, key: str) -> str:
        return self.entities[key].kind

    def sorted(self) -> list[NameMention]:
        if self._sorted is None or len(self._sorted) != len(self.mentions):
            self._sorted = sorted(self.mentions, key=lambda m: (m.i, m.j))
        return self._sorted


def _case_ok(doc: Doc, i: int, j: int, s, entry: Entry, lex: Lexicon,  # type: ignore[no-untyped-def]
             gaz: Gazetteer) -> bool:
    text = doc.text[doc.toks[i].begin:doc.toks[j - 1].end]
    if s.case is not None:
        return text == s.case
    if s.lowercase_ok:
        # "Balochistan Liberation Army", "Kenya Defence Forces": a group word that ends a run of
        # capitalised words is part of a body's name; "Russian Army" and "the Army" stay the group
        prev = doc.toks[i - 1] if i > 0 else None
        if not (text[:1].isupper() and prev is not None and prev.sent == doc.toks[i].sent
                and prev.text[:1].isupper() and not doc.gap(i).strip()
                and prev.low not in lex.words("function_words")):
            return True
        two = f"{doc.toks[i - 2].text} {prev.text}" if i > 1 else ""
        return gaz.is_state_word(prev.text) or bool(two and gaz.country_for_word(two))
    first = doc.toks[i]
    if not first.text[:1].isupper():
        return False
    sentence_start = i == 0 or doc.toks[i - 1].sent != first.sent
    if entry.kind in ("place", "region"):
        if first.low in lex.words("function_words"):
            return False
        if i > 0 and doc.toks[i - 1].low in lex.words("vehicle_words"):
            return False  # "pesawat Hercules", "a Hercules aircraft" names a plane
        # "Vladimir" in "Vladimir Putin": a city name inside a longer run of names is not the city
        for k in (i - 1, j):
            if 0 <= k < len(doc.toks) and doc.toks[k].sent == first.sent and doc.toks[k].text[:1].isupper() \
                    and not doc.gap(max(k, i) if k < i else k).strip() and doc.toks[k].low not in lex.words("function_words"):
                if k < i and k == 0 or (k < i and doc.toks[k - 1].sent != first.sent):
                    continue  # the word before is just a sentence start
                return False
        if entry.kind == "place" and sentence_start and j - i == 1 and entry.population < 500_000:
            return False
    return True


def _resolve_ambiguous(names: Names, ambiguous: list) -> None:  # type: ignore[type-arg]
    """'Congo' beside 'Goma' and 'Kinshasa' is the DR Congo: the reading whose country the article names most."""
    for m, options in ambiguous:
        def support(e: Entry) -> int:
            code = e.country
            return sum(1 for other in names.mentions if other is not m and (
                names.entities[other.key].country == code or other.key == f"country:{code}"))
        best = max(options, key=lambda e: (support(e), -options.index(e)))
        if best.key != m.key:
            old = names.entities[m.key]
            span = names.doc.span(m.i, m.j)
            old.mentions = [s for s in old.mentions if s != span]
            names.entity_from_entry(best)
            m.key = best.key
            names.entities[best.key].mentions.append(span)
            names.entities[best.key].names_seen.add(span.text)


def _gazetteer_pass(names: Names, lex: Lexicon) -> None:
    doc, gaz = names.doc, names.gaz
    ambiguous: list = []  # type: ignore[type-arg]
    where = doc.positions("low")
    starts = sorted(k for w in where.keys() & gaz.first.keys() for k in where[w])  # words that start a name
    end = 0
    for i in starts:
        if i < end:
            continue
        found = None
        for n in range(min(gaz.first.get(doc.toks[i].low, 0), len(doc.toks) - i), 0, -1):
            j = i + n
            if doc.toks[j - 1].sent != doc.toks[i].sent:
                continue
            norm = " ".join(t.low for t in doc.toks[i:j])
            cands = [s for s in gaz.surfaces.get(norm, ()) if _case_ok(doc, i, j, s, gaz.entries[s.key], lex, gaz)]
            if cands:
                found = (j, cands)
                break
        if not found:
            continue
        j, cands = found
        entries = [gaz.entries[s.key] for s in cands]
        entries.sort(key=lambda e: (_KIND_ORDER.get(e.kind, 9), -e.population))
        names.entity_from_entry(entries[0])
        m = names.add(i, j, entries[0].key, "name")
        rivals = [e for e in entries[1:] if e.kind == entries[0].kind]
        if rivals:
            ambiguous.append((m, [entries[0], *rivals]))
        end = j
    _resolve_ambiguous(names, ambiguous)


def _country_at(names: Names, i: int) -> tuple[str, int] | None:
    """(country code, end token) for a country name or adjective at token i."""
    doc = names.doc
    if i >= len(doc.toks):
        return None
    for m in names.mentions:
        if m.i == i and names.kind(m.key) == "country":
            return m.key.split(":", 1)[1], m.j
    tok = doc.toks[i]
    if tok.text[:1].isupper():
        code = names.gaz.country_for_word(tok.text)
        if code:
            return code, i + 1
    return None


def _title_pass(names: Names, lex: Lexicon) -> None:
    """'Presiden Kazakhstan', 'Presiden Kazakh', 'Russian President Vladimir Putin'."""
    doc, gaz = names.doc, names.gaz
    for i, j, role, _ in lex.titles.find(doc):
        country = _country_at(names, j)
        start, end = i, j
        if country:
            code, end = country
        elif i > 0 and doc.toks[i - 1].sent == doc.toks[i].sent:
            # "Nigerian junior foreign minister": the state's adjective may stand before a modifier
            k = i - 1 if doc.toks[i - 1].low not in lex.words("title_modifiers") or i < 2 else i - 2
            before = _country_at(names, k)
            if before and before[1] == k + 1:
                code, start = before[0], k
            else:
                continue
        else:
            continue
        country_key = f"country:{code}"
        if country_key in gaz.entries:
            names.entity_from_entry(gaz.entries[country_key])
            if not any(m.i == (j if start == i else start) and m.key == country_key for m in names.mentions):
                ci, cj = (j, end) if start == i else (start, start + 1)
                names.add(ci, cj, country_key, "name", in_title=True)
        for m in names.mentions:
            if m.key == country_key and start <= m.i < end:
                m.in_title = True
        following = next((m for m in names.mentions if m.i == end and names.kind(m.key) == "person"), None)
        named_next = end < len(doc.toks) and end not in names.covered and doc.toks[end].text[:1].isupper() \
            and doc.toks[end].sent == doc.toks[i].sent and doc.toks[end].low not in lex.words("function_words")
        # "Penjabat Perdana Menteri Thailand Phumtham Wechayachai": a name right after the title is the
        # holder, whoever the list says held the office that day
        holder = following.key if following else (None if named_next else gaz.office_holder(code, role, names.date))
        if holder is None:
            # the recogniser may yet find a name right after the title: "Gambian President Dawda Jawara"
            names.open_titles.append((end, country_key))
            continue
        if holder in gaz.entries:
            names.entity_from_entry(gaz.entries[holder])
        person = names.entities[holder]
        office = next((o for o in gaz.entries[holder].offices if o.country == code and o.role == role), None) \
            if holder in gaz.entries else None
        title = office.title_en if office else None
        if title and not person.job_title:
            person.job_title = title
        if person.affiliation is None:
            # "Zimbabwean Prime Minister Robert Mugabe" holds a state office even when our list lacks him
            person.affiliation = country_key
        names.add(start, end, holder, "title")


_SECTOR_NOUNS = {"officials", "official", "forces", "troops", "soldiers", "army", "military", "government",
                 "police", "authorities", "leaders", "leader", "president", "minister", "ministry", "navy",
                 "diplomats", "diplomat", "envoy", "delegation", "side", "sides", "warplanes", "jets", "guards",
                 "security", "state", "prime", "foreign", "defence", "defense", "interior", "military's",
                 "rebels", "militants", "parliament", "lawmakers", "opposition", "embassy", "court", "prosecutors",
                 "tanks", "helicopters", "drones", "gunboats", "warships", "negotiators", "judge", "ambassador"}


def _capital_pass(names: Names, lex: Lexicon) -> None:
    """'Beirut rejected …', 'Washington menuntut …': a capital that speaks or acts is its state."""
    doc, gaz = names.doc, names.gaz
    cues = {k for name in ("after_subject", "blame") for i, _j, _, _ in lex.speech[name].find(doc) for k in (i,)}
    acts = {i for i, _j, _, _ in lex.triggers.find(doc)} | {i for i, _j, _, _ in lex.trigger_lemmas.find(doc)}
    verbs = {v for spec in lex.data.get("verb_object", {}).values() for v in spec["verbs"]}
    acts |= {k for k in range(len(doc.toks)) if doc.lemmas[k] in verbs}  # "Moscow summoned …"
    aux = lex.words("subject_aux")
    locative = lex.words("locative")
    for m in names.mentions:
        code = gaz.capitals.get(m.key)
        if code is None or m.in_title or f"country:{code}" not in gaz.entries:
            continue
        if doc.after(m.i, locative):
            continue  # "in Beirut"
        k = m.j
        while k < len(doc.toks) and k - m.j < 3 and doc.toks[k].low in aux:
            k += 1  # "Washington has long demanded"
        if k >= len(doc.toks) or doc.toks[k].sent != doc.toks[m.i].sent or (k not in cues and k not in acts):
            continue
        old = names.entities[m.key]
        span = doc.span(m.i, m.j)
        old.mentions = [x for x in old.mentions if x != span]
        names.entity_from_entry(gaz.entries[f"country:{code}"])
        m.key = f"country:{code}"
        names.entities[m.key].mentions.append(span)
        names._sorted = None


def demonym_ending(names: Names, end: int) -> tuple[str, int] | None:
    """(country code, first token) of a state adjective that ends just before token ``end``: one word
    ("Rwandan") or two ("Sri Lankan", "South African")."""
    doc = names.doc
    for width in (2, 1):
        i = end - width
        if i < 0 or any(not t.text[:1].isupper() or t.sent != doc.toks[end - 1].sent for t in doc.toks[i:end]) \
                or (width == 2 and doc.gap(end - 1).strip()):
            continue
        code = names.gaz.country_for_word(" ".join(t.text for t in doc.toks[i:end]))
        if code and f"country:{code}" in names.gaz.entries:
            return code, i
    return None


def _demonym_pass(names: Names) -> None:
    """'Hungarian officials', 'the Sri Lankan army', 'Turkish and Greek sides': the adjective names
    the state that acts. 'Palestinians blamed …', 'thousands of Nigerians': a people acts as its state,
    as PLOVER codes it."""
    doc = names.doc
    for t in doc.toks:
        if t.i in names.covered or not t.text[:1].isupper():
            continue
        nxt = doc.toks[t.i + 1] if t.i + 1 < len(doc.toks) else None
        if nxt is None or nxt.sent != t.sent or doc.gap(t.i + 1).strip() or nxt.low not in _SECTOR_NOUNS:
            _people(names, t, nxt)
            continue
        found = demonym_ending(names, t.i + 1)
        if found is None or any(k in names.covered for k in range(found[1], t.i + 1)):
            continue
        add_demonym(names, found[0], found[1], t.i + 1)
        # "Turkish and Greek sides": the adjective joined before the one that heads the noun
        k = found[1]
        if k >= 2 and doc.toks[k - 1].low in ("and", "dan") and not doc.gap(k - 1).strip() \
                and doc.toks[k - 1].sent == t.sent:
            first = demonym_ending(names, k - 1)
            if first is not None and not any(j in names.covered for j in range(first[1], k - 1)):
                add_demonym(names, first[0], first[1], k - 1)


def _people(names: Names, t: Tok, nxt: Tok | None) -> None:
    """A plural demonym standing alone as a noun: 'Palestinians', 'Nigerians', 'Israelis'."""
    if not t.text.endswith(("ans", "is")) or len(t.text) < 5 or (nxt is not None and nxt.sent == t.sent
                                                      and nxt.text[:1].isupper()):
        return
    code = names.gaz.country_for_word(t.text[:-1])
    if code:
        add_demonym(names, code, t.i, t.i + 1)


def add_demonym(names: Names, code: str, i: int, j: int) -> None:
    if f"country:{code}" in names.gaz.entries:
        names.entity_from_entry(names.gaz.entries[f"country:{code}"])
        names.add(i, j, f"country:{code}", "demonym")


def _open_title_pass(names: Names) -> None:
    """A person first found by the recogniser right after a state's title holds that state's office."""
    for end, country_key in names.open_titles:
        m = next((m for m in names.mentions if m.i == end and names.kind(m.key) == "person"), None)
        if m is not None and names.entities[m.key].affiliation is None:
            names.entities[m.key].affiliation = country_key


def _group_country_pass(names: Names, lex: Lexicon) -> None:
    """'Israeli soldiers', 'Rwandan rebels', 'the British government': an unnamed group right after a
    demonym belongs to that state, when every such demonym in the article names the same one."""
    seen: dict[str, set[str]] = {}
    located = lex.words("located_in")
    for m in names.mentions:
        ent = names.entities[m.key]
        if ent.kind != "group" or ent.country:
            continue
        if m.i == 0 or names.doc.gap(m.i).strip():
            before = _located_in(names, m, located)
            if before is not None:
                seen.setdefault(m.key, set()).add(before)
            continue
        doc = names.doc
        # "Ethiopia's government": the owner before a possessive counts as the word before
        owned = m.i >= 2 and doc.toks[m.i - 1].low == "s" and doc.gap(m.i - 1) in ("'", "’")
        at = m.i - 1 if owned else m.i
        before = next((p.key for p in names.mentions if p.j == at and names.kind(p.key) == "country"), None)
        word = names.doc.toks[m.i - 1]
        if before is None and word.text[:1].isupper() and word.sent == names.doc.toks[m.i].sent:
            # "Palestinian detainees": a demonym no other pass took as a name
            code = names.gaz.country_for_word(word.text)
            before = f"country:{code}" if code and f"country:{code}" in names.gaz.entries else None
        if before is None:
            before = _located_in(names, m, located)
        if before is not None:
            seen.setdefault(m.key, set()).add(before)
    for key, countries in seen.items():
        if len(countries) == 1:
            country = next(iter(countries))
            names.entity_from_entry(names.gaz.entries[country])
            if key == "group:government":
                # "the Ethiopian government" is Ethiopia acting: one actor, as the state is
                _rekey(names, key, country)
                continue
            names.entities[key].country = country.split(":", 1)[1]
            names.entities[key].affiliation = country


def _rekey(names: Names, old: str, new: str, how: str | None = "government") -> None:
    """Every mention of one entity becomes a mention of another, read as ``how`` (None: as it was)."""
    for m in names.mentions:
        if m.key == old:
            m.key, m.how = new, how or m.how
    names.entities[new].mentions += [s for s in names.entities[old].mentions if s not in names.entities[new].mentions]
    del names.entities[old]
    names._sorted = None


_FORCE_OF_KIND = {"forces:police": "police", "forces:military": "armed-forces"}


def _national_force_pass(names: Names) -> None:
    """'Polri … polisi …', 'TNI … tentara …': where an article names one national police or army,
    its generic police or soldiers are that body."""
    for group, kind in _FORCE_OF_KIND.items():
        g = names.entities.get(group)
        if g is None:
            continue
        bodies = {m.key for m in names.mentions if names.gaz.entries.get(m.key) is not None
                  and names.gaz.entries[m.key].org_kind == kind}
        if len(bodies) != 1:
            continue
        body = names.entities[bodies.pop()]
        if g.country and body.country and g.country != body.country:
            continue  # "Israeli soldiers" in an article naming the TNI are not the TNI
        for m in names.mentions:
            if m.key == group:
                m.key, m.how = body.key, "force"  # still a common noun: it may sit in a trigger
                span = names.doc.span(m.i, m.j)
                if span not in body.mentions:
                    body.mentions.append(span)
        g.mentions = []
        names._sorted = None


def _short_name_pass(names: Names) -> None:
    """A one-word person found before the full name ('Phumtham', then 'Phumtham Wechayachai') is that person."""
    for key, e in list(names.entities.items()):
        if e.kind != "person" or len(e.name.split()) != 1 or e.known:
            continue
        full = _person_with_surname(names, e.name)
        if full is None or full == key:
            continue
        _rekey(names, key, full, how=None)


def _located_in(names: Names, m: NameMention, located: set[str]) -> str | None:
    """'Opposition groups in Zimbabwe', 'pengungsi di Chad': a group placed in a state (or in one of
    its towns) right after its name belongs to it."""
    doc = names.doc
    k = m.j
    if k + 2 < len(doc.toks) and doc.toks[k].low not in located and doc.toks[k].text.islower() \
            and doc.toks[k + 1].low in located:
        k += 1  # "opposition groups in …"
    if k + 1 >= len(doc.toks) or doc.toks[k].sent != doc.toks[m.i].sent or doc.toks[k].low not in located:
        return None
    place = next((p for p in names.mentions if p.i == k + 1 and names.entities[p.key].is_place), None)
    code = names.entities[place.key].country if place is not None else None
    return f"country:{code}" if code and f"country:{code}" in names.gaz.entries else None



def _acronym_pass(names: Names) -> None:
    """An unknown all-capitals word one slip away from an acronym of this article is that acronym."""
    doc = names.doc
    # "Collective Security Treaty Organization (CSTO)" defines CSTO for the rest of the article
    for m in list(names.mentions):
        k = m.j
        if k >= len(doc.toks) or not _ACRONYM.match(doc.toks[k].text) or doc.gap(k).strip() != "(" \
                or names.kind(m.key) not in ("organization", "group"):
            continue
        # the recogniser may have taken the acronym for a name of its own ("PKK" a person): the
        # definition wins, here and wherever the acronym recurs
        _unname(names, [x for x in names.mentions if x.how == "new" and x.j - x.i == 1
                        and doc.toks[x.i].text == doc.toks[k].text and x.key != m.key])
        if k not in names.covered:
            names.add(k, k + 1, m.key, "acronym")
            for t in doc.toks:
                if t.i not in names.covered and t.text == doc.toks[k].text:
                    names.add(t.i, t.i + 1, m.key, "acronym")
    known = {doc.text[doc.toks[m.i].begin:doc.toks[m.j - 1].end]: m.key for m in names.mentions
             if m.j - m.i == 1 and _ACRONYM.match(doc.toks[m.i].text)}
    for t in doc.toks:
        if t.i in names.covered or not _ACRONYM.match(t.text) or len(t.text) < 3:
            continue
        for acro, key in known.items():
            if len(acro) == len(t.text) and sorted(acro) == sorted(t.text) and acro != t.text:
                names.add(t.i, t.i + 1, key, "acronym")
                break


def _unname(names: Names, drop: list[NameMention]) -> None:
    """Take mentions back, and the entities left with none."""
    for x in drop:
        names.mentions.remove(x)
        names.covered.difference_update(range(x.i, x.j))
        ent = names.entities[x.key]
        ent.mentions = [sp for sp in ent.mentions if sp != names.doc.span(x.i, x.j)]
        if not ent.mentions:
            del names.entities[x.key]
    names._sorted = None


def _descriptor_pass(names: Names, lex: Lexicon) -> None:
    """'aliansi militer negara-negara bekas Soviet' is the one alliance the article names."""
    doc = names.doc
    stop = lex.words("descriptor_stop")
    for i, j, kind, _ in lex.descriptors.find(doc):
        clash = [m for m in names.mentions if m.i < j and i < m.j]
        if any(names.kind(m.key) != "group" for m in clash):
            continue
        for m in clash:  # "militer" in "aliansi militer" names no force of its own here
            names.mentions.remove(m)
            names._sorted = None
            ent = names.entities[m.key]
            ent.mentions = [s for s in ent.mentions if s != doc.span(m.i, m.j)]
        targets = {m.key for m in names.mentions
                   if names.gaz.entries.get(m.key) and names.gaz.entries[m.key].org_kind == kind}
        if len(targets) != 1:
            continue
        end = j
        while end < len(doc.toks) and end - j < 5 and doc.toks[end].sent == doc.toks[i].sent \
                and doc.toks[end].low not in stop and not doc.gap(end).strip(" "):
            end += 1
        names.add(i, end, targets.pop(), "descriptor")


_NER_KIND = {"PER": "person", "ORG": "organization", "LOC": "place"}


def _recogniser_pass(names: Names, lex: Lexicon) -> None:
    """Persons, organisations and places the gazetteer lacks, from the trained recogniser (kg/extract/ner.py).

    It reads whole sentences (punctuation helps it); what the gazetteer already read stays as it was.
    """
    from .ner import Recogniser

    rec = Recogniser.load(lex.language)
    if rec is None:
        return
    doc = names.doc
    title_words = {w for ws in lex.data["titles"].values() for w in ws}
    office, org_heads = lex.words("office_words"), lex.words("org_heads")
    for sent in doc.sentences:
        if sent.text[1:].lower() == sent.text[1:]:
            continue  # nothing capitalised after the first letter: no name to find
        for b, e, typ in rec.find(sent.text):
            b, e = sent.begin + b, sent.begin + e
            i = doc.tok_at(b)
            if i > 0 and doc.toks[i - 1].end > b:
                i -= 1  # the span starts inside a token ("Al-Aqsa")
            j = doc.tok_at(e)
            while i < j and (doc.toks[i].low in title_words or typ == "PER" and i in names.covered):
                i += 1  # titles and a leading demonym ("British Defence Secretary …") are context, not the name
            if i >= j or any(k in names.covered for k in range(i, j)) or doc.toks[i].sent != doc.toks[j - 1].sent:
                continue
            # "Kepulauan Riau Irjen Tabana Bangun": a rank inside a place or body starts a person
            rank = next((k for k in range(i + 1, j - 1) if typ != "PER" and doc.toks[k].low in office
                         and doc.toks[k].low not in org_heads), None)
            if rank is not None:
                end = j
                while end < len(doc.toks) and doc.toks[end].text[:1].isupper() and end not in names.covered \
                        and doc.toks[end].sent == doc.toks[j - 1].sent and not doc.gap(end).strip():
                    end += 1  # the recogniser may have cut the person's name short
                _add_new_name(names, i, rank, _NER_KIND[typ], lex)
                _add_new_name(names, rank + 1, end, "person", lex)
                continue
            _add_new_name(names, i, j, _NER_KIND[typ], lex)


def _office_country(names: Names, i: int, lex: Lexicon) -> str | None:
    """The state in the office words before a name: 'British Defence Secretary', "Niger's ambassador",
    'Planning and Investment Minister' (none). Walks back over office words and capitalised words."""
    doc, office = names.doc, lex.words("office_words")
    s, k, seen_office = doc.toks[i].sent, i - 1, False
    while k >= 0 and i - k <= 6 and doc.toks[k].sent == s:
        t = doc.toks[k]
        if t.low == "s" and doc.gap(k) == "'" and k > 0:
            k -= 1  # "Niger's"
            continue
        m = next((m for m in names.mentions if m.i <= k < m.j and names.kind(m.key) == "country"), None)
        code = m.key.split(":", 1)[1] if m else (names.gaz.country_for_word(t.text) if t.text[:1].isupper() else None)
        if code:
            return code if seen_office and f"country:{code}" in names.gaz.entries else None
        if t.low in office:
            seen_office = True
        elif not t.text[:1].isupper() and t.low != "and":
            return None
        k -= 1
    return None


def _day_words(lex: Lexicon) -> frozenset[str]:
    """Weekday and month names, which end no person's name ("Yasser Arafat Wednesday")."""
    cache = lex.__dict__.setdefault("_day_words", None)
    if cache is None:
        cache = lex.__dict__["_day_words"] = frozenset(lex.data["time"]["weekdays"]) | frozenset(lex.data["time"]["months"])
    return cache


def _trim_person(names: Names, i: int, j: int, lex: Lexicon) -> tuple[int, int]:
    """A name runs after its last office word and stops before a weekday: 'British Defence Secretary
    Tom King' is Tom King, 'Yasser Arafat Wednesday' is Yasser Arafat."""
    doc, office = names.doc, lex.words("office_words")
    days = _day_words(lex)
    last = max((k for k in range(i, j - 1) if doc.toks[k].low in office), default=None)
    if last is not None:
        i = last + 1
    while j - i > 1 and doc.toks[j - 1].low in days:
        j -= 1
    return i, j


def _add_new_name(names: Names, i: int, j: int, kind: str, lex: Lexicon) -> None:
    doc = names.doc
    while kind == "place" and j - i > 1 and doc.toks[i].text.islower():
        i += 1  # "desa Kirants" is Kirants
    if kind == "place" and (doc.toks[i].low in lex.words("facility_words") or i > 0 and doc.toks[i - 1].low
                            in lex.words("vehicle_words")):
        return  # "Gedung DPR", "Pasar Tanah Abang" are buildings; "pesawat Hercules" is a plane
    if kind == "place" and names.gaz.is_state_word(doc.text[doc.toks[i].begin:doc.toks[j - 1].end]):
        return  # "Russian", "South African": a state's adjective is no place (its name the gazetteer read)
    if kind == "person":
        i, j = _trim_person(names, i, j, lex)
        days = _day_words(lex)
        office = lex.words("office_words")
        if all(names.gaz.country_for_word(t.text) or t.low in days or t.low in office for t in names.doc.toks[i:j]):
            return  # "Sierra Leonean" is a people, "Sunday" a day, "Colonel" a rank: none is a person
    span = names.doc.span(i, j)
    key = f"{kind}:{_slug(span.text)}"
    surname_of = _person_with_surname(names, span.text) if kind == "person" and j - i == 1 else None
    if surname_of:
        key = surname_of
    elif key not in names.entities:
        names.entities[key] = Entity(key=key, kind=kind, name=span.text,  # type: ignore[arg-type]
                                     is_place=kind == "place", is_actor=kind != "place")
    names.add(i, j, key, "new")
    code = _office_country(names, i, lex) if kind == "person" else None
    if code and names.entities[key].affiliation is None:
        names.entity_from_entry(names.gaz.entries[f"country:{code}"])
        names.entities[key].affiliation = f"country:{code}"


def _new_names_pass(names: Names, lex: Lexicon) -> None:
    """Capitalised runs the gazetteer lacks become persons, organisations or places by their context."""
    doc = names.doc
    function = lex.words("function_words")
    title_words = {w for ws in lex.data["titles"].values() for w in ws}
    org_heads = lex.words("org_heads") | _other_lexicon_words("org_heads", lex.language)
    locative = lex.words("locative")
    speech = set(lex.data["speech"]["after_subject"])
    i = 0
    while i < len(doc.toks):
        t = doc.toks[i]
        if i in names.covered or not t.text[:1].isupper() or t.low in function or t.text.isupper() and len(t.text) < 2:
            i += 1
            continue
        j = i + 1
        while j < len(doc.toks) and j not in names.covered and doc.toks[j].sent == t.sent and not doc.gap(j).strip():
            nxt = doc.toks[j]
            if nxt.text[:1].isupper() and nxt.low not in function or (
                    nxt.low in _CONNECTORS and j + 1 < len(doc.toks) and doc.toks[j + 1].text[:1].isupper()):
                j += 1
            else:
                break
        words = [x.low for x in doc.toks[i:j]]
        prev = doc.toks[i - 1].low if i > 0 and doc.toks[i - 1].sent == t.sent else ""
        prev2 = " ".join(x.low for x in doc.toks[max(0, i - 2):i])
        nxt_low = doc.toks[j].low if j < len(doc.toks) else ""
        sentence_start = prev == ""
        kind = None
        if any(w in org_heads for w in words):
            kind = "organization"
        elif prev in title_words or prev2 in title_words or any(i == end for end, _ in names.open_titles):
            kind = "person"  # "Perdana Menteri Thailand Phumtham Wechayachai": right after a state's title
        elif nxt_low in speech and (j - i >= 2 or not sentence_start):
            kind = "person"
        elif doc.after(i, locative) and not sentence_start:
            kind = "place"
        # a lone capitalised word at a sentence start is usually just a sentence start
        if j - i == 1 and t.low in lex.words("not_alone"):
            kind = None  # "based in Christian east Beirut": a faith or a people, not a place
        if kind is None or (sentence_start and j - i == 1 and kind != "person"):
            i = j
            continue
        _add_new_name(names, i, j, kind, lex)
        i = j
    # later mentions of the persons found above: the full name again, else a bare surname or first name
    full = {tuple(normalise(e.name).split()): k for k, e in names.entities.items()
            if e.kind == "person" and len(e.name.split()) > 1}
    for t in doc.toks:
        if t.i in names.covered or not t.text[:1].isupper():
            continue
        whole = next(((n, key) for words, key in full.items() for n in (len(words),)
                      if tuple(x.low for x in doc.toks[t.i:t.i + n]) == words
                      and not any(k in names.covered for k in range(t.i, t.i + n))), None)
        if whole:
            names.add(t.i, t.i + whole[0], whole[1], "name")
            continue
        key = _person_with_surname(names, t.text)
        if key:
            names.add(t.i, t.i + 1, key, "name")


def _other_lexicon_words(name: str, language: str) -> set[str]:
    """Names in English turn up in text of every language, so English heads count everywhere."""
    from .doc import load_lexicon

    other = load_lexicon("en") if language != "en" else None
    return other.words(name) if other else set()


def _person_with_surname(names: Names, word: str) -> str | None:
    """The person named in full earlier whose last name is ``word``; else the one person whose first
    name it is ("Anwar" for Anwar Ibrahim, as Malay and Thai news shorten names)."""
    w = normalise(word)
    firsts, inner = [], []
    for key, e in names.entities.items():
        if e.kind != "person" or len(e.name.split()) < 2:
            continue
        parts = [normalise(p) for p in e.name.split()]
        if parts[-1] == w:
            return key
        if parts[0] == w:
            firsts.append(key)
        elif w in parts[1:]:
            inner.append(key)
    if len(firsts) == 1:
        return firsts[0]
    # "Bongo" for Ali Bongo Ondimba: a family name inside a longer name, the person named first
    first_seen = {m.key: m.i for m in reversed(names.sorted())}
    return min(inner, key=lambda k: first_seen.get(k, 1 << 30)) if inner and not firsts else None


def _slug(text: str) -> str:
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


def find_names(doc: Doc, lex: Lexicon, gaz: Gazetteer, article_date: dt.date | None) -> Names:
    names = Names(doc, gaz, article_date)
    _gazetteer_pass(names, lex)
    _capital_pass(names, lex)
    _title_pass(names, lex)
    _demonym_pass(names)
    _acronym_pass(names)  # "CTSO" is the CSTO before the recogniser calls it a new organisation
    _recogniser_pass(names, lex)
    _new_names_pass(names, lex)
    _acronym_pass(names)  # acronyms the article itself defines: "Organization (CSTO)"
    _descriptor_pass(names, lex)
    _open_title_pass(names)
    _group_country_pass(names, lex)
    _national_force_pass(names)
    _short_name_pass(names)
    _office_pass(names)
    return names


def _office_pass(names: Names) -> None:
    """'Putin offered …': a listed office holder named without a title still held the office that day,
    and the contract gives a person's office as job title and affiliation."""
    for key, ent in names.entities.items():
        entry = names.gaz.entries.get(key)
        if ent.kind != "person" or entry is None or not entry.offices:
            continue
        office = next((o for o in entry.offices if o.held_on(names.date)), None)
        state = names.gaz.entries.get(f"country:{office.country}") if office else None
        if office is None or state is None:
            continue
        ent.job_title = ent.job_title or office.title_en
        if ent.affiliation is None:
            # the state may go unnamed in the article: its code and name travel with the person
            ent.affiliation, ent.country, ent.country_name = state.key, office.country, state.name


def span_of(doc: Doc, m: NameMention) -> Span:
    return doc.span(m.i, m.j)
