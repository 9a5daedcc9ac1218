// What a coder adds besides positions: a new source document (its text pasted or read from a file, and
// its metadata), and a new entity for the registry when the holder or target is not in it yet.

import { el, message, show } from "./dom.js";
import { errorText } from "./coding-errors.js";

const SECTIONS = ["stakeholders", "programs", "participation_proposals", "concerns", "measures", "threats"];

// A labelled input; its id is `coding-<name>`.
function field(name, label, attributes = {}) {
  const control = el(attributes.tag || "input", {
    id: `coding-${name}`,
    autocomplete: "off",
    ...attributes,
    tag: null,
  });
  return el("div", { class: "coding-field" }, el("label", { for: `coding-${name}` }, label), control);
}

// An id made from a label, as the coding files' ids are: lower case, accents off, words joined by "-".
export function slugOf(label) {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const value = (form, name) => form.querySelector(`#coding-${name}`).value.trim();

// Errors of the service as one message; FastAPI's list of problems each with where it is.
function refusal(error) {
  const detail = error.body?.detail;
  if (Array.isArray(detail))
    return detail.map((problem) => `${(problem.loc || []).slice(1).join(".")}: ${problem.msg}`).join("; ");
  return errorText(error);
}

// The form of a new document; `onCreated(slug)` once the service has it.
export function documentForm(session, onCreated) {
  const status = el("p", { class: "status", role: "status", id: "coding-new-document-status" });
  const file = el("input", { type: "file", id: "coding-new-file", accept: ".txt,text/plain" });
  const form = el(
    "form",
    { id: "coding-new-document", class: "coding-create", "aria-label": "New source document", hidden: true },
    el("h3", {}, "New source document"),
    field("new-slug", "Slug", {
      required: true,
      pattern: "[a-z0-9\\-]+",
      placeholder: "e.g. golden-dome-ottawa",
    }),
    field("new-title", "Title", { required: true }),
    field("new-date", "Date", { placeholder: "2025, 2025-03 or 2025-03-14" }),
    field("new-outlet", "Outlet"),
    field("new-author", "Author"),
    field("new-url", "URL", { type: "url" }),
    el("div", { class: "coding-field" }, el("label", { for: "coding-new-file" }, "Source text file"), file),
    field("new-text", "Source text", { tag: "textarea", rows: 6, required: true }),
    el("button", { type: "submit", class: "primary", id: "coding-new-create" }, "Add document"),
    status,
  );
  file.addEventListener("change", async () => {
    const [chosen] = file.files;
    if (chosen) form.querySelector("#coding-new-text").value = await chosen.text();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const slug = value(form, "new-slug");
    const metadata = {
      slug,
      title: value(form, "new-title"),
      date: value(form, "new-date"),
      publisher: value(form, "new-outlet"),
      author: value(form, "new-author"),
      url: value(form, "new-url"),
    };
    const document = Object.fromEntries(Object.entries(metadata).filter(([, given]) => given));
    try {
      // The text as given, not trimmed: offsets will index it.
      await session.send("POST", "documents", { document, text: form.querySelector("#coding-new-text").value });
      message(status, `Added ${slug}.`);
      form.hidden = true;
      await onCreated(slug);
    } catch (error) {
      message(status, refusal(error), "error");
    }
  });
  return form;
}

// The form of a new entity; `onCreated(entity, section)` with what the service answered.
export function entityForm(session, { documentSlug, onCreated }) {
  const status = el("p", { class: "status", role: "status", id: "coding-entity-status" });
  const section = el(
    "select",
    { id: "coding-entity-section" },
    SECTIONS.map((name) => el("option", { value: name }, name.replace("_", " "))),
  );
  const form = el(
    "form",
    { id: "coding-new-entity", class: "coding-create", "aria-label": "New entity", hidden: true },
    el("h3", {}, "New entity"),
    el("div", { class: "coding-field" }, el("label", { for: "coding-entity-section" }, "Section"), section),
    field("entity-label", "Label", { required: true }),
    field("entity-id", "Id", { placeholder: "made from the label when left out" }),
    field("entity-type", "Type or status", { placeholder: "a stakeholder's type, a measure's status" }),
    el(
      "label",
      { class: "coding-check" },
      el("input", { type: "checkbox", id: "coding-entity-local", checked: true }),
      " only in this document's coding (else the shared registry)",
    ),
    el("button", { type: "submit", class: "primary", id: "coding-entity-create" }, "Create entity"),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { section: section.value, label: value(form, "entity-label") };
    body.id = value(form, "entity-id") || slugOf(body.label);
    const kind = value(form, "entity-type");
    if (kind) body[section.value === "measures" ? "status" : "type"] = kind;
    if (form.querySelector("#coding-entity-local").checked && documentSlug()) body.document = documentSlug();
    try {
      message(status, "Creating…");
      const answer = await session.send("POST", "entities", body);
      await onCreated(answer, section.value);
      // Only now: the holder and target fields offer it once the registry is read again.
      message(status, `Created ${answer?.id ?? body.id}.`);
    } catch (error) {
      message(status, refusal(error), "error");
    }
  });
  return form;
}

// Offer the form for a new entity, filled with the label typed.
export function offerEntity(form, label, sectionName) {
  form.hidden = false;
  form.querySelector("#coding-entity-section").value = sectionName;
  form.querySelector("#coding-entity-label").value = label;
  show(form.querySelector("#coding-entity-status"));
  form.querySelector("#coding-entity-label").focus();
}
