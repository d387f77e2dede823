"""Trigger words: where the text tells of an act, its type, and whether it happened.

Triggers inside quotations are what a speaker says, not what the article
asserts; they become claim content (see :mod:`.claims`). Negated triggers make no
event; future ones are *announced*; ones the text says are about to end are
*ongoing*. :mod:`.roles` reads who took part; :mod:`.events` makes the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Role, Span
from .doc import Doc, Lexicon
from .names import Names
from .ner import headline_case

__all__ = ["Trigger", "find_triggers", "VIOLENT", "PART_OF", "GROUNDED", "CLAIM_ONLY", "REVERSED"]

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
    return headline_case([t.text for t in doc.toks[doc.sent_toks(sent).start:doc.sent_toks(sent).stop]])


def _status(doc: Doc, t_i: int, t_j: int, lex: Lexicon) -> str:
    # "akan segera berakhir" after a trigger says the thing is going on now, so it wins
    s = doc.toks[t_i].sent
    after = " ".join(t.low for t in doc.toks[t_j:t_j + 8] if t.sent == s)
    if any(after.startswith(p) or f" {p}" in f" {after}" for p in lex.data["ongoing_after"]):
        return "ongoing"
    if _future(_words_before(doc, t_i, 3), lex):
        return "announced"
    return "occurred"


def _future(words: list[str], lex: Lexicon) -> bool:
    """Whether a future marker ("will", "akan", "berencana") is among these words."""
    joined = f" {' '.join(words)} "
    return any(f" {f} " in joined for f in lex.data["future"])


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
            if _future(before8[cut + 1:], lex):
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


def _rest_of_clause(doc: Doc, j: int) -> range:
    """The words a cue governs (what is alleged, denied or supposed): from it to the next comma or the sentence end."""
    stop = doc.sent_toks(doc.toks[j - 1].sent).stop
    end = next((k for k in range(j + 1, stop) if "," in doc.gap(k)), stop)
    return range(j, end)


def _conditional_after(doc: Doc, lex: Lexicon, i: int, j: int) -> bool:
    s = doc.toks[i].sent
    after = " ".join(t.low for t in doc.toks[j:] if t.sent == s)
    return any(f" {c} " in f" {after} " for c in lex.data.get("conditional_after", []))
