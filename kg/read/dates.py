"""Publication dates as pages print them, resolved to aware datetimes.

dateparser reads the many languages and layouts; this module only adds what it
does not know: Indonesia's zone names (WIB, WITA, WIT) and the scraper
keywords that say whether a date is a publication or an update.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

__all__ = ["parse_datetime", "date_line", "ZONE_OFFSETS"]

# Hours east of UTC for zone abbreviations that dateparser does not resolve.
ZONE_OFFSETS: dict[str, float] = {
    "WIB": 7, "WITA": 8, "WIT": 9,  # Indonesia (western, central, eastern)
    "MYT": 8, "SGT": 8, "PHT": 8, "ICT": 7, "MMT": 6.5, "IST": 5.5, "PKT": 5,
    "ALMT": 5, "EAT": 3, "CAT": 2, "WAT": 1, "MSK": 3, "AST": 3,
}

_UPDATED = r"(?:diperbarui|diperbaharui|updated|last updated|modified|update)"
_PUBLISHED = r"(?:dipublikasikan|diterbitkan|terbit|dipublish|published|posted|first published)"
_KEYWORD = re.compile(rf"^\s*(?P<kw>{_UPDATED}|{_PUBLISHED})\s*(?:on|pada)?\s*[:\-–]?\s*", re.I)
_ZONE = re.compile(r"\b(?P<zone>[A-Z]{2,5})\b(?P<rest>\s*)$")
_GMT = re.compile(r"\b(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*$", re.I)
_DATEISH = re.compile(
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}"
)


def parse_datetime(text: str, languages: list[str] | None = None) -> dt.datetime | None:
    """Parse one printed date with an optional zone; naive results are left naive."""
    s = " ".join(text.replace("|", " ").replace("(", " ").replace(")", " ").split())
    offset: dt.timezone | None = None
    m = _GMT.search(s)
    if m:
        minutes = int(m["h"]) * 60 + int(m["m"] or 0)
        offset = dt.timezone(dt.timedelta(minutes=minutes if m["sign"] == "+" else -minutes))
        s = s[: m.start()].strip()
    else:
        z = _ZONE.search(s)
        if z and z["zone"].upper() in ZONE_OFFSETS:
            offset = dt.timezone(dt.timedelta(hours=ZONE_OFFSETS[z["zone"].upper()]))
            s = s[: z.start()].strip()
    s = s.rstrip(",;- ")
    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if offset is None:
        settings["RETURN_AS_TIMEZONE_AWARE"] = True
        settings["TO_TIMEZONE"] = "UTC"
        # dateparser would assume the machine's zone for a bare time; we want none.
        if not re.search(r"(?:[+-]\d{2}:?\d{2}|Z|\b[A-Z]{3,4})\s*$", s):
            settings["RETURN_AS_TIMEZONE_AWARE"] = False
            del settings["TO_TIMEZONE"]
    parsed = dateparser.parse(s, languages=languages, settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    if offset is not None:
        parsed = parsed.replace(tzinfo=offset)
    return parsed


def date_line(line: str, languages: list[str] | None = None) -> tuple[str, dt.datetime | None] | None:
    """Recognise a scraper's date line.

    Returns ``("modified" | "published", datetime or None)`` when the line looks
    like a date line (None as the datetime when it says it is one but cannot be
    parsed), or None when the line is not a date line at all.
    """
    s = line.strip()
    if not s or len(s) > 90:
        return None
    m = _KEYWORD.match(s)
    if m:
        kind = "modified" if re.fullmatch(_UPDATED, m["kw"], re.I) else "published"
        return kind, parse_datetime(s[m.end():], languages)
    if not _DATEISH.search(s) or len(s.split()) > 9:
        return None
    parsed = parse_datetime(s, languages)
    return ("published", parsed) if parsed else None
