"""What position records are made from: a few SPARQL queries over the store and their answers.

The queries are asked as TSV and read by pyoxigraph into engine terms and plain
strings, not SPARQL JSON turned into rdflib terms: a store holds tens of
thousands of positions. :func:`read_positions` asks them all, the independent
ones at once; :mod:`graph.network.records` makes the records of the answers.

>>> from graph.stores.memory import MemoryStore
>>> store = MemoryStore()
>>> store.update('''PREFIX sg: <https://w3id.org/stancegraph/ontology#>
...   INSERT DATA { <urn:p> sg:holder <urn:experts> ; sg:target <urn:joining> ; sg:stance sg:supports }''')
>>> stored = read_positions(store)
>>> sorted((name, local_name(term.value)) for name, term in stored.values)
[('holder', 'urn:experts'), ('stance', 'supports'), ('target', 'urn:joining')]
>>> [(position, len(codes)) for position, codes in stored.positions]
[('urn:p', 3)]
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import NamedTuple

import pyoxigraph as ox

from graph.namespaces import SG
from graph.stores.base import Store
from graph.terms import as_integer, from_oxigraph

Term = ox.NamedNode | ox.Literal

_PREFIXES = """
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_TSV = "text/tab-separated-values"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE_TIMES = (_XSD + "dateTime", _XSD + "dateTimeStamp")
# The xsd:dateTime lexical form of the years Python's datetime holds (1 to 9999).
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
_SG = str(SG)
_ENTITIES = ("holder", "target", "wasDerivedFrom")
# The position properties, as the queries name them; a position's document and time are among them.
PROPERTIES = {
    "holder": "sg:holder",
    "target": "sg:target",
    "stance": "sg:stance",
    "stanceValue": "sg:stanceValue",
    "hedged": "sg:hedged",
    "attribution": "sg:attribution",
    "wasDerivedFrom": "prov:wasDerivedFrom",
    "validAt": "sg:validAt",
    "timePrecision": "sg:timePrecision",
}

# Every value a position property takes, once: each gets a code, its index in the answer.
_PROPERTY_VALUES_QUERY = (
    _PREFIXES
    + "SELECT DISTINCT ?property ?value WHERE {\n"
    + f"  VALUES ?property {{ {' '.join(PROPERTIES.values())} }}\n"
    + "  ?position ?property ?value\n}"
)

# Each position once, with the codes of its values: one index scan per property, grouped by
# position in the engine. Oxigraph reads the text of every IRI it writes out from RocksDB (a lookup
# each): this way a position's IRI is read once, not once per property, and a holder's or target's
# not once per position. For 34k positions on disk: 0.4 s of engine time, against 1 s for one
# scan per property joined in Python and 1.8 s for one join of all the properties.
# Evidence is derived from a document too, and documents have a time precision: HAVING keeps the
# subjects with a holder before any IRI is written out. The documents' branch costs 0.3 s on disk
# (34k positions beside their 39k evidence nodes); a join with sg:holder in it cost 1.3 s more,
# FILTER EXISTS as much, and a query of its own more than a second.
_POSITIONS_QUERY = (
    _PREFIXES
    + "SELECT ?position (GROUP_CONCAT(?code; separator=' ') AS ?codes) WHERE {\n  %s\n}\n"
    + "GROUP BY ?position HAVING (COUNT(?held) > 0)"
)
_PROPERTY_BRANCH = "{ VALUES (?value ?code) { %s } ?position %s ?value %s}"
_HELD = "BIND(1 AS ?held) "

# When each document was issued, and how precisely: a few thousand rows, asked beside the others.
_DOCUMENT_TIMES_QUERY = (
    _PREFIXES
    + """
SELECT ?document ?issued ?precision WHERE {
  ?document dcterms:issued ?issued
  OPTIONAL { ?document sg:timePrecision ?precision }
}"""
)

# The labels and classes of holders and targets: asked beside the two queries above.
_NODES_QUERY = (
    _PREFIXES
    + """
SELECT ?node ?name ?class WHERE {
  { SELECT DISTINCT ?node WHERE { VALUES ?property { sg:holder sg:target } ?position ?property ?node } }
  OPTIONAL { ?node rdfs:label ?name }
  OPTIONAL { ?node a ?class }
}"""
)

_DEFAULT_VALUES_QUERY = _PREFIXES + "SELECT ?stance ?value WHERE { ?stance sg:defaultValue ?value }"

# Every membership and part link once, with whether some graph states it: a link found only in
# graphs of analyst inferences (named graphs ending in /inferred) is inferred; one in the default
# graph or in a document's graph is stated. The nations are reached from these in Python
# (:func:`nations_reached`), for stated links alone and with the inferred ones: a property path
# cannot keep to the stated graphs when one document states a membership and another the part.
_LINKS_QUERY = (
    _PREFIXES
    + """
SELECT ?member ?group (MAX(?found) AS ?stated)
WHERE {
  VALUES ?link { sg:memberOf sg:partOf }
  ?member ?link ?group
  FILTER(isIRI(?member) && isIRI(?group))
  OPTIONAL { GRAPH ?graph { ?member ?link ?group } }
  BIND(IF(BOUND(?graph) && STRENDS(STR(?graph), "/inferred"), 0, 1) AS ?found)
}
GROUP BY ?member ?group
"""
)

# Apart from the nations query: joined with it, the label lookup took seconds, not milliseconds.
_NATION_LABELS_QUERY = (
    _PREFIXES
    + """
SELECT ?nation (MIN(?name) AS ?label)
WHERE { ?nation a sg:Nation OPTIONAL { ?nation rdfs:label ?name } }
GROUP BY ?nation
"""
)


@lru_cache(maxsize=1024)  # a handful of classes and concepts, met again on every record
def local_name(iri: str) -> str:
    """The local part of an IRI: what follows the ``sg:`` namespace, the last ``#`` or the last ``/``.

    >>> local_name("https://w3id.org/stancegraph/ontology#supports"), local_name("http://e/a/b")
    ('supports', 'b')
    """
    return iri.removeprefix(_SG).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else ""


def stored_time(term: Term | None) -> datetime.datetime | None:
    """The time an ``xsd:dateTime`` literal states, timezone-aware; None for any other term.

    A time that names no zone is taken as UTC, as the corpus stores its times. A literal its
    datatype does not allow, another datatype (``xsd:date`` among them), or a year outside 1 to
    9999 gives None: such a date is treated as no date, and never raises.

    >>> XSD = "http://www.w3.org/2001/XMLSchema#"
    >>> stored_time(ox.Literal("2025-03-01T00:00:00Z", datatype=ox.NamedNode(XSD + "dateTime")))
    datetime.datetime(2025, 3, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> stored = [("March", "dateTime"), ("2025-03-01", "date"), ("2025-02-30T00:00:00Z", "dateTime")]
    >>> [stored_time(ox.Literal(text, datatype=ox.NamedNode(XSD + kind))) for text, kind in stored]
    [None, None, None]
    """
    if not isinstance(term, ox.Literal) or term.datatype.value not in _DATE_TIMES:
        return None
    text = term.value
    if _DATE_TIME.fullmatch(text) is None:
        return None
    try:
        found = datetime.datetime.fromisoformat(text)
    except ValueError:  # a day or hour past its range
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=datetime.UTC)


def _solutions(store: Store, sparql: str) -> ox.QuerySolutions:
    # TSV parsed by pyoxigraph, not SPARQL JSON turned into rdflib terms: tens of thousands of rows
    # want plain strings. Not CSV: Oxigraph writes an IRI holding a comma unquoted there.
    body = store.query(sparql, results_media_type=_TSV).read()
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)  # type: ignore[return-value]


def _rows(store: Store, sparql: str) -> list[dict[str, str]]:
    # The rows of a SELECT as plain strings; an unbound variable is left out.
    solutions = _solutions(store, sparql)
    names = [variable.value for variable in solutions.variables]
    return [
        {name: term.value for name, term in zip(names, solution, strict=True) if term is not None}
        for solution in solutions
    ]


def _property_values(store: Store) -> list[tuple[str, Term]]:
    # Blank nodes are left out here rather than by a FILTER, which cost 0.4 s on a million triples:
    # the positions query names each value in VALUES, where no blank node may stand. So are literal
    # holders and targets: a network's nodes are entities.
    found = []
    for prop, value in _solutions(store, _PROPERTY_VALUES_QUERY):
        name = local_name(prop.value)
        if isinstance(value, ox.NamedNode) or (isinstance(value, ox.Literal) and name not in _ENTITIES):
            found.append((name, value))
    return found


def _coded_positions(store: Store, pairs: list[tuple[str, Term]]) -> list[tuple[str, set[str]]]:
    # Each position with the codes of its values (a set: a triple stated in two graphs counts once).
    values: dict[str, list[str]] = defaultdict(list)
    for code, (name, value) in enumerate(pairs):
        values[name].append(f'({value} "{code}")')
    if not values:
        return []
    branches = "\n  UNION ".join(
        _PROPERTY_BRANCH % (" ".join(terms), PROPERTIES[name], _HELD if name == "holder" else "")
        for name, terms in values.items()
    )
    return [
        (position.value, set(codes.value.split(" ")))
        for position, codes in _solutions(store, _POSITIONS_QUERY % branches)
    ]


def _labels_and_classes(store: Store) -> tuple[dict[str, str], dict[str, set[str]]]:
    # The least label of each holder and target (in string order, so it never varies), and its classes.
    labels: dict[str, str] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    for node, name, cls in _solutions(store, _NODES_QUERY):
        if isinstance(name, ox.BlankNode):  # names nothing a reader could see
            name = None
        if name is not None and (node.value not in labels or name.value < labels[node.value]):
            labels[node.value] = name.value
        if cls is not None:
            classes[node.value].add(cls.value)
    return labels, classes


def _default_values(store: Store) -> dict[str, list[int | str]]:
    # Each stance's default values, as stored when they are not integers. Read in the thread that
    # asked: pyoxigraph's solutions may not cross threads.
    defaults: dict[str, list[int | str]] = defaultdict(list)
    for stance, value in _solutions(store, _DEFAULT_VALUES_QUERY):
        defaults[stance.value].append(as_integer(from_oxigraph(value)))
    return defaults


def _document_times(store: Store) -> dict[str, tuple[list[datetime.datetime], list[str]]]:
    # Each document's issued times that are well-formed, and its time precisions.
    found: dict[str, tuple[list[datetime.datetime], list[str]]] = defaultdict(lambda: ([], []))
    for document, issued, precision in _solutions(store, _DOCUMENT_TIMES_QUERY):
        times, precisions = found[document.value]
        if (time := stored_time(issued)) is not None and time not in times:
            times.append(time)
        if isinstance(precision, ox.Literal) and precision.value not in precisions:
            precisions.append(precision.value)
    return dict(found)


class StoredPositions(NamedTuple):
    """The store's answers that position records are made from.

    ``values``: every value a position property takes, once, as (property name,
    term); a value's code is its index here. ``positions``: each position's IRI
    with the codes of its values. ``labels`` and ``classes`` of holders and
    targets; ``defaults``: each stance's default values; ``nations``: each
    holder's nation (itself, for a nation) through the links the sources state, and
    ``nation_labels`` their labels; ``inferred_nations`` the same with the analyst's inferred
    links too. ``documents``: each document's well-formed ``dcterms:issued`` times and its time
    precisions.
    """

    values: list[tuple[str, Term]]
    positions: list[tuple[str, set[str]]]
    labels: dict[str, str]
    classes: dict[str, set[str]]
    defaults: dict[str, list[int | str]]
    nations: dict[str, str]
    nation_labels: dict[str, str | None]
    documents: dict[str, tuple[list[datetime.datetime], list[str]]]
    inferred_nations: dict[str, str]


def nations_reached(
    links: Iterable[tuple[str, str, bool]], nations: Iterable[str], *, inferred: bool = False
) -> dict[str, str]:
    """Each holder's nation: the least (by IRI) nation it reaches by member and part links.

    ``links`` are (member, group, stated); only the stated ones count unless ``inferred``. A
    nation is its own nation, as the path of length zero reaches it.

    >>> links = [("urn:officials", "urn:government", False), ("urn:government", "urn:canada", True)]
    >>> sorted(nations_reached(links, ["urn:canada"]).items())
    [('urn:canada', 'urn:canada'), ('urn:government', 'urn:canada')]
    >>> nations_reached(links, ["urn:canada"], inferred=True)["urn:officials"]
    'urn:canada'
    """
    members: dict[str, list[str]] = defaultdict(list)
    for member, group, stated in links:
        if stated or inferred:
            members[group].append(member)
    found: dict[str, str] = {}
    # Least nation first: a holder keeps the first nation that reaches it.
    for nation in sorted(set(nations)):
        waiting = [nation]
        reached = {nation}
        while waiting:
            node = waiting.pop()
            found.setdefault(node, nation)
            for member in members.get(node, ()):
                if member not in reached:
                    reached.add(member)
                    waiting.append(member)
    return found


def read_positions(store: Store) -> StoredPositions:
    """Ask the store what the position records are made of (see the module docstring)."""
    # The other queries beside the two that depend on each other: the embedded stores evaluate
    # reads in two worker processes (at least).
    with ThreadPoolExecutor(max_workers=2) as pool:
        described = pool.submit(_labels_and_classes, store)
        stated_defaults = pool.submit(_default_values, store)
        document_times = pool.submit(_document_times, store)
        tables = pool.map(partial(_rows, store), (_LINKS_QUERY, _NATION_LABELS_QUERY))
        values = _property_values(store)
        positions = _coded_positions(store, values)
        labels, classes = described.result()
        link_rows, nation_label_rows = tables
        defaults = stated_defaults.result()
    links = [(row["member"], row["group"], row.get("stated") == "1") for row in link_rows]
    nation_labels = {row["nation"]: row.get("label") or None for row in nation_label_rows}
    return StoredPositions(
        values,
        positions,
        labels,
        classes,
        defaults,
        nations=nations_reached(links, nation_labels),
        nation_labels=nation_labels,
        documents=document_times.result(),
        inferred_nations=nations_reached(links, nation_labels, inferred=True),
    )
