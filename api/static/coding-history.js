// The history of a position: every revision with its coder, time, reason and what it changed, newest
// first, and a button to restore any earlier one (itself a new revision, with a reason).

import { el, message, show } from "./dom.js";
import { errorText } from "./coding-errors.js";
import { formatTime } from "./stance.js";

// A value of a revision's position: quotes as quoted text with their offsets, lists joined, nothing as "—".
function shown(value) {
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return "—";
  if (Array.isArray(value))
    return value.map((item) => (item?.quote ? `“${item.quote}” (${item.start}–${item.end})` : shown(item))).join("; ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

// What a revision changed, as the service gives it: {field: [before, after]}. A position's first revision
// has nothing before: its values alone are shown.
function diffView(diff) {
  const changes = Object.entries(diff || {});
  if (!changes.length) return null;
  const created = changes.every(([, [before]]) => before === null || before === undefined);
  return el(
    "ul",
    { class: "diff" },
    changes
      .filter(([, [, after]]) => !created || shown(after) !== "—")
      .map(([field, [before, after]]) =>
        el("li", {}, el("strong", {}, `${field}: `), created ? shown(after) : `${shown(before)} → ${shown(after)}`),
      ),
  );
}

export class HistoryView {
  // `session` sends the restore; `onRestored(answer)` after one.
  constructor(container, { session, onRestored }) {
    Object.assign(this, { container, session, onRestored });
    this.status = el("p", { id: "coding-history-status", class: "status", role: "status" });
    this.list = el("ul", { id: "coding-history-list", class: "coding-history-list" });
    this.reason = el("input", { id: "coding-restore-reason", autocomplete: "off", placeholder: "why restore it" });
    show(
      container,
      el("h3", { id: "coding-history-title" }, "History"),
      el("label", { for: "coding-restore-reason", class: "hint" }, "Reason for restoring "),
      this.reason,
      this.list,
      this.status,
    );
    container.hidden = true;
  }

  // The revisions of position `id` (numbered from 1; a position from the coding files has its revision 0),
  // newest first; the newest is the current one, which is returned.
  async show(id) {
    this.id = id;
    this.container.hidden = false;
    message(this.status, "Loading the history…");
    let revisions;
    try {
      revisions = await this.session.get(`positions/${encodeURIComponent(id)}/history`);
    } catch (error) {
      show(this.list);
      message(this.status, errorText(error), "error");
      return null;
    }
    const items = Array.isArray(revisions) ? revisions : revisions.items || [];
    const newest = [...items].sort((a, b) => Number(b.revision) - Number(a.revision));
    show(
      this.list,
      newest.map((revision, index) => this.item(revision, index === 0)),
    );
    message(this.status, items.length === 1 ? "1 revision" : `${items.length} revisions`);
    return newest[0] || null;
  }

  item(revision, current) {
    return el(
      "li",
      { class: "revision", dataset: { revision: revision.revision, coder: revision.coder ?? "" } },
      el(
        "p",
        { class: "revision-head" },
        `revision ${revision.revision} · `,
        el("strong", {}, revision.coder || "the coding file"),
        revision.time ? [" · ", el("time", { datetime: revision.time }, formatTime(revision.time, "instant"))] : null,
        revision.retracted ? el("span", { class: "flag" }, " · retracted") : null,
        current ? el("span", { class: "hint" }, " · current") : null,
      ),
      revision.reason ? el("p", { class: "revision-reason" }, revision.reason) : null,
      diffView(revision.diff),
      current
        ? null
        : el(
            "button",
            {
              type: "button",
              class: "restore",
              "aria-label": `Restore revision ${revision.revision}`,
              onclick: () => this.restore(revision),
            },
            "Restore",
          ),
    );
  }

  async restore(revision) {
    const reason = this.reason.value.trim() || `restore revision ${revision.revision}`;
    try {
      const answer = await this.session.send("POST", `positions/${encodeURIComponent(this.id)}/restore`, {
        revision: revision.revision,
        reason,
      });
      this.reason.value = "";
      await this.onRestored(answer);
    } catch (error) {
      message(this.status, errorText(error), "error");
    }
  }

  hide() {
    this.container.hidden = true;
    this.id = null;
  }
}
