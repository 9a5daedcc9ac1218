// The review queue of one document beside its text, and the inter-coder agreement report.
//
// Suggestions are never shown as coded positions: they are listed here, marked "suggested", each with
// its quote, the rule (or model) that proposed it and its flags; a reviewer accepts it (optionally with
// another stance), or rejects it with a reason. `headers()` gives the coder's Authorization header (the
// coding page's CoderSession.headers); `onChange()` runs after each review, to reload the coded positions.

import { el, message, show } from "./dom.js";
import { errorText } from "./coding-errors.js";
import { getJson, request } from "./http.js";

// When the page has not read the ontology's stances (loadVocabulary in coding-registry.js): its defaults.
const DEFAULT_STANCES = [
  { name: "supports", value: 2 }, { name: "recommends", value: 2 }, { name: "proposes", value: 2 },
  { name: "optimistic", value: 1 }, { name: "concerned", value: 1 }, { name: "considers", value: 0 },
  { name: "assesses", value: 0 }, { name: "monitors", value: 0 }, { name: "mixed", value: 0 },
  { name: "framesAs", value: 0 }, { name: "opposes", value: -2 },
];

async function post(path, headers, body) {
  const init = { method: "POST", headers: { Accept: "application/json", "Content-Type": "application/json", ...headers } };
  return (await request(path, { ...init, body: JSON.stringify(body ?? {}) })).json();
}

export class SuggestionQueue {
  constructor(container, { document, headers = () => ({}), onChange = () => {}, stances = DEFAULT_STANCES }) {
    this.container = container;
    this.stances = stances;
    this.document = document;
    this.headers = headers;
    this.onChange = onChange;
    this.status = el("p", { class: "hint", id: "suggestions-status", "aria-live": "polite" });
    this.list = el("ol", { class: "suggestions", id: "suggestions-list" });
    const run = el("button", { type: "button", id: "suggestions-run", onclick: () => this.run() }, "Suggest positions");
    show(container, el("h3", {}, "Suggested positions (not coded)"), run, this.status, this.list);
  }

  // Run the rule-based suggester on the document and show the queue.
  async run() {
    try {
      const answer = await post(`documents/${this.document}/suggestions`, this.headers(), { backend: "rules" });
      message(this.status, `${answer.added.length} new suggestions (${answer.agent.name} ${answer.agent.version}).`);
      this.render(answer.suggestions);
    } catch (error) {
      message(this.status, `Cannot suggest: ${errorText(error)}`, "error");
    }
  }

  async refresh() {
    const answer = await getJson(`documents/${this.document}/suggestions`);
    this.render(answer.suggestions);
  }

  render(suggestions) {
    show(this.list, suggestions.map((suggestion) => this.item(suggestion)));
  }

  item(suggestion) {
    const stance = el("select", { "aria-label": "Stance when accepted", class: "suggestion-stance" },
      this.stances.map(({ name }) => el("option", { value: name, selected: name === suggestion.stance }, name)));
    const reason = el("input", { type: "text", "aria-label": "Reason to reject", class: "suggestion-reason", placeholder: "why not" });
    const problem = el("p", { class: "hint suggestion-problem", "aria-live": "polite" });
    const pending = suggestion.status === "pending";
    const review = async (action) => {
      try {
        await action();
        this.onChange();
        await this.refresh();
      } catch (error) {
        message(problem, errorText(error), "error");
      }
    };
    const accept = () => review(() => {
      const edits = stance.value === suggestion.stance ? {} : { stance: stance.value, value: this.stances.find(({ name }) => name === stance.value).value };
      return post(`suggestions/${suggestion.id}/accept`, this.headers(), { edits });
    });
    const reject = () => review(() => post(`suggestions/${suggestion.id}/reject`, this.headers(), { reason: reason.value }));
    return el(
      "li",
      { class: `suggestion suggestion-${suggestion.status}`, dataset: { suggestion: suggestion.id, status: suggestion.status } },
      el("q", { class: "suggestion-quote", dataset: { start: suggestion.start, end: suggestion.end } }, suggestion.quote),
      el("p", {},
        el("strong", {}, `${suggestion.holder ?? "?"} → ${suggestion.target ?? "?"}`),
        ` ${suggestion.stance} (${suggestion.attribution})`,
        suggestion.hedges.length ? `, hedged: ${suggestion.hedges.join(", ")}` : "",
        el("span", { class: "hint" }, ` suggested by ${suggestion.generatedBy ?? "?"}, rule ${suggestion.rule}`),
        suggestion.flags.length ? el("span", { class: "suggestion-flags" }, ` flagged: ${suggestion.flags.join(", ")}`) : ""),
      pending
        ? el("div", { class: "suggestion-actions" },
          stance, el("button", { type: "button", class: "suggestion-accept", onclick: accept }, "Accept"),
          reason, el("button", { type: "button", class: "suggestion-reject", onclick: reject }, "Reject"))
        : el("p", { class: "hint" }, `${suggestion.status} by ${suggestion.reviewer}${suggestion.reason ? `: ${suggestion.reason}` : ""}`),
      problem,
    );
  }
}

// The agreement report of /agreement: alpha per variable, the units, the disagreements side by side.
export function renderAgreement(container, report) {
  const alphas = Object.entries(report.alpha).map(([variable, alpha]) =>
    el("tr", {}, el("th", {}, variable), el("td", {}, alpha.level),
      el("td", {}, alpha.alpha === null ? `undefined (${alpha.note})` : alpha.alpha.toFixed(3)), el("td", {}, String(alpha.pairable_units))));
  const disagreements = report.disagreements.map((item) =>
    el("tr", {}, el("td", {}, item.differs.join(", ")),
      report.coders.map((coder) => {
        const position = item.positions[coder];
        return el("td", {}, position
          ? [`${position.holder} → ${position.target}: ${position.stance} (${position.attribution})`,
            position.spans.map((span) => el("q", { dataset: { start: span.start, end: span.end } }, span.quote))]
          : "not coded");
      })));
  show(container,
    el("h3", {}, `Agreement of ${report.coders.join(", ")}`),
    el("table", { class: "agreement-alpha" }, el("tr", {}, el("th", {}, "variable"), el("th", {}, "level"), el("th", {}, "Krippendorff's alpha"), el("th", {}, "pairable units")), alphas),
    el("p", {}, `${report.units.units} units, ${report.units.shared} coded by every coder`),
    el("table", { class: "agreement-disagreements" }, el("tr", {}, el("th", {}, "differs in"), report.coders.map((coder) => el("th", {}, coder))), disagreements));
}
