// The Code view: open a document (or add one), see its positions marked in the text by stance colour,
// select a span to start a position, edit one in place, see and restore its revisions. Writes go to the
// coding API as the signed-in coder, with offsets in UTF-16 units (what the browser's selection counts).

import { el, message, show } from "./dom.js";
import { CodingText, utf16Index } from "./coding-text.js";
import { PositionForm } from "./coding-form.js";
import { HistoryView } from "./coding-history.js";
import { documentForm, entityForm } from "./coding-create.js";
import { errorText } from "./coding-errors.js";
import { CoderFilter } from "./coding-coders.js";
import { CoderSession } from "./coding-session.js";
import { retractPosition, savePosition } from "./coding-writes.js";
import { layout, legend, positionList } from "./coding-layout.js";
import { loadRegistry, loadVocabulary } from "./coding-registry.js";
import { getJson } from "./http.js";
import { SuggestionQueue, renderAgreement } from "./suggestions.js";
import { stanceColour } from "./stance.js";

const LIMIT = 1000; // the service's largest page: a document's positions, the registry's entries

export class CodingView {
  constructor(root) {
    this.root = root;
    this.slug = null;
    this.positions = [];
    const $ = (id) => root.querySelector(`#${id}`);
    show(root, layout());
    this.status = $("coding-status");
    this.documents = $("coding-document");
    this.list = $("coding-positions");
    this.regex = $("coding-regex");
    this.session = new CoderSession($("coding-session"), { onChange: () => this.positions.length && this.draw() });
    this.coderFilter = new CoderFilter($("coding-coder-filter"), $("coding-coders"), this.session);
    this.text = new CodingText($("coding-text"), {
      onSelect: (span, adding) => this.selected(span, adding),
      onOpen: (id) => this.openPosition(id, false),
    });
    this.history = new HistoryView($("coding-history"), {
      session: this.session,
      onRestored: (answer) => this.saved(answer, "Restored"),
    });
    this.newDocument = documentForm(this.session, (slug) => this.loadDocuments(slug));
    this.newEntity = entityForm(this.session, {
      documentSlug: () => this.slug,
      onCreated: () => this.refreshRegistry(),
    });
    $("coding-side").append(this.newEntity);
    $("coding-bar").after(this.newDocument);
    $("coding-add-document").addEventListener("click", () => (this.newDocument.hidden = !this.newDocument.hidden));
    $("coding-add-entity").addEventListener("click", () => (this.newEntity.hidden = !this.newEntity.hidden));
    this.documents.addEventListener("change", () => this.open(this.documents.value));
    this.regex.addEventListener("input", () => this.highlight());
    const coders = this.coderFilter.input;
    coders.addEventListener(
      "focus",
      async () => (await this.coderFilter.learn(this.positions), this.coderFilter.offer(this.positions)),
    );
    coders.addEventListener("input", async () => (await this.coderFilter.learn(this.positions), this.draw()));
    // The form's own keys (Ctrl+Enter saves, Escape cancels) work from the text too, where the coder reads.
    root.addEventListener("keydown", (event) => {
      const fromText = event.target.closest("#coding-text") && this.form && !this.form.element.hidden;
      if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        this.step(event.key === "ArrowDown" ? 1 : -1);
      } else if (fromText && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.save();
      } else if (fromText && event.key === "Escape") {
        event.preventDefault();
        this.cancel();
      }
    });
    legend($("coding-legend"));
  }

  async start() {
    const vocabulary = await loadVocabulary();
    this.vocabulary = vocabulary;
    this.form = new PositionForm(this.root.querySelector("#coding-side"), {
      vocabulary,
      onSave: () => this.save(),
      onCancel: () => this.cancel(),
      onRetract: () => this.retract(),
    });
    this.root.querySelector("#coding-side").prepend(this.form.element);
    // The registry is read when a document is first opened: a reader of the page never needs it.
    await Promise.all([this.session.refresh(), this.loadDocuments(), this.noteStore()]);
  }

  // A memory store keeps what is coded only until the service stops: say so before anyone codes.
  async noteStore() {
    const ready = await getJson("ready").catch(() => ({}));
    const note = this.root.querySelector("#coding-store-note");
    note.hidden = ready.store !== "memory";
    note.textContent = note.hidden
      ? ""
      : "This service keeps its store in memory: what is coded here lasts until the service stops " +
        "(serve a disk store, stancegraph serve --store disk, to keep it).";
  }

  async refreshRegistry() {
    const { holders, targets } = await loadRegistry(LIMIT);
    this.registry = { holders, targets };
    this.form.setRegistry(holders, targets);
  }

  async loadDocuments(chosen = null) {
    const page = await getJson("documents", { limit: LIMIT });
    show(
      this.documents,
      el("option", { value: "" }, "Choose a document…"),
      page.items.map((item) => el("option", { value: item.id }, item.label || item.id)),
    );
    if (chosen) {
      this.documents.value = chosen;
      await this.open(chosen);
    }
  }

  async open(slug) {
    this.cancel();
    this.slug = slug || null;
    this.source = null;
    this.positions = [];
    delete this.root.dataset.document;
    if (!slug) return this.draw();
    message(this.status, "Loading the document…");
    try {
      const [source, positions] = await Promise.all([
        getJson(`documents/${encodeURIComponent(slug)}/text`),
        this.fetchPositions(slug),
        this.registry ? null : this.refreshRegistry(),
      ]);
      if (this.slug !== slug) return; // another document was chosen meanwhile
      this.source = source;
      this.units = utf16Index(source.text);
      this.positions = positions;
      this.draw();
      const title = this.documents.selectedOptions[0]?.textContent || slug;
      message(this.status, `${title}: select a span of the text to code a position.`);
      this.root.dataset.document = slug;
      this.review(slug);
    } catch (error) {
      message(this.status, `The document could not be opened: ${errorText(error)}`, "error");
    }
  }

  // The document's suggestions (never shown as coded) and, once two coders have coded it, their agreement.
  review(slug) {
    const $ = (id) => this.root.querySelector(`#${id}`);
    const reload = async () => {
      this.positions = await this.fetchPositions(slug);
      this.draw();
      this.agreement(slug);
    };
    const stances = this.vocabulary?.stances;
    this.suggestions = new SuggestionQueue($("coding-suggestions"), {
      document: slug,
      headers: () => this.session.headers(),
      onChange: reload,
      ...(stances?.length ? { stances } : {}),
    });
    this.suggestions.refresh().catch((error) => message(this.status, `Suggestions: ${errorText(error)}`, "error"));
    this.agreement(slug);
  }

  async agreement(slug) {
    const box = this.root.querySelector("#coding-agreement");
    const report = await getJson("agreement", { document: slug }).catch(() => null);
    if (this.slug !== slug) return;
    if (report && report.coders.length > 1) renderAgreement(box, report);
    else show(box);
  }

  async fetchPositions(slug) {
    return (await getJson("positions", { document: slug, limit: LIMIT })).items;
  }

  // The positions the coder filter lets through, in the order of their first quote in the text.
  visible() {
    const shown = this.coderFilter.filter(this.positions);
    const first = (position) => Math.min(...this.spans(position).map((span) => span.start), Infinity);
    return shown.sort((a, b) => first(a) - first(b));
  }

  // The quotes of `position` in the open document, as spans of UTF-16 offsets.
  spans(position) {
    return (position.evidence || [])
      .filter((evidence) => !evidence.document || evidence.document === this.slug || evidence.document.endsWith(`/${this.slug}`))
      .map(({ quote, prefix, suffix, start, end }) => ({
        quote,
        prefix,
        suffix,
        start: this.units(start),
        end: this.units(end),
      }));
  }

  draw() {
    const visible = this.visible();
    const coded = visible.flatMap((position) => {
      const colour = stanceColour(position.value, { stance: position.stance, targetType: position.target?.type });
      const title = `${position.holder?.label}: ${position.stance} ${position.target?.label}`;
      return this.spans(position).map((span) => ({ id: position.id, start: span.start, end: span.end, colour, title }));
    });
    this.text.show(this.source?.text || "", coded);
    this.coderFilter.offer(this.positions);
    show(
      this.list,
      positionList(
        visible,
        (position) => this.coderFilter.coderOf(position),
        (id) => this.openPosition(id),
      ),
    );
    message(this.root.querySelector("#coding-count"), `${visible.length} of ${this.positions.length} positions shown`);
  }

  highlight() {
    const note = this.root.querySelector("#coding-regex-status");
    let pattern = null;
    try {
      pattern = this.regex.value ? new RegExp(this.regex.value, "gi") : null;
      this.regex.removeAttribute("aria-invalid");
    } catch (error) {
      this.regex.setAttribute("aria-invalid", "true");
      this.text.highlight(null);
      return message(note, `Not a regular expression: ${error.message}`, "error");
    }
    const count = this.text.highlight(pattern);
    message(note, pattern ? `${count} ${count === 1 ? "match" : "matches"}` : "");
  }

  // A span selected: a new position's quote, or one more quote of the new position being coded (or, when
  // `adding`, of the open one).
  selected(span, adding) {
    if (!this.slug) return;
    const open = !this.form.element.hidden;
    if (open && (adding || !this.form.editing)) {
      this.form.addEvidence(span);
      this.form.say("Quote added to the position.");
      return;
    }
    this.history.hide();
    this.text.reveal(null);
    this.form.open(null, [span]);
  }

  // Open position `id` in the form; `focus` moves the keyboard there (not when it was clicked in the text,
  // where the caret stays to select with).
  async openPosition(id, focus = true) {
    const position = this.positions.find((item) => item.id === id);
    if (!position) return;
    this.text.reveal(id);
    for (const button of this.list.querySelectorAll(".coding-position"))
      button.classList.toggle("chosen", button.dataset.position === id);
    this.form.open(position, this.spans(position), focus);
    this.revision = null;
    const current = await this.history.show(id);
    if (this.form.editing?.id === id) this.revision = current?.revision ?? null;
  }

  step(direction) {
    const visible = this.visible();
    if (!visible.length) return;
    const at = visible.findIndex((position) => position.id === this.form.editing?.id);
    const next = at < 0 ? (direction > 0 ? 0 : visible.length - 1) : (at + direction + visible.length) % visible.length;
    this.openPosition(visible[next].id);
    this.list.querySelector(`[data-position="${CSS.escape(visible[next].id)}"]`)?.focus({ preventScroll: true });
  }

  save() {
    return savePosition(this);
  }

  // After a write: the document's positions again, and the written one open with its history.
  async saved(answer, what) {
    const id = answer?.id ?? answer?.position?.id ?? this.form.editing?.id;
    this.positions = await this.fetchPositions(this.slug);
    this.coderFilter.forget(id);
    this.draw();
    this.form.close();
    await this.openPosition(id);
    this.form.say(`${what} position ${id}${answer?.revision ? ` (revision ${answer.revision})` : ""}.`);
    this.root.dataset.saved = id;
  }

  retract() {
    return retractPosition(this);
  }

  cancel() {
    this.form?.close();
    this.history.hide();
    this.text.reveal(null);
    this.revision = null;
  }
}
