// The details panel: one entity's positions (as holder, or as target) with each quote marked in its source text.

import { el, show } from "./dom.js";
import { getJson, idOf } from "./http.js";
import { STANCE_COLOURS } from "./network.js";

const documents = new Map(); // document id -> Promise of the document (its text and evidence), fetched once

function sourceDocument(id) {
  if (!documents.has(id)) documents.set(id, getJson(`documents/${encodeURIComponent(id)}`));
  return documents.get(id);
}

// The paragraph of `text` around [start, end), with the quote marked. The offsets index the text as the
// service gives it; if the quote is not there (text changed since coding), fall back to the stored context.
function passage(text, evidence) {
  const { start, end, quote, prefix = "", suffix = "" } = evidence;
  if (text && text.slice(start, end) === quote) {
    const from = text.lastIndexOf("\n", start - 1) + 1;
    const newline = text.indexOf("\n", end);
    const to = newline < 0 ? text.length : newline;
    return [text.slice(from, start), el("mark", {}, quote), text.slice(end, to)];
  }
  return [`…${prefix}`, el("mark", {}, quote), `${suffix}…`];
}

async function evidenceBlock(evidence) {
  const documentId = idOf(evidence.document);
  let text = null;
  let title = documentId;
  try {
    const source = await sourceDocument(documentId);
    text = source.text;
    title = source.title || documentId;
  } catch {
    // The passage falls back to the quote's stored prefix and suffix.
  }
  return el(
    "figure",
    { class: "evidence" },
    el("blockquote", {}, passage(text, evidence)),
    el(
      "figcaption",
      {},
      el("a", { href: `id/${encodeURIComponent(documentId)}` }, title),
      `, characters ${evidence.start}–${evidence.end}`,
      evidence.garbled ? el("span", { class: "flag", title: evidence.note || "garbled in the source" }, " garbled") : null,
    ),
  );
}

function stanceBadge(position) {
  const [colour] = STANCE_COLOURS.get(Math.max(-2, Math.min(2, position.value))) || STANCE_COLOURS.get(0);
  const value = position.value > 0 ? `+${position.value}` : String(position.value);
  return el("span", { class: "stance", style: `--stance:${colour}` }, `${position.stance} ${value}`);
}

async function positionCard(position, onSelect, side) {
  const other = side === "holder" ? position.target : position.holder;
  const facts = [
    position.attribution,
    position.hedged ? `hedged${position.hedgeCues?.length ? `: ${position.hedgeCues.join(", ")}` : ""}` : null,
    position.regarding ? `regarding ${position.regarding.label}` : null,
  ].filter(Boolean);
  const quotes = await Promise.all((position.evidence || []).map(evidenceBlock));
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

// Show entity `id`: the positions it takes (as holder) and those taken on it (as target).
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
    parts.length ? parts : el("p", { class: "status" }, "No positions recorded."),
  );
}
