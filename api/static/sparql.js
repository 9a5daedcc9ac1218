// The query panel: the named competency questions as examples, the editor, the results table, CSV download.
//
// What runs is what the editor shows. While it holds a named query's text unchanged, Run calls
// /queries/{name} with the parameters from the form (bound as RDF terms by the service); once edited,
// the text goes to /sparql as it stands.

import { el, message, show } from "./dom.js";
import { download, getJson, idOf, isEntity, request } from "./http.js";

const RESULT_TYPES = "application/sparql-results+json, text/turtle;q=0.9";
const ONTOLOGY_NAMESPACE = "https://w3id.org/stancegraph/ontology#";

export class QueryPanel {
  constructor({ editor, examples, info, description, parameters, status, results, csvButton, onSelect }) {
    Object.assign(this, { editor, examples, info, description, parameters, status, results, csvButton, onSelect });
    this.example = null; // { query, text }: the named query whose text the editor holds
    this.lastRequest = null; // { url, init, name }: what the CSV button asks again, as CSV
    csvButton.addEventListener("click", () => this.downloadCsv());
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
    this.csvButton.disabled = true;
    message(this.status, "Running…");
    try {
      if (this.example) await this.runNamed(this.example.query);
      else await this.runSparql(this.editor.text);
    } catch (error) {
      show(this.results);
      message(this.status, error.message, "error");
    }
  }

  async runNamed(query) {
    const values = Object.fromEntries(new FormData(this.parameters));
    const params = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ""));
    const url = `queries/${encodeURIComponent(query.name)}${params.toString() ? `?${params}` : ""}`;
    const init = { headers: { Accept: "application/json" } };
    const body = await (await request(url, init)).json();
    this.table(body.columns, body.rows);
    this.lastRequest = { url, init, name: query.name };
    this.csvButton.disabled = false;
    message(this.status, `${body.rows.length} row${body.rows.length === 1 ? "" : "s"} from the named query “${query.name}”.`);
  }

  async runSparql(text) {
    const init = { method: "POST", headers: { "Content-Type": "application/sparql-query", Accept: RESULT_TYPES }, body: text };
    const response = await request("sparql", init);
    const type = response.headers.get("Content-Type") || "";
    const truncated = response.headers.get("X-Result-Truncated") === "true" ? " (cut at the service's row limit)" : "";
    if (!type.includes("json")) {
      const turtle = await response.text();
      show(this.results, el("pre", { class: "graph-result" }, turtle));
      this.lastRequest = { url: "sparql", init, name: "graph", accept: type.split(";")[0] };
      this.csvButton.disabled = true;
      message(this.status, `A graph${truncated}.`);
      return;
    }
    const body = await response.json();
    if ("boolean" in body) {
      show(this.results, el("p", { class: "boolean" }, body.boolean ? "yes (true)" : "no (false)"));
      message(this.status, "An ASK query.");
      return;
    }
    const columns = body.head.vars;
    const rows = body.results.bindings.map((binding) =>
      Object.fromEntries(Object.entries(binding).map(([name, term]) => [name, term.value])),
    );
    this.table(columns, rows);
    this.lastRequest = { url: "sparql", init, name: "query" };
    this.csvButton.disabled = false;
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

  table(columns, rows) {
    show(
      this.results,
      el(
        "table",
        { class: "results-table" },
        el("thead", {}, el("tr", {}, columns.map((column) => el("th", {}, column)))),
        el("tbody", {}, rows.map((row) => el("tr", {}, columns.map((column) => this.cell(row[column]))))),
      ),
    );
  }

  // Ask the same request again for CSV, so that the file holds what the service serializes.
  async downloadCsv() {
    if (!this.lastRequest) return;
    const { url, init, name } = this.lastRequest;
    const response = await request(url, { ...init, headers: { ...init.headers, Accept: "text/csv" } });
    await download(response, `${name}.csv`);
  }
}
