// The position form: the quotes taken from the text, holder and target picked from the registry by
// type-ahead (a datalist of ids and labels), stance, value, attribution, hedge cues (the hedge words of
// the quotes offered), what it regards, a note and the reason for the change. A refusal of the service
// is shown next to the field it names.

import { el, message, show } from "./dom.js";
import { errorText, fieldProblems } from "./coding-errors.js";
import { hedgeSuggestions, quoteFigures } from "./coding-quotes.js";

// The fields: name, label, and the control's element and attributes.
const FIELDS = [
  ["holder", "Holder", "input", { list: "coding-holders" }],
  ["target", "Target", "input", { list: "coding-targets" }],
  ["stance", "Stance", "select", {}],
  ["value", "Value", "input", { type: "number", min: -2, max: 2, step: 1 }],
  ["attribution", "Attribution", "select", {}],
  ["hedges", "Hedge cues", "input", { placeholder: "comma-separated" }],
  ["regarding", "Regarding", "input", { list: "coding-targets", placeholder: "optional" }],
  ["note", "Note", "textarea", { rows: 2 }],
  ["reason", "Reason for the change", "input", {}],
];
const NAMES = [...FIELDS.map(([name]) => name), "evidence"];

const list = (text) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
const signedValue = (value) => `${value > 0 ? "+" : ""}${value}`;

export class PositionForm {
  // `onSave()` and `onCancel()` when asked to (button or Ctrl+Enter, Escape); `onRetract()` for an open position.
  constructor(container, { vocabulary, onSave, onCancel, onRetract }) {
    this.evidence = [];
    this.defaults = new Map(vocabulary.stances.map(({ name, value }) => [name, value]));
    this.controls = {};
    const rows = FIELDS.map(([name, label, tag, attributes]) => {
      const id = `coding-${name}`;
      const control = el(tag, { id, name, autocomplete: "off", "aria-describedby": `${id}-error`, ...attributes });
      this.controls[name] = control;
      const error = el("span", { class: "field-error", id: `${id}-error`, role: "alert" });
      return el("div", { class: "coding-field" }, el("label", { for: id }, label), control, error);
    });
    const { stance, value, attribution, hedges } = this.controls;
    show(
      stance,
      vocabulary.stances.map(({ name, value: standard }) => el("option", { value: name }, `${name} (${signedValue(standard)})`)),
    );
    show(
      attribution,
      vocabulary.attributions.map((name) => el("option", { value: name }, name)),
    );
    stance.addEventListener("change", () => (value.placeholder = `default ${signedValue(this.defaults.get(stance.value) ?? 0)}`));
    hedges.addEventListener("input", () => this.showQuotes());
    this.quotes = el("div", { id: "coding-quotes", class: "coding-quotes", "aria-label": "Quotes of the position" });
    this.suggestions = el("p", {
      id: "coding-suggestions",
      class: "coding-suggestions",
      "aria-label": "Hedge cues found in the quotes",
    });
    this.status = el("p", { id: "coding-form-status", class: "status", role: "status", "aria-live": "polite" });
    this.title = el("h3", { id: "coding-form-title" }, "New position");
    this.retract = el("button", { type: "button", id: "coding-retract", onclick: () => onRetract() }, "Retract");
    const submit = (event) => (event.preventDefault(), onSave());
    this.element = el(
      "form",
      { id: "coding-form", class: "coding-form", "aria-labelledby": "coding-form-title", hidden: true, onsubmit: submit },
      this.title,
      this.quotes,
      el("span", { class: "field-error", id: "coding-evidence-error", role: "alert" }),
      rows.slice(0, 6),
      this.suggestions,
      rows.slice(6),
      el(
        "div",
        { class: "coding-actions" },
        el("button", { type: "submit", class: "primary", id: "coding-save" }, "Save"),
        el("button", { type: "button", id: "coding-cancel", onclick: () => onCancel() }, "Cancel"),
        this.retract,
        el("span", { class: "hint" }, "Ctrl+Enter saves, Escape cancels"),
      ),
      this.status,
    );
    this.element.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
      else if (event.key === "Escape") (event.preventDefault(), onCancel());
    });
    container.append(this.element, el("datalist", { id: "coding-holders" }), el("datalist", { id: "coding-targets" }));
  }

  // The registry the type-ahead offers: [{id, label}] of holders and of targets.
  setRegistry(holders, targets) {
    this.registry = { holders, targets };
    const options = (items) => items.map((item) => el("option", { value: item.id, label: item.label }));
    show(document.getElementById("coding-holders"), options(holders));
    show(document.getElementById("coding-targets"), options(targets));
  }

  // The id the field's text stands for: an id as typed, or the id of the label typed (case aside).
  resolve(text, items) {
    const typed = text.trim();
    const found =
      items.find((item) => item.id === typed) || items.find((item) => item.label.toLowerCase() === typed.toLowerCase());
    return found ? found.id : typed;
  }

  // A new position (`position` null) with the quotes `evidence`, or `position` as REST gives it with its
  // quotes as spans of UTF-16 offsets. `focus`: move the keyboard to the form.
  open(position, evidence, focus = true) {
    this.clear();
    this.editing = position;
    this.evidence = evidence;
    const { holder, target, stance, value, attribution, hedges, regarding, note } = this.controls;
    holder.value = position?.holder?.id || "";
    target.value = position?.target?.id || "";
    stance.value = position?.stance || stance.options[0]?.value || "";
    value.value = position ? String(position.value ?? "") : "";
    attribution.value = position?.attribution || "direct";
    hedges.value = (position?.hedgeCues || []).join(", ");
    regarding.value = [position?.regarding]
      .flat()
      .filter(Boolean)
      .map((item) => item.id)
      .join(", ");
    note.value = (position?.notes || []).join("\n");
    stance.dispatchEvent(new Event("change"));
    this.title.textContent = position ? `Position ${position.id}` : "New position";
    this.retract.hidden = !position;
    this.element.hidden = false;
    this.showQuotes();
    if (focus) (position ? stance : holder).focus({ preventScroll: true });
  }

  addEvidence(span) {
    this.evidence = [...this.evidence, span];
    this.showQuotes();
  }

  showQuotes() {
    const remove = (index) => {
      this.evidence = this.evidence.filter((_, at) => at !== index);
      this.showQuotes();
    };
    show(this.quotes, quoteFigures(this.evidence, remove));
    show(
      this.suggestions,
      hedgeSuggestions(this.evidence, list(this.controls.hedges.value), (cue) => this.addHedge(cue)),
    );
  }

  addHedge(cue) {
    const { hedges } = this.controls;
    hedges.value = [...list(hedges.value), cue].join(", ");
    this.showQuotes();
  }

  // The position as the write API takes it (offsets in UTF-16 units); optional fields left out when empty.
  body() {
    const { holder, target, stance, value, attribution, hedges, regarding, note, reason } = this.controls;
    const targets = this.registry?.targets || [];
    const body = {
      holder: this.resolve(holder.value, this.registry?.holders || []),
      target: this.resolve(target.value, targets),
      stance: stance.value,
      attribution: attribution.value,
      evidence: this.evidence.map(({ quote, start, end }) => ({ quote, start, end })),
      reason: reason.value.trim(),
    };
    if (value.value !== "") body.value = Number(value.value);
    if (list(hedges.value).length) body.hedges = list(hedges.value);
    const regarded = list(regarding.value).map((text) => this.resolve(text, targets));
    if (regarded.length) body.regarding = regarded.length === 1 ? regarded[0] : regarded;
    if (note.value.trim()) body.note = note.value.trim();
    return body;
  }

  clear() {
    for (const problem of this.element.querySelectorAll(".field-error")) problem.textContent = "";
    for (const control of Object.values(this.controls)) control.removeAttribute("aria-invalid");
    message(this.status, "");
  }

  close() {
    this.clear();
    this.editing = null;
    this.evidence = [];
    this.controls.reason.value = "";
    this.element.hidden = true;
  }

  // Show a refusal: each problem of a 422 next to its field, the rest (and any other refusal) below.
  showError(error) {
    this.clear();
    const text = errorText(error);
    const general = [];
    for (const [field, problem] of error.status === 422 ? fieldProblems(error.body || {}, text, NAMES) : [[null, text]]) {
      const slot = field && this.element.querySelector(`#coding-${field}-error`);
      if (slot) {
        slot.textContent = problem;
        this.controls[field]?.setAttribute("aria-invalid", "true");
      } else general.push(problem);
    }
    message(this.status, general.join("; ") || "Not saved: the fields marked say why.", "error");
  }

  say(text, kind = "info") {
    message(this.status, text, kind);
  }
}
