"""Plain text as scrapers leave it.

The layout this reader expects (every part but the body optional)::

    Headline
    <blank>
    Byline            (possibly printed twice)
    Date line         ("Diperbarui 11 Januari 2022 14:18 WIB", "Published …")
    Outlet.com - Body text …  #Tag #Tag
    Topik: / Topics:
    topic lines

Metadata goes to the article's fields, never into ``Article.text``.
"""

from __future__ import annotations

import re

from ..errors import ReadError
from ..model import Article
from .base import article_key, clean_text
from .dates import date_line
from .language import identify

__all__ = ["parse_text"]

_TRAILER = re.compile(r"^\s*(topik|topics?|tags?|label|kata kunci|baca juga)\s*:\s*(.*)$", re.I)
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|oleh|penulis|reporter|editor|writer)\s*[:\-]?\s+", re.I)
_DATELINE = re.compile(
    r"^(?P<prefix>\(?[A-Z][\w.&' ]{1,40}?(?:,\s*[\w.&' ]{2,40})?\)?)\s*[-–—]{1,2}\s+(?=\S)"
)
_HASHTAGS = re.compile(r"(?:\s*#[\w-]+)+\s*$")
_WORD = re.compile(r"\w+")


def _looks_like_byline(line: str) -> bool:
    s = _BYLINE_PREFIX.sub("", line.strip())
    words = s.split()
    return (
        0 < len(words) <= 5
        and not s.endswith((".", "?", "!", ":"))
        and not any(ch.isdigit() for ch in s)
        and all(w[0].isupper() for w in words if w[0].isalpha())
    )


def _split_dateline(body: str) -> tuple[str | None, str]:
    """'Monitorindonesia.com - Setelah …' -> ('Monitorindonesia.com', 'Setelah …')."""
    m = _DATELINE.match(body)
    if not m or len(m["prefix"].split()) > 6:
        return None, body
    prefix = m["prefix"].strip("() ")
    # "JAKARTA, Kompas.com": the city is a dateline, the outlet follows the comma.
    outlet = prefix.split(",")[-1].strip()
    return outlet or None, body[m.end():]


def parse_text(raw: str, source: str, language: str | None = None) -> Article:
    text = clean_text(raw)
    if not text:
        raise ReadError(source, "empty input")
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    headline = lines[i].strip()
    i += 1
    authors: list[str] = []
    published = modified = None
    # Metadata lines sit between the headline and the first long line.
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        found = date_line(line)
        if found is not None:
            kind, when = found
            if when is None:
                raise ReadError(source, f"cannot parse the date line {line!r}", line=i + 1)
            if kind == "modified":
                modified = when
            else:
                published = when
            i += 1
            continue
        if len(line) < 60 and _looks_like_byline(line):
            name = _BYLINE_PREFIX.sub("", line).strip()
            if name not in authors:
                authors.append(name)
            i += 1
            continue
        break
    body_lines: list[str] = []
    keywords: list[str] = []
    trailer = False
    for line in lines[i:]:
        m = _TRAILER.match(line)
        if m or trailer:
            trailer = True
            value = m.group(2) if m else line
            keywords += [k.strip() for k in re.split(r"[,;]", value) if k.strip()]
            continue
        body_lines.append(line)
    body = "\n".join(body_lines).strip()
    tags = _HASHTAGS.search(body)
    if tags:
        keywords = [t.lstrip("#") for t in tags.group(0).split()] + keywords
        body = body[: tags.start()].rstrip()
    publisher, body = _split_dateline(body)
    if len(_WORD.findall(body)) < 5:
        if len(lines) == 1 and len(_WORD.findall(headline)) >= 5:
            body, headline = headline, ""
        else:
            raise ReadError(source, "no article body found (fewer than 5 words after the metadata)")
    lang = language or identify(body)
    return Article(
        key=article_key(url=None, identifier=None, publisher=publisher, headline=headline, text=body),
        text=body,
        source=source,
        headline=headline or None,
        language=lang,
        published=published,
        modified=modified,
        authors=tuple(authors),
        publisher=publisher,
        keywords=tuple(dict.fromkeys(keywords)),
    )
