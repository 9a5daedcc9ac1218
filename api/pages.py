"""The service's HTML pages, rendered from the Jinja2 templates in ``api/templates`` (autoescaped).

The templates ship inside the ``api`` package, so :class:`~jinja2.PackageLoader`
finds them in a checkout and in an installed wheel alike. The documentation
pages render the records of :mod:`graph.docs`; this module owns what is about
the web rather than the graph: how a page links an IRI (relative links that
mirror the IRI layout, ``…/stancegraph/ontology`` and ``…/stancegraph/id/<slug>``)
and which ``?format=`` links a page offers.

>>> from graph.docs.ontology import load_ontology, ontology_doc
>>> page = render("ontology.html", doc=ontology_doc(load_ontology()))
>>> '<section class="term" id="Position">' in page
True
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from graph.docs.values import LiteralValue, Ref
from graph.namespaces import SG, slug_of

ALTERNATE_FORMATS: tuple[tuple[str, str], ...] = (
    ("turtle", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("rdfxml", "RDF/XML"),
    ("ntriples", "N-Triples"),
)
"""The RDF formats a documentation page links to, as ``?format=`` names with their titles."""


def ontology_href(iri: str) -> str:
    """The link from the ontology page: our own terms are its sections, reused terms link to their own
    documentation.

    >>> ontology_href(SG.holder), ontology_href("http://www.w3.org/ns/prov#Agent")
    ('#holder', 'http://www.w3.org/ns/prov#Agent')
    """
    return "#" + iri[len(SG) :] if iri.startswith(SG) else iri


def entity_href(iri: str) -> str:
    """The link from an entity page, which lives at ``…/id/<slug>``: entities are siblings, the
    ontology's terms sections of ``../ontology``.

    >>> entity_href("https://w3id.org/stancegraph/id/canada"), entity_href(SG.Nation)
    ('canada', '../ontology#Nation')
    """
    slug = slug_of(iri)
    if slug is not None:
        return slug
    return "../ontology#" + iri[len(SG) :] if iri.startswith(SG) else iri


ENVIRONMENT = Environment(
    loader=PackageLoader("api", "templates"),
    autoescape=select_autoescape(),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENVIRONMENT.globals.update(
    alternate_formats=ALTERNATE_FORMATS, ontology_href=ontology_href, entity_href=entity_href
)
# How the templates tell a value's kind (graph.docs.values): a named term or a literal, else a blank node.
ENVIRONMENT.tests.update(
    ref=lambda part: isinstance(part, Ref), literal=lambda part: isinstance(part, LiteralValue)
)


def render(name: str, **context: object) -> str:
    """The template ``name`` of ``api/templates`` rendered with ``context``.

    >>> render("setup_needed.html", missing=["cytoscape"], install_command="npm ci").count("cytoscape")
    1
    """
    return ENVIRONMENT.get_template(name).render(**context)
