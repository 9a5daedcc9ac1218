"""Readable documentation as standalone HTML pages: the ontology, and the description of each entity.

Two Linked Data views, for people with a browser rather than an RDF client:

* :func:`ontology_html` documents every term of the ontology (classes,
  properties, concept individuals), one section per term whose HTML ``id`` is
  the term's local name, so that ``https://w3id.org/stancegraph/ontology#Position``
  dereferences to ``/ontology`` and its fragment lands on the term.
* :func:`entity_html` describes one entity ``sgd:<slug>``: its label, types and
  links, what refers to it, and for a stakeholder the positions it holds with
  the quoted evidence, the quote marked in its context.

The pages carry their own small stylesheet and no script: they work saved to a
file and with the network unplugged. Links between them are relative
(``../ontology#holder``, ``canada``), mirroring the IRI layout: the ontology at
``…/stancegraph/ontology``, entities at ``…/stancegraph/id/<slug>``.

>>> page = ontology_html(load_ontology())
>>> '<section class="term" id="Position">' in page
True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from graph.namespaces import ONTOLOGY_IRI, PREFIXES, SG, SGD, slug_of
from graph.paths import ONTOLOGY_FILE
from graph.queries import run_query
from graph.results import as_boolean, as_integer
from graph.stores.base import Store
from graph.subgraph import cbd, linked_nodes, node_label, types_and_labels

VANN_PREFIX = URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")

# The sections of the ontology page: the OWL type that puts a term in it, and its heading.
TERM_KINDS: tuple[tuple[URIRef, str, str, str], ...] = (
    (OWL.Class, "classes", "Classes", "class"),
    (OWL.ObjectProperty, "object-properties", "Object properties", "object property"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties", "datatype property"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties", "annotation property"),
    (OWL.NamedIndividual, "individuals", "Named individuals", "individual"),
)

CHARACTERISTICS: tuple[URIRef, ...] = (
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
)

# The OWL types that sort a term into a section or say what kind of property it is: not shown as its "types".
TERM_TYPES = frozenset(entry[0] for entry in TERM_KINDS) | frozenset(CHARACTERISTICS)

# Facets of a restricted datatype, as written in Manchester syntax.
FACETS: dict[URIRef, str] = {
    XSD.minInclusive: ">=",
    XSD.maxInclusive: "<=",
    XSD.minExclusive: ">",
    XSD.maxExclusive: "<",
    XSD.pattern: "pattern",
    XSD.length: "length",
    XSD.minLength: "minLength",
    XSD.maxLength: "maxLength",
}

RESTRICTION_KEYWORDS: dict[URIRef, str] = {
    OWL.someValuesFrom: "some",
    OWL.allValuesFrom: "only",
    OWL.hasValue: "value",
    OWL.minCardinality: "min",
    OWL.maxCardinality: "max",
    OWL.cardinality: "exactly",
    OWL.minQualifiedCardinality: "min",
    OWL.maxQualifiedCardinality: "max",
    OWL.qualifiedCardinality: "exactly",
}

# Annotations shown as prose under a term's definition, in this order.
NOTE_PREDICATES: tuple[tuple[URIRef, str], ...] = (
    (RDFS.comment, "Comment"),
    (SKOS.note, "Note"),
    (SKOS.editorialNote, "Editorial note"),
    (SKOS.example, "Example"),
)

# What the entity page shows in its heading rather than among the statements.
HEADING_PREDICATES = frozenset({RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel})

Link = Callable[[URIRef], str]
"""How a page links an IRI: the href it gives it."""

STYLE = """
:root { --ink: #1d2733; --muted: #5b6878; --rule: #d8dee6; --accent: #1f5fa8; --mark: #ffe28a; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: #f6f8fa; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; background: #fff; min-height: 100vh; }
header.page { border-bottom: 2px solid var(--rule); margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: .2rem 0 .4rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 0 0 .3rem; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, .iri { font: .88em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.iri { color: var(--muted); word-break: break-all; }
.kind { display: inline-block; font-size: .75rem; text-transform: uppercase; letter-spacing: .04em;
        color: var(--muted); border: 1px solid var(--rule); border-radius: 3px; padding: 0 .35rem; }
.term { border: 1px solid var(--rule); border-radius: 6px; padding: .8rem 1rem; margin: .8rem 0; }
.term:target { border-color: var(--accent); box-shadow: 0 0 0 3px #d6e4f5; }
.definition { margin: .3rem 0 .5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .3rem 0 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
nav.toc ul { columns: 3 14rem; padding-left: 1.1rem; margin: .3rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid var(--rule); }
th { color: var(--muted); font-weight: 600; }
blockquote { margin: .4rem 0; padding: .4rem .8rem; border-left: 4px solid var(--rule); background: #fafbfc; }
mark { background: var(--mark); padding: 0 .1em; }
.context { color: var(--muted); }
.position { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem 1rem; margin: .7rem 0; }
.stance { font-weight: 600; }
.flag { color: #a33; font-weight: 600; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; }
"""


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """The ontology file parsed into an rdflib Graph, with the project's prefixes bound.

    >>> (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in load_ontology()
    True
    """
    ontology = Graph()
    for prefix, namespace in PREFIXES.items():
        ontology.bind(prefix, namespace)
    return ontology.parse(path, format="turtle")


def curie(iri: URIRef) -> str:
    """The short form ``prefix:local`` of an IRI in a known namespace, else the IRI itself.

    >>> curie(SG.Position), curie(URIRef("http://example.org/x"))
    ('sg:Position', 'http://example.org/x')
    """
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        local = text[len(namespace) :]
        if text.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return text


def _anchor(href: str, text: str, title: str = "") -> str:
    title_attribute = f' title="{escape(title)}"' if title else ""
    return f'<a href="{escape(href)}"{title_attribute}>{escape(text)}</a>'


def _literal(value: Literal) -> str:
    shown = f"<span>{escape(str(value))}</span>"
    if value.language:
        return f'{shown} <span class="kind">{escape(value.language)}</span>'
    if value.datatype and value.datatype != XSD.string:
        return f'{shown} <span class="kind">{escape(curie(value.datatype))}</span>'
    return shown


def _list(graph: Graph, head: Node) -> list[Node]:
    return list(Collection(graph, head)) if isinstance(head, BNode | URIRef) else []


def class_expression(graph: Graph, node: Node, link: Link) -> str:
    """HTML for a class or datatype expression in Manchester syntax: ``P only sg:Document``.

    Named terms become links (``link`` chooses the href), literals are shown as values.

    >>> g = Graph().parse(data='''@prefix owl: <http://www.w3.org/2002/07/owl#> .
    ...   @prefix sg: <https://w3id.org/stancegraph/ontology#> .
    ...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   sg:partOf rdfs:range [ owl:unionOf ( sg:Stakeholder sg:Program ) ] .''', format="turtle")
    >>> union = g.value(SG.partOf, RDFS.range)
    >>> class_expression(g, union, lambda iri: "#" + curie(iri))
    '<a href="#sg:Stakeholder" title="...">sg:Stakeholder</a> or <a href="#sg:Program" ...>sg:Program</a>'
    """
    if isinstance(node, URIRef):
        return _anchor(link(node), curie(node), str(node))
    if isinstance(node, Literal):
        return _literal(node)

    def part(member: Node) -> str:
        text = class_expression(graph, member, link)
        return f"({text})" if isinstance(member, BNode) else text

    for connective, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        members = graph.value(node, connective)
        if members is not None:
            return word.join(part(member) for member in _list(graph, members))
    complement = graph.value(node, OWL.complementOf)
    if complement is not None:
        return "not " + part(complement)
    one_of = graph.value(node, OWL.oneOf)
    if one_of is not None:
        return "{" + ", ".join(part(member) for member in _list(graph, one_of)) + "}"
    on_datatype = graph.value(node, OWL.onDatatype)
    if on_datatype is not None:
        facets = [
            f"{escape(FACETS.get(facet, curie(facet)))} {escape(str(value))}"
            for restriction in _list(graph, graph.value(node, OWL.withRestrictions))
            for facet, value in graph.predicate_objects(restriction)
        ]
        return f"{part(on_datatype)}[{', '.join(facets)}]"
    on_property = graph.value(node, OWL.onProperty)
    if on_property is not None:
        for predicate, keyword in RESTRICTION_KEYWORDS.items():
            value = graph.value(node, predicate)
            if value is None:
                continue
            qualifier = graph.value(node, OWL.onClass) or graph.value(node, OWL.onDataRange)
            text = f"{part(on_property)} {keyword} {part(value)}"
            return text + (f" {part(qualifier)}" if qualifier is not None else "")
    return escape(str(node))


def _ontology_link(iri: URIRef) -> str:
    # Our own terms are sections of this page; reused terms link to their own documentation.
    return "#" + iri[len(SG) :] if iri.startswith(SG) else str(iri)


def _facts(rows: Iterable[tuple[str, list[str]]]) -> str:
    items = "".join(f"<dt>{escape(name)}</dt><dd>{', '.join(values)}</dd>" for name, values in rows if values)
    return f'<dl class="facts">{items}</dl>' if items else ""


def _notes(graph: Graph, term: Node) -> str:
    paragraphs = [
        f'<p><span class="kind">{escape(name)}</span> {escape(str(note))}</p>'
        for predicate, name in NOTE_PREDICATES
        for note in sorted(graph.objects(term, predicate))
    ]
    return "".join(paragraphs)


def _term_section(graph: Graph, term: URIRef, kind_name: str) -> str:
    def links(nodes: Iterable[Node]) -> list[str]:
        return [class_expression(graph, node, _ontology_link) for node in sorted(nodes, key=str)]

    def terms_where(predicate: URIRef, value: Node) -> list[str]:
        return links(s for s in graph.subjects(predicate, value) if isinstance(s, URIRef))

    types = set(graph.objects(term, RDF.type))
    characteristics = [curie(c).removeprefix("owl:") for c in CHARACTERISTICS if c in types]
    asserted_types = links(t for t in types - {OWL.NamedIndividual} if t not in TERM_TYPES)
    values = [
        (curie(predicate), [_literal(value)])
        for predicate, value in sorted(graph.predicate_objects(term))
        if isinstance(value, Literal) and predicate.startswith(SG)
    ]
    facts = _facts(
        [
            ("Types", asserted_types),
            ("Characteristics", [escape(name) for name in characteristics]),
            ("Subclass of", links(graph.objects(term, RDFS.subClassOf))),
            ("Superclass of", terms_where(RDFS.subClassOf, term)),
            ("Equivalent to", links(graph.objects(term, OWL.equivalentClass))),
            (
                "Disjoint with",
                links(graph.objects(term, OWL.disjointWith)) + terms_where(OWL.disjointWith, term),
            ),
            ("Subproperty of", links(graph.objects(term, RDFS.subPropertyOf))),
            ("Inverse of", links(graph.objects(term, OWL.inverseOf))),
            ("Domain", links(graph.objects(term, RDFS.domain))),
            ("Range", links(graph.objects(term, RDFS.range))),
            ("In domain of", terms_where(RDFS.domain, term)),
            ("In range of", terms_where(RDFS.range, term)),
            ("Instances", terms_where(RDF.type, term)),
            ("In scheme", links(graph.objects(term, SKOS.inScheme))),
            ("Broader", links(graph.objects(term, SKOS.broader))),
            ("Narrower", terms_where(SKOS.broader, term)),
            ("Also called", [escape(str(label)) for label in graph.objects(term, SKOS.altLabel)]),
            *values,
        ]
    )
    definition = graph.value(term, SKOS.definition)
    local = term[len(SG) :]
    return (
        f'<section class="term" id="{escape(local)}">'
        f'<h3>{escape(node_label(graph, term))} <span class="kind">{escape(kind_name)}</span></h3>'
        f'<div class="iri">{escape(str(term))}</div>'
        + (f'<p class="definition">{escape(str(definition))}</p>' if definition else "")
        + _notes(graph, term)
        + facts
        + "</section>"
    )


def _term_kind(graph: Graph, term: URIRef) -> tuple[URIRef, str, str, str] | None:
    types = set(graph.objects(term, RDF.type))
    return next((entry for entry in TERM_KINDS if entry[0] in types), None)


def ontology_html(ontology: Graph) -> str:
    """The ontology's documentation: header, contents, one section per term of ours, the reused terms.

    Each term of the ``sg:`` namespace gets a section whose ``id`` is its local
    name; the terms declared from other vocabularies are listed with links to
    their own documentation.

    >>> page = ontology_html(load_ontology())
    >>> page.startswith("<!DOCTYPE html>"), 'id="holder"' in page, "prov:Agent" in page
    (True, True, True)
    """
    own: dict[str, list[URIRef]] = defaultdict(list)
    reused: list[tuple[URIRef, str]] = []
    terms = {subject for subject in ontology.subjects(RDF.type) if isinstance(subject, URIRef)}
    for term in sorted(terms, key=lambda term: node_label(ontology, term).lower()):
        kind = _term_kind(ontology, term)
        if kind is None or term == ONTOLOGY_IRI:
            continue
        if term.startswith(SG):
            own[kind[1]].append(term)
        else:
            reused.append((term, kind[2]))

    title = str(ontology.value(ONTOLOGY_IRI, DCTERMS.title) or "Ontology")
    description = ontology.value(ONTOLOGY_IRI, DCTERMS.description)

    def header(predicate: URIRef, show: Callable[[str], str] = escape) -> list[str]:
        return [show(str(value)) for value in ontology.objects(ONTOLOGY_IRI, predicate)]

    header_facts = _facts(
        [
            ("Ontology IRI", [f'<span class="iri">{escape(str(ONTOLOGY_IRI))}</span>']),
            ("Version IRI", header(OWL.versionIRI, lambda iri: f'<span class="iri">{escape(iri)}</span>')),
            ("Version", header(OWL.versionInfo)),
            ("Preferred prefix", header(VANN_PREFIX, lambda prefix: f"<code>{escape(prefix)}:</code>")),
            ("License", header(DCTERMS.license, lambda iri: _anchor(iri, iri))),
            ("Other formats", [_anchor(f"?format={name}", label) for name, label in ALTERNATE_FORMATS]),
        ]
    )
    toc = "".join(
        f'<li><a href="#{anchor}">{escape(heading)}</a> ({len(own[anchor])})</li>'
        for _, anchor, heading, _ in TERM_KINDS
        if own[anchor]
    )
    sections = "".join(
        f'<h2 id="{anchor}">{escape(heading)}</h2>'
        + "".join(_term_section(ontology, term, singular) for term in own[anchor])
        for _, anchor, heading, singular in TERM_KINDS
        if own[anchor]
    )
    reused_rows = "".join(
        f"<tr><td>{_anchor(str(term), curie(term))}</td><td>{escape(node_label(ontology, term))}</td>"
        f"<td>{escape(heading)}</td></tr>"
        for term, heading in reused
    )
    namespaces = "".join(
        f"<tr><td><code>{escape(prefix)}:</code></td><td class='iri'>{escape(namespace)}</td></tr>"
        for prefix, namespace in PREFIXES.items()
    )
    body = (
        f'<header class="page"><span class="kind">Ontology</span><h1>{escape(title)}</h1>'
        + (f"<p>{escape(str(description))}</p>" if description else "")
        + header_facts
        + "</header>"
        + f'<nav class="toc"><h2>Contents</h2><ul>{toc}'
        + f'<li><a href="#reused">Reused terms</a> ({len(reused)})</li>'
        + '<li><a href="#namespaces">Namespaces</a></li></ul></nav>'
        + sections
        + '<h2 id="reused">Reused terms</h2><p>Declared here for the terms this ontology uses, '
        "instead of importing their vocabularies, so that it opens offline.</p>"
        + f"<table><tr><th>Term</th><th>Label</th><th>Kind</th></tr>{reused_rows}</table>"
        + f'<h2 id="namespaces">Namespaces</h2><table>{namespaces}</table>'
    )
    return _page(title, body)


ALTERNATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("turtle", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("rdfxml", "RDF/XML"),
    ("ntriples", "N-Triples"),
)
"""The RDF formats a documentation page links to, as ``?format=`` names with their titles."""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{body}<footer>stancegraph</footer></main></body></html>\n"
    )


def entity_description(store: Store, slug: str) -> Graph:
    """What the store says about ``sgd:<slug>``: its symmetric Concise Bounded Description with the
    types and labels of everything it links, so that a reader (human or RDF client) can name them.

    NotFoundError naming the id when the store does not know it.

    >>> from graph.stores.memory import MemoryStore
    >>> from graph.dataset import load_embedded
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> description = entity_description(store, "canada")
    >>> (SGD.canada, RDFS.label, Literal("Canada", lang="en")) in description
    True
    >>> entity_description(store, "atlantis")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: no entity 'atlantis' in the store
    """
    description = cbd(store, slug, symmetric=True)
    named = (
        linked_nodes(description) | set(description.objects(None, RDF.type)) | set(description.predicates())
    )
    description += types_and_labels(store, {node for node in named if isinstance(node, URIRef)})
    return description


def _entity_link(iri: URIRef) -> str:
    # Relative links: an entity page lives at …/id/<slug>, the ontology at …/ontology.
    slug = slug_of(str(iri))
    if slug is not None:
        return slug
    if iri.startswith(SG):
        return "../ontology#" + iri[len(SG) :]
    return str(iri)


def _value(description: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return _anchor(_entity_link(node), node_label(description, node), str(node))
    if isinstance(node, Literal):
        return _literal(node)
    return f"<code>{escape(str(node))}</code>"


_INTEGERS = ("value", "start", "end")
_BOOLEANS = ("hedged", "garbled")


def _plain_rows(store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    # Text (IRIs as str) keeps the HTML code free of rdflib term handling; the numbers and flags are
    # read by the readers' rule: an int or bool when well-formed, else the text as stored.
    def plain(key: str, term: Node) -> Any:
        if key in _INTEGERS:
            return as_integer(term)
        return as_boolean(term) if key in _BOOLEANS else str(term)

    return [{key: plain(key, term) for key, term in row.items()} for row in run_query(store, name, **params)]


def _shown(value: Any) -> str:
    # A value as stored, escaped: what a page shows of one that is not of its expected type.
    return escape(str(value))


def _quote_html(evidence: dict[str, Any]) -> str:
    flag = (
        ' <span class="flag" title="The source text is garbled here; the quote is kept as it stands.">'
        "garbled</span>"
        if evidence["garbled"] is True
        else ""
    )
    document = URIRef(evidence["document"])
    source = _anchor(_entity_link(document), evidence.get("documentTitle") or slug_of(document) or document)
    return (
        f'<blockquote><span class="context">…{escape(evidence.get("prefix") or "")}</span>'
        f"<mark>{escape(evidence['quote'])}</mark>"
        f'<span class="context">{escape(evidence.get("suffix") or "")}…</span>{flag}'
        f"<br><small>{source}, characters {_shown(evidence['start'])}–{_shown(evidence['end'])}</small>"
        "</blockquote>"
    )


def _signed(value: int | str) -> str:
    if isinstance(value, str):
        return _shown(value)
    return f"{value:+d}" if value else "0"


def _hedging(position: dict[str, Any]) -> str:
    hedged = position["hedged"]
    if hedged is True:
        return "yes" + (f" ({escape(position['hedgeCues'])})" if position.get("hedgeCues") else "")
    return "no" if hedged is False else _shown(hedged)


def _positions_html(store: Store, slug: str) -> str:
    positions = _plain_rows(store, "positions-of-stakeholder", stakeholder=slug)
    if not positions:
        return ""
    cards = []
    for position in positions:
        position_slug = slug_of(position["position"]) or position["position"]
        evidence = _plain_rows(store, "evidence-for-position", position=position_slug)
        facts = _facts(
            [
                ("Value", [_signed(position["value"])]),
                ("Attribution", [escape(position["attributionLabel"])]),
                ("Hedged", [_hedging(position)]),
                ("Regarding", [escape(position["regardingLabel"])] if position.get("regardingLabel") else []),
            ]
        )
        target = _anchor(_entity_link(URIRef(position["target"])), position["targetLabel"])
        cards.append(
            f'<div class="position"><h3><span class="stance">{escape(position["stanceLabel"])}</span> '
            f"{target}</h3>"
            f'<div class="iri">{_anchor(position_slug, position_slug)}</div>'
            + facts
            + "".join(_quote_html(row) for row in evidence)
            + "</div>"
        )
    return f'<h2 id="positions">Positions ({len(positions)})</h2>' + "".join(cards)


def entity_html(store: Store, slug: str) -> str:
    """The page describing ``sgd:<slug>``: label, types, aliases, its statements, what refers to it,
    and for a stakeholder its positions with the quotes they rest on.

    NotFoundError naming the id when the store does not know it.

    >>> from graph.stores.memory import MemoryStore
    >>> from graph.dataset import load_embedded
    >>> store = MemoryStore()
    >>> load_embedded(store)
    >>> page = entity_html(store, "canada")
    >>> "<h1>Canada</h1>" in page, "Positions (2)" in page, "<mark>" in page
    (True, True, True)
    """
    description = entity_description(store, slug)
    iri = SGD[slug]
    label = node_label(description, iri)
    # owl:NamedIndividual is OWL bookkeeping, not a kind of thing a reader would name.
    types = [
        _value(description, t) for t in sorted(description.objects(iri, RDF.type)) if t != OWL.NamedIndividual
    ]
    aliases = [escape(str(alias)) for alias in sorted(description.objects(iri, SKOS.altLabel))]

    statements: dict[URIRef, list[Node]] = defaultdict(list)
    for predicate, value in description.predicate_objects(iri):
        if predicate not in HEADING_PREDICATES:
            statements[predicate].append(value)  # type: ignore[index]
    statement_rows = "".join(
        f"<tr><td>{_value(description, predicate)}</td>"
        f"<td>{'<br>'.join(_value(description, v) for v in sorted(values, key=str))}</td></tr>"
        for predicate, values in sorted(statements.items(), key=lambda item: node_label(description, item[0]))
    )
    referrers = sorted(
        (
            (subject, predicate)
            for subject, predicate in description.subject_predicates(iri)
            if subject != iri
        ),
        key=lambda pair: (node_label(description, pair[1]), node_label(description, pair[0])),
    )
    referrer_rows = "".join(
        f"<tr><td>{_value(description, subject)}</td><td>{_value(description, predicate)}</td></tr>"
        for subject, predicate in referrers
    )
    body = (
        f'<header class="page"><span class="kind">Entity</span><h1>{escape(label)}</h1>'
        f'<div class="iri">{escape(str(iri))}</div>'
        + _facts(
            [
                ("Type", types),
                ("Also called", aliases),
                ("Other formats", [_anchor(f"?format={name}", title) for name, title in ALTERNATE_FORMATS]),
            ]
        )
        + "</header>"
        + _positions_html(store, slug)
        + (
            f"<h2>Statements</h2><table><tr><th>Property</th><th>Value</th></tr>{statement_rows}</table>"
            if statement_rows
            else ""
        )
        + (
            f"<h2>Referred to by</h2><table><tr><th>Subject</th><th>Property</th></tr>{referrer_rows}</table>"
            if referrer_rows
            else ""
        )
    )
    return _page(f"{label} · stancegraph", body)
