"""Building the corpus: every coding file of a folder (and its entity registry) compiled, with the
ontology, and written whole.

>>> dataset = build_dataset()
>>> len(dataset.graph(ONTOLOGY_GRAPH)) > 0
True
"""

from __future__ import annotations

import os
import tempfile
from itertools import chain
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.compare import to_canonical_graph

from graph.coding.compile import compile_coding, compile_registry
from graph.coding.corpus import load_corpus
from graph.namespaces import ONTOLOGY_GRAPH, PREFIXES
from graph.paths import DATA_DIR, ONTOLOGY_FILE
from graph.progress import Progress, counting, no_progress

FORMATS = {"nquads": "nquads", "trig": "trig"}  # our name -> rdflib's
SUFFIX_FORMATS = {".nq": "nquads", ".trig": "trig"}


def build_dataset(
    data_dir: Path = DATA_DIR, include_ontology: bool = True, progress: Progress | None = None
) -> Dataset:
    """Every coding file in ``data_dir`` (``*.yaml``: the documents and the registry ``entities.yaml``)
    checked as one corpus (:func:`~graph.coding.corpus.load_corpus`) and compiled into one dataset:
    a graph per document (and its /inferred graph), the registry's graph, the ontology in its own.

    Raises :class:`~graph.errors.CodingError` naming every problem with its file and line.
    ``progress`` hears of each file compiled (:mod:`graph.progress`).

    >>> len(build_dataset(include_ontology=False).graph(ONTOLOGY_GRAPH))
    0
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    if include_ontology:
        # Canonical blank-node labels, so that a rebuild of the same files gives the same bytes.
        ontology = dataset.graph(ONTOLOGY_GRAPH)
        ontology += to_canonical_graph(Graph().parse(ONTOLOGY_FILE, format="turtle"))
    corpus = load_corpus(Path(data_dir))
    advance = counting(progress, "compiling", len(corpus.codings) + (corpus.registry is not None))
    compiled = [compile_registry(corpus.registry)] if corpus.registry else []
    for part in chain(compiled, map(compile_coding, corpus.codings)):  # each told once compiled
        for s, p, o, name in part.quads():
            dataset.graph(name).add((s, p, o))
        advance(1)
    return dataset


def serialize(dataset: Dataset, format: str = "nquads") -> bytes:
    """The dataset as N-Quads (lines sorted, so a rebuild of the same data gives the same bytes) or TriG.

    >>> serialize(Dataset())
    b''
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (valid: {', '.join(FORMATS)})")
    data = dataset.serialize(format=FORMATS[format], encoding="utf-8")
    if format == "nquads":
        lines = sorted(line for line in data.splitlines() if line.strip())
        data = b"".join(line + b"\n" for line in lines)
    return data


def build(
    data_dir: Path, output_path: Path, format: str | None = None, progress: Progress | None = None
) -> int:
    """Compile ``data_dir`` (ontology included) and write it to ``output_path``; return the quad count.

    ``format`` is ``nquads`` or ``trig``; ``None`` picks it from the suffix
    (``.trig``, else N-Quads). The file is written whole or not at all: on any
    error the previous output, if any, is left as it was. ``progress`` hears of each file
    compiled, then of the serialization (:mod:`graph.progress`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     count = build(DATA_DIR, Path(folder) / "stancegraph.nq")
    ...     lines = (Path(folder) / "stancegraph.nq").read_text(encoding="utf-8").count("\\n")
    >>> count == lines
    True
    """
    output_path = Path(output_path)
    format = format or SUFFIX_FORMATS.get(output_path.suffix, "nquads")
    dataset = build_dataset(data_dir, progress=progress)
    report = progress or no_progress
    report("serializing", 0, None)  # one call of rdflib's: no steps to tell, only its end
    data = serialize(dataset, format)
    report("serializing", 1, 1)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=output_path.parent, prefix=f".{output_path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(output_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sum(1 for _ in dataset.quads())
