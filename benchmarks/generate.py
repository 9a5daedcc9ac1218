"""Seeded generator of synthetic stakeholder-position graphs in the stancegraph ontology.

The output looks like many real codings side by side: each synthetic document is
its own named graph holding its positions, their evidence (Web Annotation text
selectors) and the entities it introduces; links an analyst would infer
(which measure addresses which concern, when the text does not say) go into the
document's ``/inferred`` graph. Stakeholders (nations, government bodies,
officials, persons, experts, interest groups) hang together by ``sg:memberOf``
and ``sg:partOf``; holders are Zipf-skewed, as in real discourse, and about a
fifth of the stances are opposing, so conflict networks are not empty.

N-Quads lines are written as text (no per-triple rdflib objects), so a million
triples take seconds. The same ``--triples`` and ``--seed`` give the same bytes.
Beside the data a ``.manifest.json`` lists the entities the query mix may pick.

    python -m benchmarks.generate --triples 1000000 --seed 42 -o data.nq
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import hashlib
import itertools
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH, SG, SGD
from graph.paths import ONTOLOGY_FILE

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Triples one position brings on average (itself, its evidence and selectors):
# used only to size the entity pools before generation starts.
TRIPLES_PER_POSITION = 32


def sg(name: str) -> str:
    """An ontology term in N-Quads form."""
    return f"<{SG}{name}>"


def sgd(slug: str) -> str:
    """An entity in N-Quads form."""
    return f"<{SGD}{slug}>"


def literal(text: str, suffix: str = "") -> str:
    """A literal in N-Quads form; ``suffix`` is ``@en`` or ``^^<datatype>``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"{suffix}'


def typed(value: object, datatype: str) -> str:
    return literal(str(value), f"^^<{XSD}{datatype}>")


def english(text: str) -> str:
    return literal(text, "@en")


# --- vocabulary choices ------------------------------------------------------

# Stance concepts with their default value and the verb a quote uses for them.
STANCES: dict[str, tuple[int, str]] = {
    "supports": (2, "supports"),
    "recommends": (2, "recommends"),
    "proposes": (2, "proposes"),
    "optimistic": (1, "is optimistic about"),
    "concerned": (1, "is concerned about"),
    "considers": (0, "is considering"),
    "assesses": (0, "is assessing"),
    "monitors": (0, "is monitoring"),
    "opposes": (-2, "opposes"),
}

# Which stances a target kind draws, with weights: about a fifth oppose overall.
STANCES_BY_TARGET: dict[str, list[tuple[str, int]]] = {
    "Program": [("supports", 40), ("optimistic", 10), ("considers", 8), ("monitors", 7), ("opposes", 35)],
    "ParticipationProposal": [
        ("supports", 40),
        ("optimistic", 10),
        ("considers", 10),
        ("assesses", 10),
        ("opposes", 30),
    ],
    "Measure": [("recommends", 25), ("proposes", 20), ("supports", 20), ("assesses", 15), ("opposes", 20)],
    "Concern": [("concerned", 75), ("considers", 10), ("opposes", 15)],
    "Threat": [("concerned", 50), ("monitors", 30), ("assesses", 20)],
}

TARGET_KIND_WEIGHTS = {"ParticipationProposal": 25, "Program": 15, "Measure": 30, "Concern": 25, "Threat": 5}

STAKEHOLDER_SHARES = {
    "Nation": 5,
    "GovernmentBody": 10,
    "OfficialsGroup": 15,
    "Person": 30,
    "ExpertCommunity": 15,
    "InterestGroup": 20,
    "UnidentifiedHolder": 5,
}

ATTRIBUTIONS = [("direct", 50), ("reported", 35), ("unattributed", 15)]
# The corpus spans two years; a document is dated to the day, sometimes only to the month, or
# not at all (then nothing is invented), and a few positions carry a date of their own.
CORPUS_START = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
CORPUS_DAYS = 730
UNDATED_SHARE = 0.1
MONTH_PRECISION_SHARE = 0.15
VALID_AT_SHARE = 0.05
QUOTE_PREFIX = "the report notes that "
QUOTE_SUFFIX = ", according to the text."
FILLER_WORDS = [
    "the",
    "defence",
    "ministers",
    "met",
    "again",
    "while",
    "officials",
    "weighed",
    "costs",
    "and",
    "timelines",
    "of",
    "continental",
    "cooperation",
    "as",
    "parliament",
    "debated",
    "budgets",
    "radar",
    "coverage",
    "northern",
    "sovereignty",
    "and",
    "allied",
    "commitments",
]

HEDGE_CUES = ["reportedly", "could", "perhaps", "may", "is said to", "appears to"]
MEASURE_STATUSES = ["underReview", "recommended"]
SYLLABLES = [
    "nor",
    "va",
    "lia",
    "ter",
    "mon",
    "dé",
    "ka",
    "ru",
    "sen",
    "bel",
    "tor",
    "qui",
    "las",
    "ven",
    "or",
]


def _weighted(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    names = [name for name, _ in pairs]
    return names, list(itertools.accumulate(weight for _, weight in pairs))


# --- entities ----------------------------------------------------------------


@dataclass(eq=False)
class Entity:
    """A stakeholder or target, declared in the graph of the first document that uses it."""

    slug: str
    kind: str  # the sg: class
    label: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (predicate, entity slug), stated
    inferred_links: list[tuple[str, str]] = field(default_factory=list)  # analyst inferences
    extra: list[tuple[str, str]] = field(default_factory=list)  # (predicate, object) ready terms


@dataclass
class Manifest:
    """What was generated: sizes, and the entities a query mix may pick from."""

    seed: int
    requested_triples: int
    triples: int
    graphs: int
    positions: int
    documents: list[str]
    holders: list[str]  # stakeholders holding at least one position
    stakeholders: dict[str, list[str]]  # by class
    targets: dict[str, list[str]]  # by class, only those some position is about
    seconds: float = 0.0

    @staticmethod
    def path_for(data: Path) -> Path:
        return data.with_name(data.name + ".manifest.json")

    def save(self, data: Path) -> Path:
        path = self.path_for(data)
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, data: Path) -> Manifest:
        return cls(**json.loads(cls.path_for(data).read_text(encoding="utf-8")))


def position_slug(number: int) -> str:
    """The slug of the ``number``-th generated position (0-based)."""
    return f"position-{number:07d}"


class _Names:
    """Readable pseudo-names ("Dévalia") from the seeded generator; names may repeat, slugs never do."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> str:
        parts = self.rng.randint(2, 3)
        return "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


class _World:
    """The entity pools, sized from the triple budget."""

    def __init__(self, rng: random.Random, triples: int) -> None:
        self.rng = rng
        name = _Names(rng)
        positions = max(20, triples // TRIPLES_PER_POSITION)
        self.entities: dict[str, Entity] = {}

        def add(kind: str, prefix: str, count: int, label: str) -> list[Entity]:
            made = [
                Entity(f"{prefix}-{i}", kind, label.format(name=name(), surname=name(), i=i))
                for i in range(count)
            ]
            self.entities.update((entity.slug, entity) for entity in made)
            return made

        total_stakeholders = max(len(STAKEHOLDER_SHARES) * 2, positions // 15)
        count = {
            kind: max(2, total_stakeholders * share // 100) for kind, share in STAKEHOLDER_SHARES.items()
        }
        nations = add("Nation", "nation", count["Nation"], "{name}")
        bodies = add("GovernmentBody", "government", count["GovernmentBody"], "Government of {name}")
        officials = add("OfficialsGroup", "officials", count["OfficialsGroup"], "{name} officials")
        experts = add("ExpertCommunity", "experts", count["ExpertCommunity"], "{name} defence analysts")
        interests = add("InterestGroup", "interest-group", count["InterestGroup"], "{name} association")
        persons = add("Person", "person", count["Person"], "{name} {surname}")
        unidentified = add(
            "UnidentifiedHolder", "unidentified", count["UnidentifiedHolder"], "Unidentified voice {i}"
        )
        for body in bodies:
            body.links.append((sg("partOf"), rng.choice(nations).slug))
        for group in officials:
            group.links.append((sg("memberOf"), rng.choice(bodies).slug))
        for group in interests:
            if rng.random() < 0.5:
                group.links.append((sg("partOf"), rng.choice(nations).slug))
        for person in persons:
            person.links.append((sg("memberOf"), rng.choice(bodies + experts + interests).slug))
        self.stakeholders = nations + bodies + officials + experts + interests + persons + unidentified
        rng.shuffle(self.stakeholders)  # so that Zipf popularity cuts across kinds

        threats = add("Threat", "threat", max(3, positions // 500), "{name} missile threat")
        programs = add("Program", "program", max(3, positions // 500), "{name} Shield")
        for program in programs:
            program.links += [
                (sg("initiatedBy"), rng.choice(nations).slug),
                (sg("promotedBy"), rng.choice(bodies + officials).slug),
                (sg("aimsAt"), rng.choice(threats).slug),
            ]
        proposals: list[Entity] = []
        for program in programs:
            for nation in rng.sample(nations, min(len(nations), 3)):
                proposal = Entity(
                    f"{nation.slug}-joins-{program.slug}",
                    "ParticipationProposal",
                    f"{nation.label} joins {program.label}",
                    [(sg("participant"), nation.slug), (sg("program"), program.slug)],
                )
                self.entities[proposal.slug] = proposal
                proposals.append(proposal)
        concerns = add("Concern", "concern", max(10, positions // 100), "{name} sovereignty concern")
        top_concerns = concerns[: max(3, len(concerns) // 10)]
        for concern in concerns:
            if concern not in top_concerns:
                concern.links.append((f"<{SKOS}broader>", rng.choice(top_concerns).slug))
            concern.extra += [
                (f"<{SKOS}inScheme>", sgd("concerns")),
                (f"<{SKOS}prefLabel>", english(concern.label)),
            ]
        measures = add("Measure", "measure", max(10, positions // 80), "{name} intelligence exchange")
        for measure in measures:
            measure.links.append((sg("partOf"), rng.choice(programs + proposals).slug))
            measure.extra.append((sg("measureStatus"), sg(rng.choice(MEASURE_STATUSES))))
            addressed = rng.sample(concerns + threats, 2)
            measure.links.append((sg("addresses"), addressed[0].slug))
            # The second link is one the text does not state: an analyst inference.
            measure.inferred_links.append((sg("addresses"), addressed[1].slug))

        self.targets = {
            "Program": programs,
            "ParticipationProposal": proposals,
            "Measure": measures,
            "Concern": concerns,
            "Threat": threats,
        }
        # Zipf-like popularity: a few stakeholders and targets take most positions.
        self.stakeholder_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.stakeholders)))
        )
        self.target_weights = {
            kind: list(itertools.accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(pool))))
            for kind, pool in self.targets.items()
        }

    def pick_stakeholders(self, count: int) -> list[Entity]:
        chosen = self.rng.choices(self.stakeholders, cum_weights=self.stakeholder_weights, k=count)
        return list(dict.fromkeys(chosen))

    def pick_targets(self, count: int) -> list[Entity]:
        kinds, cumulative = _weighted(list(TARGET_KIND_WEIGHTS.items()))
        chosen = []
        for kind in self.rng.choices(kinds, cum_weights=cumulative, k=count):
            pool = self.targets[kind]
            chosen.append(
                pool[
                    bisect.bisect(
                        self.target_weights[kind], self.rng.random() * self.target_weights[kind][-1]
                    )
                    % len(pool)
                ]
            )
        return list(dict.fromkeys(chosen))


def _datetime(moment: datetime.datetime) -> str:
    """An ``xsd:dateTime`` lexical form in UTC, as the coding compiles dates."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- documents ---------------------------------------------------------------


class _DocumentWriter:
    """Emits the quads of one document: its graph, its inferred graph, its positions."""

    def __init__(self, world: _World, declared: set[str], slug: str) -> None:
        self.world = world
        self.rng = world.rng
        self.declared = declared
        self.slug = slug
        self.graph = f"<{GRAPH_BASE}{slug}>"
        self.inferred_graph = f"<{GRAPH_BASE}{slug}/inferred>"
        self.lines: list[str] = []
        self.issued: datetime.datetime | None = None
        self.mentioned: set[str] = set()
        self.text: list[str] = []  # the source text, built as quotes are placed in it
        self.cursor = 0  # its length so far, in code points

    def quad(self, subject: str, predicate: str, obj: str, graph: str | None = None) -> None:
        self.lines.append(f"{subject} {predicate} {obj} {graph or self.graph} .\n")

    def declare(self, entity: Entity) -> None:
        """Declare an entity (and what it links to) unless an earlier document did."""
        if entity.slug in self.declared:
            return
        self.declared.add(entity.slug)
        for _, target in entity.links + entity.inferred_links:
            self.declare(self.world.entities[target])
        node = sgd(entity.slug)
        self.quad(node, RDF_TYPE, sg(entity.kind))
        if entity.kind == "Concern":
            self.quad(node, RDF_TYPE, f"<{SKOS}Concept>")
        self.quad(node, RDFS_LABEL, english(entity.label))
        for predicate, target in entity.links:
            self.quad(node, predicate, sgd(target))
        for predicate, target in entity.inferred_links:
            self.quad(node, predicate, sgd(target), self.inferred_graph)
        for predicate, obj in entity.extra:
            self.quad(node, predicate, obj)

    def mention(self, entity: Entity) -> None:
        self.declare(entity)
        if entity.slug not in self.mentioned:
            self.mentioned.add(entity.slug)
            self.quad(sgd(entity.slug), sg("mentionedIn"), sgd(self.slug))

    def document(self, number: int) -> None:
        node = sgd(self.slug)
        title = f"Synthetic report {number} on continental defence"
        self.quad(node, RDF_TYPE, sg("Document"))
        self.quad(node, RDFS_LABEL, english(title))
        self.quad(node, f"<{DCTERMS}title>", english(title))
        self.quad(node, sg("sourceText"), typed(f"data/sources/synthetic/{self.slug}.txt", "string"))
        if self.rng.random() >= UNDATED_SHARE:  # some sources carry no date: then none is invented
            issued, precision = self.moment()
            self.issued = issued
            self.quad(node, f"<{DCTERMS}issued>", typed(_datetime(issued), "dateTime"))
            self.quad(node, sg("timePrecision"), literal(precision))

    def moment(self) -> tuple[datetime.datetime, str]:
        """A time in the corpus's two years, to the day or (sometimes) only to the month."""
        day = CORPUS_START + datetime.timedelta(days=self.rng.randrange(CORPUS_DAYS))
        if self.rng.random() < MONTH_PRECISION_SHARE:
            return day.replace(day=1), "month"
        return day, "day"

    def filler(self, length: int) -> str:
        """``length`` code points of plain words, ending in a space."""
        words: list[str] = []
        size = 0
        while size < length:
            word = self.rng.choice(FILLER_WORDS)
            words.append(word)
            size += len(word) + 1
        return (" ".join(words) + " ")[-length:] if length else ""

    def place(self, quote: str) -> int:
        """Write some filler, then the quote with its context, into the text; the quote's start."""
        self.text.append(self.filler(self.rng.randint(40, 400)) + QUOTE_PREFIX)
        self.cursor += len(self.text[-1])
        start = self.cursor
        self.text.append(quote + QUOTE_SUFFIX + " ")
        self.cursor += len(self.text[-1])
        return start

    def finish(self) -> None:
        """The document's text and its hash, once every quote is placed in it."""
        text = "".join(self.text) + "End of the synthetic report."
        node = sgd(self.slug)
        self.quad(node, sg("text"), typed(text, "string"))
        self.quad(node, sg("sha256"), typed(hashlib.sha256(text.encode()).hexdigest(), "string"))

    def position(self, number: int, holder: Entity, target: Entity, attribution: str) -> None:
        rng = self.rng
        slug = position_slug(number)
        node = sgd(slug)
        stance_names, stance_weights = _weighted(STANCES_BY_TARGET[target.kind])
        stance = rng.choices(stance_names, cum_weights=stance_weights)[0]
        value, verb = STANCES[stance]
        if value and rng.random() < 0.25:  # a softer degree of the same direction
            value = value // abs(value)
        hedge = rng.choice(HEDGE_CUES) if rng.random() < (0.5 if attribution == "reported" else 0.2) else None
        self.mention(holder)
        self.mention(target)
        self.quad(node, RDF_TYPE, sg("Position"))
        self.quad(node, RDFS_LABEL, english(f"{holder.label} {verb} {target.label}"))
        self.quad(node, sg("holder"), sgd(holder.slug))
        self.quad(node, sg("target"), sgd(target.slug))
        self.quad(node, sg("stance"), sg(stance))
        self.quad(node, sg("stanceValue"), typed(value, "integer"))
        self.quad(node, sg("attribution"), sg(attribution))
        self.quad(node, f"<{PROV}wasDerivedFrom>", sgd(self.slug))
        if self.issued is not None and rng.random() < VALID_AT_SHARE:
            valid_at, precision = self.moment()
            self.quad(node, sg("validAt"), typed(_datetime(min(valid_at, self.issued)), "dateTime"))
            self.quad(node, sg("timePrecision"), literal(precision))
        self.quad(node, sg("hedged"), typed("true" if hedge else "false", "boolean"))
        if hedge:
            self.quad(node, sg("hedgeCue"), typed(hedge, "string"))
        if target.kind == "Concern" and (proposals := self.world.targets["ParticipationProposal"]):
            regarding = rng.choice(proposals)
            self.mention(regarding)
            self.quad(node, sg("regarding"), sgd(regarding.slug))
        quote = f"{holder.label} {hedge + ' ' if hedge else ''}{verb} {target.label}"
        for evidence_number in range(1, 3 if rng.random() < 0.15 else 2):
            self.evidence(f"{slug}-ev{evidence_number}", node, quote)

    def evidence(self, slug: str, position: str, quote: str) -> None:
        node, target, text_quote, text_position = (
            sgd(slug + suffix) for suffix in ("", "-target", "-quote", "-pos")
        )
        document = sgd(self.slug)
        start = self.place(quote)
        end = start + len(quote)
        self.quad(position, sg("evidence"), node)
        self.quad(node, RDF_TYPE, sg("Evidence"))
        self.quad(node, RDF_TYPE, f"<{OA}Annotation>")
        self.quad(node, f"<{PROV}wasDerivedFrom>", document)
        self.quad(node, f"<{OA}hasTarget>", target)
        self.quad(target, RDF_TYPE, f"<{OA}SpecificResource>")
        self.quad(target, f"<{OA}hasSource>", document)
        self.quad(target, f"<{OA}hasSelector>", text_quote)
        self.quad(target, f"<{OA}hasSelector>", text_position)
        self.quad(text_quote, RDF_TYPE, f"<{OA}TextQuoteSelector>")
        self.quad(text_quote, f"<{OA}exact>", typed(quote, "string"))
        self.quad(text_quote, f"<{OA}prefix>", typed(QUOTE_PREFIX, "string"))
        self.quad(text_quote, f"<{OA}suffix>", typed(QUOTE_SUFFIX, "string"))
        self.quad(text_position, RDF_TYPE, f"<{OA}TextPositionSelector>")
        self.quad(text_position, f"<{OA}start>", typed(start, "nonNegativeInteger"))
        self.quad(text_position, f"<{OA}end>", typed(end, "nonNegativeInteger"))


def ontology_quads() -> list[str]:
    """The ontology as N-Quads lines in its own named graph, so the data set is self-contained.

    The parser names blank nodes at random; they are renamed in order of appearance
    so that the output stays the same from run to run.
    """
    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    renamed: dict[str, ox.BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return renamed.setdefault(term.value, ox.BlankNode(f"ontology{len(renamed)}"))
        return term

    quads = [
        ox.Quad(stable(triple.subject), triple.predicate, stable(triple.object), graph)
        for triple in ox.parse(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE)
    ]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines(keepends=True)


def quads(triples: int, seed: int, *, include_ontology: bool = True) -> tuple[Iterator[list[str]], Manifest]:
    """Generate about ``triples`` quads with ``seed``: batches of N-Quads lines and the manifest.

    The manifest is filled in as the batches are consumed.

    >>> batches, manifest = quads(2000, seed=1, include_ontology=False)
    >>> sum(len(batch) for batch in batches) == manifest.triples
    True
    >>> 1900 <= manifest.triples <= 2100 and manifest.positions > 0
    True
    """
    rng = random.Random(seed)
    world = _World(rng, triples)
    manifest = Manifest(seed, triples, 0, 0, 0, [], [], {}, {})

    def batches() -> Iterator[list[str]]:
        if include_ontology:
            lines = ontology_quads()
            manifest.triples += len(lines)
            manifest.graphs += 1
            yield lines
        declared: set[str] = set()
        holders: set[str] = set()
        targets: set[str] = set()
        attributions, attribution_weights = _weighted(ATTRIBUTIONS)
        number = 0
        while manifest.triples < triples:
            slug = f"doc-{len(manifest.documents) + 1:06d}"
            writer = _DocumentWriter(world, declared, slug)
            if not manifest.documents:
                writer.quad(sgd("concerns"), RDF_TYPE, f"<{SKOS}ConceptScheme>")
                writer.quad(sgd("concerns"), RDFS_LABEL, english("Concerns in the synthetic corpus"))
            writer.document(len(manifest.documents) + 1)
            # A document discusses a few targets among a cast of stakeholders; near the end of
            # the budget it is cut short so the total lands close to the request.
            remaining_positions = max(1, (triples - manifest.triples) // TRIPLES_PER_POSITION)
            cast = world.pick_stakeholders(rng.randint(3, 8))
            topics = world.pick_targets(rng.randint(2, 5))
            voice = Entity(f"{slug}-voice", "AuthorialVoice", f"Authorial voice of {slug}")
            for _ in range(min(remaining_positions, rng.randint(2, 9))):
                if rng.random() < 0.1:
                    holder, attribution = voice, "authorial"
                else:
                    holder = rng.choice(cast)
                    attribution = rng.choices(attributions, cum_weights=attribution_weights)[0]
                target = rng.choice(topics)
                writer.position(number, holder, target, attribution)
                holders.add(holder.slug)
                targets.add(target.slug)
                number += 1
            writer.finish()
            for bystander in world.pick_stakeholders(1):  # mentioned, perhaps with no position at all
                writer.mention(bystander)
            manifest.triples += len(writer.lines)
            manifest.graphs += 1 + any(writer.inferred_graph in line for line in writer.lines)
            manifest.documents.append(slug)
            if voice.slug in declared:
                world.entities[voice.slug] = voice
            yield writer.lines
        manifest.positions = number
        manifest.holders = sorted(holders)
        for entity in world.entities.values():
            if entity.slug in declared and entity.kind not in TARGET_KIND_WEIGHTS:
                manifest.stakeholders.setdefault(entity.kind, []).append(entity.slug)
            elif entity.slug in targets:
                manifest.targets.setdefault(entity.kind, []).append(entity.slug)

    return batches(), manifest


def generate(path: Path, triples: int, seed: int, *, include_ontology: bool = True) -> Manifest:
    """Write about ``triples`` quads as N-Quads to ``path`` and its manifest beside it."""
    started = time.perf_counter()
    batches, manifest = quads(triples, seed, include_ontology=include_ontology)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for batch in batches:
            out.writelines(batch)
    manifest.seconds = round(time.perf_counter() - started, 3)
    manifest.save(path)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about how many quads to write")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the N-Quads file to write")
    parser.add_argument("--no-ontology", action="store_true", help="leave out the ontology graph")
    args = parser.parse_args(argv)
    manifest = generate(args.output, args.triples, args.seed, include_ontology=not args.no_ontology)
    print(
        f"{manifest.triples} quads in {manifest.graphs} graphs ({manifest.positions} positions, "
        f"{len(manifest.documents)} documents) written to {args.output} in {manifest.seconds} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
