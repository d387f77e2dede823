"""Extraction: from an article to plain records (entities, events, counts, claims).

Extractors are plugins found by name in :data:`extractors`; each has a ``name``, a
``version`` and an ``extract(article) -> Extraction`` that is a pure function of
the article, so :func:`kg.ingest` can run it in worker processes.
"""

from __future__ import annotations

from typing import Protocol

from ..errors import ExtractError
from ..model import Article, Extraction
from ..registry import Registry

__all__ = ["Extractor", "extractors", "extract", "DEFAULT_EXTRACTOR"]

DEFAULT_EXTRACTOR = "rules"


class Extractor(Protocol):
    name: str
    version: str

    def extract(self, article: Article) -> Extraction: ...


def _rules() -> Extractor:
    from .rules import RuleExtractor

    return RuleExtractor()


extractors: Registry[Extractor] = Registry("extractor")
extractors.register("rules", _rules)


def extract(article: Article, extractor: str = DEFAULT_EXTRACTOR) -> Extraction:
    """Run one extractor on one article; failures name the article."""
    try:
        return extractors.get(extractor).extract(article)
    except KeyError as exc:
        raise ExtractError(str(exc)) from None
    except Exception as exc:  # an extractor bug must not take the whole ingest down
        raise ExtractError(f"{article.source}: extractor {extractor!r} failed: {exc!r}") from exc
