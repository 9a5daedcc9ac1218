"""Where the coders' positions come from: coding files of one text, or a store's revisions.

Two (or more) coding files of the same source text each stand for a coder (named by the file,
or as the caller says). In a store, a position belongs to the coder of its first revision in the
document's history graph (:mod:`graph.coding.history`), as it stands now (its latest revision);
retracted positions are left out, and so are positions with no revision by a named coder
(coded in a file and never edited: nobody to compare them as).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from graph.agreement.units import CodedPosition
from graph.coding.history import history_graph
from graph.coding.load import Coding
from graph.errors import NotFoundError, ValidationFailedError
from graph.results import select_solutions
from graph.stores.base import Store
from graph.suggest.files import coding_beside_registry
from graph.terms import text_of


def positions_of_coding(coding: Coding, coder: str) -> list[CodedPosition]:
    """The positions of a checked coding file, as ``coder``'s."""
    found = []
    for position in coding.file.positions:
        starts = coding.offsets[position.id]
        spans = tuple(
            (start, start + len(quote.quote), quote.quote)
            for start, quote in zip(starts, position.evidence, strict=True)
        )
        found.append(
            CodedPosition(
                coder,
                position.id,
                position.holder,
                position.target,
                position.stance,
                position.value,
                position.attribution,
                spans,
            )
        )
    return found


def positions_of_files(paths: Sequence[Path], coders: Sequence[str] = ()) -> list[CodedPosition]:
    """The positions of the coding files at ``paths``, each file a coder (named by ``coders``, else by
    the file's name, or its folder's and name where two files share a name).

    The files must code the same text (the same SHA-256), or agreement compares nothing.
    """
    if len(paths) < 2:
        raise ValidationFailedError(
            "agreement needs at least two codings of the same text", parameter="files"
        )
    names = list(coders) or [Path(path).name for path in paths]
    if len(set(names)) < len(names):  # one document's codings by several coders: one folder each
        names = [f"{Path(path).parent.name}/{Path(path).name}" for path in paths]
    codings = [coding_beside_registry(Path(path)) for path in paths]
    first = codings[0]
    for path, coding in zip(paths[1:], codings[1:], strict=True):
        if coding.sha256 != first.sha256:
            raise ValidationFailedError(
                f"{path}: codes another text than {paths[0]} ({coding.document.source}, SHA-256 "
                f"{coding.sha256[:12]}… against {first.sha256[:12]}…): agreement compares codings "
                "of one text",
                parameter="files",
            )
    return [p for coding, name in zip(codings, names, strict=True) for p in positions_of_coding(coding, name)]


_REVISIONS = """PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?position ?revision ?coder ?value ?retracted WHERE {
  GRAPH %s {
    ?revision prov:specializationOf ?position .
    OPTIONAL { ?revision prov:wasAttributedTo/rdfs:label ?coder }
    OPTIONAL { ?revision prov:value ?value }
    OPTIONAL { ?revision sg:retracted ?retracted }
  }
}"""


def positions_of_store(store: Store, document: str) -> list[CodedPosition]:
    """The positions of document ``document`` (its slug) by the coder of each one's first revision."""
    if not store.has_graph(str(history_graph(document))):
        raise NotFoundError(
            f"document '{document}' has no revisions: nothing was coded in the service, so there are "
            "no coders to compare (compare coding files with `stancegraph agreement FILE_A FILE_B`)"
        )
    revisions: dict[str, list[tuple[int, str | None, str | None, bool]]] = {}
    for row in select_solutions(store, _REVISIONS % history_graph(document).n3()):
        number = text_of(row["revision"]).rsplit("/revision/", 1)[-1]
        if not number.isdigit():
            continue
        revisions.setdefault(text_of(row["position"]), []).append(
            (
                int(number),
                text_of(row["coder"]) if "coder" in row else None,
                text_of(row["value"]) if "value" in row else None,
                "retracted" in row and text_of(row["retracted"]) in ("true", "1"),
            )
        )
    found = []
    for kept in revisions.values():
        kept.sort()
        coder = next((who for _, who, _, _ in kept if who is not None), None)
        _, _, value, retracted = kept[-1]
        if coder is None or value is None or retracted:
            continue
        found.append(_from_snapshot(coder, json.loads(value)))
    return found


def _from_snapshot(coder: str, snapshot: dict[str, object]) -> CodedPosition:
    evidence = snapshot.get("evidence")
    spans = tuple(
        (int(item["start"]), int(item["end"]), str(item["quote"]))
        for item in (evidence if isinstance(evidence, list) else [])
        if isinstance(item, dict)
    )
    value = snapshot.get("value")
    return CodedPosition(
        coder,
        str(snapshot.get("id")),
        str(snapshot["holder"]) if snapshot.get("holder") is not None else None,
        str(snapshot["target"]) if snapshot.get("target") is not None else None,
        str(snapshot.get("stance")),
        int(value) if isinstance(value, int) else 0,
        str(snapshot.get("attribution")),
        spans,
    )
