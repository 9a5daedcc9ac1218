"""The coding format as pydantic models: what a coding file may say, key by key.

The models check each value on its own (types, slugs, the stances, the range of a value);
what needs the whole file (ids that exist, quotes found in the source) is
:mod:`graph.coding.checks`. :mod:`graph.coding.published` publishes the format for editors.

>>> Position.model_validate({"id": "p", "holder": "a", "target": "b", "stance": "concerned",
...                          "attribution": "direct", "evidence": ["It worries us"]}).value
1
>>> CodingFile.model_json_schema()["properties"]["positions"]["items"]["$ref"]
'#/$defs/Position'
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictStr, model_validator
from pydantic_core import PydanticCustomError

from graph.coding.fields import (
    Date,
    Flag,
    Hint,
    Id,
    Names,
    Occurrence,
    OneOf,
    QuoteText,
    Ref,
    Refs,
    Section,
    StanceValue,
    Subject,
    Text,
    Texts,
    Url,
    problem,
    quote_mapping,
)

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
    "mixed": 0,
    "framesAs": 0,
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
STAKEHOLDER = frozenset({"stakeholder"})
TARGET = frozenset({"program", "participation proposal", "measure", "concern", "threat"})
CONCERN_SCHEME = "concerns"  # sgd:concerns, the scheme every coded concern is in: no entry may take the id


class Model(BaseModel):
    """A mapping of the format: its keys are exactly its fields, described by their docstrings."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Document(Model):
    """The coded document; what the source does not say is left out."""

    slug: Text
    """The file's name without .yaml; the document becomes sgd:<slug>."""
    title: Text
    source: Text
    """Path of the source text, relative to the coding file's directory."""
    publisher: Text | None = None
    author: Text | None = None
    date: Date | None = None
    """When the document was published, as precisely as the source says: 2025, 2025-03, 2025-03-14
    or a date-time with its time zone."""
    url: Url | None = None
    """Where the document was published (dcterms:source)."""


class Quote(Model):
    """An evidence quote: the exact words of the source, curly quotes and dashes as they are."""

    quote: QuoteText
    occurrence: Occurrence | None = None
    """Which occurrence, counted from 1, when the quote occurs more than once."""
    garbled: Flag = False
    """The source text is damaged here (then say how in note)."""
    note: Text | None = None

    @model_validator(mode="after")
    def _garbled_has_note(self) -> Quote:
        if self.garbled and self.note is None:
            raise PydanticCustomError(
                "coding", "{what}: a garbled quote needs a 'note' saying what is garbled"
            )
        return self


# An evidence item: an exact quote, or a mapping saying more about it.
Evidence = Annotated[Quote, BeforeValidator(quote_mapping, json_schema_input_type=QuoteText | Quote)]


def _at_least_one(quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
    if not quotes:
        raise ValueError("no quote")
    return quotes


# The quotes of a position: at least one.
Quotes = Annotated[
    tuple[Evidence, ...],
    # Not min_length: pydantic counts only the items that validated, so a bad quote would also
    # read as an empty list.
    AfterValidator(_at_least_one),
    Field(json_schema_extra={"minItems": 1}),
    problem("{what}: '{key}' must be a list of at least one quote", own=True),
]


class Link(Model):
    """A link to another entry as the text states it: the id, and the quotes that state it."""

    id: Ref
    evidence: Annotated[
        tuple[Evidence, ...], problem("{what}: '{key}' must be a list of quotes", own=True)
    ] = ()
    """The exact words of the source that state the link (required in a document's coding: a link
    the text does not state goes under 'inferred', with its reason)."""


def _link_mapping(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


def _one_link_or_more(value: Any) -> Any:
    return (value,) if isinstance(value, str | dict) else value


# One link or a list of them, each an id or a mapping with its evidence; read as a tuple of Link.
Links = Annotated[
    tuple[
        Annotated[
            Link,
            BeforeValidator(_link_mapping, json_schema_input_type=StrictStr | Link),
            problem("{what}: each link of '{key}' must be an id or a mapping of id and evidence", own=True),
        ],
        ...,
    ],
    BeforeValidator(_one_link_or_more, json_schema_input_type=StrictStr | Link | list[StrictStr | Link]),
    problem("{what}: '{key}' must be an id, a link with its evidence, or a list of them", own=True),
]


class Entry(Model):
    """An entity the text names: it becomes sgd:<id>."""

    kind: ClassVar[str]

    id: Id
    label: Text
    aliases: Texts = ()
    """Other names the text uses (skos:altLabel)."""
    note: Text | None = None
    """The analyst's note (skos:editorialNote)."""

    def links(self) -> dict[str, tuple[str, ...]]:
        """The ids each link key names, by key (empty keys included)."""
        return {key: tuple(link.id for link in getattr(self, key)) for key in link_kinds(type(self))}

    def stated(self) -> dict[tuple[str, str], tuple[Quote, ...]]:
        """The quotes of each link given with its evidence, by link key and id.

        >>> Program(id="p", label="P", promoted_by={"id": "x", "evidence": ["promoted by X"]}).stated()
        {('promoted_by', 'x'): (Quote(quote='promoted by X', occurrence=None, garbled=False, note=None),)}
        """
        return {
            (key, link.id): link.evidence
            for key in link_kinds(type(self))
            for link in getattr(self, key)
            if link.evidence
        }


class Stakeholder(Entry):
    """Who may hold a position: a nation, a body, a person, a community, the text's own voice."""

    kind: ClassVar[str] = "stakeholder"

    type: Annotated[str, OneOf(STAKEHOLDER_TYPES)]
    member_of: Annotated[Links, Names(STAKEHOLDER)] = ()
    part_of: Annotated[Links, Names(STAKEHOLDER)] = ()


class Program(Entry):
    """A program the text discusses (Golden Dome): who started and promotes it, what it is against."""

    kind: ClassVar[str] = "program"

    initiated_by: Annotated[Links, Names(STAKEHOLDER)] = ()
    promoted_by: Annotated[Links, Names(STAKEHOLDER)] = ()
    program_of: Annotated[Links, Names(STAKEHOLDER)] = ()
    """Whose program the text says it is ("the United States’ missile defense strategy")."""
    aims_at: Annotated[Links, Names(frozenset({"threat"}))] = ()


class ParticipationProposal(Entry):
    """That a stakeholder joins a program: a target of positions of its own."""

    kind: ClassVar[str] = "participation proposal"

    participant: Annotated[Links, Names(STAKEHOLDER)] = ()
    program: Annotated[Links, Names(frozenset({"program"}))] = ()
    aims_at: Annotated[Links, Names(frozenset({"threat"}))] = ()
    """The threats the text says the participation is against."""


class Concern(Entry):
    """A concept of the concern scheme sgd:concerns."""

    kind: ClassVar[str] = "concern"

    broader: Annotated[Links, Names(frozenset({"concern"}))] = ()


class Measure(Entry):
    """A measure under review or recommended, what it addresses, what it is part of."""

    kind: ClassVar[str] = "measure"

    status: Annotated[str, OneOf(MEASURE_STATUSES)]
    addresses: Annotated[Links, Names(frozenset({"concern", "threat"}))] = ()
    part_of: Annotated[Links, Names(TARGET)] = ()


class Threat(Entry):
    """A threat a program aims at or a measure addresses."""

    kind: ClassVar[str] = "threat"


def _stance_default(data: dict[str, Any]) -> int:
    return STANCES.get(data.get("stance", ""), 0)


class Position(Model):
    """Who holds which stance on what, how the text attributes it, and the quotes that show it."""

    kind: ClassVar[str] = "position"

    id: Id
    holder: Annotated[Ref, Names(STAKEHOLDER)]
    target: Annotated[Ref, Names(TARGET)]
    stance: Annotated[str, OneOf(tuple(STANCES))]
    value: StanceValue = Field(default_factory=_stance_default)
    """Agreement with the target from -2 to 2; the stance's default when left out."""
    attribution: Annotated[str, OneOf(ATTRIBUTIONS)]
    hedges: Texts = ()
    """Hedge cues ("reportedly", "could"), each found in the evidence."""
    regarding: Annotated[Refs, Names(TARGET)] = ()
    valid_at: Date | None = None
    """When the text says the stance was held, if it dates the stance itself (else the document's date)."""
    evidence: Quotes
    note: Text | None = None
    replaces: Annotated[int, Field(ge=0)] | None = None
    """The store's revision of this position the coding was made from: ``export-coding`` writes it and
    ``import-coding`` refuses a file older than the store's latest revision; ``build`` ignores it."""


class InferredLink(Model):
    """A link the text does not state, read by the analyst: subject, one link key, and why."""

    model_config = ConfigDict(extra="allow")
    # The one other key is a link key of the subject's kind (e.g. addresses); checks says which are valid.
    __pydantic_extra__: dict[str, Refs] = Field(init=False)

    subject: Subject
    note: Annotated[Text, Hint("say why the link is inferred")]

    def link(self) -> tuple[str, str]:
        """The link key and the one id it names (once the file is checked)."""
        [(key, [target])] = (self.model_extra or {}).items()
        return key, target


class _Entities(Model):
    """A file of entity sections (a coding file, the registry)."""

    def entries(self) -> tuple[Entry, ...]:
        """Every entity, section by section."""
        return tuple(entry for name in SECTIONS for entry in getattr(self, name))


class CodingFile(_Entities):
    """A stancegraph coding file: one document, who holds which stance on what, and the quotes."""

    model_config = ConfigDict(
        title="stancegraph coding file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    document: Annotated[Document, problem("'document' must be a mapping of keys to values", own=True)]
    stakeholders: Section[Stakeholder] = ()
    programs: Section[Program] = ()
    participation_proposals: Section[ParticipationProposal] = ()
    concerns: Section[Concern] = ()
    measures: Section[Measure] = ()
    threats: Section[Threat] = ()
    positions: Section[Position] = ()
    inferred: Section[InferredLink] = ()


class EntityRegistry(_Entities):
    """The entities several documents share (``entities.yaml`` beside the codings): one id, one label."""

    model_config = ConfigDict(
        title="stancegraph entity registry",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    stakeholders: Section[Stakeholder] = ()
    programs: Section[Program] = ()
    participation_proposals: Section[ParticipationProposal] = ()
    concerns: Section[Concern] = ()
    measures: Section[Measure] = ()
    threats: Section[Threat] = ()


# The sections of entities, in the order their kinds are listed in messages.
SECTIONS: dict[str, type[Entry]] = {
    "stakeholders": Stakeholder,
    "programs": Program,
    "participation_proposals": ParticipationProposal,
    "concerns": Concern,
    "measures": Measure,
    "threats": Threat,
}
ENTITY_KINDS = tuple(model.kind for model in SECTIONS.values())


def link_kinds(model: type[Model]) -> dict[str, frozenset[str]]:
    """The keys of ``model`` that name other entries, with the kinds each may name.

    >>> link_kinds(Program)["aims_at"]
    frozenset({'threat'})
    """
    return {
        key: mark.kinds
        for key, field in model.model_fields.items()
        for mark in field.metadata
        if isinstance(mark, Names)
    }
