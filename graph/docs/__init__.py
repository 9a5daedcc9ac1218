"""Readable documentation, as data for pages: the ontology (:mod:`graph.docs.ontology`) and the
description of each entity (:mod:`graph.docs.entity`), made of the values of :mod:`graph.docs.values`.

Two Linked Data views, for people with a browser rather than an RDF client. The
markup is not here: the service renders these records with its templates
(``api/templates``), so the same data could serve any other view.
"""
