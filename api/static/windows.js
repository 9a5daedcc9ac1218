// The network at a chosen window: a window length (1 month, 3 months, 1 year, or the whole corpus), then a
// slider and step buttons across the windows of /network/two-mode?window=, each window's dates and count.
// Windows follow each other (the step is the window's length), so each position is in exactly one.

import { el, message, show } from "./dom.js";
import { getJson } from "./http.js";
import { formatTime, plural } from "./stance.js";

// The last day a window takes in: its end is excluded.
function lastDay(end) {
  return formatTime(new Date(new Date(end).getTime() - 1).toISOString());
}

export class WindowControl {
  // `onWindow(network)` redraws the network view: a window's nodes and links, or null for the whole corpus.
  constructor({ length, bar, graphml, onWindow }) {
    Object.assign(this, { length, bar, graphml, onWindow });
    this.series = new Map(); // window length -> Promise of its windows, fetched once
    this.windows = [];
    this.index = 0;
    this.wholeGraphml = graphml.getAttribute("href");
    this.slider = el("input", { type: "range", id: "window-slider", min: 0, max: 0, value: 0, "aria-label": "Window" });
    this.previous = el("button", { id: "window-previous", "aria-label": "Previous window" }, "◀");
    this.next = el("button", { id: "window-next", "aria-label": "Next window" }, "▶");
    this.label = el("p", { id: "window-label", class: "window-label", "aria-live": "polite" });
    this.slider.addEventListener("input", () => this.go(Number(this.slider.value)));
    this.previous.addEventListener("click", () => this.go(this.index - 1));
    this.next.addEventListener("click", () => this.go(this.index + 1));
    length.addEventListener("change", () => this.choose(length.value));
    show(bar, el("div", { class: "window-steps" }, this.previous, this.slider, this.next), this.label);
    bar.hidden = true;
  }

  async choose(length) {
    if (!length) {
      this.bar.hidden = true;
      this.graphml.setAttribute("href", this.wholeGraphml);
      this.onWindow(null);
      return;
    }
    this.bar.hidden = false;
    this.graphml.setAttribute("href", `network/two-mode?window=${encodeURIComponent(length)}&format=graphml`);
    message(this.label, "Loading the windows…");
    if (!this.series.has(length)) this.series.set(length, getJson("network/two-mode", { window: length }));
    let found;
    try {
      found = await this.series.get(length);
    } catch (error) {
      this.series.delete(length);
      message(this.label, `The windows could not be loaded: ${error.message}`, "error");
      return;
    }
    if (this.length.value !== length) return; // another length was chosen meanwhile
    this.windows = found.windows;
    this.undated = found.undated || 0;
    if (!this.windows.length) {
      this.setSteps(false);
      const left = this.undated ? ` (${plural(this.undated, "undated position")})` : "";
      message(this.label, `No position is dated${left}, so there is no window to show: the network shows every position.`);
      this.onWindow(null);
      return;
    }
    this.slider.max = String(this.windows.length - 1);
    this.setSteps(true);
    this.go(0);
  }

  setSteps(enabled) {
    this.slider.disabled = !enabled;
    this.previous.disabled = !enabled;
    this.next.disabled = !enabled;
  }

  go(index) {
    if (index < 0 || index >= this.windows.length) return;
    this.index = index;
    const window = this.windows[index];
    this.slider.value = String(index);
    this.previous.disabled = index === 0;
    this.next.disabled = index === this.windows.length - 1;
    const undated = this.undated ? ` · ${plural(this.undated, "undated position")} left out` : "";
    Object.assign(this.label.dataset, { start: window.start, end: window.end, positions: String(window.positions), kind: "info" });
    this.label.textContent =
      `Window ${index + 1} of ${this.windows.length}: ${formatTime(window.start)} – ${lastDay(window.end)} · ` +
      `${plural(window.positions, "position")}${undated}`;
    this.onWindow({ nodes: window.nodes, links: window.links, note: window.note });
  }
}
