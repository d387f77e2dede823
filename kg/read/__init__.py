"""Read articles from files, folders and standard input.

One reader per format (``text``, ``html``, ``jsonl``), chosen by extension or,
for an unknown extension, by sniffing the content. :func:`read` yields an
:class:`~kg.model.Article` or a :class:`~kg.errors.ReadError` per input, so one
bad file never stops the others.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import ReadError
from ..model import Article
from ..registry import Registry
from .base import decode, read_bytes
from .html import parse_html
from .jsonl import parse_jsonl
from .text import parse_text

__all__ = ["read", "read_file", "readers", "FORMATS_BY_SUFFIX"]

FileReader = Callable[[Path], Iterator["Article | ReadError"]]
readers: Registry[FileReader] = Registry("reader")

FORMATS_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
}


def _text(path: Path) -> Iterator[Article | ReadError]:
    try:
        yield parse_text(decode(read_bytes(path), str(path)), str(path))
    except ReadError as exc:
        yield exc


def _html(path: Path) -> Iterator[Article | ReadError]:
    try:
        yield parse_html(decode(read_bytes(path), str(path)), str(path))
    except ReadError as exc:
        yield exc


def _jsonl(path: Path) -> Iterator[Article | ReadError]:
    with path.open("rb") as fh:
        yield from parse_jsonl(fh, str(path))


readers.register("text", lambda: _text)
readers.register("html", lambda: _html)
readers.register("jsonl", lambda: _jsonl)


def sniff(path: Path) -> str:
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt:
        return fmt
    with path.open("rb") as fh:
        head = fh.read(2048).lstrip().lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def read_file(path: str | Path, fmt: str | None = None) -> Iterator[Article | ReadError]:
    p = Path(path)
    try:
        if not p.exists():
            raise ReadError(str(p), "no such file or folder")
        if not p.is_file():
            raise ReadError(str(p), "not a regular file")
        yield from readers.get(fmt or sniff(p))(p)
    except OSError as exc:
        yield ReadError(str(p), exc.strerror or str(exc))
    except ReadError as exc:
        yield exc


def _walk(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts):
            if p.suffix.lower() in FORMATS_BY_SUFFIX:
                yield p


def read(inputs: Iterable[str | Path], stdin: BinaryIO | None = None) -> Iterator[Article | ReadError]:
    """Every article in ``inputs``: files, folders (recursively) and ``-`` (JSON Lines on stdin)."""
    for item in inputs:
        if str(item) == "-":
            yield from parse_jsonl(stdin if stdin is not None else sys.stdin.buffer, "<stdin>")
            continue
        p = Path(item)
        if p.is_dir():
            found = False
            for f in _walk(p):
                found = True
                yield from read_file(f)
            if not found:
                yield ReadError(str(p), "folder holds no .txt, .html or .jsonl files")
        else:
            yield from read_file(p)
