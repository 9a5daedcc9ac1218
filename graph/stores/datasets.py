"""How a query names its dataset beyond the SPARQL Protocol's IRIs (a module the engine imports).

:data:`DEFAULT_GRAPH` names a store's own default graph, which has no IRI: a query with
``default_graphs=[DEFAULT_GRAPH]`` and no named graphs given reads SPARQL's standard dataset,
the default graph and every named graph, on a store whose default graph is otherwise the union
of all graphs (the service's own queries read the union; the endpoint may not, see
``api.settings.Settings.union_default_graph``).

>>> DEFAULT_GRAPH
'urn:x-arq:DefaultGraph'
"""

DEFAULT_GRAPH = "urn:x-arq:DefaultGraph"
"""Apache Jena's name for the default graph, which Fuseki takes in ``default-graph-uri`` too."""
