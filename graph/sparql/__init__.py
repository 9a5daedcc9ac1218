"""SPARQL and RDF text read as the engine reads it: the query policy, the upload checks, the lexer.

- :mod:`graph.sparql.policy`: SERVICE, LOAD, FROM and USING refused unless allowed, and
  nesting bounded (:class:`~graph.sparql.policy.QueryPolicy`);
- :mod:`graph.sparql.reading`: where Oxigraph's parser reads those keywords, which the
  policy judges;
- :mod:`graph.sparql.lexer`: a SPARQL lexer for the places that must find real brackets;
- :mod:`graph.sparql.uploads`: RDF no parser may be given (entities that expand, nesting
  that overflows a stack), and graph uploads checked and parsed;
- :mod:`graph.sparql.rewriting`: a query's form, and the update a graph upload becomes;
- :mod:`graph.sparql.positions`: the line and column a parser's error message names.

The package itself imports nothing: the engine process imports uploads, rewriting and
positions, which need only the standard library and pyoxigraph, and never rdflib or pygments.
"""
