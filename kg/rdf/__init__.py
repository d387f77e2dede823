"""Mapping extractions to RDF quads (see docs/graph-model.md)."""

from .iri import Minter, slug
from .mapping import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, Mapped, content_hash, to_quads

__all__ = ["Minter", "slug", "Mapped", "to_quads", "content_hash", "GAZETTEER_GRAPH", "ONTOLOGY_GRAPH"]
