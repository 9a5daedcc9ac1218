"""What ``stancegraph export`` writes and then says: the file, with a progress hook, and its contents.

The counts are read back from the bytes written (:func:`graph.export.counts.written_counts`): an
RDF export adds its ontology header and the declarations of the terms it uses to the subgraph,
and GraphML and CSV hold nodes and edges, not triples.

>>> from graph.formats import N_TRIPLES
>>> summary(b'<http://e/a> <http://e/p> "x" .\\n', N_TRIPLES, 1, "a", Path("a.nt"))
'wrote 1 triple around a to a.nt (ntriples)'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.export.counts import written_counts
from graph.formats import MediaFormat


def write_file(path: Path, body: bytes, advance: Callable[[int], None], chunk: int = 1 << 20) -> None:
    """Write ``body`` to ``path`` a chunk at a time, telling ``advance`` the bytes written."""
    with path.open("wb") as file:
        for start in range(0, len(body), chunk):
            advance(file.write(body[start : start + chunk]))


def summary(body: bytes, chosen: MediaFormat, subgraph: int, focus: str, output: Path) -> str:
    """The line saying what the file holds, and what of it the subgraph of ``subgraph`` triples is."""
    written = written_counts(body, chosen)
    source = f"{subgraph} triples around {focus}"
    if written.triples is None:
        return f"wrote {written} to {output} ({chosen.name}), from the {source}"
    added = written.triples - subgraph
    if added > 0:
        return f"wrote {written} to {output} ({chosen.name}): the {source}, {added} declaring its terms"
    return f"wrote {written} around {focus} to {output} ({chosen.name})"
