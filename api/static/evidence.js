// Quotes in their source text, and stance badges: what the details panel and the trajectory both show.

import { el } from "./dom.js";
import { getJson, idOf } from "./http.js";
import { isConcern, signed, stanceColour } from "./stance.js";

const documents = new Map(); // document id -> Promise of the document (its text and evidence), fetched once

function sourceDocument(id) {
  if (!documents.has(id)) documents.set(id, getJson(`documents/${encodeURIComponent(id)}`));
  return documents.get(id);
}

// The paragraph of `text` around [start, end), with the quote marked. The offsets index the text as the
// service gives it; if the quote is not there (text changed since coding), fall back to the stored context.
function passage(text, evidence) {
  const { start, end, quote } = evidence;
  const [prefix, suffix] = [evidence.prefix ?? "", evidence.suffix ?? ""];
  if (text && text.slice(start, end) === quote) {
    const from = text.lastIndexOf("\n", start - 1) + 1;
    const newline = text.indexOf("\n", end);
    const to = newline < 0 ? text.length : newline;
    return [text.slice(from, start), el("mark", {}, quote), text.slice(end, to)];
  }
  return [`…${prefix}`, el("mark", {}, quote), `${suffix}…`];
}

// One quote in its passage, captioned with its document and offsets; `documentId` when the evidence
// does not name its document itself (a trajectory point names it once for all its quotes).
export async function evidenceBlock(evidence, documentId = null) {
  const id = evidence.document ? idOf(evidence.document) : documentId;
  let text = null;
  let title = id;
  if (id) {
    try {
      const source = await sourceDocument(id);
      text = source.text;
      title = source.title || id;
    } catch {
      // The passage falls back to the quote's stored prefix and suffix.
    }
  }
  return el(
    "figure",
    { class: "evidence" },
    el("blockquote", {}, passage(text, evidence)),
    el(
      "figcaption",
      {},
      id ? el("a", { href: `id/${encodeURIComponent(id)}` }, title) : "source unknown",
      `, characters ${evidence.start}–${evidence.end}`,
      evidence.garbled ? el("span", { class: "flag", title: evidence.note || "garbled in the source" }, " garbled") : null,
    ),
  );
}

export function stanceBadge(position, targetType = position.target?.type) {
  const colour = stanceColour(position.value, { stance: position.stance, targetType });
  // A concern's +1 raises the concern: the badge says so, lest it be read as "for".
  const raises = isConcern(position.stance, targetType) && Number(position.value) > 0;
  return el(
    "span",
    { class: "stance", style: `--stance:${colour}`, title: raises ? "raises concern" : null },
    `${position.stance} ${signed(position.value)}`,
    raises ? el("span", { class: "raises-concern" }, " · raises concern") : null,
  );
}
