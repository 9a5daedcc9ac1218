"""Validation of a compiled data set: the SHACL shapes, and every quote against its source text.

Non-conformance is a finding, not a failure: :func:`validate` returns a
:class:`ValidationReport` and raises nothing for it.

>>> report = validate_data()
>>> report.conforms, report.problems
(True, [])
>>> print(report)
conforms
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Dataset, Graph, Namespace, URIRef
from rdflib.term import Node

from graph.coding import CONTEXT_CHARS, build_dataset
from graph.namespaces import OA, ONTOLOGY_GRAPH, PREFIXES, SG
from graph.paths import DATA_DIR, ONTOLOGY_FILE, SHAPES_FILE
from graph.terms import as_integer

PROV = Namespace(PREFIXES["prov"])
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass
class ValidationReport:
    """Whether the data conforms, and if not, one readable line per problem."""

    conforms: bool
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "conforms" if self.conforms else "\n".join(self.problems)


def _graphs(dataset: Dataset) -> tuple[Graph, Graph]:
    """The ontology (its named graph, else the ontology file) and the union of every other graph."""
    ontology, data = Graph(), Graph()
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace)
    for subject, predicate, obj, graph in dataset.quads():
        (ontology if graph == ONTOLOGY_GRAPH else data).add((subject, predicate, obj))
    if not len(ontology):
        ontology.parse(ONTOLOGY_FILE, format="turtle")
    return ontology, data


MAX_SHOWN = 60
"""How many characters of an offending value a problem line shows."""


def _name(graph: Graph, node: Node | None) -> str:
    """A node as a problem line names it: its CURIE or IRI; a blank node, which has no name a
    reader could look up, as the path to it from the IRI it hangs from, such as
    ``[sgd:ev1 oa:hasTarget/oa:hasSelector]``.
    """
    if node is None:
        return "?"
    names = graph.namespace_manager
    steps: list[str] = []
    current = node
    while isinstance(current, BNode) and len(steps) < 4:
        parents = sorted(
            graph.subject_predicates(current),
            key=lambda pair: (isinstance(pair[0], BNode), pair[0].n3(), pair[1].n3()),
        )
        if not parents:
            break
        current, predicate = parents[0]
        steps.append(predicate.n3(names))
    if steps and not isinstance(current, BNode):
        return f"[{current.n3(names)} {'/'.join(reversed(steps))}]"
    return node.n3(names)


def _shown(graph: Graph, value: Node) -> str:
    text = _name(graph, value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def shacl_problems(dataset: Dataset) -> list[str]:
    """The SHACL violations of the data against ontology/shapes.ttl, with the ontology as ont_graph.

    >>> shacl_problems(build_dataset())
    []
    """
    import pyshacl  # here, not at the top: a service pays its memory only when it validates

    ontology, data = _graphs(dataset)
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    # No inference, as shapes.ttl asks: RDFS would infer each holder's class from sg:holder's range,
    # and the class checks would prove nothing. The ontology supplies the subclass links.
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    if conforms:
        return []
    problems = set()  # one line per value, however many of its constraints it fails
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus, path = results.value(result, SH.focusNode), results.value(result, SH.resultPath)
        value, message = results.value(result, SH.value), results.value(result, SH.resultMessage)
        # A node constraint (a blank node where an IRI belongs) has no path; the focus is the value.
        where = [_name(data, focus)] + ([_name(data, path)] if path is not None else [])
        if value is not None and value != focus:
            where.append(_shown(data, value))
        problems.add(f"{' '.join(where)}: {message}")
    return sorted(problems)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_source(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:  # as the compiler read it
        return handle.read()


def _selector(data: Graph, target: Node, kind: URIRef) -> Node | None:
    return next(
        (node for node in data.objects(target, OA.hasSelector) if (node, RDF.type, kind) in data), None
    )


def _anchor(data: Graph, quote: Node, span: Node, length: int) -> tuple[str, int, int] | str:
    """A span's quote and offsets, or what makes them unusable on a text of ``length`` characters:
    offsets that are not non-negative integers (as stored, ``"abc"`` or ``"-5"``), reversed, or past
    the end. Found, never raised: the offsets come from data anyone with write access can change."""
    exact = data.value(quote, OA.exact)
    if exact is None:
        return "the quote selector has no oa:exact"
    offsets = []
    for name, predicate in (("oa:start", OA.start), ("oa:end", OA.end)):
        term = data.value(span, predicate)
        value = None if term is None else as_integer(term)
        if not isinstance(value, int) or value < 0:
            return f"{name} {value!r} is not a non-negative integer"
        offsets.append(value)
    start, end = offsets
    if start > end:
        return f"oa:start {start} is after oa:end {end}"
    if end > length:
        return f"oa:end {end} is past the end ({length} characters)"
    return str(exact), start, end


def check_quotes(dataset: Dataset, data_dir: Path = DATA_DIR) -> list[str]:
    """Problems with the evidence anchors: each stored ``oa:exact`` must equal
    ``source_text[start:end]`` (and prefix and suffix the text around it), and each
    document's ``sg:sha256`` must be that of its source text (``sg:sourceText``,
    a path relative to ``data_dir``). Offsets that are not integers, negative,
    reversed or past the text's end are reported, as anything else here.

    >>> check_quotes(build_dataset())
    []
    """
    _, data = _graphs(dataset)
    problems = []
    for document in sorted(data.subjects(SG.sourceText, None), key=str):
        name = _name(data, document)
        source = str(data.value(document, SG.sourceText))
        path = Path(data_dir) / source
        if not path.is_file():
            problems.append(f"{name}: source text {source} not found")
            continue
        if str(data.value(document, SG.sha256)) != _sha256(path):
            problems.append(f"{name}: sg:sha256 is not the SHA-256 of {source}")
        text = _read_source(path)
        for target in sorted(data.subjects(OA.hasSource, document), key=str):
            where = _name(data, target)
            quote, span = (
                _selector(data, target, OA.TextQuoteSelector),
                _selector(data, target, OA.TextPositionSelector),
            )
            if quote is None or span is None:
                problems.append(f"{where}: needs a TextQuoteSelector and a TextPositionSelector")
                continue
            anchor = _anchor(data, quote, span, len(text))
            if isinstance(anchor, str):
                problems.append(f"{where}: {anchor} (in {source})")
                continue
            exact, start, end = anchor
            if text[start:end] != exact:
                problems.append(
                    f"{where}: oa:exact {exact!r} is not {source}[{start}:{end}]: {text[start:end]!r}"
                )
                continue
            prefix, suffix = text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]
            if (
                str(data.value(quote, OA.prefix) or "") != prefix
                or str(data.value(quote, OA.suffix) or "") != suffix
            ):
                problems.append(f"{where}: oa:prefix or oa:suffix differs from the text around the quote")
    return problems


def validate(dataset: Dataset, data_dir: Path = DATA_DIR) -> ValidationReport:
    """Run the SHACL shapes and the quote check over ``dataset``; sources are found under ``data_dir``."""
    problems = shacl_problems(dataset) + check_quotes(dataset, data_dir)
    return ValidationReport(conforms=not problems, problems=problems)


def validate_data(data_dir: Path = DATA_DIR) -> ValidationReport:
    """Compile ``data_dir`` and validate it: what ``stancegraph validate`` runs.

    A coding file that does not compile raises :class:`~graph.errors.CodingError`
    (file, line, problem) before any shape is checked.
    """
    return validate(build_dataset(data_dir), data_dir)
