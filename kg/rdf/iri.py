"""Minting IRIs: the same input always gets the same IRI (see docs/graph-model.md)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

__all__ = ["Minter", "slug"]


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "x"


class Minter:
    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def article(self, key: str) -> str:
        return f"{self.base}article/{key}"

    def graph(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    def entity(self, key: str, article_iri: str) -> str:
        """Gazetteer keys name one node across articles; unnamed groups belong to their article."""
        kind, _, local = key.partition(":")
        if kind in ("group", "forces"):
            return f"{article_iri}/group/{quote(local, safe='-')}"
        return f"{self.base}{kind}/{quote(local, safe='-')}"

    def agent(self, kind: str, name: str) -> str:
        return f"{self.base}{kind}/{slug(name)}"
