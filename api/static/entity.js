// The details panel: one entity's positions (as holder, or as target) with each quote marked in its source text.

import { el, show } from "./dom.js";
import { evidenceBlock, stanceBadge } from "./evidence.js";
import { getJson, idOf } from "./http.js";
import { trajectorySection } from "./trajectory.js";

async function positionCard(position, onSelect, side) {
  const other = side === "holder" ? position.target : position.holder;
  const facts = [
    position.attribution,
    position.hedged ? `hedged${position.hedgeCues?.length ? `: ${position.hedgeCues.join(", ")}` : ""}` : null,
    position.regarding ? `regarding ${position.regarding.label}` : null,
  ].filter(Boolean);
  const quotes = await Promise.all((position.evidence || []).map((evidence) => evidenceBlock(evidence)));
  return el(
    "article",
    { class: "position", dataset: { position: position.id } },
    el(
      "h3",
      {},
      stanceBadge(position),
      " ",
      el("button", { class: "link", onclick: () => onSelect(idOf(other.id)) }, other.label),
    ),
    el("p", { class: "facts" }, facts.join(" · ")),
    quotes,
  );
}

function exports(id) {
  const focus = encodeURIComponent(id);
  return el(
    "div",
    { class: "exports" },
    el("a", { class: "button", href: `subgraph?focus=${focus}&format=turtle`, download: true }, "Turtle"),
    el("a", { class: "button", href: `subgraph?focus=${focus}&format=graphml`, download: true }, "GraphML"),
    el("a", { class: "button", href: `id/${focus}`, target: "_blank" }, "Description"),
  );
}

function positionsSection(title, positions, onSelect, side) {
  if (!positions.length) return [];
  return [
    el("h3", { class: "positions-title" }, `${title} (${positions.length})`),
    Promise.all(positions.map((position) => positionCard(position, onSelect, side))),
  ];
}

// Show entity `id`: the positions it takes (as holder) and those taken on it (as target); for a holder,
// its trajectory on one of its targets.
export async function showEntity(panel, id, { label, onSelect }) {
  show(panel, el("p", { class: "status" }, `Loading ${label || id}…`));
  const [held, taken] = await Promise.all([
    getJson("positions", { holder: id, limit: 1000 }),
    getJson("positions", { target: id, limit: 1000 }),
  ]);
  const summary = held.items[0]?.holder || taken.items[0]?.target || { id, label: label || id };
  const sections = [
    ...positionsSection("Positions it takes", held.items, onSelect, "holder"),
    ...positionsSection("Positions taken on it", taken.items, onSelect, "target"),
  ];
  const parts = await Promise.all(sections);
  show(
    panel,
    el(
      "header",
      { class: "entity-head" },
      el("h2", {}, summary.label),
      el("p", { class: "entity-type" }, [summary.type, ...(summary.aliases || [])].filter(Boolean).join(" · ")),
      exports(id),
    ),
    held.items.length ? trajectorySection(id, summary.label, held.items) : null,
    parts.length ? parts : el("p", { class: "status" }, "No positions recorded."),
  );
}
