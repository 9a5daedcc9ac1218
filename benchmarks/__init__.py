"""Benchmarks: a synthetic data generator, a SPARQL query mix, a load driver and the side-by-side run."""
