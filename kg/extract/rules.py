"""The first extractor: gazetteer names and cue-word rules, Indonesian and English.

A pure function of the article (the gazetteer and lexicons are read-only data
loaded once per process), so articles can be spread over worker processes.
"""

from __future__ import annotations

import datetime as dt

from ..model import Article, Claim, Count, Event, Extraction, TimeSpec
from ..resolve.gazetteer import load_gazetteer
from .claims import find_claims
from .counts import CountMention, find_counts
from .doc import Doc, Lexicon, load_lexicon
from .events import build_events
from .names import find_names
from .timex import find_times
from .triggers import VIOLENT, find_triggers

__all__ = ["RuleExtractor"]

_DEPLOY = ("foreign-military-deployment", "military-deployment")
_HARM = ("killed", "injured", "missing", "displaced", "abducted")


class RuleExtractor:
    name = "rules"
    version = "0.1.0"

    def extract(self, article: Article) -> Extraction:
        language = (article.language or "und").split("-")[0].lower()
        # Names need only the gazetteer; other languages get them with English cue words.
        lex = load_lexicon(language) or load_lexicon("en")
        assert lex is not None
        doc = Doc(article.text, language)
        day = article.date.date() if article.date else None
        names = find_names(doc, lex, load_gazetteer(), day)
        events: list[Event] = []
        claims: list[Claim] = []
        if load_lexicon(language) is not None:
            triggers = find_triggers(doc, lex, names)
            events = build_events(doc, lex, names, triggers)
            claims = find_claims(doc, lex, names, triggers, events, language)
            counted = _attach_counts(doc, find_counts(doc, lex), events, claims)
            _attach_times(doc, find_times(doc, lex, day), events, counted, day, lex)
        _name_forces(names.entities, events)
        _place_groups(names.entities, events)
        _drop_idle_groups(doc, lex, names, events, claims)
        return Extraction(
            article=article,
            extractor=f"{self.name}/{self.version}",
            sentences=list(doc.sentences),
            entities={k: e for k, e in names.entities.items() if e.mentions},
            events=events,
            claims=claims,
        )


def _drop_idle_groups(doc: Doc, lex: Lexicon, names, events: list[Event], claims: list[Claim]) -> None:  # type: ignore[no-untyped-def]
    """A group word only inside a quotation, an event word or a troop figure ('2.030 tentara') names no actor.

    Groups that take part in an event or a claim stay, as do the victims a figure counts ('puluhan
    warga tewas') and groups named on their own elsewhere.
    """
    used = {r.entity for e in events for r in e.roles} | {c.speaker for c in claims} | {
        k for c in claims for k in c.about_entities} | {q.attributed_to for e in events for q in e.counts}
    busy = [(m.begin, m.end) for e in events for m in e.mentions] + [
        (q.mention.begin, q.mention.end) for e in events for q in e.counts if q.kind == "troops"] + [
        (q.mention.begin, q.mention.end) for c in claims for q in c.counts if q.kind == "troops"]
    told = lex.words("audience_verbs")
    for key, ent in names.entities.items():
        if ent.kind != "group" or key in used:
            continue
        free = [s for s in ent.mentions if not doc.quote_of(s.begin, s.end)
                and not any(b <= s.begin and s.end <= e for b, e in busy) and not _audience(doc, s, told)]
        if not free:
            ent.mentions = []


def _audience(doc: Doc, s, told: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """'told reporters', 'kata … kepada wartawan': who is spoken to takes no part."""
    i = doc.tok_at(s.begin)
    return i > 0 and doc.toks[i - 1].low in told


def _name_forces(entities: dict, events: list[Event]) -> None:  # type: ignore[type-arg]
    """'pasukan keamanan' in a story set in Kazakhstan are Kazakhstan's security forces."""
    story = _story(events)
    place = entities.get(story.places[0]) if story and story.places else None
    if place is None or not place.country:
        return
    country = entities.get(f"country:{place.country}")
    for key, e in entities.items():
        if key in ("forces:security-forces", "forces:police") and country is not None and not e.country:
            e.country = place.country
            e.affiliation = country.key
            e.name = f"{e.name} of {country.name}"


# Unnamed groups of the place where they act: ACLED names them so ("Protesters (Egypt)"), and PLOVER
# codes them with the country where the event happens. Refugees and migrants are often from elsewhere.
_LOCAL_GROUPS = frozenset({"protesters", "rioters", "students", "workers", "civilians", "journalists",
                           "opposition", "activists", "supporters", "youths", "suspects", "children",
                           "women", "farmers", "herders", "vigilantes", "witnesses", "medics", "rescuers"})


def _place_groups(entities: dict, events: list[Event]) -> None:  # type: ignore[type-arg]
    """'Egyptian police opened fire on demonstrators': the demonstrators are Egypt's when every event
    they take part in happens in Egypt."""
    gaz = load_gazetteer()
    for key, e in entities.items():
        if not key.startswith("group:") or key[6:] not in _LOCAL_GROUPS or e.country or e.affiliation:
            continue
        codes = {entities[p].country or (p[8:] if p.startswith("country:") else None)
                 for ev in events if any(r.entity == key for r in ev.roles) for p in ev.places if p in entities}
        if len(codes) == 1 and None not in codes and f"country:{next(iter(codes))}" in gaz.entries:
            state = gaz.entries[f"country:{next(iter(codes))}"]
            e.country, e.affiliation, e.country_name = next(iter(codes)), state.key, state.name


def _across(doc: Doc, e: Event, t: int, sent: int, breaks: set[str]) -> bool:
    """'… dilakukan setelah dua warga tewas pada akhir Maret': the time belongs to the clause after
    'setelah' / 'after', not to the event before it (and the other way round)."""
    s = doc.sentences[sent]
    k = next(doc.tok_at(m.begin) for m in e.mentions if s.begin <= m.begin < s.end)
    lo, hi = sorted((k, t))
    return any(doc.toks[x].low in breaks for x in range(lo + 1, hi))


def _story(events: list[Event]) -> Event | None:
    return next((e for t in VIOLENT for e in events if e.type == t), None)


def _in_sentence(doc: Doc, e: Event, sent: int) -> bool:
    s = doc.sentences[sent]
    return any(s.begin <= m.begin < s.end for m in e.mentions)


def _attach_counts(doc: Doc, counts: list[CountMention], events: list[Event],
                   claims: list[Claim]) -> dict[int, list[Event]]:
    """Hang each count off its event (and off the claim that gives it); returns events per sentence."""
    story = _story(events)
    by_sentence: dict[int, list[Event]] = {}
    for cm in counts:
        c: Count = cm.count
        sent = doc.toks[cm.i].sent
        holding = [cl for cl in claims if cl.mention.begin <= c.mention.begin and c.mention.end <= cl.mention.end]
        # "…, yang dia klaim berjumlah 2.030 tentara" sits inside a longer claim: the inner one gives it
        claim = min(holding, key=lambda cl: cl.mention.end - cl.mention.begin) if holding else None
        if claim is not None:
            c.attributed_to = claim.speaker
            claim.counts.append(c)
        here = [e for e in events if _in_sentence(doc, e, sent)]
        target = None
        if c.kind == "troops":
            target = next((e for e in here if e.type in _DEPLOY), None) or next(
                (e for e in events if e.type in _DEPLOY), None)
        elif c.kind in ("arrested", "detained"):
            target = next((e for e in here if e.type == "arrest"), None) or story or next(
                (e for e in events if e.type == "arrest"), None)
        elif c.kind == "participants":
            target = next((e for e in events if e.type == "protest"), None)
        elif c.kind == "abducted":
            # "66 women who had been abducted": the abduction, else the hostage-taking told
            target = next((e for e in here + events if e.type in ("abduction", "hostage-taking")), None) or story
        elif c.kind == "displaced":
            target = next((e for e in here + events if e.type == "displacement"), None) or story
        elif c.kind in _HARM:
            target = next((e for e in here if e.type in VIOLENT and e.type != "protest"), None) or story
        if target is not None:
            target.counts.append(c)
            by_sentence.setdefault(sent, []).append(target)
    return by_sentence


def _speech_times(doc: Doc, times, events: list[Event], lex: Lexicon) -> set[int]:  # type: ignore[no-untyped-def]
    """Times that date a saying: '…, kata Kapolda Papua, Rabu (25/9/2019)', 'police said on Tuesday'.
    The day something was said is not the day of what it tells."""
    cues = [(i, j) for name in ("after_subject", "before_subject", "self") for i, j, _, _ in lex.speech[name].find(doc)]
    acts = sorted(doc.tok_at(m.begin) for e in events for m in e.mentions)
    out = set()
    for tm in times:
        for i, j in cues:
            if j <= tm.i <= j + 10 and doc.toks[i].sent == doc.toks[tm.i].sent \
                    and not any(j <= a < tm.i for a in acts) \
                    and "." not in doc.text[doc.toks[j - 1].end:doc.toks[tm.i].begin]:
                out.add(tm.i)
    return out


def _attach_times(doc: Doc, times, events: list[Event], counted: dict[int, list[Event]], day,  # type: ignore[no-untyped-def]
                  lex: Lexicon) -> None:
    breaks = lex.words("time_clause_breaks")
    spoken = _speech_times(doc, times, events, lex)
    for tm in times:
        if tm.i in spoken:
            continue
        sent = doc.toks[tm.i].sent
        for e in events + counted.get(sent, []):
            if e.time is None and (_in_sentence(doc, e, sent) and not _across(doc, e, tm.i, sent, breaks)
                                   or e in counted.get(sent, [])):
                e.time = tm.time
    for tm in times:
        if tm.i not in spoken or tm.time.stamp is None:
            continue
        said = tm.time.stamp.date() if isinstance(tm.time.stamp, dt.datetime) else tm.time.stamp
        for e in events + counted.get(doc.toks[tm.i].sent, []):
            if e.time is None and e.status != "announced" and (_in_sentence(doc, e, doc.toks[tm.i].sent)
                                                               or e in counted.get(doc.toks[tm.i].sent, [])):
                # told that day of something undated: news tells what is recent, so the week up to it
                e.time = TimeSpec("week", earliest=said - dt.timedelta(days=6), latest=said)
    for e in events:
        if e.time is None and e.status != "announced":
            # news sets its time once ("on Tuesday, …") and tells the rest of the story in it
            first = min(m.begin for m in e.mentions)
            earlier = [tm for tm in times if doc.toks[tm.i].begin < first and tm.time.stamp is not None
                       or doc.toks[tm.i].begin < first and tm.time.precision == "week"]
            if earlier:
                e.time = earlier[-1].time
            elif day is not None:
                e.time = TimeSpec("day", latest=day)  # reported, so on or before the article's date
