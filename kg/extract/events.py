"""Events from trigger words: type, status, participants, place, and coreference.

Triggers inside quotations are what a speaker says, not what the article
asserts; they become claim content (see :mod:`.claims`). Negated triggers make no
event; future ones are *announced*; ones the text says are about to end are
*ongoing*.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Event, Role, Span
from .doc import Doc, Lexicon
from .names import NOT_A_PLACE, NameMention, Names

__all__ = ["Trigger", "find_triggers", "build_events", "VIOLENT", "PART_OF", "last_person_before"]

# Which event types make an article's main story, in order of preference: counts
# that name no event of their own belong to it.
VIOLENT = ("riot", "armed-clash", "armed-attack", "air-strike", "shelling", "explosion", "suicide-bombing",
           "attack-on-civilians", "mass-killing", "coup-attempt", "crackdown", "protest")
# A type that is usually part of another when both are reported ("protests turned into riots").
PART_OF = {"protest": ("riot", "crackdown"), "arrest": ("riot", "crackdown", "protest"), "looting": ("riot",),
           "air-strike": ("armed-clash",), "shelling": ("armed-clash",), "explosion": ("armed-attack",)}
# Types whose place is where they happen on the ground: they inherit the story's place.
GROUNDED = VIOLENT + ("arrest", "counter-terrorism-operation", "foreign-military-deployment",
                      "military-deployment", "withdrawal", "looting", "displacement", "abduction")
CLAIM_ONLY = ("accusation",)
# Types whose object is the actor's own force or an operation, not a target.
_ASKING = ("demand", "request", "appeal")
_AID = ("aid", "humanitarian-aid", "economic-aid", "military-aid")
_NO_TARGET = ("counter-terrorism-operation", "withdrawal", "foreign-military-deployment", "military-deployment",
              "force-posture")
# Lifting a measure is the opposite act: "lifted the curfew" is a concession, not a restriction.
REVERSED = {"restriction-of-freedoms": "concession", "state-of-emergency": "retreat", "sanctions": "retreat",
            "blockade": "retreat", "strike": "concession",
            # suspending or cutting aid is CAMEO's 162 "reduce or stop aid", under reduce relations
            "aid": "reduce-relations", "economic-aid": "reduce-relations", "military-aid": "reduce-relations",
            "humanitarian-aid": "reduce-relations",
            # suspending or cancelling a treaty or a deal cuts relations ("menangguhkan perjanjian")
            "agreement": "reduce-relations", "intent-to-cooperate": "reduce-relations"}


@dataclass(slots=True)
class Trigger:
    i: int
    j: int
    type: str
    clitic: bool
    sent: int
    status: str
    quoted: bool
    negated: bool
    span: Span
    roles: list[Role] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    killing: bool = False  # a verb of killing, which tells an attack only where nothing else does


def _words_before(doc: Doc, i: int, n: int) -> list[str]:
    s = doc.toks[i].sent
    return [t.low for t in doc.toks[max(0, i - n):i] if t.sent == s]


def _in_a_name(doc: Doc, i: int, j: int) -> bool:
    """A capitalised trigger inside a sentence, with a capitalised word after it, heads a name."""
    first, nxt = doc.toks[i], doc.toks[j] if j < len(doc.toks) else None
    starts = i == 0 or doc.toks[i - 1].sent != first.sent
    return first.text[:1].isupper() and not starts and nxt is not None and nxt.sent == first.sent \
        and nxt.text[:1].isupper() and not doc.gap(j).strip() and not _headline(doc, first.sent)


def _headline(doc: Doc, sent: int) -> bool:
    """A sentence that capitalises nearly every word, as headlines do: there capitals tell nothing."""
    words = [t for t in doc.toks[doc.sent_toks(sent).start:doc.sent_toks(sent).stop] if t.text[:1].isalpha()]
    return len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)


def _status(doc: Doc, t_i: int, t_j: int, lex: Lexicon) -> str:
    joined_before = " ".join(_words_before(doc, t_i, 3))
    # "akan segera berakhir" after a trigger says the thing is going on now, so it wins
    s = doc.toks[t_i].sent
    after = " ".join(t.low for t in doc.toks[t_j:t_j + 8] if t.sent == s)
    if any(after.startswith(p) or f" {p}" in f" {after}" for p in lex.data["ongoing_after"]):
        return "ongoing"
    if any(f" {f} " in f" {joined_before} " for f in lex.data["future"]):
        return "announced"
    return "occurred"


def _trigger_matches(doc: Doc, lex: Lexicon) -> list[tuple[int, int, str, bool]]:
    """Surface-form triggers, then lemma triggers wherever no surface trigger already covers the words:
    a listed phrase ("menarik pasukan") is more specific than the lemma of one of its words."""
    blocked = {k for i, j, _, _ in lex.not_triggers.find(doc) for k in range(i, j)}
    found = [m for m in lex.triggers.find(doc) if not all(k in blocked for k in range(m[0], m[1]))]
    taken = blocked | {k for i, j, _, _ in found for k in range(i, j)}
    found += [m for m in lex.trigger_lemmas.find(doc) if not any(k in taken for k in range(m[0], m[1]))]
    taken |= {k for i, j, _, _ in found for k in range(i, j)}
    found += [m for m in _verb_objects(doc, lex) if not any(k in taken for k in range(m[0], m[1]))]
    # "Gunmen killed three villagers": a killing in a sentence that names no other act is an attack
    told = {doc.toks[i].sent for i, _j, _t, _c in found}
    # "… have killed thousands over the past decade", "sejak 1984 telah menewaskan …": a tally over years
    told |= {doc.toks[i].sent for i, _j, _, _ in lex.matcher("span_of_time").find(doc)}
    kills = lex.kills.find(doc) + lex.kill_lemmas.find(doc)
    found += [(i, j, "killing", False) for i, j, _, _ in kills if doc.toks[i].sent not in told
              and not any(k in blocked for k in range(i, j))]
    return sorted(found)


def _verb_objects(doc: Doc, lex: Lexicon) -> list[tuple[int, int, str, bool]]:
    """A verb and its object a few words on: 'sent about 1,000 soldiers', 'mengirim 2.000 tentara'."""
    out = []
    lemmas = doc.lemmas
    for typ, spec in lex.data.get("verb_object", {}).items():
        verbs, objects = set(spec["verbs"]), {o.split()[0] for o in spec["objects"]}
        for i, lem in enumerate(lemmas):
            if lem not in verbs:
                continue
            s = doc.toks[i].sent
            for k in range(i + 1, min(i + 7, len(doc.toks))):
                if doc.toks[k].sent != s or doc.toks[k].low in lex.words("clause_boundary") - {"and", "dan"}:
                    break
                if lemmas[k] in objects:
                    out.append((i, k + 1, typ, False))
                    break
    return out


def _refined(doc: Doc, lex: Lexicon, typ: str, j: int) -> str:
    """A narrower type named by the object that follows: expelling diplomats reduces relations."""
    for narrower, objects in lex.data.get("refine_after", {}).get(typ, {}).items():
        s = doc.toks[j - 1].sent
        if any(doc.toks[k].sent == s and doc.lemmas[k] in objects for k in range(j, min(j + 4, len(doc.toks)))):
            return narrower
    return typ


def find_triggers(doc: Doc, lex: Lexicon, names: Names) -> list[Trigger]:
    negation = lex.words("negation")
    reversal = lex.words("reversal_before")
    out = []
    proper = {k for m in names.mentions if names.kind(m.key) != "group" and m.how != "force" for k in range(m.i, m.j)}
    forces = [(m.i, m.j) for m in names.mentions if m.key.startswith("forces:") or m.how == "force"]
    months = set(lex.data["time"]["months"])
    # "accused Rwanda of sending soldiers": what an accusation alleges is the accuser's claim
    alleged = {k for _i, j, _, _ in lex.speech["blame"].find(doc) for k in _rest_of_clause(doc, j)}
    # "He denied that Chinese personnel had attacked anyone": what is denied is claimed, not asserted
    alleged |= {k for _i, j, _, _ in lex.denials.find(doc) for k in _rest_of_clause(doc, j)}
    # "menyebutnya sebagai ultimatum": a label is what the speaker calls it, not an act
    alleged |= {k for _i, j, _, _ in lex.speech["describe_as"].find(doc) for k in range(j, j + 3)
                if any(lex.speech["describe"].find(doc, doc.sent_toks(doc.toks[j - 1].sent).start, j))}
    hypothetical = {k for i, j, _, _ in lex.hypothetical.find(doc) for k in _rest_of_clause(doc, j)}
    matches = _trigger_matches(doc, lex)
    # "menuntut polisi membebaskan 43 warga", "urged Israel to ease restrictions": what is demanded
    # or asked for has not happened; the demand is the event
    asked = {k for i, j, typ, _ in matches if typ in _ASKING for k in _rest_of_clause(doc, j)}
    for i, j, typ, clitic in matches:
        if i in proper or j - 1 in proper or any(a <= i and j <= b for a, b in forces):
            # names hold no events: "riot police" is a force, not a riot; a verb and its object may
            # hold one between them ("give Tanzania a grant")
            continue
        if j - i == 1 and doc.toks[i].text[:1].isupper() and doc.toks[i].low in months:
            continue  # "March", "Mei": a month, not a march
        if doc.toks[i].low in lex.words("clock_words") and j < len(doc.toks) and doc.toks[j].text[:1].isdigit():
            continue  # "pukul 17.00" tells the time; nobody is hit
        if _in_a_name(doc, i, j):
            continue  # "Perjanjian Perairan Indus" is a treaty's name, not an agreement made
        typ = _refined(doc, lex, typ, j)
        if typ in REVERSED and reversal & set(doc.lemmas[max(doc.sent_toks(doc.toks[i].sent).start, i - 4):i]):
            typ = REVERSED[typ]
        span = doc.span(i, j)
        quote = doc.quote_of(span.begin, span.end)
        before = f" {' '.join(_words_before(doc, i, 3))} "
        # "not", "failed to"; "jika Ukraina menarik pasukannya": an act on a condition has not happened
        negated = any(f" {w} " in before for w in negation) or i in hypothetical or i in asked
        status = _status(doc, i, j, lex)
        if status == "occurred" and typ in _AID:
            # "will provide nearly 25,000 tons of emergency food aid": the verb that gives it is promised
            before8 = _words_before(doc, i, 8)
            stop = lex.words("clause_boundary")
            cut = max((n for n, w in enumerate(before8) if w in stop), default=-1)
            if any(f" {f} " in f" {' '.join(before8[cut + 1:])} " for f in lex.data["future"]):
                status = "announced"
        if status == "announced" and _conditional_after(doc, lex, i, j):
            # "will withdraw its force unless ...": the act is held over someone, and the threat is made
            typ, status = "threat", "occurred"
        killing = typ == "killing"
        out.append(Trigger(i, j, "armed-attack" if killing else typ, clitic, doc.toks[i].sent, status,
                           quote is not None or i in alleged, negated, span, killing=killing))
    # "military aid", "riot police": a group word inside a trigger names no one who takes part
    names.inside_triggers = {k for t in out for k in range(t.i, t.j)}
    return out


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


def _rest_of_clause(doc: Doc, j: int) -> range:
    """The words a cue governs (what is alleged, denied or supposed): from it to the next comma or the sentence end."""
    stop = doc.sent_toks(doc.toks[j - 1].sent).stop
    end = next((k for k in range(j + 1, stop) if "," in doc.gap(k)), stop)
    return range(j, end)


def _conditional_after(doc: Doc, lex: Lexicon, i: int, j: int) -> bool:
    s = doc.toks[i].sent
    after = " ".join(t.low for t in doc.toks[j:] if t.sent == s)
    return any(f" {c} " in f" {after} " for c in lex.data.get("conditional_after", []))


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
_CIVILIANS = frozenset({"group:civilians", "group:protesters", "group:journalists", "group:refugees",
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
            names.entity_from_entry(names.gaz.entries[f"country:{code}"])
            names.add(k, k + 1, f"country:{code}", "demonym")
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


def _purpose(doc: Doc, lex: Lexicon, trig: Trigger) -> bool:
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


def _assign(doc: Doc, lex: Lexicon, names: Names, trig: Trigger) -> None:
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


def build_events(doc: Doc, lex: Lexicon, names: Names, triggers: list[Trigger]) -> list[Event]:
    """Article events from unquoted, unnegated triggers, one event per type and place."""
    events: list[Event] = []
    anaphoric = lex.words("anaphoric_triggers")
    told = [t for t in triggers if not (t.quoted or t.negated or t.type in CLAIM_ONLY)]
    for trig in told:
        _assign(doc, lex, names, trig)
    # "Aksi serupa digelar di Bandung, Semarang, dan Makassar": one event in each place listed
    told = [split for t in told for split in ([replace(t, places=[p]) for p in t.places] if len(t.places) > 1 else [t])]
    doers: dict[int, list[str]] = {}  # sentence -> who acts in its first act
    for trig in told:
        acting = [r.entity for r in trig.roles if r.role in ("agent", "participant")]
        if _purpose(doc, lex, trig) and trig.sent in doers:
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
            if victims & _CIVILIANS:
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
