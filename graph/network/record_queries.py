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

from collections import defaultdict
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
"""

_TSV = "text/tab-separated-values"
_SG = str(SG)
_ENTITIES = ("holder", "target")

# Every value a position property takes, once: each gets a code, its index in the answer.
_PROPERTY_VALUES_QUERY = (
    _PREFIXES
    + """
SELECT DISTINCT ?property ?value WHERE {
  VALUES ?property { sg:holder sg:target sg:stance sg:stanceValue sg:hedged sg:attribution }
  ?position ?property ?value
}"""
)

# Each position once, with the codes of its values: one index scan per property, grouped by
# position in the engine. Oxigraph reads the text of every IRI it writes out from RocksDB (a lookup
# each): this way a position's IRI is read once, not once per property, and a holder's or target's
# not once per position. For 34k positions on disk: 0.4 s of engine time, against 1 s for one
# scan per property joined in Python and 1.8 s for one join of all the properties.
_POSITIONS_QUERY = (
    _PREFIXES + "SELECT ?position (GROUP_CONCAT(?code) AS ?codes) WHERE {\n  %s\n}\nGROUP BY ?position"
)
_PROPERTY_BRANCH = "{ VALUES (?value ?code) { %s } ?position sg:%s ?value }"

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

# Starting from the nations keeps the path search small: a few nations, not every node.
_NATIONS_QUERY = (
    _PREFIXES
    + """
SELECT ?holder (MIN(STR(?someNation)) AS ?nation)
WHERE { ?someNation a sg:Nation . ?holder (sg:memberOf|sg:partOf)* ?someNation }
GROUP BY ?holder
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
    branches = "\n  UNION ".join(_PROPERTY_BRANCH % (" ".join(terms), name) for name, terms in values.items())
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


class StoredPositions(NamedTuple):
    """The store's answers that position records are made from.

    ``values``: every value a position property takes, once, as (property name,
    term); a value's code is its index here. ``positions``: each position's IRI
    with the codes of its values. ``labels`` and ``classes`` of holders and
    targets; ``defaults``: each stance's default values; ``nations``: each
    holder's nation (itself, for a nation) and ``nation_labels`` their labels.
    """

    values: list[tuple[str, Term]]
    positions: list[tuple[str, set[str]]]
    labels: dict[str, str]
    classes: dict[str, set[str]]
    defaults: dict[str, list[int | str]]
    nations: dict[str, str]
    nation_labels: dict[str, str | None]


def read_positions(store: Store) -> StoredPositions:
    """Ask the store what the position records are made of (see the module docstring)."""
    # The other queries beside the two that depend on each other: the embedded stores evaluate
    # reads in two worker processes (at least).
    with ThreadPoolExecutor(max_workers=2) as pool:
        described = pool.submit(_labels_and_classes, store)
        stated_defaults = pool.submit(_default_values, store)
        tables = pool.map(partial(_rows, store), (_NATIONS_QUERY, _NATION_LABELS_QUERY))
        values = _property_values(store)
        positions = _coded_positions(store, values)
        labels, classes = described.result()
        nation_rows, nation_label_rows = tables
        defaults = stated_defaults.result()
    return StoredPositions(
        values,
        positions,
        labels,
        classes,
        defaults,
        nations={row["holder"]: row["nation"] for row in nation_rows},
        nation_labels={row["nation"]: row.get("label") or None for row in nation_label_rows},
    )
