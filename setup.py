"""The one build setting pyproject.toml cannot say: found packages plus mapped ones (the rest is there).

pyproject.toml either finds packages or lists them, not both. The code's packages are found, so a
new subpackage ships with no edit here; the directories at the top of the repository (ontology/,
queries/, data/: README, Layout) join them as package data under graph/shipped/, where
graph/paths.py looks first.
"""

from setuptools import find_packages, setup

SHIPPED = {f"graph.shipped.{name}": name for name in ("ontology", "queries", "data")}

setup(
    packages=[*find_packages(include=["graph", "graph.*", "api", "api.*"]), *SHIPPED],
    package_dir=SHIPPED,
)
