"""Time expressions, resolved against the article's date with their precision."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..model import TimeSpec
from .doc import Doc, Lexicon

__all__ = ["TimeMention", "find_times"]


@dataclass(frozen=True, slots=True)
class TimeMention:
    i: int
    j: int
    time: TimeSpec


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _relative(unit: str, offset: int, ref: dt.date) -> TimeSpec:
    if unit == "day":
        return TimeSpec("day", stamp=ref + dt.timedelta(days=offset))
    if unit == "week":
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=offset)
        return TimeSpec("week", earliest=monday, latest=monday + dt.timedelta(days=6))
    if unit == "month":
        y, m = divmod(ref.year * 12 + ref.month - 1 + offset, 12)
        first, last = _month_bounds(y, m + 1)
        return TimeSpec("month", earliest=first, latest=last)
    first, last = dt.date(ref.year + offset, 1, 1), dt.date(ref.year + offset, 12, 31)
    return TimeSpec("year", earliest=first, latest=last)


def _weekday(target: int, ref: dt.date, strictly_before: bool) -> dt.date:
    back = (ref.weekday() - target) % 7
    if back == 0 and strictly_before:
        back = 7
    return ref - dt.timedelta(days=back)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_only(doc: Doc, lex: Lexicon, k: int, month: int, ref: dt.date | None) -> TimeMention | None:
    """A month with no day: needs a year after it, or a time word before it ("in", "pada", "late")
    so that "May" the verb and "Mei" the name are left alone."""
    toks = doc.toks
    year = int(toks[k + 1].text) if k + 1 < len(toks) and re.fullmatch(r"(19|20)\d\d", toks[k + 1].text) else None
    before = toks[k - 1].low if k > 0 and toks[k - 1].sent == toks[k].sent else ""
    if before in lex.words("time_since"):
        return None  # "since July" starts a span; it is not when the event happened
    if year is None and before not in lex.words("time_in"):
        return None
    end = k + 2 if year is not None else k + 1
    if year is None:
        if ref is None:
            return None
        year = ref.year if month <= ref.month else ref.year - 1
        after = " ".join(t.low for t in toks[k + 1:k + 3])
        if any(after.startswith(p) for p in lex.data.get("last_year", [])):
            year, end = ref.year - 1, k + 3  # "in July last year", "Juli tahun lalu"
    first, last = _month_bounds(year, month)
    start = k - 1 if before in lex.words("time_in") else k
    return TimeMention(start, end, TimeSpec("month", earliest=first, latest=last))


def find_times(doc: Doc, lex: Lexicon, ref: dt.date | None) -> list[TimeMention]:
    """Every time expression the rules can resolve; none without a reference date for relative ones."""
    t = lex.data["time"]
    months: dict[str, int] = t["months"]
    weekdays: dict[str, int] = t["weekdays"]
    last_words = set(t["last"])
    found: list[TimeMention] = []
    taken: set[int] = set()
    toks = doc.toks
    if ref is not None:
        for i, j, phrase, _ in lex.relative_time.find(doc):
            unit, offset = t["relative"][phrase]
            found.append(TimeMention(i, j, _relative(unit, offset, ref)))
            taken.update(range(i, j))
    for k, tok in enumerate(toks):
        if k in taken or not (tok.text[:1].isdigit() or tok.low in weekdays or tok.low.rstrip(".") in months):
            continue  # most words are no part of a date
        # 11 Januari 2022 | 5 January | January 5, 2022 | Jan. 5
        if tok.text.isdigit() and k + 1 < len(toks) and toks[k + 1].low.rstrip(".") in months:
            day, month = int(tok.text), months[toks[k + 1].low.rstrip(".")]
            end, year = k + 2, None
            if end < len(toks) and re.fullmatch(r"\d{4}", toks[end].text):
                year, end = int(toks[end].text), end + 1
        elif tok.low.rstrip(".") in months and tok.text[:1].isupper() and k + 1 < len(toks) \
                and re.fullmatch(r"\d{1,2}", toks[k + 1].text):
            day, month = int(toks[k + 1].text), months[tok.low.rstrip(".")]
            end, year = k + 2, None
            if end < len(toks) and re.fullmatch(r"\d{4}", toks[end].text):
                year, end = int(toks[end].text), end + 1
        elif tok.low in weekdays and tok.text[:1].isupper() and ref is not None:
            # "Senin (12/6/2023)" carries its own date; "Senin lalu", "last Monday", "on Monday" do not
            m = re.match(r"\s*\((\d{1,2})/(\d{1,2})/(\d{2,4})\)", doc.text[tok.end:])
            if m:
                y = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
                d = _safe_date(y, int(m.group(2)), int(m.group(1)))
                if d:
                    end = doc.tok_at(tok.end + m.end())
                    found.append(TimeMention(k, end, TimeSpec("day", stamp=d)))
                    taken.update(range(k, end))
                continue
            before = toks[k - 1].low if k > 0 else ""
            after = toks[k + 1].low if k + 1 < len(toks) else ""
            strictly = before in last_words or after in last_words
            end = k + 2 if after in last_words else k + 1
            start = k - 1 if before in last_words else k
            found.append(TimeMention(start, end, TimeSpec("day", stamp=_weekday(weekdays[tok.low], ref, strictly))))
            taken.update(range(start, end))
            continue
        elif tok.low in months and tok.text[:1].isupper():
            # "in July", "pada Juli", "August 2020", "akhir Maret": a month, as precise as that
            span = _month_only(doc, lex, k, months[tok.low], ref)
            if span is not None:
                found.append(span)
                taken.update(range(span.i, span.j))
            continue
        elif re.fullmatch(r"(19|20)\d\d", tok.text) and k > 0 and toks[k - 1].low in lex.words("time_in"):
            y = int(tok.text)  # "in 2017", "pada 2023": the year
            found.append(TimeMention(k - 1, k + 1, TimeSpec("year", earliest=dt.date(y, 1, 1), latest=dt.date(y, 12, 31))))
            taken.update(range(k - 1, k + 1))
            continue
        else:
            continue
        if year is None:
            if ref is None:
                continue
            year = ref.year
            guess = _safe_date(year, month, day)
            if guess and guess > ref + dt.timedelta(days=1):
                year -= 1
        d = _safe_date(year, month, day)
        if d is None or not 1 <= day <= 31:
            continue
        found.append(TimeMention(k, end, TimeSpec("day", stamp=d)))
        taken.update(range(k, end))
    return sorted(found, key=lambda m: m.i)
