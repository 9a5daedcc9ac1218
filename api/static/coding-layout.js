// The Code view's layout: its controls (each labelled, so that assistive technology and the browser
// tests find them by name), the legend of the text's colours, and the list of a document's positions.

import { el, show } from "./dom.js";
import { stanceBadge } from "./evidence.js";
import { CONCERN_COLOUR, CONCERN_LEGEND, STANCE_COLOURS } from "./stance.js";

// The legend of the text's colours: stance values, and a concern's own colour.
export function legend(container) {
  show(
    container,
    [...STANCE_COLOURS.values()].map(([colour, text]) =>
      el("span", { class: "legend-item" }, el("span", { class: "swatch", style: `background:${colour}` }), text),
    ),
    el(
      "span",
      { class: "legend-item concern-legend" },
      el("span", { class: "swatch", style: `background:${CONCERN_COLOUR}` }),
      CONCERN_LEGEND,
    ),
    el("span", { class: "legend-item" }, el("span", { class: "swatch term-swatch" }), "regular-expression match"),
  );
}

export function layout() {
  return [
    el(
      "div",
      { class: "card-head" },
      el("h2", { id: "coding-title" }, "Code a document"),
      el("div", { class: "tools", id: "coding-session" }),
    ),
    el(
      "div",
      { class: "coding-bar", id: "coding-bar" },
      el("label", {}, "Document ", el("select", { id: "coding-document", "aria-label": "Document to code" })),
      el("button", { type: "button", id: "coding-add-document" }, "New document…"),
      el("button", { type: "button", id: "coding-add-entity" }, "New entity…"),
      el(
        "label",
        {},
        "Highlight ",
        el("input", {
          id: "coding-regex",
          type: "search",
          placeholder: "regular expression",
          autocomplete: "off",
          "aria-label": "Highlight terms (regular expression)",
        }),
      ),
      el("span", { id: "coding-regex-status", class: "hint", "aria-live": "polite" }),
      el(
        "label",
        {},
        "Coder ",
        el("input", {
          id: "coding-coder-filter",
          type: "search",
          list: "coding-coders",
          autocomplete: "off",
          "aria-label": "Filter by coder",
        }),
      ),
      el("datalist", { id: "coding-coders" }),
    ),
    el("div", { class: "legend", id: "coding-legend", "aria-label": "Text colours: stance value" }),
    el("p", { class: "status notice", id: "coding-store-note", hidden: true }),
    el("p", { class: "status", id: "coding-status", "aria-live": "polite" }, "Choose a document to code."),
    el(
      "div",
      { class: "coding-body" },
      el("div", { id: "coding-text", class: "coding-text", "aria-label": "Text of the document" }),
      el(
        "div",
        { id: "coding-side", class: "coding-side" },
        el("div", { id: "coding-history", class: "coding-history", "aria-labelledby": "coding-history-title" }),
        el("h3", {}, "Positions in this document"),
        el("p", { id: "coding-count", class: "hint" }),
        el(
          "p",
          { class: "hint" },
          "Select text (or Shift+arrows, then Enter) to code a position; Shift+Enter adds the selection to the open position's quotes; Alt+↓ and Alt+↑ move between positions.",
        ),
        el("ul", { id: "coding-positions", class: "coding-positions" }),
        el("div", { id: "coding-suggestions", class: "coding-suggestions" }),
        el("div", { id: "coding-agreement", class: "coding-agreement" }),
      ),
    ),
  ];
}

// The positions as buttons, in the text's order: a keyboard's way to each (`onOpen(id)`).
export function positionList(positions, coderOf, onOpen) {
  return positions.map((position) =>
    el(
      "li",
      {},
      el(
        "button",
        {
          type: "button",
          class: "coding-position",
          dataset: { position: position.id },
          "aria-label": `Position ${position.id}`,
          onclick: () => onOpen(position.id),
        },
        stanceBadge(position),
        ` ${position.holder?.label} → ${position.target?.label}`,
        coderOf(position) ? el("small", {}, ` · ${coderOf(position)}`) : null,
      ),
    ),
  );
}
