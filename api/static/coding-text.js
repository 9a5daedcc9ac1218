// The text being coded: the source text as it is stored, the coded spans marked in their stance colour,
// the terms of a regular expression marked too, and a span selected with the mouse (or with Shift and
// the arrow keys, then Enter) read back as its quote, prefix, suffix and UTF-16 offsets.
//
// The text is a contenteditable that refuses every edit: that gives the keyboard a caret to select with,
// which plain text lacks. Its text nodes, in order, are exactly the source text: offsets are sums of their
// lengths (UTF-16 units, what the API takes with offsets=utf16).

import { el, show } from "./dom.js";

const CONTEXT = 32; // characters of prefix and suffix, as the build stores them
const MAX_TERMS = 5000; // regular-expression matches marked, at most: a pattern like "." stops there

// UTF-16 offsets of the code point offsets the service gives, for marking stored spans in this text. Only
// texts with characters outside the BMP differ; for them a table is made once.
export function utf16Index(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (codePoints) => codePoints;
  const units = [0];
  for (const character of text) units.push(units[units.length - 1] + character.length);
  return (codePoints) => units[Math.min(codePoints, units.length - 1)];
}

// The text as pieces that no span boundary cuts: each with the coded spans over it and whether a term is.
// Terms come sorted and apart (matchAll's), so one pointer finds the term over each piece.
function pieces(length, coded, terms) {
  const cuts = new Set([0, length]);
  for (const span of [...coded, ...terms]) {
    cuts.add(Math.max(0, Math.min(length, span.start)));
    cuts.add(Math.max(0, Math.min(length, span.end)));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  let next = 0;
  return sorted.slice(1).map((end, index) => {
    const start = sorted[index];
    while (next < terms.length && terms[next].end <= start) next += 1;
    const term = next < terms.length && terms[next].start <= start && end <= terms[next].end;
    return { start, end, term, spans: coded.filter((span) => span.start <= start && end <= span.end) };
  });
}

export class CodingText {
  // `onSelect(span, adding)` when a span is selected (`adding` to the open position's quotes: Shift+Enter);
  // `onOpen(id)` when a coded span is clicked.
  constructor(root, { onSelect, onOpen }) {
    Object.assign(this, { root, onSelect, onOpen });
    this.text = "";
    this.coded = [];
    this.pattern = null;
    this.terms = [];
    root.setAttribute("contenteditable", "true");
    root.setAttribute("spellcheck", "false");
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-readonly", "true");
    root.setAttribute("aria-multiline", "true");
    for (const refused of ["beforeinput", "paste", "cut", "drop", "dragstart"]) {
      root.addEventListener(refused, (event) => event.preventDefault());
    }
    // The selection is read once the browser has settled it after the button is released (a click in a
    // selection collapses it then), unless a key came first: the keyboard is selecting by then.
    let gesture = 0;
    root.addEventListener("mouseup", () => {
      const mine = ++gesture;
      setTimeout(() => mine === gesture && this.selected(false), 0);
    });
    // Enter codes the selected span as a new position; Shift+Enter adds it to the open position's quotes.
    root.addEventListener("keydown", (event) => {
      gesture += 1;
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.selected(event.shiftKey);
      }
    });
    root.addEventListener("click", (event) => {
      const mark = event.target.closest("mark[data-positions]");
      if (mark && window.getSelection().isCollapsed) this.onOpen(mark.dataset.positions.split(" ")[0]);
    });
  }

  // Show `text` with `coded` spans: [{id, start, end (UTF-16), colour, title}].
  show(text, coded) {
    this.text = text;
    this.coded = [...coded].sort((a, b) => a.start - b.start || b.end - a.end);
    this.render();
  }

  // Mark what `pattern` (a RegExp with the g flag, or null for nothing) matches; the number of matches.
  highlight(pattern) {
    this.pattern = pattern;
    this.render();
    return this.terms.length;
  }

  matches() {
    const terms = [];
    if (!this.pattern) return terms;
    for (const match of this.text.matchAll(this.pattern)) {
      if (!match[0].length) continue;
      terms.push({ start: match.index, end: match.index + match[0].length });
      if (terms.length >= MAX_TERMS) break;
    }
    return terms;
  }

  render() {
    this.terms = this.matches();
    show(
      this.root,
      pieces(this.text.length, this.coded, this.terms).map(({ start, end, term, spans }) => {
        const piece = this.text.slice(start, end);
        if (!spans.length && !term) return document.createTextNode(piece);
        const inner = spans[spans.length - 1]; // the latest starting span gives its colour
        return el(
          "mark",
          {
            class: [spans.length ? "coded" : null, term ? "term" : null].filter(Boolean).join(" "),
            style: inner ? `--stance:${inner.colour}` : null,
            title: spans.map((span) => span.title).join("\n") || null,
            dataset: spans.length ? { positions: spans.map((span) => span.id).join(" ") } : undefined,
          },
          piece,
        );
      }),
    );
    if (this.current) this.reveal(this.current, false);
  }

  // Mark the spans of position `id` as the one open; scroll the first into view when `scroll`.
  reveal(id, scroll = true) {
    this.current = id;
    let first = null;
    for (const mark of this.root.querySelectorAll("mark[data-positions]")) {
      const open = id !== null && mark.dataset.positions.split(" ").includes(id);
      mark.classList.toggle("open", open);
      first = first || (open ? mark : null);
    }
    if (first && scroll) first.scrollIntoView({ block: "nearest" });
  }

  // The UTF-16 offset in the text of a point of the selection (a node and an offset in it).
  offsetOf(node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      // A point between children: the text before the child it precedes.
      const range = document.createRange();
      range.selectNodeContents(this.root);
      range.setEnd(node, offset);
      return range.toString().length;
    }
    const walker = document.createTreeWalker(this.root, NodeFilter.SHOW_TEXT);
    let total = 0;
    while (walker.nextNode()) {
      if (walker.currentNode === node) return total + offset;
      total += walker.currentNode.length;
    }
    return total;
  }

  // The selected span, its white space at either end left out, or null when nothing of the text is.
  selection() {
    const chosen = window.getSelection();
    if (!chosen.rangeCount || chosen.isCollapsed) return null;
    const range = chosen.getRangeAt(0);
    if (!this.root.contains(range.startContainer) || !this.root.contains(range.endContainer)) return null;
    let start = this.offsetOf(range.startContainer, range.startOffset);
    let end = this.offsetOf(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(this.text[start])) start += 1;
    while (end > start && /\s/.test(this.text[end - 1])) end -= 1;
    if (start === end) return null;
    return {
      quote: this.text.slice(start, end),
      start,
      end,
      prefix: this.text.slice(Math.max(0, start - CONTEXT), start),
      suffix: this.text.slice(end, end + CONTEXT),
    };
  }

  selected(adding) {
    const span = this.selection();
    if (span) this.onSelect(span, adding);
  }
}
