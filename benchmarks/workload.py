"""The query mix: ``benchmarks/queries/*.rq`` templates filled with entities picked from a manifest.

A template opens with ``#+`` header lines (YAML: ``summary``, ``kind``, ``weight``,
``params``) like the named queries in ``queries/``. ``weight`` says how often the
template comes in one cycle of the mix: lookups most, whole-graph aggregates least,
as a reading workload would have them. Unlike those, these are sent as text to
any SPARQL endpoint, which has no parameter binding, so each ``{{param}}`` is
replaced by an IRI. The values are never user input: they are slugs of generated
entities from the manifest, checked against the slug pattern before use.

Parameter names say what is picked: ``holder`` (a stakeholder holding a position),
``stakeholder`` (any declared stakeholder), ``target``, ``position``,
``document`` and ``document_graph`` (a document's named graph).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.generate import Manifest, position_slug
from graph.namespaces import GRAPH_BASE, SGD

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
_SLUG = re.compile(r"[a-z0-9-]+")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Template:
    name: str
    summary: str
    kind: str  # lookup, filter, aggregate, construct, join, ask
    params: tuple[str, ...]
    text: str
    weight: int = 1

    @property
    def accept(self) -> str:
        """The result media type to ask for: graphs as N-Triples, the rest as SPARQL JSON."""
        return N_TRIPLES if self.kind == "construct" else RESULTS_JSON


@dataclass(frozen=True)
class Request:
    """One query of the workload, ready to send."""

    name: str
    query: str
    accept: str


def load_templates(directory: Path = QUERIES_DIR) -> list[Template]:
    """Every template in ``directory``, sorted by name.

    >>> [t.kind for t in load_templates() if t.name == "stance-distribution"]
    ['aggregate']
    """
    templates = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = "\n".join(line[2:] for line in text.splitlines() if line.startswith("#+"))
        meta = yaml.safe_load(header)
        templates.append(
            Template(
                path.stem, meta["summary"], meta["kind"], tuple(meta["params"]), text, meta.get("weight", 1)
            )
        )
    return templates


class Picker:
    """Picks entities for template parameters, reproducibly from a seed."""

    def __init__(self, manifest: Manifest, seed: int) -> None:
        self.rng = random.Random(seed)
        self.manifest = manifest
        self.pools: dict[str, list[str]] = {
            "holder": manifest.holders,
            "stakeholder": [slug for slugs in manifest.stakeholders.values() for slug in slugs],
            "target": [slug for slugs in manifest.targets.values() for slug in slugs],
            "document": manifest.documents,
        }

    def slug(self, param: str) -> str:
        """The slug of a picked entity (for ``document_graph``: of the document)."""
        if param == "position":
            slug = position_slug(self.rng.randrange(self.manifest.positions))
        else:
            slug = self.rng.choice(self.pools["document" if param == "document_graph" else param])
        if not _SLUG.fullmatch(slug):
            raise ValueError(f"not an entity slug: {slug!r}")
        return slug

    def iri(self, param: str) -> str:
        """A picked entity as a SPARQL IRI term."""
        base = GRAPH_BASE if param == "document_graph" else str(SGD)
        return f"<{base}{self.slug(param)}>"


def fill(template: Template, picker: Picker) -> Request:
    """The template with each parameter replaced by a picked IRI (the same IRI for repeats)."""
    values = {param: picker.iri(param) for param in template.params}
    query = _PLACEHOLDER.sub(lambda match: values[match.group(1)], template.text)
    return Request(template.name, query, template.accept)


def mix_cycle(templates: list[Template]) -> list[Template]:
    """One cycle of the mix: each template ``weight`` times, spread out rather than bunched.

    >>> a, b = Template("a", "", "lookup", (), "", 2), Template("b", "", "aggregate", (), "", 1)
    >>> [t.name for t in mix_cycle([a, b])]
    ['a', 'b', 'a']
    """
    rounds = max(template.weight for template in templates)
    return [template for r in range(rounds) for template in templates if template.weight > r]


def build_workload(
    manifest: Manifest, seed: int, count: int, templates: list[Template] | None = None
) -> list[Request]:
    """``count`` requests repeating the mix cycle, so any long prefix keeps the mix's proportions."""
    cycle = mix_cycle(templates if templates is not None else load_templates())
    picker = Picker(manifest, seed)
    return [fill(cycle[i % len(cycle)], picker) for i in range(count)]
