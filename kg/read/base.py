"""What every reader shares: decoding, size limits, and the article's stable key."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ..errors import ReadError

__all__ = ["MAX_ARTICLE_BYTES", "decode", "article_key", "clean_text"]

# A news article is tens of kilobytes; anything past this is a wrong file, not news.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM, or UTF-16 with BOM) or a clear error."""
    if not data.strip():
        raise ReadError(source, "empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise ReadError(source, "binary data, not text (NUL bytes in the first 8 KB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            source, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise ReadError(str(path), f"file too large for an article ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB)")
    return path.read_bytes()


def clean_text(text: str) -> str:
    """NFC, unified line ends, no control characters; offsets count in this string."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


def article_key(*, url: str | None, identifier: str | None, publisher: str | None,
                headline: str | None, text: str) -> str:
    """16 hex digits naming one article across versions.

    The URL is the best identity, then the record's own id; a scraped text file has
    neither, so the outlet and headline stand for it (an update keeps both).
    """
    if url:
        basis = "url:" + url.strip()
    elif identifier:
        basis = "id:" + identifier.strip()
    elif headline:
        basis = "headline:" + _norm(publisher or "") + "|" + _norm(headline)
    else:
        basis = "text:" + _norm(text)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]
