"""Human-readable documentation of the ontology, generated from the Turtle in ``ontology/``.

One self-contained HTML page: the ontology's metadata, its classes and
properties with their definitions and alignments, and every concept scheme with
its concepts, codes and crosswalk links. Jinja2 escapes every value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from jinja2 import Environment, select_autoescape
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .config import resource_dir

__all__ = ["build_ontology_docs"]

_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}code{font-size:90%}h2{margin-top:2.5rem}
.note{color:#555;font-size:90%}nav a{margin-right:1rem}
</style></head><body>
<h1>{{ title }}</h1>
<p>{{ description }}</p>
<p class="note">IRI <code>{{ iri }}</code>{% if version %} · version <code>{{ version }}</code>{% endif %}
{% if license %} · licence <a href="{{ license }}">{{ license }}</a>{% endif %}</p>
<nav><a href="#classes">Classes</a><a href="#properties">Properties</a>
{% for s in schemes %}<a href="#{{ s.anchor }}">{{ s.label }}</a>{% endfor %}</nav>
<h2 id="classes">Classes</h2>
<table><tr><th>class</th><th>definition</th><th>subclass of</th></tr>
{% for c in classes %}<tr id="{{ c.anchor }}"><td><b>{{ c.label }}</b><br><code>{{ c.curie }}</code></td>
<td>{{ c.definition }}</td><td>{% for p in c.parents %}<code>{{ p }}</code><br>{% endfor %}</td></tr>{% endfor %}
</table>
<h2 id="properties">Properties</h2>
<table><tr><th>property</th><th>definition</th><th>domain → range</th><th>subproperty of</th></tr>
{% for p in properties %}<tr id="{{ p.anchor }}"><td><b>{{ p.label }}</b><br><code>{{ p.curie }}</code></td>
<td>{{ p.definition }}</td><td><code>{{ p.domain }}</code> → <code>{{ p.range }}</code></td>
<td>{% for x in p.parents %}<code>{{ x }}</code><br>{% endfor %}</td></tr>{% endfor %}
</table>
{% for s in schemes %}
<h2 id="{{ s.anchor }}">{{ s.label }}</h2><p>{{ s.definition }}</p>
<table><tr><th>concept</th><th>notation</th><th>definition</th><th>broader</th><th>mappings</th></tr>
{% for c in s.concepts %}<tr id="{{ c.anchor }}"><td><b>{{ c.label }}</b>{% if c.label_id %}<br><i lang="id">{{ c.label_id }}</i>{% endif %}
<br><code>{{ c.curie }}</code></td><td>{{ c.notation }}</td><td>{{ c.definition }}
{% if c.note %}<div class="note">{{ c.note }}</div>{% endif %}</td>
<td>{% for b in c.broader %}<code>{{ b }}</code><br>{% endfor %}</td>
<td>{% for kind, target in c.mappings %}{{ kind }} <code>{{ target }}</code><br>{% endfor %}</td></tr>{% endfor %}
</table>{% endfor %}
</body></html>
"""


@dataclass
class _Row:
    curie: str
    label: str
    anchor: str
    definition: str = ""
    parents: list[str] = field(default_factory=list)
    domain: str = ""
    range: str = ""
    notation: str = ""
    label_id: str = ""
    note: str = ""
    broader: list[str] = field(default_factory=list)
    mappings: list[tuple[str, str]] = field(default_factory=list)


def _text(g: rdflib.Graph, node: rdflib.term.Node, *preds: rdflib.URIRef, lang: str = "en") -> str:
    for p in preds:
        values = list(g.objects(node, p))
        for v in values:
            if getattr(v, "language", None) == lang:
                return str(v)
        if values:
            return str(values[0])
    return ""


def build_ontology_docs(out_dir: str | os.PathLike[str]) -> Path:
    """Write ``index.html`` documenting ``ontology/`` into ``out_dir``; returns its path."""
    g = rdflib.Graph()
    for f in sorted(resource_dir("ontology").rglob("*.ttl")):
        if f.name != "shapes.ttl":
            g.parse(f, format="turtle")
    ns = g.namespace_manager

    def curie(node: rdflib.term.Node) -> str:
        try:
            return node.n3(ns)
        except Exception:  # noqa: BLE001 - a node that cannot be shortened is shown whole
            return str(node)

    def row(node: rdflib.term.Node) -> _Row:
        c = curie(node)
        return _Row(curie=c, label=_text(g, node, SKOS.prefLabel, RDFS.label) or c,
                    anchor=c.replace(":", "-").replace("/", "-"),
                    definition=_text(g, node, SKOS.definition, RDFS.comment))

    onto = next(iter(g.subjects(RDF.type, OWL.Ontology)))
    classes = []
    ours = str(onto).rstrip("/#")
    for c in sorted(set(g.subjects(RDF.type, OWL.Class)), key=curie):
        if isinstance(c, rdflib.URIRef) and str(c).startswith(ours):
            r = row(c)
            r.parents = sorted(curie(p) for p in g.objects(c, RDFS.subClassOf) if isinstance(p, rdflib.URIRef))
            classes.append(r)
    props = []
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    for p in sorted({s for k in kinds for s in g.subjects(RDF.type, k)}, key=curie):
        if isinstance(p, rdflib.URIRef) and str(p).startswith(ours):
            r = row(p)
            r.domain = ", ".join(curie(d) for d in g.objects(p, RDFS.domain) if isinstance(d, rdflib.URIRef)) or "—"
            r.range = ", ".join(curie(d) for d in g.objects(p, RDFS.range) if isinstance(d, rdflib.URIRef)) or "—"
            r.parents = sorted(curie(x) for x in g.objects(p, RDFS.subPropertyOf))
            props.append(r)
    schemes = []
    for s in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=curie):
        sr = row(s)
        concepts = []
        for c in sorted(g.subjects(SKOS.inScheme, s), key=lambda n: (str(g.value(n, SKOS.notation) or ""), curie(n))):
            r = row(c)
            r.notation = ", ".join(str(n) for n in g.objects(c, SKOS.notation))
            r.label_id = _text(g, c, SKOS.prefLabel, lang="id") if any(
                getattr(v, "language", None) == "id" for v in g.objects(c, SKOS.prefLabel)) else ""
            r.note = _text(g, c, SKOS.editorialNote, SKOS.scopeNote)
            r.broader = sorted(curie(b) for b in g.objects(c, SKOS.broader))
            r.mappings = sorted((curie(m).split(":")[1], curie(t)) for m in _MATCHES for t in g.objects(c, m))
            concepts.append(r)
        sr.__dict__["concepts"] = concepts
        schemes.append(sr)
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.from_string(_TEMPLATE).render(
        title=_text(g, onto, DCTERMS.title, RDFS.label) or str(onto), description=_text(g, onto, DCTERMS.description,
                                                                                         RDFS.comment),
        iri=str(onto), version=str(g.value(onto, OWL.versionIRI) or ""), license=str(g.value(onto, DCTERMS.license) or ""),
        classes=classes, properties=props, schemes=schemes)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
