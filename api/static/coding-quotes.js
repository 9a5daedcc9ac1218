// A position's quotes as the form shows them: each in its context with its offsets, its hedge words
// marked, and those words offered as the position's hedge cues.

import { el } from "./dom.js";

// Words that commonly hedge a claim: found in a quote, they are offered as its hedge cues.
const HEDGE_WORDS = [
  "reportedly", "allegedly", "could", "may", "might", "would", "perhaps", "possibly", "potentially", "probably",
  "likely", "expected", "suggest", "suggests", "appear", "appears", "seem", "seems",
]; // prettier-ignore
const HEDGE_PATTERN = new RegExp(`\\b(${HEDGE_WORDS.join("|")})\\b`, "gi");

// A quote with its hedge words marked.
function marked(quote) {
  const parts = [];
  let last = 0;
  for (const match of quote.matchAll(HEDGE_PATTERN)) {
    parts.push(quote.slice(last, match.index));
    parts.push(el("mark", { class: "hedge", title: "a hedge word: add it as a cue?" }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(quote.slice(last));
  return parts.filter(Boolean);
}

// The quotes [{quote, prefix, suffix, start, end}], each with a button calling `onRemove(index)` when
// there is more than one.
export function quoteFigures(evidence, onRemove) {
  return evidence.map((span, index) =>
    el(
      "figure",
      { class: "coding-quote" },
      el(
        "blockquote",
        {},
        el("span", { class: "context" }, span.prefix ? `…${span.prefix}` : ""),
        el("q", {}, marked(span.quote)),
        el("span", { class: "context" }, span.suffix ? `${span.suffix}…` : ""),
      ),
      el(
        "figcaption",
        {},
        `characters ${span.start}–${span.end} (UTF-16) `,
        evidence.length > 1
          ? el(
              "button",
              { type: "button", class: "link", "aria-label": `Remove quote ${index + 1}`, onclick: () => onRemove(index) },
              "remove",
            )
          : null,
      ),
    ),
  );
}

// Buttons adding each hedge word of the quotes not among the cues `typed` yet (`onAdd(cue)`).
export function hedgeSuggestions(evidence, typed, onAdd) {
  const known = new Set(typed.map((cue) => cue.toLowerCase()));
  const found = new Set(evidence.flatMap((span) => [...span.quote.matchAll(HEDGE_PATTERN)].map((match) => match[0])));
  const offered = [...found].filter((cue) => !known.has(cue.toLowerCase()));
  if (!offered.length) return [];
  return [
    "Hedge words in the quotes: ",
    offered.map((cue) =>
      el(
        "button",
        { type: "button", class: "hedge-suggestion", "aria-label": `Add hedge cue ${cue}`, onclick: () => onAdd(cue) },
        `+ ${cue}`,
      ),
    ),
  ];
}
