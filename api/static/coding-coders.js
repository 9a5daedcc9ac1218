// The filter by coder: the coder of each position (the REST view's, or who first revised it, from its
// history, asked once per position), the names offered as the filter's type-ahead, and the filter itself.

import { el, show } from "./dom.js";

export class CoderFilter {
  constructor(input, datalist, session) {
    Object.assign(this, { input, datalist, session });
    this.coders = new Map(); // position id -> its coder ("" for none)
  }

  coderOf(position) {
    return position.coder || this.coders.get(position.id) || null;
  }

  // The coders of `positions` that REST gives without one: the first coder of each one's history (its
  // creator, or who first edited a position of the coding files).
  async learn(positions) {
    const unknown = positions.filter((position) => !position.coder && !this.coders.has(position.id));
    await Promise.all(
      unknown.map(async ({ id }) => {
        try {
          const revisions = await this.session.get(`positions/${encodeURIComponent(id)}/history`);
          this.coders.set(id, [revisions].flat().find((revision) => revision.coder)?.coder ?? "");
        } catch {
          this.coders.set(id, ""); // its history could not be read: it shows under no coder
        }
      }),
    );
  }

  // Forget what was learnt of position `id` (it was just written).
  forget(id) {
    this.coders.delete(id);
  }

  offer(positions) {
    const coders = [...new Set(positions.map((position) => this.coderOf(position)).filter(Boolean))].sort();
    show(
      this.datalist,
      coders.map((name) => el("option", { value: name })),
    );
  }

  // The positions the filter lets through: all, or the chosen coder's.
  filter(positions) {
    const wanted = this.input.value.trim().toLowerCase();
    return positions.filter((position) => !wanted || String(this.coderOf(position) || "").toLowerCase() === wanted);
  }
}
