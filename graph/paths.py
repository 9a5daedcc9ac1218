"""Where the package finds its ontology, data and named queries (the project root).

>>> (ONTOLOGY_DIR / "stancegraph.ttl").name
'stancegraph.ttl'
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "stancegraph.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
QUERIES_DIR = ROOT / "queries"
