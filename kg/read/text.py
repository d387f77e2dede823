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
_DATELINE = re.compile(r"^(?P<prefix>[^\n]{2,70}?)\s+[-–—]{1,2}\s+(?=\S)")
_DOMAIN = re.compile(r"\w\.(?:com|co|id|net|org|news|info|tv|my|sg|ph|uk|au|in|go)\b", re.I)
_BYLINE_TAIL = {"staff", "reporter", "correspondent", "desk", "team", "wire", "editor", "redaksi", "tim"}
_HASHTAGS = re.compile(r"(?:\s*#[\w-]+)+\s*$")
_WORD = re.compile(r"\w+")


def _bylines(line: str) -> list[str]:
    """Names in a byline ('Surya Feri', 'Penulis: A | Editor: B', 'Horizon Wire staff'), or [] if it is none."""
    names = []
    for part in line.split("|"):
        if re.match(r"^\s*editor\b", part, re.I):
            continue  # the editor is credited, but is not an author
        s = _BYLINE_PREFIX.sub("", part.strip()).strip()
        words = s.split()
        if not (0 < len(words) <= 5) or s.endswith((".", "?", "!", ":")) or any(ch.isdigit() for ch in s):
            return []
        if not all(w[0].isupper() or w.lower() in _BYLINE_TAIL for w in words if w[0].isalpha()):
            return []
        names.append(s)
    return names


def _split_dateline(body: str) -> tuple[str | None, str]:
    """'Monitorindonesia.com - Setelah …' -> ('Monitorindonesia.com', 'Setelah …').

    Datelines name a city, an outlet, or both: 'JAKARTA, Kompas.com -', 'BANGKOK (Horizon Wire) -',
    'KHATULISTIWAPAGI.COM, Makassar -'. The outlet is the part in parentheses, else the part that is a
    domain, else the last part unless it is a bare upper-case city.
    """
    m = _DATELINE.match(body)
    if not m:
        return None, body
    prefix = m["prefix"].strip()
    if len(prefix.split()) > 6 or re.search(r"[.!?]\s", prefix) or prefix.endswith("."):
        return None, body
    paren = re.search(r"\(([^()]+)\)", prefix)
    parts = [p.strip(" ()") for p in prefix.split(",") if p.strip(" ()")]
    if paren:
        outlet: str | None = paren.group(1).strip()
    elif any(_DOMAIN.search(p) for p in parts):
        outlet = next(p for p in parts if _DOMAIN.search(p))
    else:
        last = parts[-1] if parts else ""
        outlet = None if (last.isupper() and len(parts) == 1) else last or None
    return outlet, body[m.end():]


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
        names = _bylines(line) if len(line) < 80 else []
        if names:
            authors += [n for n in names if n not in authors]
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
