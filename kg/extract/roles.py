"""Who did what to whom, and where: a trigger's roles and place, read from its clause.

There is no parser: the rules read the clause around the trigger (passives and
agent phrases, "between", coordination, appositives, purpose clauses, demonyms
and possessives) and fall back to the nearest candidate.
"""

from __future__ import annotations

from ..model import Role
from .doc import Doc, Lexicon
from .names import NOT_A_PLACE, NameMention, Names, add_demonym
from .triggers import _AID, _NO_TARGET, GROUNDED, Trigger

__all__ = ["assign_roles", "last_person_before"]

def last_person_before(names: Names, i: int) -> str | None:
    best = None
    for m in names.sorted():
        if m.i >= i:
            break
        if names.kind(m.key) == "person" and not m.in_title:
            best = m.key
    return best


def _speech_bound(doc: Doc, lex: Lexicon, trig: Trigger) -> int:
    """First token after the last speech verb before the trigger: in indirect speech,
    the speaker is not a participant of what is reported."""
    lo = doc.sent_toks(trig.sent).start
    bound = lo
    for name in ("after_subject", "before_subject"):
        for i, j, _, _ in lex.speech[name].find(doc, lo, trig.i):
            bound = max(bound, j)
    return bound


def _actor_candidates(doc: Doc, lex: Lexicon, names: Names, trig: Trigger) -> list[NameMention]:
    locative = lex.words("locative")
    rng = doc.sent_toks(trig.sent)
    out = []
    for m in names.sorted():
        if m.i not in rng or m.in_title:
            continue
        ent = names.entities[m.key]
        if not ent.is_actor:
            continue
        if ent.kind == "group" and any(k in names.inside_triggers for k in range(m.i, m.j)):
            continue
        if doc.after(m.i, locative) and ent.is_place:
            continue
        if doc.quote_of(doc.toks[m.i].begin, doc.toks[m.i].end):
            continue
        out.append(m)
    return out


def _clause(doc: Doc, lex: Lexicon, trig: Trigger) -> range:
    """Tokens of the trigger's clause: between clause words and speech verbs, coordination kept."""
    rng = doc.sent_toks(trig.sent)
    coordinators = {"dan", "serta", "and"}
    stops = lex.words("clause_boundary") - coordinators
    cues = {k for name in ("after_subject", "before_subject", "describe", "blame")
            for i, j, _, _ in lex.speech[name].find(doc, rng.start, rng.stop) for k in range(i, j)}
    lo, hi = trig.i, trig.j
    while lo > rng.start and doc.toks[lo - 1].low not in stops and lo - 1 not in cues:
        lo -= 1
    while hi < rng.stop and doc.toks[hi].low not in stops and hi not in cues:
        hi += 1
    return range(lo, hi)


def _place_of(doc: Doc, lex: Lexicon, names: Names, trig: Trigger, agents: set[str]) -> list[str]:
    if trig.type not in GROUNDED and trig.type != "meeting":
        return []
    locative = lex.words("locative")
    modifier = lex.words("not_place_before")
    clause = _clause(doc, lex, trig)
    scored = []
    for m in names.sorted():
        if m.i not in clause or m.in_title or not names.entities[m.key].is_place or m.key in agents:
            continue
        possessive = m.j < len(doc.toks) and doc.toks[m.j].low == "s" and doc.gap(m.j) == "'"
        if m.how in NOT_A_PLACE or possessive and not doc.after(m.i, locative):
            continue  # "Rwandan troops", "Mozambique's armed forces": whose, not where ("in Peshawar's …" is)
        if m.i > 0 and doc.toks[m.i - 1].low in modifier:
            continue  # "pasukan pimpinan Rusia": Russia leads the troops, the troops are elsewhere
        after_locative = doc.after(m.i, locative)
        if trig.type == "meeting" and not after_locative:
            continue
        scored.append((abs(m.i - trig.i) - (3 if after_locative else 0), m.key))
    if not scored:
        return []
    best = min(scored)[1]
    return [best] + _listed_after(doc, names, best, clause)


def _listed_after(doc: Doc, names: Names, first: str, clause: range) -> list[str]:
    """'di Bandung, Semarang, dan Makassar': the places listed with the first one, each the place
    of an event of its own, as ACLED codes one event per location."""
    ms = names.sorted()
    k = next((n for n, m in enumerate(ms) if m.key == first and m.i in clause), None)
    out: list[str] = []
    joined = False
    while k is not None and k + 1 < len(ms) and not joined:
        m, nxt = ms[k], ms[k + 1]
        between = doc.text[doc.toks[m.j - 1].end:doc.toks[nxt.i].begin].strip(" ,").lower()
        if nxt.i not in clause or between not in ("", "dan", "and", "serta") \
                or not names.entities[nxt.key].is_place or names.kind(nxt.key) != names.kind(first) \
                or nxt.key in out or nxt.key == first or nxt.how in NOT_A_PLACE:
            break
        joined = bool(between)
        out.append(nxt.key)
        k += 1
    # only a list closed by "dan" / "and" is one: "Wamena, Kabupaten Jayawijaya, Papua" is an address
    return out if joined else []


def _passive(doc: Doc, lex: Lexicon, trig: Trigger) -> bool:
    """'were arrested', 'has been attacked', 'ditangkap', 'tertembak': the subject undergoes the act."""
    word, lemma = doc.toks[trig.i].low, doc.lemmas[trig.i]
    if any(word.startswith(p) and lemma != word and not lemma.startswith(p) for p in lex.data["passive_prefix"]):
        return True
    if word.endswith("ing") or lemma == word or doc.toks[trig.j - 1].low in ("to", "untuk"):
        return False  # "are protesting", a noun ("the attack"), a state ("is committed to")
    aux = lex.words("passive_aux")
    for k in range(trig.i - 1, max(doc.sent_toks(trig.sent).start, trig.i - 3) - 1, -1):
        if doc.toks[k].low in aux:
            return True
        if not doc.toks[k].low.endswith("ly"):  # "were reportedly killed"
            return False
    return False


def _marked_agent(doc: Doc, lex: Lexicon, names: Names, trig: Trigger, after: list[NameMention],
                  passive: bool) -> str | None:
    """The actor in the agent phrase after the trigger: 'attacked by militiamen', 'serangan oleh KKB';
    in Indonesian the agent of a di- passive may follow with no marker: 'ditangkap polisi'."""
    clause = _clause(doc, lex, trig)
    marker = lex.words("agent_marker")
    # after an active verb, "by" belongs to its object ("rejected calls by Belarus"); after a passive
    # it may follow an adverbial, after a noun it must follow at once ("the attack by militants")
    reach = 4 if passive else (1 if _nominal(doc, lex, trig.j - 1) else 0)
    for k in range(trig.j, min(trig.j + reach, clause.stop)):
        if doc.toks[k].low in marker:
            return next((m.key for m in after if k < m.i <= k + 4 and m.i in clause), None)
    if _nominal(doc, lex, trig.j - 1):
        # "penculikan … yang dilakukan anggota RSF", "an attack carried out by militants"
        for _i, j, _, _ in lex.done_by.find(doc, trig.j, min(trig.j + 6, len(doc.toks))):
            return next((m.key for m in after if j <= m.i <= j + 3 and doc.toks[m.i].sent == trig.sent), None)
    if passive and lex.data["passive_prefix"]:
        return next((m.key for m in after if m.i == trig.j), None)
    return None


# Victims whose killing is violence against civilians in ACLED's sense.
CIVILIANS = frozenset({"group:civilians", "group:protesters", "group:journalists", "group:refugees",
                        "group:students", "group:children", "group:women", "group:migrants", "group:farmers"})

_PARTIES = ("armed-clash", "peace-talks", "meeting", "ceasefire", "agreement")


def _nominal(doc: Doc, lex: Lexicon, k: int) -> bool:
    """A noun, not a verb: 'strike', 'attack', 'withdrawal'; in Indonesian the -an nouns ('serangan')."""
    word = doc.toks[k].low
    if lex.data["passive_prefix"]:
        return word.endswith("an") and len(word) > 4
    if word.endswith("ed") or word.endswith("ing"):
        return False
    # "attack", "protests" (a plural before "by" is a noun), "withdrawal", "deployment"
    return doc.lemmas[k] in (word, word[:-1]) or word.endswith(("ion", "ment", "al"))


def _between(doc: Doc, lex: Lexicon, names: Names, trig: Trigger, after: list[NameMention]) -> list[str]:
    """The sides after 'between' / 'antara' that follows the trigger within its clause."""
    clause = _clause(doc, lex, trig)
    word = next((k for k in range(trig.j, min(trig.j + 6, clause.stop)) if doc.toks[k].low in lex.words("between")),
                None)
    if word is None:
        return []
    first = next((m for m in after if word < m.i < clause.stop and names.kind(m.key) != "place"), None)
    if first is None:
        return []
    # the sides are the names joined after "between": "police and students", not what follows them
    return list(dict.fromkeys([first.key, *_coordinated_after(doc, names, after, first, same_kind=False)]))


def _modifier_agent(doc: Doc, lex: Lexicon, names: Names, trig: Trigger) -> str | None:
    """The state in 'a Russian drone strike' (English, before the noun) or 'serangan udara Israel' (after)."""
    if not _nominal(doc, lex, trig.j - 1):
        return None
    s = trig.sent
    if lex.data["passive_prefix"]:
        spots = [trig.j] if trig.j < len(doc.toks) else []
    else:
        spots = [k for k in (trig.i - 1, trig.i - 2) if k >= 0]
        if len(spots) == 2 and doc.toks[spots[0]].text[:1].isupper():
            spots = spots[:1]  # "Russian strike": the word before names it; do not look past it
    for k in spots:
        t = doc.toks[k]
        if t.sent != s or not t.text[:1].isupper() or (k != trig.j and doc.gap(k + 1).strip()):
            continue
        m = next((m for m in names.mentions if m.i <= k < m.j), None)
        if m is not None:
            return m.key if names.kind(m.key) in ("country", "organization") else None
        code = names.gaz.country_for_word(t.text)
        if code and f"country:{code}" in names.gaz.entries:
            add_demonym(names, code, k, k + 1)
            return f"country:{code}"
    return None


def _of_object(doc: Doc, lex: Lexicon, trig: Trigger, after: list[NameMention]) -> str | None:
    """'the withdrawal of 1,000 American troops', 'penarikan pasukan Rusia': who moves is the object."""
    if not _nominal(doc, lex, trig.j - 1):
        return None
    of = lex.words("of_object")
    if of and (trig.j >= len(doc.toks) or doc.toks[trig.j].low not in of):
        return None
    clause = _clause(doc, lex, trig)
    return next((m.key for m in after if m.i <= trig.j + 6 and m.i in clause), None)


def _joined(doc: Doc, left: NameMention, right: NameMention) -> bool:
    """Only 'and' / 'dan' / 'serta' or a comma stands between two names."""
    return doc.text[doc.toks[left.j - 1].end:doc.toks[right.i].begin].strip().lower() in ("dan", "serta", "and", ",")


def _coordinated(doc: Doc, names: Names, before: list[NameMention], agent: str) -> list[str]:
    """'Thailand dan Kamboja sepakat', 'Hungary and Romania agreed': every subject joined to the agent."""
    ms = [m for m in before if names.kind(m.key) != "place"]
    idx = next((n for n in range(len(ms) - 1, -1, -1) if ms[n].key == agent), None)
    out: list[str] = []
    while idx is not None and idx > 0 and _joined(doc, ms[idx - 1], ms[idx]):
        out.append(ms[idx - 1].key)
        idx -= 1
    return [k for k in dict.fromkeys(out) if k != agent]


def _coordinated_after(doc: Doc, names: Names, cands: list[NameMention], first: NameMention,
                       same_kind: bool = True) -> list[str]:
    """The names joined to ``first`` by 'and' / 'dan' / commas that follow it."""
    out, cur = [], first
    for m in cands:
        if m.i < cur.j or same_kind and names.kind(m.key) != names.kind(first.key):
            continue
        if not _joined(doc, cur, m):
            break
        out.append(m.key)
        cur = m
    return out


def _speaker_as_subject(doc: Doc, lex: Lexicon, names: Names, trig: Trigger, cands: list[NameMention],
                        bound: int) -> str | None:
    """'Nigeria announced that it will withdraw …': a pronoun subject of reported speech is its speaker."""
    pronouns = lex.words("subject_pronouns")
    if bound <= doc.sent_toks(trig.sent).start or not any(doc.toks[k].low in pronouns for k in range(bound, trig.i)):
        return None
    return next((m.key for m in reversed(cands) if m.i < bound and names.kind(m.key) != "place"), None)


def is_purpose(doc: Doc, lex: Lexicon, trig: Trigger) -> bool:
    """A trigger that says what a prior act was for: 'to demand', 'untuk menuntut', ', demanding'."""
    if trig.i == 0 or doc.toks[trig.i - 1].sent != trig.sent:
        return False
    if doc.after(trig.i, lex.words("purpose_markers")) and not doc.gap(trig.i).strip():
        return True
    return lex.language == "en" and doc.toks[trig.i].low.endswith("ing") and doc.gap(trig.i).strip() == ","


def _apposed(doc: Doc, before: list[NameMention], trig: Trigger) -> set[int]:
    """Tokens of an appositive between a subject and its verb: in "Pakistan, a key U.S. ally, has
    refused" the ally phrase describes Pakistan and names nobody who acts."""
    out: set[int] = set()
    for p in before:
        if p.j >= trig.i or doc.gap(p.j).strip() != "," or doc.toks[p.j].text[:1].isupper():
            continue
        close = next((c for c in range(p.j + 1, min(trig.i, p.j + 12) + 1) if "," in doc.gap(c)), None)
        if close is not None and all("," not in doc.gap(c) for c in range(close + 1, trig.i + 1)):
            out.update(range(p.j, close))
    return out


def assign_roles(doc: Doc, lex: Lexicon, names: Names, trig: Trigger) -> None:
    cands = _actor_candidates(doc, lex, names, trig)
    bound = _speech_bound(doc, lex, trig)
    before = [m for m in cands if bound <= m.i < trig.i]
    apposed = _apposed(doc, before, trig)
    before = [m for m in before if m.i not in apposed]
    after = [m for m in cands if m.i >= trig.j]
    typ = trig.type
    passive = _passive(doc, lex, trig)
    marked = _marked_agent(doc, lex, names, trig, after, passive)
    # "were killed by a bomb": the trigger itself sits in the agent phrase, so the subject underwent it
    k = trig.i - 1
    while k >= max(bound, trig.i - 3) and doc.toks[k].low not in lex.words("agent_marker") \
            and not any(m.i <= k < m.j for m in cands):
        k -= 1
    passive = passive or k >= max(bound, trig.i - 3) and doc.toks[k].low in lex.words("agent_marker")

    def nearest_before(kinds: tuple[str, ...]) -> str | None:
        for m in reversed(before):
            if names.kind(m.key) in kinds:
                return m.key
        return None

    roles: list[Role] = []
    sides = _between(doc, lex, names, trig, after) if typ in _PARTIES else []
    if typ == "meeting":
        hosts = set()
        for m in cands:
            if trig.j <= m.i <= trig.j + 2 and names.kind(m.key) == "organization":
                hosts.add(m.key)
                roles.append(Role(m.key, "host"))
        visited = next((m for m in cands if m.i == trig.j and names.kind(m.key) == "country"), None)
        if visited is not None:
            # "visited Russia", "akan mengunjungi Mauritania dan Senegal": the states visited host it
            hosts.add(visited.key)
            roles.append(Role(visited.key, "host"))
            for also in _coordinated_after(doc, names, cands, visited):
                hosts.add(also)
                roles.append(Role(also, "host"))
        clause = _clause(doc, lex, trig)
        for m in cands:
            # who meets is in the meeting's clause, not the one who reports on it
            if m.key not in hosts and (names.kind(m.key) in ("person", "organization") or m.key in sides) \
                    and m.i in clause and m.i >= bound:
                roles.append(Role(m.key, "participant"))
    elif len(sides) >= 2:
        # "fighting between the Congolese army and M23 rebels": both sides, in the order named
        roles += [Role(sides[0], "agent")] + [Role(k, "target") for k in sides[1:]]
    elif typ == "request-military-assistance":
        requester = last_person_before(names, trig.i) if trig.clitic else nearest_before(("person", "country"))
        if requester:
            roles.append(Role(requester, "requester"))
    elif typ in ("riot", "protest"):
        clause = _clause(doc, lex, trig)
        for m in cands:
            force = m.key.startswith("forces:") or m.how == "force"
            if names.kind(m.key) != "group" and not force or m.i not in clause:
                continue
            if force:
                # police after "riot" are what it turns on ("bentrok dengan polisi"); at a protest, or
                # as the subject that arrests rioters, they are not a side of it
                if typ == "riot" and m.i >= trig.j:
                    roles.append(Role(m.key, "target"))
                continue
            if m.i >= trig.j and not (m.i <= trig.j + 1 or marked == m.key):
                continue  # who protests comes before ("students protesting"), right after ("demo buruh") or after "by"
            roles.append(Role(m.key, "participant"))
    elif (passive or marked) and typ not in _NO_TARGET:
        # the structure says who acts: the agent phrase, and in a passive the subject is the target
        if marked:
            roles.append(Role(marked, "agent"))
        clause = _clause(doc, lex, trig)  # the subject of a passive is in its own clause
        target = next((m.key for m in reversed(before) if m.i in clause and names.kind(m.key) != "place"),
                      None) if passive else next(
            (m.key for m in after if m.key != marked and names.kind(m.key) != "place"), None)
        if target and target != marked:
            roles.append(Role(target, "victim" if typ in ("attack-on-civilians", "mass-killing") else "target"))
    else:
        # "pasukan CSTO dikirim ke ...": what is deployed or withdrawn is the force of its subject;
        # "a Russian drone strike", "serangan Israel": a state modifying a noun trigger is its agent
        agent = marked or _modifier_agent(doc, lex, names, trig) or (
            _of_object(doc, lex, trig, after) if typ in _NO_TARGET else None) or nearest_before(
            ("organization", "country", "person", "group")) or _speaker_as_subject(doc, lex, names, trig, cands, bound)
        if agent is None and typ in ("foreign-military-deployment", "military-deployment"):
            # "pengerahan CSTO", "the deployment of Russian troops": the deployer follows
            agent = next((m.key for m in after if m.i <= trig.j + 1
                          and names.kind(m.key) in ("organization", "country")), None)
        if agent:
            roles.append(Role(agent, "agent"))
            roles += [Role(k, "agent") for k in _coordinated(doc, names, before, agent)]
        target_kinds = ("person", "group", "organization") if typ == "arrest" else (
            "person", "group", "organization", "country")
        speaking = {i for name in ("after_subject", "before_subject")
                    for i, _j, _, _ in lex.speech[name].find(doc, trig.j, doc.sent_toks(trig.sent).stop)}
        # ", witnesses said" names who tells of the act, not whom it hit
        target = next((m.key for m in after if names.kind(m.key) in target_kinds and m.key != agent
                       and m.j not in speaking), None)
        if target and typ not in _NO_TARGET:
            roles.append(Role(target, "victim" if typ in ("attack-on-civilians", "mass-killing") else "target"))
        elif typ in _AID and target is None:
            # "sent arms to Pakistan", "memasok senjata ke Ukraina": the state it goes to receives it
            to = lex.words("recipient_marker")
            clause = _clause(doc, lex, trig)
            got = next((m.key for m in names.sorted() if (trig.i < m.i < trig.j or trig.j <= m.i < clause.stop
                                                          and doc.toks[m.i - 1].low in to)
                        and names.kind(m.key) in ("country", "organization") and m.key != agent), None)
            if got:
                roles.append(Role(got, "recipient"))
    trig.roles = list(dict.fromkeys(roles))
    trig.places = _place_of(doc, lex, names, trig, {r.entity for r in roles})
    if typ in ("foreign-military-deployment", "military-deployment"):
        trig.type = _deployment_kind(names, trig) or typ


def _country_of(names: Names, key: str) -> str | None:
    e = names.entities.get(key)
    if e is None:
        return None
    if e.kind == "country":
        return key.split(":", 1)[1]
    if e.country:
        return e.country
    aff = names.entities.get(e.affiliation or "")
    return aff.key.split(":", 1)[1] if aff is not None and aff.kind == "country" else None


def _deployment_kind(names: Names, trig: Trigger) -> str | None:
    """Troops of one country sent into another are a foreign deployment; at home, a domestic one."""
    agent = next((r.entity for r in trig.roles if r.role == "agent"), None)
    if agent is None or not trig.places:
        return None
    if names.entities[agent].kind == "organization" and not _country_of(names, agent):
        return "foreign-military-deployment"  # an alliance or a UN mission comes from outside
    home, there = _country_of(names, agent), _country_of(names, trig.places[0])
    if home is None or there is None:
        return None
    return "military-deployment" if home == there else "foreign-military-deployment"
