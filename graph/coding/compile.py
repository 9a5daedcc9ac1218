"""A checked coding as RDF: its document's named graph, and the /inferred graph of analyst inferences;
the entity registry as a graph of its own.

A document carries its text (``sg:text``, beside ``sg:sha256``), so that any store serves it,
and its time as an ``xsd:dateTime`` in UTC with its precision (:mod:`graph.moments`);
each position is derived from its document (``prov:wasDerivedFrom``) and may carry the time
the text gives for the stance itself (``sg:validAt``).

>>> from graph.coding.load import load_coding
>>> from graph.paths import DATA_DIR
>>> dataset = compile_coding(load_coding(DATA_DIR / "golden-dome-canada.yaml"))
>>> sorted(str(graph.identifier) for graph in dataset.graphs() if len(graph))
['https://w3id.org/stancegraph/graph/golden-dome-canada',
 'https://w3id.org/stancegraph/graph/golden-dome-canada/inferred']
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import IdentifiedNode

from graph.coding.load import Coding, Registry
from graph.coding.quotes import occurrences
from graph.coding.schema import CONCERN_SCHEME, Concern, Entry, Measure, Position, Quote, Stakeholder
from graph.moments import Moment
from graph.namespaces import GRAPH_BASE, OA, PREFIXES, SG, document_graph, entity, inferred_graph

PROV = Namespace(PREFIXES["prov"])
DCTERMS = Namespace(PREFIXES["dcterms"])
ENTITIES_GRAPH = URIRef(GRAPH_BASE + "entities")
"""The named graph of the entity registry: the entities the documents of a corpus share."""

CONTEXT_CHARS = 32  # how much text oa:prefix and oa:suffix carry either side of a quote

CLASSES = {
    "program": SG.Program,
    "participation proposal": SG.ParticipationProposal,
    "concern": SG.Concern,
    "measure": SG.Measure,
    "threat": SG.Threat,
}
# The property each link key becomes (a key means the same wherever it is used).
PREDICATES = {
    "member_of": SG.memberOf,
    "part_of": SG.partOf,
    "initiated_by": SG.initiatedBy,
    "promoted_by": SG.promotedBy,
    "aims_at": SG.aimsAt,
    "participant": SG.participant,
    "program": SG.program,
    "program_of": SG.programOf,
    "broader": SKOS.broader,
    "addresses": SG.addresses,
}


def _label(text: str) -> Literal:
    return Literal(text, lang="en")


def _individual(graph: Graph, subject: IdentifiedNode, *classes: URIRef) -> None:
    """Type ``subject``, declared as an OWL individual so that the data reads as OWL 2 DL (and in Protégé)."""
    graph.add((subject, RDF.type, OWL.NamedIndividual))
    for rdf_class in classes:
        graph.add((subject, RDF.type, rdf_class))


def _time(graph: Graph, subject: URIRef, predicate: URIRef, moment: Moment) -> None:
    # As written (``Z``): rdflib would normalise the lexical form to ``+00:00``.
    graph.add((subject, predicate, Literal(moment.lexical, datatype=XSD.dateTime, normalize=False)))
    graph.add((subject, SG.timePrecision, Literal(moment.precision)))


def _compile_entity(graph: Graph, item: Entry, document: URIRef | None) -> None:
    """``item``'s triples; ``document`` the one it is mentioned in (None for the registry's)."""
    subject = entity(item.id)
    if isinstance(item, Stakeholder):  # the specific class and the general one, so queries need no reasoner
        _individual(graph, subject, SG[item.type], SG.Stakeholder)
    else:
        _individual(graph, subject, CLASSES[item.kind])
    graph.add((subject, RDFS.label, _label(item.label)))
    if document is not None:
        graph.add((subject, SG.mentionedIn, document))
    for alias in item.aliases:
        graph.add((subject, SKOS.altLabel, _label(alias)))
    for key, refs in item.links().items():
        for ref in refs:
            graph.add((subject, PREDICATES[key], entity(ref)))
    if isinstance(item, Measure):
        graph.add((subject, SG.measureStatus, SG[item.status]))
    if item.note:
        graph.add((subject, SKOS.editorialNote, _label(item.note)))
    if isinstance(item, Concern):
        scheme = entity(CONCERN_SCHEME)
        graph.add((subject, RDF.type, SKOS.Concept))
        graph.add((subject, SKOS.prefLabel, _label(item.label)))
        graph.add((subject, SKOS.inScheme, scheme))
        _individual(graph, scheme, SKOS.ConceptScheme)
        graph.add((scheme, RDFS.label, _label("Concerns")))
        graph.add((scheme, SKOS.prefLabel, _label("Concerns")))


def _compile_position(graph: Graph, coding: Coding, position: Position, document: URIRef) -> None:
    subject = entity(position.id)
    holder, target = coding.entity(position.holder), coding.entity(position.target)
    label = f"{holder.label} — {position.stance} — {target.label}"
    _individual(graph, subject, SG.Position)
    graph.add((subject, RDFS.label, _label(label)))
    graph.add((subject, SG.holder, entity(position.holder)))
    graph.add((subject, SG.target, entity(position.target)))
    graph.add((subject, SG.stance, SG[position.stance]))
    graph.add((subject, SG.stanceValue, Literal(position.value, datatype=XSD.integer)))
    graph.add((subject, SG.attribution, SG[position.attribution]))
    graph.add((subject, SG.hedged, Literal(bool(position.hedges))))
    graph.add((subject, PROV.wasDerivedFrom, document))
    if position.valid_at is not None:
        _time(graph, subject, SG.validAt, position.valid_at)
    for cue in position.hedges:
        graph.add((subject, SG.hedgeCue, Literal(cue)))
    for ref in position.regarding:
        graph.add((subject, SG.regarding, entity(ref)))
    if position.note:
        graph.add((subject, SKOS.editorialNote, _label(position.note)))
    starts = coding.offsets[position.id]
    for number, (quote, start) in enumerate(zip(position.evidence, starts, strict=True), start=1):
        evidence = entity(f"{position.id}-ev{number}")
        graph.add((subject, SG.evidence, evidence))
        _compile_evidence(
            graph, coding.source_text, document, (evidence, f"Evidence {number} of {label}"), quote, start
        )


def _compile_evidence(
    graph: Graph, text: str, document: URIRef, named: tuple[URIRef, str], quote: Quote, start: int
) -> None:
    """The web annotation ``named`` (IRI and label) of ``quote`` at ``start`` in ``text``: selected by its
    words and by its offsets (``<evidence>-target``, ``-quote``, ``-pos``)."""
    evidence, label = named
    end = start + len(quote.quote)
    target_iri, quote_iri, span = (URIRef(f"{evidence}-{part}") for part in ("target", "quote", "pos"))
    _individual(graph, evidence, SG.Evidence, OA.Annotation)
    graph.add((evidence, RDFS.label, _label(label)))
    graph.add((evidence, PROV.wasDerivedFrom, document))
    graph.add((evidence, OA.hasTarget, target_iri))
    if quote.garbled:
        graph.add((evidence, SG.garbled, Literal(True)))
    if quote.note:
        graph.add((evidence, SKOS.editorialNote, _label(quote.note)))
    _individual(graph, target_iri, OA.SpecificResource)
    graph.add((target_iri, OA.hasSource, document))
    graph.add((target_iri, OA.hasSelector, quote_iri))
    graph.add((target_iri, OA.hasSelector, span))
    _individual(graph, quote_iri, OA.TextQuoteSelector)
    graph.add((quote_iri, OA.exact, Literal(quote.quote)))
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    suffix = text[end : end + CONTEXT_CHARS]
    if prefix:
        graph.add((quote_iri, OA.prefix, Literal(prefix)))
    if suffix:
        graph.add((quote_iri, OA.suffix, Literal(suffix)))
    _individual(graph, span, OA.TextPositionSelector)
    graph.add((span, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    graph.add((span, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))


def link_evidence_id(subject: str, key: str, target: str, number: int) -> str:
    """The id of evidence ``number`` of the stated link ``key`` from ``subject`` to ``target``.

    >>> link_evidence_id("golden-dome", "promoted_by", "donald-trump", 1)
    'golden-dome-promoted-by-donald-trump-ev1'
    """
    return f"{subject}-{key.replace('_', '-')}-{target}-ev{number}"


def _compile_stated(graph: Graph, coding: Coding, item: Entry, document: URIRef) -> None:
    """Each link of ``item`` stated with its quotes: an OWL axiom annotation on the link's assertion
    (as for an inferred link's reason) whose ``sg:linkEvidence`` is each quote's web annotation."""
    text = coding.source_text
    for (key, target_id), quotes in item.stated().items():
        subject, predicate, target = entity(item.id), PREDICATES[key], entity(target_id)
        axiom = BNode(f"stated-{item.id}-{key.replace('_', '-')}-{target_id}")
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, subject))
        graph.add((axiom, OWL.annotatedProperty, predicate))
        graph.add((axiom, OWL.annotatedTarget, target))
        link = f"{item.label} — {key.replace('_', ' ')} — {coding.entity(target_id).label}"
        for number, quote in enumerate(quotes, start=1):
            evidence = entity(link_evidence_id(item.id, key, target_id, number))
            graph.add((axiom, SG.linkEvidence, evidence))
            start = occurrences(text, quote.quote)[(quote.occurrence or 1) - 1]  # as the checks found it
            _compile_evidence(graph, text, document, (evidence, f"Evidence {number} of {link}"), quote, start)


def _compile_inferred(graph: Graph, coding: Coding, document: URIRef) -> None:
    _individual(graph, graph.identifier)
    graph.add((graph.identifier, RDFS.label, _label(f"Analyst inferences on “{coding.document.title}”")))
    graph.add((graph.identifier, PROV.wasDerivedFrom, document))
    note = "Links the source text does not state, each with the analyst's reason."
    graph.add((graph.identifier, SKOS.editorialNote, _label(note)))
    for link in coding.file.inferred:
        key, target_id = link.link()
        subject, predicate, target = entity(link.subject), PREDICATES[key], entity(target_id)
        graph.add((subject, predicate, target))
        # The reason is an OWL axiom annotation: the OWL 2 DL way to say something about one assertion.
        # A named blank node keeps rebuilds byte-identical.
        axiom = BNode(f"inferred-{link.subject}-{key.replace('_', '-')}-{target_id}")
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, subject))
        graph.add((axiom, OWL.annotatedProperty, predicate))
        graph.add((axiom, OWL.annotatedTarget, target))
        graph.add((axiom, SKOS.editorialNote, _label(link.note)))


def compile_coding(coding: Coding) -> Dataset:
    """The RDF of a checked coding: its document graph and its /inferred graph.

    >>> from graph.coding.load import load_coding
    >>> from graph.paths import DATA_DIR
    >>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
    >>> dataset = compile_coding(coding)
    >>> document = dataset.graph(document_graph("golden-dome-canada"))
    >>> str(document.value(entity("golden-dome-canada"), SG.sha256)) == coding.sha256
    True
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    info = coding.document
    asserted = dataset.graph(document_graph(info.slug))
    document = entity(info.slug)
    _individual(asserted, document, SG.Document)
    asserted.add((document, RDFS.label, _label(info.title)))
    asserted.add((document, DCTERMS.title, _label(info.title)))
    asserted.add((document, SG.sourceText, Literal(info.source)))
    asserted.add((document, SG.sha256, Literal(coding.sha256)))
    asserted.add((document, SG.text, Literal(coding.source_text)))
    if info.publisher:
        asserted.add((document, DCTERMS.publisher, Literal(info.publisher)))
    if info.author:
        asserted.add((document, DCTERMS.creator, Literal(info.author)))
    if info.date is not None:
        _time(asserted, document, DCTERMS.issued, info.date)
    if info.url:
        asserted.add((document, DCTERMS.source, URIRef(info.url)))
    for item in coding.file.entries():
        _compile_entity(asserted, item, document)
        _compile_stated(asserted, coding, item, document)
    for shared in coding.shared_ids():  # the registry's entities, mentioned here
        asserted.add((entity(shared), SG.mentionedIn, document))
    for position in coding.file.positions:
        _compile_position(asserted, coding, position, document)
    if coding.file.inferred:
        _compile_inferred(dataset.graph(inferred_graph(info.slug)), coding, document)
    return dataset


def compile_registry(registry: Registry) -> Dataset:
    """The RDF of the checked entity registry: its entities in the graph :data:`ENTITIES_GRAPH`.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from graph.coding.corpus import load_corpus
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = (Path(folder) / "entities.yaml").write_text("threats:\\n  - {id: drones, label: Drones}\\n")
    ...     corpus = load_corpus(Path(folder))
    >>> graph = compile_registry(corpus.registry).graph(ENTITIES_GRAPH)
    >>> str(graph.value(entity("drones"), RDFS.label))
    'Drones'
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    graph = dataset.graph(ENTITIES_GRAPH)
    for item in registry.file.entries():
        _compile_entity(graph, item, None)
    return dataset
