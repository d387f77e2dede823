"""Shared fixtures: the shared seed folder (skips cleanly when absent) and stores built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg.config import resource_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_a0319e335cb18496.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present beside the checkout")
    return SEED


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return resource_dir("examples")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> kg.Store:
    """A store holding the seed article alone, read-only for the tests."""
    path = tmp_path_factory.mktemp("seed") / "store"
    report = kg.ingest([seed_path], path)
    assert report.ok, report.failures
    return kg.open_store(path, read_only=True)


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> kg.Store:
    """The examples plus, when present, the seed: what the query library is tested on."""
    path = tmp_path_factory.mktemp("corpus") / "store"
    inputs = [examples_dir] + ([SEED] if SEED.is_file() else [])
    report = kg.ingest(inputs, path)
    assert report.ok, report.failures
    return kg.open_store(path, read_only=True)


def has(tool: str) -> bool:
    return shutil.which(tool) is not None
