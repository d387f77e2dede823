"""HTML pages: trafilatura finds the article and its metadata.

Machine-readable dates in ``<meta>`` tags carry the time and offset that
trafilatura's date (a day) drops, so they are preferred when present.
"""

from __future__ import annotations

import datetime as dt
import json

import lxml.html
import trafilatura

from ..errors import ReadError
from ..model import Article
from .base import article_key, clean_text
from .dates import parse_datetime
from .language import identify

__all__ = ["parse_html"]

_PUBLISHED = ("article:published_time", "og:published_time", "datePublished", "pubdate", "date")
_MODIFIED = ("article:modified_time", "og:updated_time", "dateModified", "last-modified")


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if name and content and name not in found:
            found[name] = content.strip()
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json" and script.text:
            try:
                data = json.loads(script.text)
            except ValueError:
                continue
            for item in data if isinstance(data, list) else [data]:
                if isinstance(item, dict):
                    for k in ("datePublished", "dateModified", "headline", "url"):
                        if isinstance(item.get(k), str):
                            found.setdefault(k, item[k])
    return found


def _first_date(meta: dict[str, str], names: tuple[str, ...]) -> dt.datetime | None:
    for name in names:
        if name in meta:
            try:
                return dt.datetime.fromisoformat(meta[name].replace("Z", "+00:00"))
            except ValueError:
                parsed = parse_datetime(meta[name])
                if parsed:
                    return parsed
    return None


def parse_html(raw: str, source: str, language: str | None = None, url: str | None = None) -> Article:
    try:
        tree = lxml.html.fromstring(raw)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ReadError(source, f"not parseable as HTML ({exc})") from None
    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    text = clean_text(doc.text or "") if doc is not None else ""
    if len(text.split()) < 5:
        raise ReadError(source, "no article text found in the HTML page")
    meta = _meta(tree)
    published = _first_date(meta, _PUBLISHED)
    modified = _first_date(meta, _MODIFIED)
    if published is None and doc.date:
        published = dt.datetime.fromisoformat(doc.date)
    headline = (doc.title or meta.get("og:title") or meta.get("headline") or "").strip() or None
    publisher = (doc.sitename or meta.get("og:site_name") or "").strip() or None
    page_url = url or doc.url or meta.get("og:url") or meta.get("url")
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    keywords = tuple(t.strip() for t in (doc.tags or []) if t.strip()) if doc.tags else ()
    return Article(
        key=article_key(url=page_url, identifier=None, publisher=publisher, headline=headline, text=text),
        text=text,
        source=source,
        headline=headline,
        language=language or (doc.language if doc.language else None) or identify(text),
        published=published,
        modified=modified,
        authors=authors,
        publisher=publisher,
        url=page_url,
        keywords=keywords,
    )
