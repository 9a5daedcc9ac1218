// The query panel: the named competency questions as examples, the editor, the results (a table that sorts
// and filters, a graph, or a yes/no) and their downloads.
//
// What runs is what the editor shows. While it holds a named query's text unchanged, Run calls
// /queries/{name} with the parameters from the form (bound as RDF terms by the service); once edited,
// the text goes to /sparql as it stands, and a syntax error the service finds is marked in the editor.

import { el, message, show } from "./dom.js";
import { Downloads, GRAPH_FORMATS, rowFormats } from "./downloads.js";
import { RequestError, getJson, idOf, isEntity, request } from "./http.js";
import { ResultsTable } from "./results-table.js";

const RESULT_TYPES = "application/sparql-results+json, text/turtle;q=0.9";
const ONTOLOGY_NAMESPACE = "https://w3id.org/stancegraph/ontology#";

export class QueryPanel {
  constructor({ editor, examples, info, description, parameters, status, results, filter, shown, downloads, onSelect }) {
    Object.assign(this, { editor, examples, info, description, parameters, status, onSelect });
    this.example = null; // { query, text }: the named query whose text the editor holds
    this.table = new ResultsTable({ container: results, filter, shown });
    this.downloads = new Downloads({
      container: downloads,
      onError: (error) => message(this.status, `The download failed: ${error.message}`, "error"),
    });
  }

  async loadExamples() {
    const listed = await getJson("queries");
    const queries = Array.isArray(listed) ? listed : listed.items;
    show(
      this.examples,
      queries.map((query) =>
        el(
          "li",
          {},
          el(
            "button",
            { class: "example", title: query.name, dataset: { name: query.name }, onclick: () => this.choose(query) },
            query.summary || query.name,
          ),
        ),
      ),
    );
    return queries;
  }

  async choose(query) {
    const text = await (await request(`examples/${encodeURIComponent(query.name)}.rq`)).text();
    for (const button of this.examples.querySelectorAll("button")) {
      button.classList.toggle("chosen", button.dataset.name === query.name);
    }
    this.editor.text = text;
    this.example = { query, text };
    this.description.textContent = query.description || query.summary || "";
    show(this.parameters, (query.parameters || []).map((parameter) => this.parameterField(parameter)));
    this.info.hidden = false;
    message(this.status, `“${query.name}” loaded: Run asks /queries/${query.name}; edit the text to run your own SPARQL.`);
  }

  parameterField(parameter) {
    return el(
      "label",
      { title: parameter.description || "" },
      `${parameter.name} `,
      el("small", {}, `${parameter.type}${parameter.required && parameter.default == null ? ", required" : ""}`),
      el("input", {
        name: parameter.name,
        value: parameter.default ?? "",
        placeholder: parameter.type === "id" ? "an id, e.g. canada" : parameter.type,
        required: parameter.required && parameter.default == null,
      }),
    );
  }

  // The editor was changed by hand: from now on Run sends its text to /sparql.
  edited() {
    if (this.example && this.editor.text !== this.example.text) {
      this.example = null;
      this.info.hidden = true;
      for (const button of this.examples.querySelectorAll("button.chosen")) button.classList.remove("chosen");
    }
  }

  async run() {
    this.downloads.offer(null, []);
    this.editor.clearErrors();
    message(this.status, "Running…");
    const named = Boolean(this.example);
    try {
      if (named) await this.runNamed(this.example.query);
      else await this.runSparql(this.editor.text);
    } catch (error) {
      this.table.clear();
      // The service's position is in the text it was sent, which is the editor's only for /sparql.
      const { line, column } = error instanceof RequestError ? error.body : {};
      if (!named && Number.isInteger(line)) {
        this.editor.markError(line, column, error.message);
        const where = Number.isInteger(column) ? `line ${line}, column ${column}` : `line ${line}`;
        message(this.status, `Syntax error at ${where}: ${error.message}`, "error");
      } else {
        message(this.status, error.message, "error");
      }
    }
  }

  async runNamed(query) {
    const values = Object.fromEntries(new FormData(this.parameters));
    const params = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ""));
    const url = `queries/${encodeURIComponent(query.name)}${params.toString() ? `?${params}` : ""}`;
    const init = { headers: { Accept: "application/json" } };
    const body = await (await request(url, init)).json();
    this.table.show(body.columns, body.rows, (value) => this.cell(value));
    this.downloads.offer({ url, init, name: query.name }, rowFormats("application/json"));
    message(this.status, `${body.rows.length} row${body.rows.length === 1 ? "" : "s"} from the named query “${query.name}”.`);
  }

  async runSparql(text) {
    const init = { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: RESULT_TYPES }, body: text };
    const response = await request("sparql", init);
    const type = response.headers.get("Content-Type") || "";
    const truncated = response.headers.get("X-Result-Truncated") === "true" ? " (cut at the service's row limit)" : "";
    if (!type.includes("json")) {
      const turtle = await response.text();
      this.table.clear(el("pre", { class: "graph-result" }, turtle));
      this.downloads.offer({ url: "sparql", init, name: "graph" }, GRAPH_FORMATS);
      message(this.status, `A graph${truncated}.`);
      return;
    }
    const body = await response.json();
    if ("boolean" in body) {
      this.table.clear(el("p", { class: "boolean" }, body.boolean ? "yes (true)" : "no (false)"));
      message(this.status, "An ASK query.");
      return;
    }
    const rows = body.results.bindings; // each cell a term: its datatype decides how the column sorts
    this.table.show(body.head.vars, rows, (term) => this.cell(term?.type === "bnode" ? `_:${term.value}` : term?.value));
    this.downloads.offer({ url: "sparql", init, name: "query" }, rowFormats("application/sparql-results+json"));
    message(this.status, `${rows.length} row${rows.length === 1 ? "" : "s"} from /sparql${truncated}.`);
  }

  cell(value) {
    if (value === null || value === undefined) return el("td", { class: "unbound" });
    if (isEntity(value)) {
      const id = idOf(value);
      return el("td", {}, el("button", { class: "link", title: value, onclick: () => this.onSelect(id) }, id));
    }
    if (typeof value === "string" && value.startsWith(ONTOLOGY_NAMESPACE)) {
      const term = value.slice(ONTOLOGY_NAMESPACE.length);
      return el("td", {}, el("a", { href: `ontology#${term}`, title: value, target: "_blank" }, `sg:${term}`));
    }
    const text = String(value);
    return el("td", { class: text.length > 60 ? "long" : null }, text);
  }
}
