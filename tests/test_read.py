"""Readers: the scraper layout, HTML, JSON Lines, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from kg.errors import ReadError
from kg.model import Article
from kg.read import read
from kg.read.dates import date_line
from kg.read.language import identify

WIB = dt.timezone(dt.timedelta(hours=7))


def one(path: Path) -> Article:
    items = list(read([path]))
    assert len(items) == 1
    assert isinstance(items[0], Article), items[0]
    return items[0]


def test_seed_metadata_kept_apart_from_text(seed_path: Path) -> None:
    a = one(seed_path)
    assert a.headline == "Presiden Kazakhstan Sebut Upaya Kudeta Telah Berakhir"
    assert a.authors == ("Surya Feri",)  # printed twice, kept once
    assert a.modified == dt.datetime(2022, 1, 11, 14, 18, tzinfo=WIB)
    assert a.publisher == "Monitorindonesia.com"
    assert a.language == "id"
    assert a.keywords == ("Kazakhstan", "Kudeta kazakhstan")
    assert a.text.startswith("Setelah lebih dari 160 orang tewas")
    assert a.text.endswith("termasuk Ukraina dan Georgia.")
    for noise in ("Surya Feri", "Diperbarui", "Monitorindonesia.com", "#Kazakhstan", "Topik"):
        assert noise not in a.text


def test_same_file_same_key(seed_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.txt"
    copy.write_bytes(seed_path.read_bytes())
    assert one(seed_path).key == one(copy).key


@pytest.mark.parametrize("line, kind, expected", [
    ("Diperbarui 11 Januari 2022 14:18 WIB", "modified", dt.datetime(2022, 1, 11, 14, 18, tzinfo=WIB)),
    ("Selasa, 14 Februari 2023 | 10:05 WITA", "published",
     dt.datetime(2023, 2, 14, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
    ("Rabu, 1 Maret 2023 09:00 WIT", "published",
     dt.datetime(2023, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))),
    ("Updated: March 3, 2021, 6:12 PM GMT+7", "modified", dt.datetime(2021, 3, 3, 18, 12, tzinfo=WIB)),
    ("Published 12 July 2022 08:30 UTC", "published", dt.datetime(2022, 7, 12, 8, 30, tzinfo=dt.timezone.utc)),
])
def test_date_lines(line: str, kind: str, expected: dt.datetime) -> None:
    found = date_line(line)
    assert found is not None
    assert found[0] == kind
    assert found[1] == expected
    assert found[1].utcoffset() == expected.utcoffset()


def test_not_a_date_line() -> None:
    assert date_line("Surya Feri") is None


def test_language_identification() -> None:
    assert identify("Puluhan warga tewas ketika aparat keamanan membubarkan pengunjuk rasa di ibu kota.") == "id"
    assert identify("Dozens of civilians were killed when security forces dispersed protesters.") == "en"
    assert identify("Des dizaines de civils ont été tués lorsque les forces de sécurité ont dispersé la foule.") == "fr"


def test_html_page(tmp_path: Path) -> None:
    body = " ".join(["Police fired tear gas at thousands of protesters in Nairobi on Tuesday."] * 8)
    page = f"""<!DOCTYPE html><html lang="en"><head><title>Kenya protests | Daily Test</title>
    <meta property="og:title" content="Kenya protests turn deadly">
    <meta property="og:site_name" content="Daily Test">
    <meta name="author" content="A. Reporter">
    <meta property="article:published_time" content="2024-06-25T10:00:00+03:00"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Kenya protests turn deadly</h1><p>{body}</p><p>{body}</p></article>
    <footer>Cookie notice: we use cookies. <a href="/privacy">Privacy</a></footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    a = one(path)
    assert a.published == dt.datetime(2024, 6, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert a.publisher == "Daily Test"
    assert a.language == "en"
    assert "tear gas" in a.text
    assert "Cookie" not in a.text and "Privacy" not in a.text


def test_jsonl_fields_and_bad_lines(tmp_path: Path) -> None:
    good = {"id": "a1", "url": "https://example.org/a1", "title": "T", "published": "2024-06-25T10:00:00+03:00",
            "text": "Police arrested twelve protesters in Nairobi on Tuesday evening.", "source": "Daily Test",
            "author": "A. Reporter", "section": "world"}
    lines = [json.dumps(good), "[1, 2]", "{not json", json.dumps({**good, "id": "a2", "published": "someday"}),
             "", json.dumps({**good, "id": "a3", "url": "https://example.org/a3"})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read([path]))
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, ReadError)]
    assert [a.identifier for a in arts] == ["a1", "a3"]
    assert arts[0].url == "https://example.org/a1" and arts[0].extra == {"section": "world"}
    assert [(e.line, e.source) for e in errs] == [(2, str(path)), (3, str(path)), (4, str(path))]
    assert "not an object" in errs[0].cause and "invalid JSON" in errs[1].cause and "date" in errs[2].cause


def test_jsonl_on_stdin() -> None:
    rec = {"id": "s1", "title": "T", "text": "Soldiers clashed with rebels near the border on Monday morning."}
    items = list(read(["-"], stdin=io.BytesIO((json.dumps(rec) + "\n").encode())))
    assert isinstance(items[0], Article) and items[0].source == "<stdin>:1"


@pytest.mark.parametrize("name, content, cause", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("latin1.txt", "Kerusuhan di ibu kota menewaskan warga sipil. Café".encode("latin-1"), "UTF-8"),
    ("nohtml.html", b"<html><body><nav>Home</nav></body></html>", "no article"),
    ("nobody.txt", "Judul saja\n\nSurya Feri\n".encode(), "no article body"),
    ("baddate.txt", "Judul\n\nDiperbarui kemarin sore entah kapan\nIsi berita yang cukup panjang untuk dibaca.\n".encode(),
     "date"),
])
def test_bad_inputs_name_file_and_cause(tmp_path: Path, name: str, content: bytes, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (err,) = list(read([path]))
    assert isinstance(err, ReadError)
    assert str(path) in str(err)
    assert cause.lower() in err.cause.lower()


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (err,) = list(read([path]))
    assert isinstance(err, ReadError) and "too large" in err.cause


def test_folder_recursive_and_other_files_ignored(tmp_path: Path, examples_dir: Path) -> None:
    items = list(read([examples_dir]))
    assert all(isinstance(i, Article) for i in items), [i for i in items if not isinstance(i, Article)]
    sources = {Path(i.source.split(":")[0]).suffix for i in items}
    assert sources == {".txt", ".html", ".jsonl"}
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text("not an article")
    (err,) = list(read([tmp_path]))
    assert isinstance(err, ReadError) and "no .txt" in err.cause


def test_missing_path() -> None:
    (err,) = list(read(["does-not-exist.txt"]))
    assert isinstance(err, ReadError) and "no such file" in err.cause
