"""The command line: every command documented, exit codes, stdin, messages naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"kg {command}" in readme, f"README.md does not document 'kg {command}'"


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: kg" in capsys.readouterr().out


def test_public_facade_is_pinned() -> None:
    assert sorted(kg.__all__) == sorted([
        "__version__", "read", "extract", "extractors", "ingest", "open_store", "Store", "IngestReport",
        "query", "export", "stats", "demo", "validate", "Article", "Span", "Entity", "Event", "Count", "Claim",
        "Extraction", "KgError", "ReadError", "ExtractError", "StoreError", "QueryError", "EndpointError",
        "ExportError", "ValidationError"])
    for name in kg.__all__:
        assert hasattr(kg, name), name


def run_kg(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], input=stdin.decode() if stdin else None,
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_ingest_query_export_from_the_shell(tmp_path: Path, examples_dir: Path) -> None:
    store = str(tmp_path / "s")
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    done = run_kg("ingest", str(examples_dir), str(bad), "--store", store)
    assert done.returncode == 1
    assert f"{bad}: empty input" in done.stderr
    assert "read 13 article(s)" in done.stdout and "1 input(s) failed" in done.stdout
    stats = run_kg("stats", "--store", store)
    assert stats.returncode == 0 and "articles   13" in stats.stdout
    q = run_kg("query", "events-by-type-place-date", "--store", store, "--param", "type=ckgt:air-strike",
               "--format", "json")
    assert q.returncode == 0
    assert json.loads(q.stdout)["results"]["bindings"]
    out = tmp_path / "g.trig"
    assert run_kg("export", "--store", store, "--format", "trig", "-o", str(out)).returncode == 0
    assert out.stat().st_size > 1000


def test_jsonl_on_stdin(tmp_path: Path) -> None:
    rec = {"id": "x1", "title": "Clashes", "published": "2024-05-01T10:00:00+00:00",
           "text": "At least four people were killed in clashes between rival militias in Tripoli on Tuesday."}
    done = run_kg("ingest", "-", "--store", str(tmp_path / "s"), stdin=(json.dumps(rec) + "\n").encode())
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout


def test_query_errors_exit_1(tmp_path: Path, examples_dir: Path) -> None:
    kg.ingest([examples_dir / "feed.jsonl"], tmp_path / "s")
    done = run_kg("query", "--store", str(tmp_path / "s"), "--sparql", "SELECT ?x WHERE { ?x }")
    assert done.returncode == 1 and "syntax error at line 1" in done.stderr
    assert run_kg("query", "nope", "--store", str(tmp_path / "s")).returncode == 1
    assert run_kg("query", "--store", str(tmp_path / "nowhere")).returncode != 0


@pytest.mark.slow
def test_demo(tmp_path: Path) -> None:
    done = run_kg("demo", "--out", str(tmp_path / "demo"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "demo" / "conflict-kg.ttl").stat().st_size > 10_000
    assert (tmp_path / "demo" / "conflict-kg.trig").stat().st_size > 10_000
    assert "events" in done.stdout and "killed" in done.stdout
    # a figure the article states and the same figure in a speaker's claim are told apart, not twins
    table = [line.split() for line in done.stdout.splitlines() if "  killed  " in line or "  injured  " in line]
    assert table and len({tuple(r) for r in table}) == len(table)
