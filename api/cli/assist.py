"""The assisted-coding commands: ``suggest`` (and ``suggest --score``) and ``agreement``.

Both only call ``graph/``: :mod:`graph.suggest` and :mod:`graph.agreement`. Errors are one
line naming file and line (a coding or lexicon file), with exit status 1; a wrong combination
of options exits with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.base import (
    DiskPathOption,
    RemoteOption,
    StoreOption,
    app,
    opened_store,
    reported_errors,
    settings_from,
)
from api.suggesters import suggester_for

CODING_SUFFIXES = (".yaml", ".yml")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _entities_of(path: Path) -> list[Any]:
    """The known entities of a coding file or an entity registry."""
    from graph.coding.lines import read_yaml
    from graph.coding.load import checked_registry, read_top
    from graph.coding.schema import EntityRegistry
    from graph.coding.scope import Scope
    from graph.suggest.files import coding_and_entities
    from graph.suggest.names import known_entities

    top = read_yaml(path)
    if isinstance(top, dict) and "document" not in top:
        registry = checked_registry(path, read_top(path, EntityRegistry), Scope())
        return known_entities(registry.file.entries())
    return coding_and_entities(path)[1]


def _line(suggestion: Any) -> str:
    hedges = f" hedges: {', '.join(suggestion.hedges)}" if suggestion.hedges else ""
    flags = f" flags: {', '.join(suggestion.flags)}" if suggestion.flags else ""
    return (
        f"[{suggestion.start}-{suggestion.end}] {suggestion.holder or '?'} -> {suggestion.target or '?'}: "
        f"{suggestion.stance} ({suggestion.attribution}){hedges}{flags}  rule {suggestion.rule}\n"
        f"    {suggestion.quote}"
    )


@app.command()
def suggest(
    file: Annotated[Path, typer.Argument(help="A source text, or a coding file (then its source text).")],
    entities: Annotated[
        Path | None,
        typer.Option(help="For a source text: a coding file or entities.yaml naming the entities to find."),
    ] = None,
    lexicon: Annotated[
        list[Path] | None, typer.Option(help="A cue lexicon file to add to the shipped one (repeatable).")
    ] = None,
    model: Annotated[
        bool,
        typer.Option("--model", help="Ask the configured language model (STANCEGRAPH_SUGGEST_MODEL_URL)."),
    ] = False,
    score: Annotated[
        bool,
        typer.Option(
            "--score",
            help="Score the suggestions against the coding file's own positions: precision, recall, F1 "
            "(a match: same holder and target, overlapping quotes).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Suggest positions in a text: verified quotes, guessed holder, target, stance and attribution."""
    from graph.coding.quotes import read_source
    from graph.suggest.files import coding_and_entities
    from graph.suggest.score import coded_positions
    from graph.suggest.score import score as score_of

    is_coding = file.suffix.lower() in CODING_SUFFIXES
    if score and not is_coding:
        raise _fail(f"--score needs a coding file (.yaml), not {file}")
    if is_coding and entities is not None:
        raise _fail("--entities is for a source text: a coding file names its own entities")
    with reported_errors():
        coding = None
        if is_coding:
            coding, known = coding_and_entities(file)
            text = coding.source_text
        else:
            text, known = read_source(file), (_entities_of(entities) if entities is not None else [])
        suggester = suggester_for(settings_from(), "model" if model else "rules", lexicon or [])
        outcome = suggester.propose(text, known)
    found = outcome.suggestions
    verbatim = sum(text[s.start : s.end] == s.quote for s in found)
    report: dict[str, Any] = {
        "agent": {
            "name": suggester.agent.name,
            "version": suggester.agent.version,
            "fingerprint": suggester.agent.fingerprint,
        },
        "suggestions": [s.as_json() for s in found],
        "rejected": outcome.rejected,
        "verbatim": verbatim,
    }
    if score and coding is not None:
        report["score"] = vars(score_of(found, coded_positions(coding)))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_suggestions(file, report, found)
    if verbatim < len(found):  # never expected: every quote is cut from the text at its offsets
        typer.echo(
            f"error: {len(found) - verbatim} suggested quotes are not verbatim at their offsets", err=True
        )
        raise typer.Exit(1)


def _print_suggestions(file: Path, report: dict[str, Any], found: list[Any]) -> None:
    agent = report["agent"]
    typer.echo(
        f"{len(found)} suggestions in {file} "
        f"({agent['name']} {agent['version']}, {agent['fingerprint'][:12]})"
    )
    for suggestion in found:
        typer.echo(_line(suggestion))
    for rejected in report["rejected"]:
        typer.echo(f"rejected: {rejected['reason']}")
    typer.echo(f"quotes verbatim at their offsets: {report['verbatim']} of {len(found)}")
    if "score" in report:
        result = report["score"]
        typer.echo(
            f"precision {result['precision']:.4f} ({result['matched_suggestions']} of "
            f"{result['suggestions']} suggestions match a coded position)\n"
            f"recall {result['recall']:.4f} ({result['matched_positions']} of {result['positions']} coded "
            f"positions matched)\nF1 {result['f1']:.4f}"
        )


@app.command()
def agreement(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Two or more coding files of one source text, one per coder.")
    ] = None,
    coder: Annotated[
        list[str] | None,
        typer.Option(help="The coders' names, in the order of the files (default: file names)."),
    ] = None,
    document: Annotated[
        str | None, typer.Option(help="Instead of files: a document of the store, its coders by revision.")
    ] = None,
    store: StoreOption = None,
    disk_path: DiskPathOption = None,
    remote_query_url: RemoteOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Inter-coder agreement: Krippendorff's alpha per variable, agreement on units, the disagreements."""
    from graph.agreement import agreement as agreement_of
    from graph.agreement import positions_of_files, positions_of_store

    if (document is None) == (not files):
        raise _fail("give two or more coding files, or --document with a store (one of the two)")
    if coder and files and len(coder) != len(files):
        raise _fail(f"--coder given {len(coder)} times for {len(files)} files")
    with reported_errors():
        if document is not None:
            options = {"store": store, "disk_path": disk_path, "remote_query_url": remote_query_url}
            with opened_store(**options) as opened:
                positions = positions_of_store(opened, document)
        else:
            positions = positions_of_files(files or [], coder or [])
        result = agreement_of(positions)
    if len(result.coders) < 2:
        raise _fail(f"agreement needs two coders; found {len(result.coders)}: {', '.join(result.coders)}")
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return
    _print_agreement(result)


def _print_agreement(result: Any) -> None:
    typer.echo(f"coders: {', '.join(result.coders)}")
    typer.echo("Krippendorff's alpha:")
    for variable, alpha in result.alpha.items():
        shown = f"{alpha.alpha:.4f}" if alpha.alpha is not None else f"undefined ({alpha.note})"
        typer.echo(f"  {variable:<12} {alpha.level:<9} {shown}  ({alpha.pairable_units} pairable units)")
    units = result.units
    overlap = f"{units.span_overlap:.4f}" if units.span_overlap is not None else "none"
    typer.echo(
        f"units: {units.units}, coded by every coder: {units.shared} ({units.share:.0%}); "
        f"span overlap (Jaccard of quoted characters): {overlap}"
    )
    typer.echo(f"disagreements: {len(result.disagreements)}")
    for item in result.disagreements:
        typer.echo(f"  unit {item['unit']}: differs in {', '.join(item['differs'])}")
        for name, position in item["positions"].items():
            if position is None:
                typer.echo(f"    {name}: (not coded)")
                continue
            spans = "; ".join(f"[{s['start']}-{s['end']}] {s['quote']}" for s in position["spans"])
            typer.echo(
                f"    {name}: {position['id']}: {position['holder']} -> {position['target']}: "
                f"{position['stance']} {position['value']:+d} ({position['attribution']})  {spans}"
            )
