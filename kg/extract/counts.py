"""Counts of people: '160 orang tewas', 'hampir 8.000 orang ditangkap', 'at least seven soldiers'."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..model import Count
from ..resolve.gazetteer import load_gazetteer
from .doc import Doc, Lexicon

__all__ = ["CountMention", "find_counts", "parse_number"]

_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")


@dataclass(slots=True)
class CountMention:
    i: int
    j: int
    count: Count


def parse_number(text: str, decimal_comma: bool) -> float | None:
    """'8.000' -> 8000 in Indonesian, '8,000' -> 8000 in English, '1,5' -> 1.5 in Indonesian."""
    if not _DIGITS.match(text):
        return None
    thousands, decimal = (".", ",") if decimal_comma else (",", ".")
    groups = text.split(thousands)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and decimal not in groups[-1]:
        return float("".join(groups))
    try:
        return float(text.replace(thousands, "").replace(decimal, "."))
    except ValueError:
        return None


def _number_at(doc: Doc, i: int, lex: Lexicon) -> tuple[int, float | None, tuple[int, int | None] | None] | None:
    """(end token, exact value, vague (min, max)) of a number starting at token i."""
    c = lex.data["counts"]
    toks = doc.toks
    first = toks[i].low
    if not first[:1].isdigit() and first not in _number_starts(lex):
        return None
    for n in (3, 2, 1):
        phrase = " ".join(t.low for t in toks[i:i + n])
        if len(toks[i:i + n]) == n and phrase in c["vague"]:
            lo, hi = c["vague"][phrase]
            return i + n, None, (lo, hi)
    for n in (2, 1):
        phrase = " ".join(t.low for t in toks[i:i + n])
        if len(toks[i:i + n]) == n and phrase in c["numbers"] and not (phrase in ("a", "se") and n == 1):
            value: float | None = float(c["numbers"][phrase])
            end = i + n
            break
    else:
        value = parse_number(toks[i].text, bool(c.get("decimal_comma")))
        end = i + 1
        if value is None:
            return None
    while end < len(toks) and toks[end].low in c["multipliers"] and value is not None:
        value *= c["multipliers"][toks[end].low]
        end += 1
    return end, value, None


def _number_starts(lex: Lexicon) -> frozenset[str]:
    """First words of every number word and vague quantity: most tokens are none of them."""
    cache = lex.__dict__.setdefault("_number_starts", None)
    if cache is None:
        c = lex.data["counts"]
        cache = frozenset(p.split()[0] for p in list(c["numbers"]) + list(c["vague"]))
        lex.__dict__["_number_starts"] = cache
    return cache


def find_counts(doc: Doc, lex: Lexicon) -> list[CountMention]:
    c = lex.data["counts"]
    units = {u.casefold() for u in c["non_person_units"]}
    force_groups = set(c["force_groups"])
    troop_cues = {w.casefold() for w in c["troop_cue"]}
    out: list[CountMention] = []
    toks = doc.toks
    # most tokens neither start a number nor a qualifier: find the few that may, in one pass
    starts = _number_starts(lex) | lex.qualifiers.first.keys()
    maybe = [k for k, t in enumerate(toks) if t.low in starts or t.low[:1].isdigit()]
    i = 0
    while i < len(toks):
        at = bisect.bisect_left(maybe, i)
        if at == len(maybe):
            break
        i = maybe[at]
        qual = lex.qualifiers.match_at(doc, i)
        start = i
        k = qual[0] if qual else i
        num = _number_at(doc, k, lex) if k < len(toks) else None
        if num is None or toks[k].sent != toks[i].sent:
            i += 1
            continue
        end, value, vague = num
        if end < len(toks) and toks[end].low in units:
            i = end
            continue
        group = lex.count_groups.match_at(doc, end)
        if group is None and end + 1 < len(toks) and (toks[end].low in ("of", "dari") or toks[end].text[:1].isupper()
                                                      and load_gazetteer().is_state_word(toks[end].text)):
            group = lex.count_groups.match_at(doc, end + 1)  # "dozens of civilians", "1,000 American troops"
        head_end = group[0] if group else end
        sent = toks[i].sent
        kind = None
        cue_now = lex.count_kinds.match_at(doc, head_end) if head_end < len(toks) else None
        # a verb right before the number takes it as its object: "killing seven soldiers", "arrested 12"
        for k2 in range(max(0, start - 2), start):
            m = lex.count_kinds.match_at(doc, k2)
            if m and m[0] == start and toks[k2].sent == sent and cue_now is None:
                kind = m[1]
        # "among them five civilians", "di antaranya empat anak": part of the count just before
        if kind is None and out and doc.toks[out[-1].i].sent == sent and any(
                " ".join(t.low for t in toks[max(0, start - 3):start]).endswith(p) for p in c.get("part_of", [])):
            kind = out[-1].count.kind
        # "the death toll … rose to 93", "jumlah korban tewas bertambah menjadi 33 orang"
        toll = False
        if kind is None and start > 0 and toks[start - 1].low in c.get("toll_links", []):
            window = " ".join(t.low for t in toks[max(0, start - 14):start] if t.sent == sent)
            kind = next((k for k, ps in c.get("tolls", {}).items() if any(p in window for p in ps)), None)
            toll = kind is not None
        # the verb usually follows the counted noun ("160 orang tewas"), through coordination
        for k2 in range(head_end, min(len(toks), head_end + 9)) if kind is None else ():
            if toks[k2].sent != sent:
                break
            if k2 > head_end and "," in doc.gap(k2) and kind is None and k2 - head_end > 4:
                break
            m = lex.count_kinds.match_at(doc, k2)
            if m:
                kind = m[1]
                break
        if kind is None:
            for k2 in range(start - 1, max(-1, start - 6), -1):
                if toks[k2].sent != sent:
                    break
                m = lex.count_kinds.match_at(doc, k2)
                if m and m[0] <= start:
                    kind = m[1]
                    break
        if kind is None and group and (group[1] in force_groups or any(
                toks[k2].low in troop_cues for k2 in range(max(0, start - 5), start))):
            kind = "troops"
        if kind is None or (group is None and cue_now is None and value is not None and value < 3 and not qual
                            and not toll):
            i = end
            continue
        if group is None and cue_now is None and kind != "troops" and not toll:
            # a bare number far from its noun is as likely a year or a page as people
            if not (start > 0 and lex.count_kinds.match_at(doc, start - 1)):
                i = end
                continue
        qualifier = qual[1] if qual else ("vague" if vague else "exact")
        count = Count(kind=kind, mention=doc.span(start, head_end), qualifier=qualifier,
                      group=group[1] if group else "people")
        if vague:
            count.min_value, count.max_value = vague[0], vague[1]
        elif qualifier in ("moreThan", "atLeast"):
            count.min_value = int(value) if value is not None else None
        elif qualifier in ("nearly", "atMost"):
            count.max_value = int(value) if value is not None else None
        else:
            count.value = int(value) if value is not None else None
        out.append(CountMention(start, head_end, count))
        i = head_end
    return out
