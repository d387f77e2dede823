"""SHACL validation of the graph against ``ontology/shapes.ttl`` with pySHACL.

Each article graph and the gazetteer graph are validated on their own: a dataset
validated as one union would let one graph's triples hide another's gaps. The
ontology and the SKOS schemes are passed as pySHACL's ``ont_graph``, so shapes
can check that an event type is a concept of the project's scheme.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from .config import resource_dir
from .errors import ValidationError

__all__ = ["Violation", "ValidationReport", "validate", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    graph: str
    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def format(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}\n    in graph {self.graph}"


@dataclass
class ValidationReport:
    graphs: int = 0
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def format(self) -> str:
        lines = [v.format() for v in self.violations]
        verdict = "conforms" if self.conforms else f"does not conform ({len(self.violations)} result(s))"
        lines.append(f"{self.graphs} graph(s) validated: {verdict}")
        return "\n".join(lines)


@lru_cache(maxsize=1)
def _shapes_and_ontology() -> tuple[rdflib.Graph, rdflib.Graph]:
    folder = resource_dir("ontology")
    shapes = rdflib.Graph().parse(folder / "shapes.ttl", format="turtle")
    ontology = rdflib.Graph()
    for f in sorted(folder.rglob("*.ttl")):
        if f.name != "shapes.ttl":
            ontology.parse(f, format="turtle")
    return shapes, ontology


def _short(node: object) -> str:
    return node.n3() if hasattr(node, "n3") else str(node)  # type: ignore[union-attr]


def validate_graph(data: rdflib.Graph, name: str = "") -> list[Violation]:
    """The SHACL results for one graph."""
    import pyshacl

    shapes, ontology = _shapes_and_ontology()
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                     abort_on_first=False, allow_warnings=True)
    out = []
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        sev = results.value(r, SH.resultSeverity)
        out.append(Violation(
            graph=name, focus=_short(results.value(r, SH.focusNode)),
            path=_short(results.value(r, SH.resultPath)) if results.value(r, SH.resultPath) else "",
            message=str(results.value(r, SH.resultMessage) or "constraint not met"),
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
            value=_short(results.value(r, SH.value)) if results.value(r, SH.value) is not None else ""))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))


def _store_graphs(store_path: str | os.PathLike[str], limit: int | None) -> Iterator[tuple[str, rdflib.Graph]]:
    import pyoxigraph as ox

    from .store import Store

    with Store(store_path, read_only=True) as store:
        names = store.article_graphs()[:limit] if limit else store.article_graphs()
        names.append(store.reference_graphs()["gazetteer"])
        for name in names:
            data = store.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
            yield name, rdflib.Graph().parse(data=data, format="nt")


def _file_graphs(path: Path) -> Iterator[tuple[str, rdflib.Graph]]:
    fmt = rdflib.util.guess_format(str(path)) or "turtle"
    if fmt in ("trig", "nquads"):
        ds = rdflib.Dataset()
        ds.parse(path, format=fmt)
        for g in ds.graphs():
            if len(g) and not str(g.identifier).endswith("/graph/ontology"):
                yield str(g.identifier), g
    else:
        yield str(path), rdflib.Graph().parse(path, format=fmt)


def validate(source: str | os.PathLike[str] | None = None, *, limit: int | None = None) -> ValidationReport:
    """Validate a store folder (default: the configured store) or an RDF file, graph by graph."""
    from .config import store_path

    path = Path(source) if source is not None else store_path()
    report = ValidationReport()
    if path.is_file():
        graphs = _file_graphs(path)
    elif path.is_dir():
        graphs = _store_graphs(path, limit)
    else:
        raise ValidationError(f"{path}: neither an RDF file nor a store folder")
    for name, g in graphs:
        report.graphs += 1
        report.violations += validate_graph(g, name)
    return report
