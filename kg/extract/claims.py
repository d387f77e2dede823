"""Who says what: quotations and attributions become claims, kept apart from the article's own voice.

Four shapes are read, in both languages:

* a quotation followed by its attribution (``“…,” kata Tokayev``, ``"…," he said``);
* reported speech (``Putin mengatakan (bahwa) …``, ``according to X, …``);
* a labelling (``menggambarkan protes itu sebagai "upaya kudeta"``, ``described it as``);
* a blame (``menyalahkan kerusuhan pada "bandit dan teroris"``, ``blamed … on``).

A quotation standing alone continues the previous speaker. What a claim asserts
in structured form (an event type, a count) hangs off the claim.
"""

from __future__ import annotations

import re

from ..model import Claim, Entity, Event, Role, Span
from .doc import Doc, Lexicon
from .names import Names
from .roles import last_person_before
from .triggers import Trigger

__all__ = ["find_claims"]

_TRAILING = ",.;: "


class _Reader:
    def __init__(self, doc: Doc, lex: Lexicon, names: Names, triggers: list[Trigger], events: list[Event],
                 language: str) -> None:
        self.doc, self.lex, self.names, self.triggers, self.events = doc, lex, names, triggers, events
        self.language = language
        self.claims: list[Claim] = []
        self.used_quotes: set[tuple[int, int]] = set()
        self.previous_subject: dict[int, str] = {}
        from .doc import PhraseMatcher

        skip = list(lex.data.get("adverbial_after_speech", [])) + list(lex.data.get("audience", []))
        self.adverbials = PhraseMatcher({p: p for p in skip})
        self.audience = lex.words("audience")
        self.boundary = lex.words("clause_boundary")
        self.pronouns = lex.words("pronouns")
        self.relpron = lex.words("relative_pronoun")
        self.locative = lex.words("locative")
        self.contrast = lex.words("contrast")
        self.modals = PhraseMatcher({p: p for p in lex.data.get("deontic_modals", [])})

    # who ---------------------------------------------------------------------
    def pronoun(self, i: int) -> str | None:
        """Who 'dia', 'he' or '-nya' at token i is: the last speaker, else the last person named."""
        begin = self.doc.toks[i].begin
        before = [c for c in self.claims if c.mention.begin < begin]
        if before:
            return max(before, key=lambda c: c.mention.begin).speaker
        return last_person_before(self.names, i)

    def subject_before(self, cue: int) -> tuple[str | None, int | None]:
        """The speaker named before a speech verb, within its clause, past relative clauses."""
        doc = self.doc
        lo = doc.sent_toks(doc.toks[cue].sent).start
        window: list[int] = []
        k = cue - 1
        coordinators = {"dan", "serta", "and"}
        while k >= lo:
            low = doc.toks[k].low
            # "… dan mengatakan …" closes the clause; "bandit dan teroris" does not
            if low in self.boundary and (low not in coordinators or k == cue - 1):
                break
            window.append(k)
            k -= 1
        window.reverse()
        window = [w for w in window if not doc.quote_of(doc.toks[w].begin, doc.toks[w].end)]
        # ", yang menyalahkan …, mengatakan": the relative clause is not where the subject is
        rel = next((r for r in window if doc.toks[r].low in self.relpron and "," in doc.gap(r)), None)
        if rel is not None:
            close = next((w for w in window if w > rel and "," in doc.gap(w)), cue)
            window = [w for w in window if not rel <= w < close]
        # a pronoun subject ("Dia mengatakan")
        if window and doc.toks[window[0]].low in self.pronouns:
            i = window[0]
            key = self.pronoun(i)
            return key, i
        best = None
        for m in self.names.sorted():
            if m.i in window and not m.in_title and self.names.entities[m.key].is_actor:
                ent = self.names.entities[m.key]
                if ent.is_place and doc.after(m.i, self.locative):
                    continue  # "the Red Cross operating in Iraq said": Iraq is where, not who
                rank = 0 if ent.kind == "person" else 1
                if best is None or rank < best[0] or (rank == best[0] and m.i > best[1].i):
                    best = (rank, m)
        if best:
            return best[1].key, best[1].i
        return None, None

    def sentence_subject(self, sent: int) -> tuple[str | None, int | None]:
        first = self.doc.sent_toks(sent).start
        if self.doc.toks[first].low in self.pronouns:
            return self.pronoun(first), first
        for m in self.names.sorted():
            if self.doc.toks[m.i].sent == sent and not m.in_title and self.names.entities[m.key].is_actor \
                    and not self.doc.quote_of(self.doc.toks[m.i].begin, self.doc.toks[m.i].end):
                return m.key, m.i
        return None, None

    def actor_after(self, j: int, limit: int = 3) -> str | None:
        for m in self.names.sorted():
            if j <= m.i < j + limit and self.names.entities[m.key].is_actor and not m.in_title:
                return m.key
        return None

    # what --------------------------------------------------------------------
    def add(self, speaker: str | None, begin: int, end: int, *, types: list[str] | None = None,
            about: list[int] | None = None) -> Claim | None:
        text = self.doc.text
        while end > begin and text[end - 1] in _TRAILING + "\"”“":
            end -= 1
        while begin < end and text[begin] in " \"“”":
            begin += 1
        if speaker is None or end - begin < 3 or len(text[begin:end].split()) < 2:
            return None
        ent = self.names.entities.get(speaker)
        if ent is not None and ent.kind == "group" and any(
                " ".join(n.lower().split()) in self.audience for n in ent.names_seen | {ent.name}):
            return None  # "told reporters": the audience is not the speaker
        span = Span(begin, end, text[begin:end])
        claim = Claim(speaker=speaker, text=span.text, language=self.language, mention=span)
        claim.event_types += list(types or [])  # the speech act itself ("accusation") leads
        inside = [t for t in self.triggers if begin <= t.span.begin and t.span.end <= end]
        for t in inside:
            if t.type in self.lex.data["interpretive_types"] or t.quoted:
                if t.type not in claim.event_types:
                    claim.event_types.append(t.type)
            ev = next((n for n, e in enumerate(self.events) if e.type == t.type), None)
            if ev is not None and ev not in claim.about_events:
                claim.about_events.append(ev)
        claim.event_types += [x for x in (types or []) if x not in claim.event_types]
        claim.about_events += [x for x in (about or []) if x not in claim.about_events]
        for m in self.names.sorted():
            s = self.doc.toks[m.i]
            if begin <= s.begin < end and m.key != speaker and m.key not in claim.about_entities:
                claim.about_entities.append(m.key)
        self.claims.append(claim)
        self._demand(claim)
        return claim

    def _demand(self, claim: Claim) -> None:
        """'Russia said Sudan must return the helicopter': saying that another must act is a demand
        of the speaker on them, an event the article reports, with the claim as what is demanded."""
        doc = self.doc
        lo, hi = doc.tok_at(claim.mention.begin), doc.tok_at(claim.mention.end)
        modal = next((m for m in self.modals.find(doc, lo, hi)), None)
        if modal is None:
            return
        subject = None
        for m in self.names.sorted():
            if lo <= m.i < modal[0] and not m.in_title and self.names.entities[m.key].is_actor:
                subject = m.key
        if subject is None or subject == claim.speaker:
            return  # "we must defend ourselves": a resolve, not a demand
        self.events.append(Event(type="demand", status="occurred", mentions=[doc.span(modal[0], modal[1])],
                                 roles=[Role(claim.speaker, "agent"), Role(subject, "target")], label="demand"))
        claim.about_events.append(len(self.events) - 1)

    def clause_end(self, j: int, stop_at_comma: bool = False) -> int:
        """Character offset where a reported clause starting at token j ends."""
        doc = self.doc
        sent = doc.toks[j].sent if j < len(doc.toks) else None
        end = doc.sentences[sent].end if sent is not None else len(doc.text)
        split = self.lex.speech["split_speech"].find(doc, j, doc.sent_toks(sent).stop) if sent is not None else []
        if split:
            end = min(end, doc.toks[split[0][0]].begin)
        if sent is not None:
            # "…, sedangkan Phumtham mengatakan …": a second speaker after a contrast ends the first clause
            stop = doc.sent_toks(sent).stop
            cues = [i for i, _j, _, _ in self.lex.speech["after_subject"].find(doc, j + 1, stop)]
            for k in range(j + 1, stop):
                if doc.toks[k].begin >= end:
                    break
                if doc.toks[k].low in self.contrast and "," in doc.gap(k) and any(c > k for c in cues):
                    end = min(end, doc.toks[k - 1].end)
                    break
        if stop_at_comma:
            m = re.search(r",\s", doc.text[doc.toks[j].begin:end]) if j < len(doc.toks) else None
            if m:
                end = doc.toks[j].begin + m.start()
        return end

    # shapes ------------------------------------------------------------------
    def run(self) -> None:
        """Read attributions in text order, so 'dia' and '-nya' find the speaker before them."""
        doc, lex = self.doc, self.lex
        items: list[tuple[int, int, str, object]] = []
        for q in doc.quotes:
            if len(doc.text[q[0]:q[1]].split()) >= 4:  # shorter ones are scare-quoted terms
                items.append((doc.tok_at(q[1]), 0, "quote", q))
        for kind in ("after_subject", "describe", "blame", "according_to", "relative"):
            for i, j, _, _ in lex.speech[kind].find(doc):
                items.append((i, 1, kind, (i, j)))
        seen: set[int] = set()
        for pos, _, kind, payload in sorted(items, key=lambda x: (x[0], x[1])):
            if kind == "quote":
                self._quote(payload)  # type: ignore[arg-type]
                continue
            i, j = payload  # type: ignore[misc]
            if i in seen or doc.quote_of(doc.toks[i].begin, doc.toks[i].end) or self._right_after_quote(i):
                continue
            seen.update(range(i, j))
            self._cue(i, j, kind)
        self._standalone_quotes()

    def _quote(self, q: tuple[int, int]) -> None:
        doc, lex = self.doc, self.lex
        after = doc.tok_at(q[1])
        if after >= len(doc.toks):
            return
        speaker = None
        cue_self = lex.speech["self"].match_at(doc, after)
        cue_before = lex.speech["before_subject"].match_at(doc, after)
        if cue_self:
            speaker = self.pronoun(after)
            self._pronoun_mention(after, speaker, clitic=True)
        elif cue_before:
            speaker = self.actor_after(cue_before[0])
            if speaker is None and cue_before[0] < len(doc.toks) and doc.toks[cue_before[0]].low in self.pronouns:
                speaker = self.pronoun(after)
        else:
            # '"…," X said' / '"…," he said'
            for k in range(after, min(after + 4, len(doc.toks))):
                if lex.speech["after_subject"].match_at(doc, k):
                    speaker = self.actor_after(after, limit=k - after)
                    if speaker is None and doc.toks[after].low in self.pronouns:
                        speaker = self.pronoun(after)
                    break
        if speaker:
            self.used_quotes.add(q)
            self.add(speaker, q[0], q[1])

    def _standalone_quotes(self) -> None:
        """A quotation that is a sentence of its own continues the speaker before it."""
        doc = self.doc
        for q in doc.quotes:
            if q in self.used_quotes or len(doc.text[q[0]:q[1]].split()) < 5:
                continue
            s = doc.sentences[doc.toks[doc.tok_at(q[0])].sent]
            if q[0] - s.begin <= 1 and s.end - q[1] <= 2:
                before = [c for c in self.claims if c.mention.end < q[0]]
                if before:
                    self.used_quotes.add(q)
                    self.add(max(before, key=lambda c: c.mention.end).speaker, q[0], q[1])

    def _cue(self, i: int, j: int, kind: str) -> None:
        doc, lex = self.doc, self.lex
        sent = doc.toks[i].sent
        if kind == "relative":
            # "yang dia klaim berjumlah …": a relative clause with its own speaker
            if i >= 2 and doc.toks[i - 1].low in self.pronouns and doc.toks[i - 2].low in self.relpron:
                speaker = self.pronoun(i - 1)
                self._pronoun_mention(i - 1, speaker)
                if j < len(doc.toks):
                    self.add(speaker, doc.toks[j].begin, self.clause_end(j, stop_at_comma=True))
            return
        if kind == "according_to":
            speaker = self.actor_after(j)
            if speaker is None:
                return
            rest = doc.text[doc.toks[j].end:doc.sentences[sent].end]
            comma = rest.find(",")
            if comma >= 0 and len(rest[comma:].split()) > 3:
                self.add(speaker, doc.toks[j].end + comma + 1, doc.sentences[sent].end)
            else:
                self.add(speaker, doc.sentences[sent].begin, doc.toks[i].begin)
            return
        speaker, at = self.subject_before(i)
        if speaker is None:
            speaker = self.previous_subject.get(sent)
        if speaker is None and i > 0 and doc.toks[i - 1].low in ("dan", "serta", "and"):
            # "Dia juga membela … dan mengatakan …": the sentence's subject speaks again
            speaker, at = self.sentence_subject(sent)
        elif at is not None and doc.toks[at].low in self.pronouns:
            self._pronoun_mention(at, speaker)
        if speaker is None:
            return
        self.previous_subject[sent] = speaker
        if kind == "after_subject" and at is not None and self._reporting_tail(at, j, sent):
            # "Heavy fighting broke out near Goma, local officials said on Monday."
            s_begin = doc.sentences[sent].begin
            comma = doc.text.rfind(",", s_begin, doc.toks[at].begin)
            if comma > s_begin:
                self.add(speaker, s_begin, comma)
                return
        start = self._past_adverbials(j, sent)
        if start < len(doc.toks) and lex.speech["complementiser"].match_at(doc, start):
            start += 1
        if start >= len(doc.toks) or doc.toks[start].sent != sent:
            return
        if kind == "describe":
            as_word = next((k for k in range(start, doc.sent_toks(sent).stop)
                            if lex.speech["describe_as"].match_at(doc, k)), None)
            if as_word is None or as_word + 1 >= len(doc.toks):
                return
            about = [n for n, e in enumerate(self.events)
                     for t in self.triggers if start <= t.i < as_word and t.type == e.type]
            self.add(speaker, doc.toks[as_word + 1].begin, self._label_end(as_word + 1), about=about)
            return
        if kind == "blame":
            end = self.clause_end(start, stop_at_comma=True)
            claim = self.add(speaker, doc.toks[start].begin, end, types=["accusation"])
            if claim:
                self._accused(claim, start, end)
            return
        self.add(speaker, doc.toks[start].begin, self.clause_end(start))
        self._speaking_at(sent, speaker)

    # helpers -------------------------------------------------------------------
    def _reporting_tail(self, subject: int, cue_end: int, sent: int) -> bool:
        """The speech verb closes the sentence ('…, X said.' / '…, X said on Monday.')."""
        doc = self.doc
        stop = doc.sent_toks(sent).stop
        rest = stop - self._past_adverbials(cue_end, sent) if cue_end < stop else 0
        return rest <= 0 or (stop - cue_end <= 3 and not self.lex.speech["complementiser"].match_at(doc, cue_end))

    def _past_adverbials(self, j: int, sent: int) -> int:
        """'said in a statement on Sunday that …', 'told reporters that …': the claim starts after 'that'."""
        doc = self.doc
        stop = doc.sent_toks(sent).stop
        k = j
        while k < stop:
            m = self.adverbials.match_at(doc, k, stop)
            if m is None:
                break
            k = m[0]
            while k < stop and (doc.toks[k].text[:1].isupper() or doc.toks[k].text.isdigit()) \
                    and not self.lex.speech["complementiser"].match_at(doc, k):
                k += 1  # "on Sunday", "in Kabul", "to Reuters"
        if k == j:
            return j
        comp = next((x for x in range(k, min(k + 8, stop)) if self.lex.speech["complementiser"].match_at(doc, x)), None)
        return comp if comp is not None else k


    def _right_after_quote(self, i: int) -> bool:
        return any(0 <= self.doc.toks[i].begin - q[1] <= 3 for q in self.used_quotes)

    def _label_end(self, k: int) -> int:
        doc = self.doc
        if k >= len(doc.toks):
            return doc.toks[-1].end
        q = next((q for q in doc.quotes if 0 <= q[0] - doc.toks[k].begin <= 1
                  or q[0] <= doc.toks[k].begin < q[1]), None)
        if q:
            return q[1]
        end = doc.toks[k].end
        for t in doc.toks[k:k + 6]:
            if t.sent != doc.toks[k].sent or t.low in self.boundary:
                break
            end = t.end
        return end

    def _accused(self, claim: Claim, start: int, end: int) -> None:
        """The blamed party: a named actor in the blame, or the quoted label as an unnamed group."""
        doc = self.doc
        on = next((k for k in range(start, doc.tok_at(end)) if self.lex.speech["blame_on"].match_at(doc, k)), None)
        q = next((q for q in doc.quotes if start <= doc.tok_at(q[0]) and q[1] <= end), None)
        if q and (on is None or doc.tok_at(q[0]) > on):
            label = doc.text[q[0]:q[1]]
            key = "group:" + re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")
            if key not in self.names.entities:
                self.names.entities[key] = Entity(key=key, kind="group", name=label)
            self.names.entities[key].names_seen.add(label)
            span = Span(q[0], q[1], label)
            if span not in self.names.entities[key].mentions:
                self.names.entities[key].mentions.append(span)
            if key not in claim.about_entities:
                claim.about_entities.append(key)

    def _pronoun_mention(self, i: int, key: str | None, clitic: bool = False) -> None:
        if key is None or key not in self.names.entities:
            return
        t = self.doc.toks[i]
        clitic_form = self.lex.data.get("clitic")
        if clitic and clitic_form and t.low.endswith(clitic_form):
            span = Span(t.end - len(clitic_form), t.end, self.doc.text[t.end - len(clitic_form):t.end])
        else:
            span = Span(t.begin, t.end, t.text)
        if span not in self.names.entities[key].mentions:
            self.names.entities[key].mentions.append(span)

    def _speaking_at(self, sent: int, speaker: str) -> None:
        """'Speaking at the summit, X said …' / 'Berbicara bersama Tokayev, …': X took part in the meeting."""
        doc = self.doc
        first = doc.sent_toks(sent).start
        phrase = " ".join(t.low for t in doc.toks[first:first + 3])
        if not any(phrase.startswith(p) for p in self.lex.data.get("speaking_at", [])):
            return
        meeting = next((e for e in self.events if e.type == "meeting"), None)
        if meeting is None:
            return
        for key in [speaker] + [m.key for m in self.names.sorted()
                                if doc.toks[m.i].sent == sent and m.i < first + 5 and self.names.kind(m.key) == "person"]:
            if not any(r.entity == key for r in meeting.roles):
                meeting.roles.append(Role(key, "participant"))


def find_claims(doc: Doc, lex: Lexicon, names: Names, triggers: list[Trigger], events: list[Event],
                language: str) -> list[Claim]:
    reader = _Reader(doc, lex, names, triggers, events, language)
    reader.run()
    reader.claims.sort(key=lambda c: c.mention.begin)
    return reader.claims
