"""Ingest: read -> extract -> map -> store, with one writer and optional worker processes.

Extraction and mapping are pure functions of an article, so they run in a pool of
worker processes while the calling process reads inputs and writes the store;
the store never has two writers.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .errors import ExtractError, ReadError
from .extract import DEFAULT_EXTRACTOR, extract
from .model import Article
from .rdf import Mapped, to_quads
from .read import read
from .store import Store

__all__ = ["IngestReport", "ingest", "process", "BATCH_QUADS"]

# Oxigraph on disk writes large batches several times faster than one article at a time.
BATCH_QUADS = 50_000


@dataclass
class IngestReport:
    """What an ingest did; ``ok`` is False when any input failed."""

    articles: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    events: int = 0
    claims: int = 0
    entities: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        parts = [f"read {self.articles} article(s)"]
        parts += [f"{n} {k}" for k, n in sorted(self.outcomes.items())]
        parts.append(f"{self.events} events, {self.claims} claims, {self.entities} entity mentions kept")
        if self.failures:
            parts.append(f"{len(self.failures)} input(s) failed")
        return "; ".join(parts)


def process(article: Article, extractor: str, base: str) -> Mapped | ExtractError:
    """Extract and map one article (runs in a worker)."""
    try:
        x = extract(article, extractor)
    except ExtractError as exc:
        return exc
    mapped = to_quads(x, base)
    mapped.stats = (len(x.events), len(x.claims), len(x.entities))  # type: ignore[attr-defined]
    return mapped


def _work(job: tuple[Article, str, str]) -> Mapped | ExtractError:
    return process(*job)


def _progress(total: int | None, enabled: bool):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, unit="article", disable=not enabled, file=sys.stderr, leave=False)


def ingest(inputs: Iterable[str], store: Store, *, workers: int = 1, extractor: str = DEFAULT_EXTRACTOR,
           stdin: BinaryIO | None = None, progress: bool = False,
           on_error: object = None) -> IngestReport:
    """Ingest files, folders and '-' into ``store``; bad inputs are reported, the rest stored."""
    report = IngestReport()

    def readable() -> Iterator[Article]:
        for item in read(inputs, stdin=stdin):
            if isinstance(item, ReadError):
                report.failures.append(str(item))
                if callable(on_error):
                    on_error(str(item))
                continue
            report.articles += 1
            yield item

    jobs = ((a, extractor, store.base) for a in readable())
    bar = _progress(None, progress)
    pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
    batch: list[Mapped] = []
    size = 0

    def flush() -> None:
        nonlocal size
        for outcome in store.put_many(batch):
            report.outcomes[outcome] += 1
        bar.update(len(batch))
        batch.clear()
        size = 0

    try:
        results = pool.imap(_work, jobs, chunksize=4) if pool else map(_work, jobs)
        for result in results:
            if isinstance(result, ExtractError):
                report.failures.append(str(result))
                if callable(on_error):
                    on_error(str(result))
                continue
            batch.append(result)
            size += len(result.article)
            e, c, n = result.stats  # type: ignore[attr-defined]
            report.events += e
            report.claims += c
            report.entities += n
            if size >= BATCH_QUADS:
                flush()
        flush()
    finally:
        bar.close()
        if pool:
            pool.close()
            pool.join()
    return report
