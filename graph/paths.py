"""Where the package finds what it ships beside its code: the ontology, the coded data, the named queries.

They live at the top of the repository (README, Layout) and an installed package carries them in
``graph/shipped/`` (setup.py maps them there), so one rule finds them both ways: the directory in
the package when it is there, else the one beside the package, in the checkout.

>>> (ONTOLOGY_DIR / "stancegraph.ttl").is_file() and SOURCES_DIR.parent == DATA_DIR
True
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _shipped(name: str) -> Path:
    """The directory ``name`` (``ontology``, ``data``, ``queries``) as this installation holds it.

    A real directory either way: rdflib, pyoxigraph and the coding compiler read files by path,
    and pip installs wheels unpacked, never as zip files.
    """
    package = Path(str(files("graph")))
    inside = package / "shipped" / name
    return inside if inside.is_dir() else package.parent / name


ONTOLOGY_DIR = _shipped("ontology")
ONTOLOGY_FILE = ONTOLOGY_DIR / "stancegraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
DATA_DIR = _shipped("data")
SOURCES_DIR = DATA_DIR / "sources"
QUERIES_DIR = _shipped("queries")
