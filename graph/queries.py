"""Named competency questions: ``queries/*.rq`` files with a typed parameter header.

Each file opens with comment lines ``#+ `` that together hold YAML, in the
manner of grlc and BASIL, followed by the SPARQL::

    #+ name: positions-of-stakeholder
    #+ summary: Every position one stakeholder takes.
    #+ description: ...
    #+ params:
    #+   - name: stakeholder
    #+     type: id
    #+     description: The stakeholder's id.
    PREFIX sg: <https://w3id.org/stancegraph/ontology#>
    SELECT ?stakeholder ?position WHERE { ?position sg:holder ?stakeholder }

A parameter is a SPARQL variable that the store binds to an RDF term (SEP-0007
substitution), never text pasted into the query: a value holding SPARQL syntax
stays data. Types: ``iri`` (an absolute IRI), ``id`` (an entity slug, turned
into its ``sgd:`` IRI), ``string``, ``integer``, ``boolean``, and for times (in the
forms a coding file dates with, :func:`~graph.moments.parse_moment`) ``datetime``,
the first instant of the period named, and ``datetime-end``, its last (``2025-03`` ends
at ``2025-03-31T23:59:59.999999Z``), as ``xsd:dateTime`` in UTC. A parameter with a
default, or marked ``required: false``, may be left out; one left out with no default
stays an unbound variable, which matches anything.

Writing a query: project every parameter variable in the SELECT clause (the
engine substitutes only projected variables, and a store without substitution
joins a VALUES block on them) and read it in triple patterns. A boolean switch
reads best from both settings worked out at once (``VALUES ?flag { true false }``)
for the binding to pick from; never read a parameter inside ``EXISTS``, where
engines do not substitute. A free-text parameter read in a FILTER
(``search-labels``) needs the store to bind it before filtering.

Documents and time: rows resting on positions read the position's document twice, as
``?document`` and ``?link`` (``OPTIONAL { ?position prov:wasDerivedFrom ?link }``), kept
by ``FILTER(COALESCE(?link = ?document, !isIRI(?document), true))``: a bound ``document``
picks its positions, and one stored without a document stays when none is asked for.
Its time is ``sg:validAt``, else the document's ``dcterms:issued``; a bound reads
``FILTER(COALESCE(?time >= ?from, !isLiteral(?from), true))``: left out, both tests are
errors and all stays; given, the undated go. Not ``BOUND(?from)``, which pyoxigraph's
substitution leaves false; and at the top of the WHERE clause or directly in an
OPTIONAL, where the remote store's VALUES block is in scope.

>>> query = load_query("positions-of-stakeholder")
>>> [parameter.name for parameter in query.parameters]
['stakeholder', 'document', 'from', 'to']
>>> bindings = bind_parameters(query, {"stakeholder": "canada", "to": "2025-03"})
>>> bindings["stakeholder"], str(bindings["to"])
(rdflib.term.URIRef('https://w3id.org/stancegraph/id/canada'), '2025-03-31T23:59:59.999999Z')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import get_args

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.errors import NotFoundError, ValidationFailedError
from graph.moments import Moment, last_instant, parse_moment
from graph.namespaces import SGD, is_slug
from graph.paths import QUERIES_DIR
from graph.results import select_rows
from graph.stores.base import Store
from graph.terms import Row

ParameterType = TypingLiteral["iri", "id", "string", "integer", "boolean", "datetime", "datetime-end"]
PARAMETER_TYPES: tuple[str, ...] = get_args(ParameterType)

HEADER_MARK = "#+"
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# An absolute IRI with none of the characters SPARQL forbids inside <...>.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")
# Integers are bounded before any reaches the store: one past the engine's 64 bits would be
# an ill-typed literal there, matching nothing without a word.
MAX_INTEGER = 10**9
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_TIMES = ("datetime", "datetime-end")

ParameterValue = str | int | bool


@dataclass(frozen=True)
class Parameter:
    """One typed parameter of a named query; ``default`` is kept as text, as a URL would carry it."""

    name: str
    type: ParameterType
    default: str | None = None
    description: str = ""
    required: bool = True

    def describe(self) -> str:
        """The parameter in one short phrase, for listings.

        >>> Parameter("participant", "id", default="canada").describe()
        'participant (id, default canada)'
        >>> Parameter("holder", "id", required=False).describe()
        'holder (id, optional)'
        """
        if self.default is not None:
            return f"{self.name} ({self.type}, default {self.default})"
        return f"{self.name} ({self.type}{'' if self.required else ', optional'})"


@dataclass(frozen=True)
class NamedQuery:
    """A competency question: its header and its SPARQL text."""

    name: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; ValidationFailedError naming it when there is none.

        >>> load_query("positions-of-stakeholder").parameter("stakeholder").type
        'id'
        """
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ValidationFailedError(
            f"query {self.name!r} has no parameter {name!r} (parameters: {known})", parameter=name
        )


def to_term(parameter: Parameter, value: ParameterValue) -> Node:
    """The RDF term for one parameter value, checked against the parameter's type.

    >>> to_term(Parameter("limit", "integer"), "3")
    rdflib.term.Literal('3', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    >>> to_term(Parameter("stakeholder", "id"), "canada> }")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: parameter 'stakeholder' must be an id ([a-z0-9-]+), got 'canada> }'
    >>> to_term(Parameter("limit", "integer"), 2**40)
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: parameter 'limit' must be an integer from ... got '1099511627776'
    >>> to_term(Parameter("to", "datetime-end"), "2025-02-30")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: parameter 'to': '2025-02-30' is no such date
    """
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = str(value)
    problem: str | None = None
    if parameter.type == "id":
        if is_slug(text):
            return SGD[text]
        problem = "an id ([a-z0-9-]+)"
    elif parameter.type == "iri":
        if _IRI.fullmatch(text):
            return URIRef(text)
        problem = "an absolute IRI"
    elif parameter.type == "integer":
        digits = text.strip()
        if not _INTEGER.fullmatch(digits):
            problem = "an integer"
        elif len(digits) <= 20 and abs(int(digits)) <= MAX_INTEGER:  # int() fails past 4300 digits
            return Literal(int(digits))  # typed xsd:integer
        else:
            problem = f"an integer from {-MAX_INTEGER} to {MAX_INTEGER}"
    elif parameter.type == "boolean":
        if text.strip().lower() in _BOOLEANS:
            return Literal(_BOOLEANS[text.strip().lower()])  # typed xsd:boolean
        problem = "a boolean (true or false)"
    elif parameter.type in _TIMES:
        try:
            moment = parse_moment(text)
        except ValueError as error:
            message = f"parameter {parameter.name!r}: {text!r} {error}"
            raise ValidationFailedError(message, parameter=parameter.name) from None
        if parameter.type == "datetime-end":
            moment = Moment(last_instant(moment), "instant")
        # Kept as written ("Z"): rdflib would rewrite the lexical form to "+00:00".
        return Literal(moment.lexical, datatype=XSD.dateTime, normalize=False)
    else:
        return Literal(text)
    raise ValidationFailedError(
        f"parameter {parameter.name!r} must be {problem}, got {text!r}", parameter=parameter.name
    )


def bind_parameters(query: NamedQuery, values: Mapping[str, ParameterValue]) -> dict[str, Node]:
    """The bindings for a run of ``query``: given values and defaults, as typed RDF terms.

    Raises ValidationFailedError naming an unknown parameter, a missing required
    one, a value of the wrong type, or a start of time (``datetime``) after an end
    (``datetime-end``). A value full of SPARQL syntax is still one literal (or
    refused, for ``id`` and ``iri``): it is never pasted into the text.

    >>> query = load_query("unaddressed-concerns")
    >>> bind_parameters(query, {})["include_inferred"]
    rdflib.term.Literal('false', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#boolean'))
    >>> bind_parameters(query, {"colour": "red"})
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: query 'unaddressed-concerns' has no parameter 'colour' ...
    >>> bind_parameters(load_query("stance-distribution"), {"from": "2025-04", "to": "2025-03"})
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: from: 2025-04-01T00:00:00Z is after to: 2025-03-31T23:59:59.999999Z
    """
    for name in values:
        query.parameter(name)
    bindings: dict[str, Node] = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is not None:
            bindings[parameter.name] = to_term(parameter, value)
        elif parameter.required:
            raise ValidationFailedError(
                f"query {query.name!r} needs parameter {parameter.name!r} ({parameter.type})",
                parameter=parameter.name,
            )
    _check_time_range(query, bindings)
    return bindings


def _check_time_range(query: NamedQuery, bindings: Mapping[str, Node]) -> None:
    """Refuse a start of time after an end: the query would answer nothing, for a reason it cannot say."""
    bound = [(p, term) for p in query.parameters if isinstance(term := bindings.get(p.name), Literal)]
    for start, begins in bound:
        for end, ends in bound:
            if start.type == "datetime" and end.type == "datetime-end" and begins.value > ends.value:
                message = f"{start.name}: {begins} is after {end.name}: {ends}"
                raise ValidationFailedError(message, parameter=start.name)


def run_query(store: Store, name: str, **params: ParameterValue) -> list[Row]:
    """Run the named query on ``store`` with ``params`` bound; its rows as dicts of rdflib terms.

    >>> from graph.stores.memory import MemoryStore
    >>> with MemoryStore() as store:
    ...     run_query(store, "positions-of-stakeholder", stakeholder="canada")
    []
    """
    query = load_query(name)
    return select_rows(store, query.sparql, bind_parameters(query, params))


def list_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every named query in ``directory``, sorted by name.

    >>> "supporters-of-participation" in [query.name for query in list_queries()]
    True
    """
    return [parse_query_file(path) for path in sorted(directory.glob("*.rq"))]


def load_query(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """The named query ``name``; NotFoundError naming it when there is no such query.

    >>> load_query("no-such-question")
    Traceback (most recent call last):
    ...
    graph.errors.NotFoundError: no named query 'no-such-question'
    """
    path = directory / f"{name}.rq"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise NotFoundError(f"no named query {name!r}")
    return parse_query_file(path)


class _Header:
    """The ``#+`` lines of one file, to locate problems by line."""

    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines

    def line_of(self, key: str, value: str = "") -> int:
        """The 1-based line where ``key:`` (followed by ``value``, if given) is written."""
        wanted = rf"{re.escape(value)}\s*$" if value else ""
        pattern = re.compile(rf"\s*(- )?{re.escape(key)}\s*:\s*{wanted}")
        return next((n for n, text in enumerate(self.lines, start=1) if pattern.match(text)), 1)

    def error(self, line: int, problem: str) -> ValidationFailedError:
        return ValidationFailedError(f"{self.path.name}:{line}: {problem}")


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file: its ``#+`` YAML header and its SPARQL.

    Errors are ValidationFailedError naming the file and the header line.

    >>> query = parse_query_file(QUERIES_DIR / "source-documents.rq")
    >>> [(parameter.name, parameter.type, parameter.required) for parameter in query.parameters]
    [('from', 'datetime', False), ('to', 'datetime-end', False)]
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    header_lines: list[str] = []
    for line in lines:
        if not line.startswith(HEADER_MARK):
            break
        header_lines.append(line.removeprefix(HEADER_MARK).removeprefix(" "))
    header = _Header(path, header_lines)
    if not header_lines:
        raise header.error(1, f"no header: the file must open with '{HEADER_MARK} ' lines of YAML")
    sparql = "\n".join(lines[len(header_lines) :]).strip() + "\n"
    try:
        fields = yaml.safe_load("\n".join(header_lines))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = mark.line + 1 if mark is not None else 1
        raise header.error(at, f"header is not YAML: {getattr(error, 'problem', error)}") from error
    if not isinstance(fields, dict):
        raise header.error(1, "header must be a YAML mapping")
    unknown = sorted(set(fields) - {"name", "summary", "description", "params"})
    if unknown:
        raise header.error(header.line_of(unknown[0]), f"unknown header key {unknown[0]!r}")
    for key in ("name", "summary", "description"):
        if not isinstance(fields.get(key), str) or not fields[key].strip():
            raise header.error(header.line_of(key), f"header needs {key!r} as text")
    name = fields["name"].strip()
    if name != path.stem:
        raise header.error(header.line_of("name"), f"name {name!r} must equal the file name {path.stem!r}")
    if "\n" in fields["summary"].strip():
        raise header.error(header.line_of("summary"), "summary must be one line")
    entries = fields.get("params") or []
    if not isinstance(entries, list):
        raise header.error(header.line_of("params"), "params must be a list")
    parameters: list[Parameter] = []
    for entry in entries:
        parameter = _parse_parameter(header, entry, sparql)
        if any(p.name == parameter.name for p in parameters):
            at = header.line_of("name", parameter.name)
            raise header.error(at, f"parameter {parameter.name!r} is declared twice")
        parameters.append(parameter)
    return NamedQuery(
        name=name,
        summary=fields["summary"].strip(),
        description=" ".join(fields["description"].split()),
        parameters=tuple(parameters),
        sparql=sparql,
    )


def _parse_parameter(header: _Header, entry: object, sparql: str) -> Parameter:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise header.error(header.line_of("params"), "each parameter needs a name")
    name = entry["name"]
    line = header.line_of("name", name)
    unknown = sorted(set(entry) - {"name", "type", "default", "description", "required"})
    if unknown:
        raise header.error(line, f"parameter {name!r}: unknown key {unknown[0]!r}")
    if not _VARIABLE.fullmatch(name):
        raise header.error(line, f"parameter {name!r} is not a SPARQL variable name")
    if entry.get("type") not in PARAMETER_TYPES:
        raise header.error(line, f"parameter {name!r}: type must be one of {', '.join(PARAMETER_TYPES)}")
    if not re.search(rf"[?$]{name}\b", sparql):
        raise header.error(line, f"parameter {name!r}: the query never uses ?{name}")
    default = entry.get("default")
    if isinstance(default, bool):
        default = "true" if default else "false"
    parameter = Parameter(
        name=name,
        type=entry["type"],
        default=None if default is None else str(default),
        description=" ".join(str(entry.get("description", "")).split()),
        required=bool(entry.get("required", default is None)),
    )
    if parameter.default is not None:
        try:
            to_term(parameter, parameter.default)
        except ValidationFailedError as error:
            raise header.error(line, f"bad default: {error}") from error
    return parameter
