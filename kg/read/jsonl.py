"""JSON Lines: one article per line, as crawlers and news APIs deliver them.

Known fields (several spellings each) fill the article; any other field is kept
in ``Article.extra``. A bad line is reported with its number and skipped; the
lines around it are still read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ReadError
from ..model import Article
from .base import MAX_ARTICLE_BYTES, article_key, clean_text
from .dates import parse_datetime
from .language import identify

__all__ = ["parse_jsonl", "parse_record"]

_FIELDS: dict[str, tuple[str, ...]] = {
    "identifier": ("id", "article_id", "guid", "uuid"),
    "url": ("url", "link", "href"),
    "headline": ("title", "headline"),
    "text": ("text", "body", "content", "article", "maintext"),
    "published": ("published", "date_published", "datePublished", "pubdate", "date", "publish_date"),
    "modified": ("modified", "date_modified", "dateModified", "updated"),
    "language": ("language", "lang", "inLanguage"),
    "publisher": ("source", "publisher", "outlet", "site", "source_name"),
    "authors": ("author", "authors", "byline"),
    "keywords": ("keywords", "tags", "topics"),
}
_KNOWN = {name for names in _FIELDS.values() for name in names}


def _pick(record: dict[str, Any], field: str) -> Any:
    for name in _FIELDS[field]:
        if record.get(name) not in (None, "", []):
            return record[name]
    return None


def _date(value: Any, source: str, line: int, field: str) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = parse_datetime(value)
            if parsed:
                return parsed
    raise ReadError(source, f"cannot parse {field} date {value!r}", line=line)


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.replace(";", ",").split(",") if v.strip())
    if isinstance(value, list):
        out: list[str] = []
        for v in value:
            if isinstance(v, dict):
                v = v.get("name")
            if isinstance(v, str) and v.strip():
                out.append(v.strip())
        return tuple(out)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return (value["name"],)
    return ()


def parse_record(record: Any, source: str, line: int) -> Article:
    if not isinstance(record, dict):
        raise ReadError(source, f"a JSON {type(record).__name__}, not an object", line=line)
    text = _pick(record, "text")
    if not isinstance(text, str) or len(text.split()) < 5:
        raise ReadError(source, "no article text (fields text/body/content empty or missing)", line=line)
    text = clean_text(text)
    url = _pick(record, "url")
    ident = _pick(record, "identifier")
    headline = _pick(record, "headline")
    publisher = _strings(_pick(record, "publisher"))
    lang = _pick(record, "language")
    return Article(
        key=article_key(url=url, identifier=str(ident) if ident is not None else None,
                        publisher=publisher[0] if publisher else None, headline=headline, text=text),
        text=text,
        source=f"{source}:{line}",
        headline=str(headline).strip() if headline else None,
        language=str(lang) if lang else identify(text),
        published=_date(_pick(record, "published"), source, line, "published"),
        modified=_date(_pick(record, "modified"), source, line, "modified"),
        authors=_strings(_pick(record, "authors")),
        publisher=publisher[0] if publisher else None,
        url=str(url) if url else None,
        identifier=str(ident) if ident is not None else None,
        keywords=_strings(_pick(record, "keywords")),
        extra={k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
               for k, v in record.items() if k not in _KNOWN},
    )


def parse_jsonl(lines: Iterable[bytes | str], source: str) -> Iterator[Article | ReadError]:
    """Yield an article or a ReadError per non-blank line."""
    for n, raw in enumerate(lines, start=1):
        if len(raw) > MAX_ARTICLE_BYTES:
            yield ReadError(source, f"line longer than {MAX_ARTICLE_BYTES // 1_000_000} MB", line=n)
            continue
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield ReadError(source, f"not valid UTF-8 (offset {exc.start} in the line)", line=n)
                continue
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield ReadError(source, f"invalid JSON ({exc.msg} at column {exc.colno})", line=n)
            continue
        try:
            yield parse_record(record, source, n)
        except ReadError as exc:
            yield exc
