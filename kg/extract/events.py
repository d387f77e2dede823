"""Events from triggers: one event per act and place, its mentions joined.

:mod:`.triggers` finds the acts and :mod:`.roles` who took part; here mentions
that refer back join their event, the parts of a story are linked, and what one
event says about another (places, who withdraws, who agreed after talks) is filled in.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Event, Role
from .doc import Doc, Lexicon
from .names import NOT_A_PLACE, Names
from .roles import CIVILIANS, assign_roles, is_purpose
from .triggers import CLAIM_ONLY, GROUNDED, PART_OF, VIOLENT, Trigger

__all__ = ["build_events"]

def _family(typ: str) -> str:
    return "deployment" if typ in ("foreign-military-deployment", "military-deployment") else typ


def _refers_back(doc: Doc, lex: Lexicon, trig: Trigger) -> bool:
    """'kudeta tersebut', 'pengerahan pasukan ini', 'this deployment': a mention of an event told before."""
    s = trig.sent
    after = doc.toks[trig.j].low if trig.j < len(doc.toks) and doc.toks[trig.j].sent == s else ""
    before = doc.toks[trig.i - 1].low if trig.i > 0 and doc.toks[trig.i - 1].sent == s else ""
    return after in lex.words("anaphor_after") or before in lex.words("anaphor_before")


def _same_agents(a: list[Role], b: list[Role]) -> bool:
    """Two mentions are one event unless each names who acted and they name different actors
    ('China menolak hadir' and 'Kyiv menolak tawaran itu' are two refusals)."""
    x = {r.entity for r in a if r.role == "agent"}
    y = {r.entity for r in b if r.role == "agent"}
    return not x or not y or bool(x & y)


def build_events(doc: Doc, lex: Lexicon, names: Names, triggers: list[Trigger]) -> list[Event]:
    """Article events from unquoted, unnegated triggers, one event per type and place."""
    events: list[Event] = []
    anaphoric = lex.words("anaphoric_triggers")
    told = [t for t in triggers if not (t.quoted or t.negated or t.type in CLAIM_ONLY)]
    for trig in told:
        assign_roles(doc, lex, names, trig)
    # "Aksi serupa digelar di Bandung, Semarang, dan Makassar": one event in each place listed
    told = [split for t in told for split in ([replace(t, places=[p]) for p in t.places] if len(t.places) > 1 else [t])]
    doers: dict[int, list[str]] = {}  # sentence -> who acts in its first act
    for trig in told:
        acting = [r.entity for r in trig.roles if r.role in ("agent", "participant")]
        if is_purpose(doc, lex, trig) and trig.sent in doers:
            # "blocked roads in Algiers demanding that …", "turun ke jalan untuk menuntut …": whoever
            # does the first act pursues the second
            trig.roles = [Role(k, "agent") for k in doers[trig.sent]] + [
                r for r in trig.roles if r.role not in ("agent", "participant") and r.entity not in doers[trig.sent]]
            if trig.type == "protest" and doers[trig.sent] and all(names.kind(k) != "group" for k in doers[trig.sent]):
                trig.type = "disapproval"  # "summoned the ambassador to protest": a state's protest is diplomatic
        else:
            doers.setdefault(trig.sent, acting)
        story = next((e for t in VIOLENT for e in events if e.type == t and t != "protest"), None)
        if trig.killing:
            agents = {r.entity for r in trig.roles if r.role == "agent"}
            if story is not None and not agents - {r.entity for r in story.roles}:
                # "Three soldiers were killed": the deaths of the attack already told
                story.mentions.append(trig.span)
                continue
            victims = {r.entity for r in trig.roles if r.role in ("target", "victim")}
            if victims & CIVILIANS:
                trig.type = "attack-on-civilians"
                trig.roles = [Role(r.entity, "victim") if r.role == "target" else r for r in trig.roles]
        if story is not None and trig.type != story.type and trig.type in VIOLENT \
                and trig.span.text.lower() in anaphoric:
            # "claimed responsibility for the attack": the story's event again, not a new one
            story.mentions.append(trig.span)
            continue
        refers = _refers_back(doc, lex, trig)
        same = next((e for e in events if (e.type == trig.type or refers and _family(e.type) == _family(trig.type))
                     and (not e.places or not trig.places or e.places == trig.places)
                     and (refers or _same_agents(e.roles, trig.roles))), None)
        if same is not None and refers:
            # "kudeta tersebut", "this deployment": the event told before, not a new one with new actors
            same.mentions.append(trig.span)
            continue
        if same is None:
            events.append(Event(type=trig.type, status=trig.status, mentions=[trig.span],
                                roles=list(trig.roles), places=list(trig.places)))
            continue
        same.mentions.append(trig.span)
        same.roles += [r for r in trig.roles if r not in same.roles]
        same.places = same.places or list(trig.places)
        # a later "will soon end" does not undo that the thing happened
        if same.status == "announced" and trig.status != "announced":
            same.status = trig.status
    story = next((e for t in VIOLENT for e in events if e.type == t), None)
    if story is not None and story.type != "protest":
        # "… tewas, sementara 8.000 orang ditangkap": arrests summed up beside the dead are a figure
        # of the story; arrests told on their own ("police detained four suspects") are events
        harm = {k for i, _j, v, _c in lex.count_kinds.find(doc) if v in ("killed", "injured")
                for k in [doc.toks[i].sent]}
        events = [e for e in events if e.type != "arrest" or any(r.role in ("target", "agent") for r in e.roles)
                  or not all(doc.toks[doc.tok_at(m.begin)].sent in harm for m in e.mentions)]
    riot = next((e for e in events if e.type == "riot"), None)
    if riot is not None:
        # burning and smashing in a riot is the riot, as ACLED codes it; a fire set by someone else stays apart
        crowd = {r.entity for r in riot.roles} | {"group:rioters", "group:protesters"}
        for e in [e for e in events if e.type == "property-destruction"]:
            if {r.entity for r in e.roles if r.role == "agent"} <= crowd:
                riot.mentions += e.mentions
                events.remove(e)
    _claimed(doc, lex, names, events)
    _talks_parties(doc, events)
    _fill_in(events, names, lex)
    return events


_SETTLED = ("ceasefire", "agreement", "intent-to-cooperate")


def _talks_parties(doc: Doc, events: list[Event]) -> None:
    """'X and Y agreed to a ceasefire after ten days of talks in Pretoria': who talked is who agreed."""
    for e in events:
        if e.type not in ("meeting", "peace-talks") or any(r.role in ("agent", "participant") for r in e.roles):
            continue
        sents = {doc.toks[doc.tok_at(m.begin)].sent for m in e.mentions}
        deal = next((x for x in events if x.type in _SETTLED and any(
            doc.toks[doc.tok_at(m.begin)].sent in sents for m in x.mentions)), None)
        if deal is not None:
            e.roles += [Role(r.entity, "participant") for r in deal.roles if r.role in ("agent", "participant")]


def _claimed(doc: Doc, lex: Lexicon, names: Names, events: list[Event]) -> None:
    """'Al-Shabaab claimed responsibility for the attack', 'BLA mengaku bertanggung jawab': who claims
    an attack is named as its agent, as ACLED codes claimed attacks, unless the text named another."""
    violent = [e for e in events if e.type in VIOLENT and e.type not in ("protest", "riot", "crackdown")]
    for i, _j, _, _ in lex.matcher("responsibility").find(doc):
        who = next((m.key for m in reversed(names.sorted()) if m.j <= i and doc.toks[m.i].sent == doc.toks[i].sent
                    and names.kind(m.key) in ("organization", "group", "person")), None)
        # the attack told last before the claim, else the article's first
        told = [e for e in violent if min(m.begin for m in e.mentions) < doc.toks[i].begin] or violent
        if who and told and not any(r.role == "agent" for r in told[-1].roles):
            told[-1].roles.insert(0, Role(who, "agent"))


def _crowd(names: Names, typ: str) -> str | None:
    """The one crowd group the article names: rioters for a riot, else protesters."""
    order = ("group:rioters", "group:protesters") if typ == "riot" else ("group:protesters",)
    return next((k for k in order if k in names.entities and names.entities[k].mentions), None)


def _focus_place(names: Names, lex: Lexicon) -> str | None:
    """Where the article is set: the country it names most as a place (its cities count for it),
    or the city within it that is named more than once."""
    doc = names.doc
    locative, modifier = lex.words("locative"), lex.words("not_place_before")
    country: dict[str, float] = {}
    city: dict[str, int] = {}
    for m in names.mentions:
        ent = names.entities[m.key]
        if not ent.is_place or m.in_title or m.how in NOT_A_PLACE or ent.kind not in ("place", "country") \
                or not ent.country:
            continue
        before = doc.toks[m.i - 1].low if m.i > 0 else ""
        weight = 0.0 if before in modifier else (2.0 if doc.after(m.i, locative) else 1.0)
        code = f"country:{ent.country}"
        country[code] = country.get(code, 0.0) + weight
        if ent.kind == "place":
            city[m.key] = city.get(m.key, 0) + 1
    if not country:
        return None
    best = max(country, key=lambda k: country[k])
    cities = [k for k in city if names.entities[k].country == best.split(":")[1] and city[k] > 1]
    if cities:
        return max(cities, key=lambda k: city[k])
    return best if best in names.entities else None


def _fill_in(events: list[Event], names: Names, lex: Lexicon) -> None:
    """What one event says about another: places, who withdraws, whom a request went to, parts."""
    story = next((e for t in VIOLENT for e in events if e.type == t), None)
    focus = _focus_place(names, lex)
    deploy = next((e for e in events if e.type == "foreign-military-deployment"), None)
    deployer = next((r.entity for r in deploy.roles if r.role == "agent"), None) if deploy else None
    for e in events:
        if not e.places and e.type in GROUNDED:
            if story and story.places:
                e.places = list(story.places)
            elif deploy and deploy.places:
                e.places = list(deploy.places)
            elif focus:
                e.places = [focus]
        if deployer and e.type == "withdrawal" and not any(r.role == "agent" for r in e.roles):
            e.roles.append(Role(deployer, "agent"))
        if deployer and e.type == "request-military-assistance" and not any(r.role == "recipient" for r in e.roles):
            e.roles.append(Role(deployer, "recipient"))
        if deploy and e is deploy and not any(r.role == "requester" for r in e.roles):
            req = next((x for x in events if x.type == "request-military-assistance"), None)
            if req:
                e.roles += [r for r in req.roles if r.role == "requester" and r not in e.roles]
        if e.type in ("protest", "riot") and not any(r.role == "participant" for r in e.roles):
            # the crowd the article names elsewhere ("massa", "rioters") is the one that protests or riots
            crowd = _crowd(names, e.type)
            first = next(x for x in events if x.type == e.type)
            if crowd and (e is first or e.places == first.places):  # the crowd in Jakarta is not Bandung's
                e.roles.append(Role(crowd, "participant"))
        for parent_type in PART_OF.get(e.type, ()):
            parent = next((x for x in events if x.type == parent_type and x is not e), None)
            if parent is not None:
                e.parent = events.index(parent)
                break
    for e in events:
        place = names.entities[e.places[0]].name if e.places else None
        e.label = e.type.replace("-", " ") + (f" in {place}" if place else "")
