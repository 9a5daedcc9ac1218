"""Coding files: the analyst's YAML, checked against its source text and compiled to RDF.

One coding file per document (``data/<doc-slug>.yaml``) records, in the manner
of Discourse Network Analyzer (actor, concept, agreement, document), who holds
which stance on what, with the exact quotes that show it. A file has these
top-level keys::

    document:                 slug, title, source (path of the text, relative to the file's directory);
                              publisher, author, date only when the source gives them
    stakeholders:             id, label, type (Nation, GovernmentBody, ...), member_of, part_of
    programs:                 id, label, initiated_by, promoted_by, aims_at
    participation_proposals:  id, label, participant, program
    concerns:                 id, label, broader            (the SKOS scheme sgd:concerns)
    measures:                 id, label, status (underReview | recommended), addresses, part_of
    threats:                  id, label
    positions:                id, holder, target, stance, value, attribution, hedges, regarding, evidence
    inferred:                 subject, one link key (e.g. addresses), note

Every entity may also carry ``aliases`` (skos:altLabel) and ``note``
(skos:editorialNote). Evidence items are exact quotes, or mappings with
``quote``, ``occurrence`` (which one, counted from 1, when the quote occurs
more than once), ``garbled: true`` and ``note``. Ids are slugs ``[a-z0-9-]+``
that become ``sgd:<slug>``; links name ids. Everything is checked before any
RDF is made: a file with problems raises one :class:`~graph.errors.CodingError`
listing all of them, each with its line.

>>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
>>> coding.document.slug, coding.document.source
('golden-dome-canada', 'sources/golden-dome-canada.txt')
>>> dataset = compile_coding(coding)
>>> sorted(str(graph.identifier) for graph in dataset.graphs() if len(graph))
['https://w3id.org/stancegraph/graph/golden-dome-canada',
 'https://w3id.org/stancegraph/graph/golden-dome-canada/inferred']
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph

from graph.errors import CodingError
from graph.namespaces import OA, ONTOLOGY_GRAPH, PREFIXES, SG, document_graph, entity, inferred_graph
from graph.paths import DATA_DIR, ONTOLOGY_FILE

PROV = Namespace(PREFIXES["prov"])
DCTERMS = Namespace(PREFIXES["dcterms"])

SLUG = re.compile(r"[a-z0-9-]+")
CONTEXT_CHARS = 32  # how much text oa:prefix and oa:suffix carry either side of a quote

# The stances and their default values (sg:defaultValue in the ontology; a test keeps the two equal).
STANCES: dict[str, int] = {
    "supports": 2,
    "recommends": 2,
    "proposes": 2,
    "optimistic": 1,
    "concerned": 1,
    "considers": 0,
    "assesses": 0,
    "monitors": 0,
    "opposes": -2,
}
ATTRIBUTIONS = ("direct", "reported", "unattributed", "authorial")
MEASURE_STATUSES = ("underReview", "recommended")
STAKEHOLDER_TYPES = (
    "Nation",
    "GovernmentBody",
    "OfficialsGroup",
    "Person",
    "ExpertCommunity",
    "InterestGroup",
    "AuthorialVoice",
    "UnidentifiedHolder",
)
CONCERN_SCHEME = "concerns"  # sgd:concerns, the scheme every coded concern is in

STAKEHOLDER = frozenset({"stakeholder"})
TARGET = frozenset({"program", "participation proposal", "measure", "concern", "threat"})


@dataclass(frozen=True)
class Link:
    """A key of a coding entry that names other entries, and the RDF property it becomes."""

    predicate: URIRef
    kinds: frozenset[str]  # what the named entries may be


@dataclass(frozen=True)
class Section:
    """One top-level list of entities in a coding file."""

    kind: str
    rdf_class: URIRef | None  # None: each entry's ``type`` names its class
    links: Mapping[str, Link]
    required: tuple[str, ...] = ("id", "label")
    optional: tuple[str, ...] = ("aliases", "note")

    def keys(self) -> tuple[str, ...]:
        return self.required + self.optional + tuple(self.links)


SECTIONS: dict[str, Section] = {
    "stakeholders": Section(
        "stakeholder",
        None,
        {"member_of": Link(SG.memberOf, STAKEHOLDER), "part_of": Link(SG.partOf, STAKEHOLDER)},
        required=("id", "label", "type"),
    ),
    "programs": Section(
        "program",
        SG.Program,
        {
            "initiated_by": Link(SG.initiatedBy, STAKEHOLDER),
            "promoted_by": Link(SG.promotedBy, STAKEHOLDER),
            "aims_at": Link(SG.aimsAt, frozenset({"threat"})),
        },
    ),
    "participation_proposals": Section(
        "participation proposal",
        SG.ParticipationProposal,
        {
            "participant": Link(SG.participant, STAKEHOLDER),
            "program": Link(SG.program, frozenset({"program"})),
        },
    ),
    "concerns": Section("concern", SG.Concern, {"broader": Link(SKOS.broader, frozenset({"concern"}))}),
    "measures": Section(
        "measure",
        SG.Measure,
        {
            "addresses": Link(SG.addresses, frozenset({"concern", "threat"})),
            "part_of": Link(SG.partOf, TARGET),
        },
        required=("id", "label", "status"),
    ),
    "threats": Section("threat", SG.Threat, {}),
}
ENTITY_KINDS = tuple(section.kind for section in SECTIONS.values())
POSITION_REQUIRED = ("id", "holder", "target", "stance", "attribution", "evidence")
POSITION_OPTIONAL = ("value", "hedges", "regarding", "note")
POSITION_LINKS = {"holder": STAKEHOLDER, "target": TARGET, "regarding": TARGET}
DOCUMENT_REQUIRED = ("slug", "title", "source")
DOCUMENT_OPTIONAL = ("publisher", "author", "date")
TOP_KEYS = ("document", *SECTIONS, "positions", "inferred")


@dataclass(frozen=True)
class DocumentInfo:
    """The coded document; what the source does not say stays ``None``."""

    slug: str
    title: str
    source: str  # path of the source text, relative to the coding file's directory
    publisher: str | None = None
    author: str | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Entity:
    """A stakeholder, program, participation proposal, concern, measure or threat."""

    id: str
    kind: str
    rdf_class: URIRef
    label: str
    aliases: tuple[str, ...]
    links: tuple[tuple[URIRef, str], ...]  # (property, id of the linked entity)
    status: str | None  # measures only
    note: str | None
    line: int


@dataclass(frozen=True)
class Quote:
    """An evidence span: the exact text and where it sits in the source (Python str offsets)."""

    exact: str
    start: int
    end: int
    garbled: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Position:
    """Who holds which stance on what, how the text attributes it, and the quotes that show it."""

    id: str
    holder: str
    target: str
    stance: str
    value: int
    attribution: str
    hedges: tuple[str, ...]
    regarding: tuple[str, ...]
    evidence: tuple[Quote, ...]
    note: str | None
    line: int


@dataclass(frozen=True)
class InferredLink:
    """A link the analyst infers and the text does not state; it goes to the /inferred graph."""

    subject: str
    key: str  # the coding key, e.g. "addresses"
    predicate: URIRef
    object: str
    note: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.subject}-{self.key.replace('_', '-')}-{self.object}"


@dataclass(frozen=True)
class Coding:
    """A checked coding file together with its source text."""

    path: Path
    document: DocumentInfo
    source_text: str
    sha256: str
    entities: tuple[Entity, ...]
    positions: tuple[Position, ...]
    inferred: tuple[InferredLink, ...]

    def entity(self, entity_id: str) -> Entity:
        return next(item for item in self.entities if item.id == entity_id)


# --- YAML with line numbers ------------------------------------------------------------------


class LinedMap(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each value (1-based)."""

    line: int
    lines: dict[str, int]


class LinedList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int
    lines: list[int]


class _Problems:
    """The problems found in one coding file, raised together as one CodingError."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, problem: str) -> None:
        self.found.append((line, problem))

    def raise_if_any(self) -> None:
        if not self.found:
            return
        (line, problem), *rest = sorted(self.found, key=lambda found: found[0])
        more = "".join(f"\n{self.file}:{other_line}: {other}" for other_line, other in rest)
        raise CodingError(self.file, line, problem + more)


def _read_yaml(path: Path, file: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CodingError(file, None, f"not UTF-8 text: {error}") from error
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = f"YAML syntax error: {error.problem or error.context}"
        if error.problem and error.context and error.context_mark:  # where the unfinished construct began
            problem += f" ({error.context} at line {error.context_mark.line + 1})"
        raise CodingError(file, line, problem) from error
    problems = _Problems(file)
    scalars = yaml.constructor.SafeConstructor()  # turns scalar nodes into ints, bools, dates and text

    def plain(node: yaml.Node) -> Any:
        """Python values for a composed YAML node, with lines kept on mappings and lists."""
        if isinstance(node, yaml.MappingNode):
            mapping = LinedMap()
            mapping.line, mapping.lines = node.start_mark.line + 1, {}
            for key_node, value_node in node.value:
                key = str(scalars.construct_object(key_node))
                if key in mapping:
                    problems.add(key_node.start_mark.line + 1, f"duplicate key '{key}'")
                mapping[key] = plain(value_node)
                mapping.lines[key] = value_node.start_mark.line + 1
            return mapping
        if isinstance(node, yaml.SequenceNode):
            sequence = LinedList(plain(item) for item in node.value)
            sequence.line, sequence.lines = (
                node.start_mark.line + 1,
                [n.start_mark.line + 1 for n in node.value],
            )
            return sequence
        return scalars.construct_object(node)

    value = plain(node) if node is not None else None
    problems.raise_if_any()
    return value


# --- checking ------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_source(path: Path) -> str:
    # newline="" keeps the file's characters as they are, so offsets index the file's text.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _occurrences(text: str, quote: str) -> list[int]:
    starts, start = [], text.find(quote)
    while start != -1:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts


# Typographic characters and the plain ones an analyst may type instead; one for one, so offsets survive.
_PLAIN_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def _typography_hint(text: str, quote: str) -> str:
    """A hint when the quote differs from the source only in quote marks or dashes."""
    start = text.translate(_PLAIN_TYPOGRAPHY).find(quote.translate(_PLAIN_TYPOGRAPHY))
    if start == -1:
        return ""
    return f" (the source has different quote marks or dashes: {text[start : start + len(quote)]!r})"


def _ids(value: Any) -> list[str] | None:
    """The ids a link key names: one id or a list of them; None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _expected(kinds: Iterable[str]) -> str:
    names = [_article(kind) for kind in ENTITY_KINDS if kind in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


class _Checker:
    """Reads one coding file's entries into dataclasses, noting every problem with its line."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.kinds: dict[str, str] = {}  # id -> kind
        self.first_line: dict[str, int] = {}

    def mapping(self, value: Any, line: int, what: str) -> LinedMap | None:
        if isinstance(value, LinedMap):
            return value
        self.problems.add(line, f"{what} must be a mapping of keys to values")
        return None

    def entries(self, top: LinedMap, key: str) -> Iterator[LinedMap]:
        items = top.get(key)
        if items is None:
            return
        if not isinstance(items, LinedList):
            self.problems.add(top.lines[key], f"'{key}' must be a list")
            return
        for item, line in zip(items, items.lines, strict=True):
            entry = self.mapping(item, line, f"each entry of '{key}'")
            if entry is not None:
                yield entry

    def keys(self, entry: LinedMap, what: str, required: Iterable[str], allowed: Iterable[str]) -> bool:
        allowed = tuple(allowed)
        complete = True
        for key in required:
            if key not in entry:
                self.problems.add(entry.line, f"{what}: missing required key '{key}'")
                complete = False
        for key in entry:
            if key not in allowed:
                self.problems.add(
                    entry.lines[key], f"{what}: unknown key '{key}' (expected one of {', '.join(allowed)})"
                )
        return complete

    def text(self, entry: LinedMap, key: str, what: str) -> str | None:
        value = entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problems.add(entry.lines[key], f"{what}: '{key}' must be non-empty text")
            return None
        return value

    def texts(self, entry: LinedMap, key: str, what: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            self.problems.add(entry.lines[key], f"{what}: '{key}' must be a list of non-empty texts")
            return ()
        return tuple(value)

    def choice(self, entry: LinedMap, key: str, what: str, valid: Iterable[str]) -> str | None:
        value, valid = entry.get(key), tuple(valid)
        if value not in valid:
            self.problems.add(
                entry.lines[key], f"{what}: invalid {key} {value!r} (valid: {', '.join(valid)})"
            )
            return None
        return value

    def declare(self, entry: LinedMap, kind: str) -> str | None:
        value = entry.get("id")
        if not isinstance(value, str) or not SLUG.fullmatch(value):
            self.problems.add(entry.lines["id"], f"{kind} id {value!r} is not a slug of a-z, 0-9 and '-'")
            return None
        if value == CONCERN_SCHEME:
            self.problems.add(entry.lines["id"], f"id '{value}' is reserved: it names the concern scheme")
            return None
        if value in self.kinds:
            line = self.first_line[value]
            self.problems.add(entry.lines["id"], f"duplicate id '{value}' (first defined at line {line})")
            return None
        self.kinds[value], self.first_line[value] = kind, entry.lines["id"]
        return value

    def refs(self, entry: LinedMap, key: str, what: str, kinds: frozenset[str]) -> list[str]:
        """The ids ``key`` names, each checked to exist and to be of one of ``kinds``."""
        if key not in entry:
            return []
        ids, line = _ids(entry[key]), entry.lines[key]
        if ids is None:
            self.problems.add(line, f"{what}: '{key}' must be an id or a list of ids")
            return []
        good = []
        for ref in ids:
            kind = self.kinds.get(ref)
            if kind is None:
                self.problems.add(line, f"{what}: {key}: unknown id '{ref}' (expected {_expected(kinds)})")
            elif kind not in kinds:
                self.problems.add(
                    line, f"{what}: {key}: '{ref}' is {_article(kind)} (expected {_expected(kinds)})"
                )
            else:
                good.append(ref)
        return good


def _document(checker: _Checker, top: LinedMap, path: Path) -> DocumentInfo | None:
    if "document" not in top:
        checker.problems.add(top.line, "missing required key 'document'")
        return None
    block = checker.mapping(top["document"], top.lines["document"], "'document'")
    if block is None or not checker.keys(
        block, "document", DOCUMENT_REQUIRED, DOCUMENT_REQUIRED + DOCUMENT_OPTIONAL
    ):
        return None
    slug, title, source = (checker.text(block, key, "document") for key in DOCUMENT_REQUIRED)
    if slug is not None and slug != path.stem:
        checker.problems.add(
            block.lines["slug"], f"document slug '{slug}' must be the file's name '{path.stem}'"
        )
    date = block.get("date")
    if date is not None and not isinstance(date, datetime.date):
        checker.problems.add(block.lines["date"], f"document: date {date!r} must be written YYYY-MM-DD")
    publisher = checker.text(block, "publisher", "document")
    author = checker.text(block, "author", "document")
    if slug is None or title is None or source is None:
        return None
    return DocumentInfo(slug, title, source, publisher, author, date)


def _entities(checker: _Checker, top: LinedMap) -> list[tuple[LinedMap, Section, str]]:
    """Declare every entity's id first, so links may name entries further down the file."""
    declared = []
    for key, section in SECTIONS.items():
        for entry in checker.entries(top, key):
            if not checker.keys(entry, section.kind, section.required, section.keys()):
                continue
            entity_id = checker.declare(entry, section.kind)
            if entity_id is not None:
                declared.append((entry, section, entity_id))
    return declared


def _entity(checker: _Checker, entry: LinedMap, section: Section, entity_id: str) -> Entity | None:
    what = f"{section.kind} '{entity_id}'"
    label = checker.text(entry, "label", what)
    rdf_class, status = section.rdf_class, None
    if rdf_class is None:
        type_name = checker.choice(entry, "type", what, STAKEHOLDER_TYPES)
        rdf_class = SG[type_name] if type_name else None
    if "status" in section.required:
        status = checker.choice(entry, "status", what, MEASURE_STATUSES)
    links = tuple(
        (link.predicate, ref)
        for key, link in section.links.items()
        for ref in checker.refs(entry, key, what, link.kinds)
    )
    aliases, note = checker.texts(entry, "aliases", what), checker.text(entry, "note", what)
    if label is None or rdf_class is None or ("status" in section.required and status is None):
        return None
    return Entity(entity_id, section.kind, rdf_class, label, aliases, links, status, note, entry.line)


def _quote(checker: _Checker, item: Any, line: int, what: str, text: str | None, source: str) -> Quote | None:
    garbled, note, occurrence = False, None, None
    if isinstance(item, LinedMap):
        if not checker.keys(item, what, ("quote",), ("quote", "occurrence", "garbled", "note")):
            return None
        garbled, note = item.get("garbled", False), checker.text(item, "note", what)
        if not isinstance(garbled, bool):
            checker.problems.add(item.lines["garbled"], f"{what}: 'garbled' must be true or false")
        if garbled and note is None:
            checker.problems.add(item.line, f"{what}: a garbled quote needs a 'note' saying what is garbled")
        occurrence = item.get("occurrence")
        if occurrence is not None and (isinstance(occurrence, bool) or not isinstance(occurrence, int)):
            checker.problems.add(
                item.lines["occurrence"], f"{what}: 'occurrence' must be a whole number from 1"
            )
            return None
        item = item["quote"]
    if not isinstance(item, str) or not item:
        checker.problems.add(line, f"{what}: a quote must be non-empty text")
        return None
    if text is None:  # the source is missing: that problem is already noted
        return None
    starts = _occurrences(text, item)
    if not starts:
        checker.problems.add(
            line, f"{what}: quote not found in {source}: {item!r}{_typography_hint(text, item)}"
        )
        return None
    if occurrence is None and len(starts) > 1:
        offsets = ", ".join(str(start) for start in starts[:-1]) + f" and {starts[-1]}"
        checker.problems.add(
            line,
            f"{what}: quote occurs {len(starts)} times in {source} (at offsets {offsets}); "
            f"say which with 'occurrence': {item!r}",
        )
        return None
    if occurrence is not None and not 1 <= occurrence <= len(starts):
        checker.problems.add(
            line, f"{what}: occurrence {occurrence} but the quote occurs {len(starts)} time(s)"
        )
        return None
    start = starts[(occurrence or 1) - 1]
    return Quote(item, start, start + len(item), bool(garbled), note)


def _position(
    checker: _Checker, entry: LinedMap, position_id: str, text: str | None, source: str
) -> Position | None:
    what = f"position '{position_id}'"
    holder = checker.refs(entry, "holder", what, POSITION_LINKS["holder"])
    target = checker.refs(entry, "target", what, POSITION_LINKS["target"])
    regarding = checker.refs(entry, "regarding", what, POSITION_LINKS["regarding"])
    for key in ("holder", "target"):
        if isinstance(entry[key], list):
            checker.problems.add(entry.lines[key], f"{what}: '{key}' must name exactly one id")
    stance = checker.choice(entry, "stance", what, STANCES)
    attribution = checker.choice(entry, "attribution", what, ATTRIBUTIONS)
    value = entry.get("value", STANCES.get(stance or "", 0))
    if isinstance(value, bool) or not isinstance(value, int) or not -2 <= value <= 2:
        checker.problems.add(
            entry.lines.get("value", entry.line), f"{what}: value {value!r} is not an integer from -2 to 2"
        )
    hedges, note = checker.texts(entry, "hedges", what), checker.text(entry, "note", what)
    evidence_items = entry["evidence"]
    if not isinstance(evidence_items, LinedList) or not evidence_items:
        checker.problems.add(
            entry.lines["evidence"], f"{what}: 'evidence' must be a list of at least one quote"
        )
        return None
    quotes = [
        _quote(checker, item, line, f"{what} evidence", text, source)
        for item, line in zip(evidence_items, evidence_items.lines, strict=True)
    ]
    if None in quotes:
        return None
    evidence = tuple(quote for quote in quotes if quote is not None)
    for cue in hedges:
        if not any(cue.lower() in quote.exact.lower() for quote in evidence):
            checker.problems.add(
                entry.lines["hedges"], f"{what}: hedge cue {cue!r} does not occur in its evidence"
            )
    if len(holder) != 1 or len(target) != 1 or stance is None or attribution is None:
        return None
    return Position(
        position_id,
        holder[0],
        target[0],
        stance,
        value,
        attribution,
        hedges,
        tuple(regarding),
        evidence,
        note,
        entry.line,
    )


def _inferred(checker: _Checker, entry: LinedMap, entities: Mapping[str, Entity]) -> InferredLink | None:
    what = "inferred link"
    subject_id = entry.get("subject")
    if subject_id not in entities:
        expected = "an id declared in this file"
        checker.problems.add(
            entry.lines.get("subject", entry.line), f"{what}: unknown subject {subject_id!r} ({expected})"
        )
        return None
    section = next(s for s in SECTIONS.values() if s.kind == entities[subject_id].kind)
    link_keys = [key for key in entry if key not in ("subject", "note")]
    if len(link_keys) != 1 or link_keys[0] not in section.links:
        valid = ", ".join(section.links) or "none"
        checker.problems.add(
            entry.line, f"{what}: give exactly one link key for {_article(section.kind)} (valid: {valid})"
        )
        return None
    key = link_keys[0]
    note = checker.text(entry, "note", what)
    if note is None:
        checker.problems.add(
            entry.line, f"{what}: missing required key 'note' (say why the link is inferred)"
        )
    objects = checker.refs(entry, key, what, section.links[key].kinds)
    if note is None or len(objects) != 1:
        return None
    return InferredLink(subject_id, key, section.links[key].predicate, objects[0], note, entry.line)


def load_coding(path: Path) -> Coding:
    """Read and check one coding file and its source text.

    Raises :class:`~graph.errors.CodingError` naming file, line and problem
    (every problem of the file, first one's line as ``.line``).

    >>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
    >>> coding.entity("canadian-officials").label
    'Canadian officials'
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     broken = Path(folder) / "broken.yaml"
    ...     _ = broken.write_text("document: [unclosed\\n", encoding="utf-8")
    ...     load_coding(broken)
    Traceback (most recent call last):
    graph.errors.CodingError: .../broken.yaml:2: YAML syntax error: expected ',' or ']', but got ...
    """
    path = Path(path)
    file = str(path)
    top = _read_yaml(path, file)
    problems = _Problems(file)
    if not isinstance(top, LinedMap):
        raise CodingError(file, 1, f"a coding file is a mapping with keys {', '.join(TOP_KEYS)}")
    for key in top:
        if key not in TOP_KEYS:
            problems.add(
                top.lines[key], f"unknown top-level key '{key}' (expected one of {', '.join(TOP_KEYS)})"
            )
    checker = _Checker(problems)
    document = _document(checker, top, path)

    text, sha256 = None, ""
    if document is not None:
        source_path, source_line = path.parent / document.source, top["document"].lines["source"]
        try:
            text, sha256 = _read_source(source_path), _sha256(source_path)
        except FileNotFoundError:
            problems.add(source_line, f"source text not found: {document.source}")
        except (OSError, UnicodeDecodeError) as error:
            problems.add(source_line, f"source text {document.source} cannot be read: {error}")

    declared = _entities(checker, top)
    positions_to_check = []
    for entry in checker.entries(top, "positions"):
        if checker.keys(entry, "position", POSITION_REQUIRED, POSITION_REQUIRED + POSITION_OPTIONAL):
            position_id = checker.declare(entry, "position")
            if position_id is not None:
                positions_to_check.append((entry, position_id))

    entities = [_entity(checker, entry, section, entity_id) for entry, section, entity_id in declared]
    found = {item.id: item for item in entities if item is not None}
    source = document.source if document else ""
    positions = [
        _position(checker, entry, position_id, text, source) for entry, position_id in positions_to_check
    ]
    inferred = [_inferred(checker, entry, found) for entry in checker.entries(top, "inferred")]
    problems.raise_if_any()
    assert document is not None and text is not None  # no problem noted, so both were read
    return Coding(
        path,
        document,
        text,
        sha256,
        tuple(found.values()),
        tuple(item for item in positions if item is not None),
        tuple(item for item in inferred if item is not None),
    )


# --- compiling -----------------------------------------------------------------------------


def _label(text: str) -> Literal:
    return Literal(text, lang="en")


def _individual(graph: Graph, subject: URIRef, *classes: URIRef) -> None:
    """Type ``subject``, declared as an OWL individual so that the data reads as OWL 2 DL (and in Protégé)."""
    graph.add((subject, RDF.type, OWL.NamedIndividual))
    for rdf_class in classes:
        graph.add((subject, RDF.type, rdf_class))


def _compile_entity(graph: Graph, item: Entity, document: URIRef) -> None:
    subject = entity(item.id)
    _individual(graph, subject, item.rdf_class)
    if item.kind == "stakeholder":  # the specific class and the general one, so queries need no reasoner
        graph.add((subject, RDF.type, SG.Stakeholder))
    graph.add((subject, RDFS.label, _label(item.label)))
    graph.add((subject, SG.mentionedIn, document))
    for alias in item.aliases:
        graph.add((subject, SKOS.altLabel, _label(alias)))
    for predicate, ref in item.links:
        graph.add((subject, predicate, entity(ref)))
    if item.status:
        graph.add((subject, SG.measureStatus, SG[item.status]))
    if item.note:
        graph.add((subject, SKOS.editorialNote, _label(item.note)))
    if item.kind == "concern":
        scheme = entity(CONCERN_SCHEME)
        graph.add((subject, RDF.type, SKOS.Concept))
        graph.add((subject, SKOS.prefLabel, _label(item.label)))
        graph.add((subject, SKOS.inScheme, scheme))
        _individual(graph, scheme, SKOS.ConceptScheme)
        graph.add((scheme, RDFS.label, _label("Concerns")))
        graph.add((scheme, SKOS.prefLabel, _label("Concerns")))


def _compile_position(graph: Graph, coding: Coding, position: Position, document: URIRef) -> None:
    subject = entity(position.id)
    holder, target = coding.entity(position.holder), coding.entity(position.target)
    label = f"{holder.label} — {position.stance} — {target.label}"
    _individual(graph, subject, SG.Position)
    graph.add((subject, RDFS.label, _label(label)))
    graph.add((subject, SG.holder, entity(position.holder)))
    graph.add((subject, SG.target, entity(position.target)))
    graph.add((subject, SG.stance, SG[position.stance]))
    graph.add((subject, SG.stanceValue, Literal(position.value, datatype=XSD.integer)))
    graph.add((subject, SG.attribution, SG[position.attribution]))
    graph.add((subject, SG.hedged, Literal(bool(position.hedges))))
    for cue in position.hedges:
        graph.add((subject, SG.hedgeCue, Literal(cue)))
    for ref in position.regarding:
        graph.add((subject, SG.regarding, entity(ref)))
    if position.note:
        graph.add((subject, SKOS.editorialNote, _label(position.note)))
    text = coding.source_text
    for number, quote in enumerate(position.evidence, start=1):
        evidence = entity(f"{position.id}-ev{number}")
        target_iri, quote_iri, span = (
            entity(f"{position.id}-ev{number}-{part}") for part in ("target", "quote", "pos")
        )
        graph.add((subject, SG.evidence, evidence))
        _individual(graph, evidence, SG.Evidence, OA.Annotation)
        graph.add((evidence, RDFS.label, _label(f"Evidence {number} of {label}")))
        graph.add((evidence, PROV.wasDerivedFrom, document))
        graph.add((evidence, OA.hasTarget, target_iri))
        if quote.garbled:
            graph.add((evidence, SG.garbled, Literal(True)))
        if quote.note:
            graph.add((evidence, SKOS.editorialNote, _label(quote.note)))
        _individual(graph, target_iri, OA.SpecificResource)
        graph.add((target_iri, OA.hasSource, document))
        graph.add((target_iri, OA.hasSelector, quote_iri))
        graph.add((target_iri, OA.hasSelector, span))
        _individual(graph, quote_iri, OA.TextQuoteSelector)
        graph.add((quote_iri, OA.exact, Literal(quote.exact)))
        prefix = text[max(0, quote.start - CONTEXT_CHARS) : quote.start]
        suffix = text[quote.end : quote.end + CONTEXT_CHARS]
        if prefix:
            graph.add((quote_iri, OA.prefix, Literal(prefix)))
        if suffix:
            graph.add((quote_iri, OA.suffix, Literal(suffix)))
        _individual(graph, span, OA.TextPositionSelector)
        graph.add((span, OA.start, Literal(quote.start, datatype=XSD.nonNegativeInteger)))
        graph.add((span, OA.end, Literal(quote.end, datatype=XSD.nonNegativeInteger)))


def _compile_inferred(graph: Graph, coding: Coding, document: URIRef) -> None:
    _individual(graph, graph.identifier)
    graph.add((graph.identifier, RDFS.label, _label(f"Analyst inferences on “{coding.document.title}”")))
    graph.add((graph.identifier, PROV.wasDerivedFrom, document))
    note = "Links the source text does not state, each with the analyst's reason."
    graph.add((graph.identifier, SKOS.editorialNote, _label(note)))
    for link in coding.inferred:
        subject, target = entity(link.subject), entity(link.object)
        graph.add((subject, link.predicate, target))
        # The reason is an OWL axiom annotation: the OWL 2 DL way to say something about one assertion.
        # A named blank node keeps rebuilds byte-identical.
        axiom = BNode(f"inferred-{link.id}")
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, subject))
        graph.add((axiom, OWL.annotatedProperty, link.predicate))
        graph.add((axiom, OWL.annotatedTarget, target))
        graph.add((axiom, SKOS.editorialNote, _label(link.note)))


def compile_coding(coding: Coding) -> Dataset:
    """The RDF of a checked coding: its document graph and its /inferred graph.

    >>> coding = load_coding(DATA_DIR / "golden-dome-canada.yaml")
    >>> dataset = compile_coding(coding)
    >>> document = dataset.graph(document_graph("golden-dome-canada"))
    >>> str(document.value(entity("golden-dome-canada"), SG.sha256)) == coding.sha256
    True
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    info = coding.document
    asserted = dataset.graph(document_graph(info.slug))
    document = entity(info.slug)
    _individual(asserted, document, SG.Document)
    asserted.add((document, RDFS.label, _label(info.title)))
    asserted.add((document, DCTERMS.title, _label(info.title)))
    asserted.add((document, SG.sourceText, Literal(info.source)))
    asserted.add((document, SG.sha256, Literal(coding.sha256)))
    if info.publisher:
        asserted.add((document, DCTERMS.publisher, Literal(info.publisher)))
    if info.author:
        asserted.add((document, DCTERMS.creator, Literal(info.author)))
    if info.date:
        asserted.add((document, DCTERMS.date, Literal(info.date, datatype=XSD.date)))
    for item in coding.entities:
        _compile_entity(asserted, item, document)
    for position in coding.positions:
        _compile_position(asserted, coding, position, document)
    if coding.inferred:
        _compile_inferred(dataset.graph(inferred_graph(info.slug)), coding, document)
    return dataset


# --- building ------------------------------------------------------------------------------

FORMATS = {"nquads": "nquads", "trig": "trig"}  # our name -> rdflib's
SUFFIX_FORMATS = {".nq": "nquads", ".trig": "trig"}


def build_dataset(data_dir: Path = DATA_DIR, include_ontology: bool = True) -> Dataset:
    """Every coding file in ``data_dir`` compiled into one dataset, with the ontology in its graph.

    >>> dataset = build_dataset()
    >>> len(dataset.graph(ONTOLOGY_GRAPH)) > 0
    True
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    if include_ontology:
        # Canonical blank-node labels, so that a rebuild of the same files gives the same bytes.
        ontology = to_canonical_graph(Graph().parse(ONTOLOGY_FILE, format="turtle"))
        dataset.addN((s, p, o, ONTOLOGY_GRAPH) for s, p, o in ontology)
    for path in sorted(Path(data_dir).glob("*.yaml")):
        dataset.addN(compile_coding(load_coding(path)).quads())
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


def build(data_dir: Path, output_path: Path, format: str | None = None) -> int:
    """Compile ``data_dir`` (ontology included) and write it to ``output_path``; return the quad count.

    ``format`` is ``nquads`` or ``trig``; ``None`` picks it from the suffix
    (``.trig``, else N-Quads). The file is written whole or not at all: on any
    error the previous output, if any, is left as it was.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     count = build(DATA_DIR, Path(folder) / "stancegraph.nq")
    ...     lines = (Path(folder) / "stancegraph.nq").read_text(encoding="utf-8").count("\\n")
    >>> count == lines
    True
    """
    output_path = Path(output_path)
    format = format or SUFFIX_FORMATS.get(output_path.suffix, "nquads")
    dataset = build_dataset(data_dir)
    data = serialize(dataset, format)
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
