"""The query policy: SERVICE, LOAD, FROM and USING refused unless allowed, read as the engine reads them.

The first of two layers against outbound requests (the second: the engine's workers have no
network unless a request was allowed out). Oxigraph's parser matches keywords in any ASCII case
and with nothing required on either side (``1SERVICE``, ``FROMNAMED<g>``), ends a comment at
``\\r`` as well as ``\\n``, reads ``\\u`` escapes only inside IRIs and strings, and reads a
prefixed name as one name only when its IRI parses. The check must see every keyword the engine
sees, so it has two steps:

* :meth:`QueryPolicy.needs_full_check`, a regular-expression prefilter that is a superset: a
  request skips the parse only when the engine cannot read SERVICE, LOAD, FROM or USING in it
  (:func:`graph.sparql.reading.engine_may_read_keyword` says why that holds);
* the full check, :func:`graph.sparql.reading.outbound_clauses`: rdflib's parse of the text
  with what the two parsers read differently made the same, refusing what does not parse or
  what the engine would read otherwise, then a walk for the clauses.

>>> QueryPolicy().check_query("SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:9/> {} }")
Traceback (most recent call last):
...
graph.errors.QuerySyntaxError: could not check the query for SERVICE, LOAD, FROM or USING: ...
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox
from pygments.token import Punctuation, is_token_subtype

from graph.errors import ForbiddenOperationError, QuerySyntaxError
from graph.sparql.lexer import SparqlLexer
from graph.sparql.reading import Outbound, engine_may_read_keyword, outbound_clauses

MAX_NESTING = 200
"""How deep ``{ ( [`` may nest in a query or update: Oxigraph's parser recurses once per level
and a few thousand levels overflow its stack, killing the process that parses."""

_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")
_LEXER = SparqlLexer()


def _nothing_is_local(iri: str) -> bool:
    return False


def _brackets(sparql: str) -> int:
    return sum(sparql.count(bracket) for bracket in _OPENING)


def _nesting_exceeds(sparql: str, limit: int) -> bool:
    """Whether ``{ ( [`` nest deeper than ``limit`` outside strings, IRIs and comments.

    >>> _nesting_exceeds("ASK { { ?s ?p '{{{' } } # {{{", 2)
    False
    >>> _nesting_exceeds("ASK { ?s ?p '''{''' { FILTER((1)) } }", 3)
    True
    """
    if _brackets(sparql) <= limit:
        return False  # too few brackets to nest that deep: no need to lex
    depth = 0
    for _, kind, text in _LEXER.get_tokens_unprocessed(sparql):
        if is_token_subtype(kind, Punctuation):
            if text in _OPENING:
                depth += 1
                if depth > limit:
                    return True
            elif text in _CLOSING:
                depth -= 1
    return False


@dataclass(frozen=True)
class QueryPolicy:
    """Refuses requests that would make the engine reach outside the store.

    * SERVICE and LOAD always dereference their IRI: refused unless the IRI's
      host is in ``allowed_hosts`` (a ``file:`` IRI has no host: never allowed).
    * FROM, FROM NAMED, USING and USING NAMED choose the dataset: allowed when
      the IRI names a graph of the store (``is_local_graph``) or its host is
      allowed, refused otherwise, so that no engine is ever asked to fetch one.
    * WITH, GRAPH and the graph names of INSERT/DELETE name graphs to read or
      write in the store itself: never refused.

    The checks answer whether the request goes out: True when it uses an allowed
    clause that reaches an allow-listed host, so that the store runs it where the
    network can be reached; False for everything else, which runs without it.

    >>> policy = QueryPolicy(allowed_hosts=frozenset({"dbpedia.org"}))
    >>> policy.check_query("SELECT * { SERVICE <https://dbpedia.org/sparql> { ?s ?p ?o } }")
    True
    >>> policy.check_update("LOAD <file:///etc/passwd>")
    Traceback (most recent call last):
    ...
    graph.errors.ForbiddenOperationError: LOAD <file:///etc/passwd> is refused: ...
    >>> policy.check_query("SELECT * FROM <http://e/g> { ?s ?p ?o }", is_local_graph={"http://e/g"}.__contains__)
    False
    >>> policy.check_query("SELECT * FROM NAMED <http://e/elsewhere> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    graph.errors.ForbiddenOperationError: FROM NAMED <http://e/elsewhere> is refused: ...
    """

    allowed_hosts: frozenset[str] = frozenset()
    max_nesting: int = MAX_NESTING

    def check_query(self, sparql: str, is_local_graph: Callable[[str], bool] = _nothing_is_local) -> bool:
        """Raise :class:`ForbiddenOperationError` if the query would reach outside the store.

        A query in which the engine may read one of the keywords but that the check cannot
        read as the engine does is refused with :class:`QuerySyntaxError`: what cannot be
        checked is not run. Answers whether the query goes out to an allow-listed host.

        >>> QueryPolicy().check_query("SELECT * WHERE { ?s ?p 'from here' }")
        False
        >>> QueryPolicy().check_query("SELECT * FROM WHERE")
        Traceback (most recent call last):
        ...
        graph.errors.QuerySyntaxError: could not check the query for SERVICE, LOAD, FROM or USING: ...
        """
        return self._check(sparql, "query", is_local_graph)

    def check_update(self, sparql: str, is_local_graph: Callable[[str], bool] = _nothing_is_local) -> bool:
        """Raise :class:`ForbiddenOperationError` if the update would reach outside the store.

        >>> QueryPolicy().check_update("CLEAR SILENT GRAPH <http://e/g>")
        False
        >>> QueryPolicy().check_update("PREFIX e: <http://e/> DELETE { ?s ?p ?o } USING e:g WHERE {}")
        Traceback (most recent call last):
        ...
        graph.errors.ForbiddenOperationError: USING <http://e/g> is refused: ...
        """
        return self._check(sparql, "update", is_local_graph)

    def needs_full_check(self, sparql: str) -> bool:
        """Whether :meth:`check_query` or :meth:`check_update` has more to do than a quick scan.

        False means the request passes them: the engine cannot read SERVICE, LOAD, FROM or
        USING in it and it has too few brackets to nest too deep. The scan is regular
        expressions, no parse: a server may run it inline and leave only the full check to a
        thread.

        >>> QueryPolicy().needs_full_check("SELECT * WHERE { ?s prov:wasDerivedFrom ?o }")
        False
        >>> QueryPolicy().needs_full_check("SELECT * WHERE { ?s ?p 'from here' }")
        True
        >>> QueryPolicy().needs_full_check("SELECT * WHERE { ?s ?p 1SERVICE<http://e/> {} }")
        True
        >>> QueryPolicy(max_nesting=1).needs_full_check("SELECT * WHERE { { ?s ?p ?o } }")
        True
        """
        return _brackets(sparql) > self.max_nesting or engine_may_read_keyword(sparql)

    def check_dataset_parameters(self, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> None:
        """Raise :class:`QuerySyntaxError` for a ``default-graph-uri`` or ``named-graph-uri``
        that is not an absolute IRI, naming the parameter.

        >>> QueryPolicy().check_dataset_parameters(["http://e/g"], [])
        >>> QueryPolicy().check_dataset_parameters([], ["g"])
        Traceback (most recent call last):
        ...
        graph.errors.QuerySyntaxError: named-graph-uri: <g> is a relative IRI; name the graph by ...
        """
        for parameter, iris in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
            for iri in iris:
                try:
                    ox.NamedNode(iri)
                except ValueError as error:
                    relative = "No scheme found" in str(error)
                    problem = "is a relative IRI" if relative else f"is not an IRI ({error})"
                    raise QuerySyntaxError(
                        f"{parameter}: <{iri}> {problem}; name the graph by its absolute IRI"
                    ) from None

    def _check(self, sparql: str, what: str, is_local_graph: Callable[[str], bool]) -> bool:
        if _nesting_exceeds(sparql, self.max_nesting):
            raise QuerySyntaxError(
                f"the {what} nests groups, brackets or parentheses more than {self.max_nesting} deep, "
                "the limit of this service"
            )
        if not engine_may_read_keyword(sparql):
            return False
        goes_out = False
        for found in outbound_clauses(sparql, update=what == "update"):
            goes_out = self._judge(found, is_local_graph) or goes_out
        return goes_out

    def _judge(self, found: Outbound, is_local_graph: Callable[[str], bool]) -> bool:
        """Whether the allowed clause goes out (False: it names a graph of the store); raises if refused."""
        if found.iri is None:
            raise ForbiddenOperationError(
                f"{found.clause} ?{found.variable} is refused: "
                "an endpoint chosen at evaluation time cannot be checked"
            )
        dataset = found.clause.startswith(("FROM", "USING"))
        if dataset and is_local_graph(found.iri):
            return False
        host = urlsplit(found.iri).hostname
        if host is not None and host.lower() in self.allowed_hosts:
            return True
        if dataset:
            reason = "it names no graph in this store and its host is not in the allow-list"
        else:
            reason = (
                "this service makes no outbound requests and reads no files unless the host is allow-listed"
            )
        raise ForbiddenOperationError(f"{found.clause} <{found.iri}> is refused: {reason}")
