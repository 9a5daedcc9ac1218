// The results table: sorted by a column when its header is clicked (again: the other way), filtered by the
// words of a text box. Rows are drawn once and only put in another order or left out, so a sort or a
// filter costs no request and keeps what the rows' buttons do.
//
// A cell is an RDF term as SPARQL's JSON results give it ({type, value, datatype}) or a plain JSON value
// (a named query's row). Sorting compares values, not their text: numbers as numbers, whether JSON numbers
// or numeric typed literals; dates and times as instants; false before true; the rest as text in the
// reader's collation, with runs of digits as numbers. Values of different kinds go numbers, booleans,
// dates, text; unbound cells go last whichever way a column is sorted.

import { el, show } from "./dom.js";

const NUMERIC = new Set([
  "integer", "decimal", "float", "double", "int", "long", "short", "byte", "nonNegativeInteger",
  "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
  "unsignedShort", "unsignedByte",
]);
const TEMPORAL = new Set(["date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth"]);
const SPECIAL_NUMBERS = { INF: Infinity, "-INF": -Infinity, "+INF": Infinity };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

const NUMBER = 0;
const BOOLEAN = 1;
const TIME = 2;
const TEXT = 3;

// The local name of an XML Schema datatype ("integer" for xsd:integer), or null for any other datatype.
function xsdName(datatype) {
  return /\/2001\/XMLSchema#(\w+)$/.exec(datatype || "")?.[1] ?? null;
}

// [kind, key] of a cell, or null for an unbound one: cells of one kind compare by key.
export function sortKey(cell) {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === "number") return [NUMBER, cell];
  if (typeof cell === "boolean") return [BOOLEAN, Number(cell)];
  if (typeof cell !== "object") return [TEXT, String(cell)];
  const { value } = cell;
  const datatype = xsdName(cell.datatype);
  if (NUMERIC.has(datatype)) {
    const number = Object.hasOwn(SPECIAL_NUMBERS, value) ? SPECIAL_NUMBERS[value] : Number(value);
    if (!Number.isNaN(number)) return [NUMBER, number];
  }
  if (datatype === "boolean") return [BOOLEAN, value === "true" || value === "1" ? 1 : 0];
  if (TEMPORAL.has(datatype)) {
    // Date.parse reads ISO 8601 but not a bare "Z" after a date: a date in UTC is that date's midnight.
    const instant = Date.parse(/^-?\d+-\d\d-\d\dZ$/.test(value) ? `${value.slice(0, -1)}T00:00:00Z` : value);
    if (!Number.isNaN(instant)) return [TIME, instant];
  }
  return [TEXT, String(value)];
}

function compareKeys(a, b) {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[0] === TEXT ? collator.compare(a[1], b[1]) : a[1] - b[1];
}

// Lower case, accents folded: "canadá" finds "Canada" and the other way round.
function folded(text) {
  return text.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
}

export class ResultsTable {
  // container: where the table goes; filter: the text box; shown: where "n of m rows" is written.
  constructor({ container, filter, shown }) {
    Object.assign(this, { container, filter, shown });
    this.rows = []; // { cells, element, text }, in the order the service answered
    this.sort = null; // { column, descending }
    filter.addEventListener("input", () => this.redraw());
  }

  // Show rows (objects from column name to cell) with renderCell(cell) -> <td>.
  show(columns, rows, renderCell) {
    this.columns = columns;
    this.sort = null;
    this.rows = rows.map((cells) => {
      const element = el("tr", {}, columns.map((column) => renderCell(cells[column])));
      return { cells, element, text: folded(element.textContent) };
    });
    this.headers = columns.map((column) =>
      el(
        "th",
        { "aria-sort": "none", dataset: { column } },
        el("button", { class: "sort", title: `Sort by ${column}`, onclick: () => this.sortBy(column) }, column),
      ),
    );
    this.body = el("tbody");
    show(this.container, el("table", { class: "results-table" }, el("thead", {}, el("tr", {}, this.headers)), this.body));
    this.filter.hidden = false;
    this.redraw();
  }

  // Anything else in the results area (a graph, a boolean, an error): no rows to sort or filter.
  clear(...children) {
    this.rows = [];
    this.body = null;
    this.filter.hidden = true;
    this.shown.textContent = "";
    show(this.container, ...children);
  }

  sortBy(column) {
    const descending = this.sort?.column === column ? !this.sort.descending : false;
    this.sort = { column, descending };
    for (const header of this.headers) {
      const sorted = header.dataset.column === column;
      header.setAttribute("aria-sort", sorted ? (descending ? "descending" : "ascending") : "none");
    }
    this.redraw();
  }

  // The rows the filter lets through, in the chosen order.
  visible() {
    const words = folded(this.filter.value).split(/\s+/).filter(Boolean);
    const rows = this.rows.filter((row) => words.every((word) => row.text.includes(word)));
    if (!this.sort) return rows;
    const { column, descending } = this.sort;
    const keyed = rows.map((row) => [sortKey(row.cells[column]), row]);
    keyed.sort(([a], [b]) => {
      if (a === null || b === null) return (a === null) - (b === null); // unbound last, either way
      return descending ? compareKeys(b, a) : compareKeys(a, b);
    });
    return keyed.map(([, row]) => row);
  }

  redraw() {
    if (!this.body) return;
    const rows = this.visible();
    this.body.replaceChildren(...rows.map((row) => row.element));
    const total = this.rows.length;
    this.shown.textContent = rows.length === total ? "" : `showing ${rows.length} of ${total}`;
  }
}
