// The timeline of the debate: one row per holder, a mark per dated position at its time, coloured by its
// stance value (a concern raised in a colour of its own), and the undated positions counted, never placed.
//
// Its data is the two-mode network the page loads anyway: each link is one position and carries its
// `document` and `time` (the position's own date, else its document's; null when undated), so the
// timeline costs no request of its own. /positions would need one /documents/{id} request per document.

import { el, message, show } from "./dom.js";
import { getJson, idOf } from "./http.js";
import { CONCERN_COLOUR, CONCERN_LEGEND, STANCE_COLOURS, formatTime, plural, signed, stanceColour } from "./stance.js";

const DAY = 86_400_000;
const PAD = 3; // percent of the track kept free at either end, so that no mark is cut in half
const MAX_ROWS = 50; // beyond this many holders, those with the most dated positions

// A two-mode link joins a holder and its target, in no set order; when both ends are stakeholders the
// node kinds cannot tell which holds, and /positions?holder=&target= says (one request per such pair),
// unless the link names its holder.
async function holdersOf(links, kinds) {
  const holders = links.map((link) => {
    if (link.holder) return idOf(link.holder);
    const [source, target] = [idOf(link.source), idOf(link.target)];
    if (kinds.get(target) === "stakeholder" && kinds.get(source) === "stakeholder") return null;
    return kinds.get(source) === "stakeholder" ? source : target;
  });
  const pairs = new Map();
  links.forEach((link, index) => {
    if (holders[index] !== null) return;
    const pair = [idOf(link.source), idOf(link.target)].sort();
    pairs.set(pair.join(" "), pair);
  });
  const heldBy = new Map(); // position id -> holder id, for the ambiguous pairs
  await Promise.all(
    [...pairs.values()].map(async ([first, second]) => {
      const held = await getJson("positions", { holder: first, target: second, limit: 1000 });
      for (const position of held.items) heldBy.set(idOf(position.id), first);
    }),
  );
  return links.map((link, index) => {
    if (holders[index] !== null) return holders[index];
    return heldBy.get(idOf(link.position || "")) || [idOf(link.source), idOf(link.target)].sort()[1];
  });
}

// Tick marks at calendar months (every few months over a long span) or years, as the span asks.
function ticks(first, last) {
  const start = new Date(first);
  const months = (new Date(last).getUTCFullYear() - start.getUTCFullYear()) * 12 + new Date(last).getUTCMonth() - start.getUTCMonth();
  const found = [];
  if (months <= 36) {
    const every = months > 18 ? 3 : 1;
    for (let month = start.getUTCMonth() + 1, year = start.getUTCFullYear(); ; month += every) {
      const time = Date.UTC(year, month, 1);
      if (time > last) break;
      found.push([time, new Date(time).toISOString().slice(0, 7)]);
    }
  } else {
    const every = Math.ceil(months / 12 / 10);
    for (let year = start.getUTCFullYear() + 1; Date.UTC(year, 0, 1) <= last; year += every) {
      found.push([Date.UTC(year, 0, 1), String(year)]);
    }
  }
  return found;
}

export function timelineLegend(container) {
  show(
    container,
    [...STANCE_COLOURS.values()].map(([colour, text]) =>
      el("span", { class: "legend-item" }, el("span", { class: "mark-swatch", style: `--stance:${colour}` }), text),
    ),
    el("span", { class: "legend-item concern-legend" }, el("span", { class: "mark-swatch", style: `--stance:${CONCERN_COLOUR}` }), CONCERN_LEGEND),
    el("span", { class: "legend-item" }, el("span", { class: "mark-swatch hedged", style: "--stance:#6b7684" }), "hedged"),
  );
}

function markOf(position, x, offset, onSelect) {
  const when = formatTime(position.time, position.precision || "day");
  const text = `${position.holderLabel}: ${position.stance} ${position.targetLabel} (${signed(position.value)}${position.hedged ? ", hedged" : ""}), ${when}, ${position.document || "document unknown"}`;
  return el(
    "button",
    {
      class: position.hedged ? "mark hedged" : "mark",
      style: `left:${x}%; --offset:${offset}px; --stance:${stanceColour(position.value, { stance: position.stance, targetType: position.targetType })}`,
      title: text,
      "aria-label": text,
      dataset: { position: position.position, document: position.document || "", time: position.time, value: String(position.value) },
      onclick: () => onSelect(position.holder),
    },
  );
}

// Draw the timeline of `network` (a two-mode node-link network) into `container`, with what it leaves
// out said in `status`; clicking a holder or a mark selects the holder.
export async function drawTimeline(container, status, network, { onSelect }) {
  const nodes = new Map(network.nodes.map((node) => [idOf(node.id), node]));
  const kinds = new Map([...nodes].map(([id, node]) => [id, node.kind]));
  const holders = await holdersOf(network.links, kinds);
  const positions = network.links.map((link, index) => {
    const holder = holders[index];
    const target = holder === idOf(link.source) ? idOf(link.target) : idOf(link.source);
    return {
      ...link,
      position: link.position ? idOf(link.position) : "",
      document: link.document ? idOf(link.document) : null,
      holder,
      holderLabel: nodes.get(holder)?.label || holder,
      targetLabel: nodes.get(target)?.label || target,
      targetType: nodes.get(target)?.type,
      hedged: link.hedged === true,
    };
  });
  const dated = positions.filter((position) => position.time).map((position) => ({ ...position, at: new Date(position.time).getTime() }));
  const undated = positions.length - dated.length;
  const left = undated ? ` ${plural(undated, "undated position")} ${undated === 1 ? "is" : "are"} not shown.` : "";
  if (!dated.length) {
    show(container);
    container.hidden = true;
    message(status, `No position is dated: the sources give no date, so there is nothing to place on a time axis.${left}`);
    return { dated: 0, undated };
  }
  container.hidden = false;
  dated.sort((a, b) => a.at - b.at); // no Math.min(...): a large corpus has more positions than arguments
  const [first, last] = [dated[0].at, dated.at(-1).at];
  const x = (time) => (last === first ? 50 : PAD + ((time - first) / (last - first)) * (100 - 2 * PAD));
  const rows = new Map();
  for (const position of dated) {
    if (!rows.has(position.holder)) rows.set(position.holder, []);
    rows.get(position.holder).push(position);
  }
  const busiest = [...rows].sort(([, one], [, other]) => other.length - one.length).slice(0, MAX_ROWS);
  const ordered = busiest.sort(([a, one], [b, other]) => one[0].at - other[0].at || String(nodes.get(a)?.label).localeCompare(nodes.get(b)?.label));
  const row = ([holder, held]) => {
    const sameDay = new Map(); // marks on one day of one holder sit one above the other, within the row
    for (const position of held) {
      const day = Math.floor(position.at / DAY);
      if (!sameDay.has(day)) sameDay.set(day, []);
      position.stacked = sameDay.get(day).push(position) - 1;
    }
    const marks = held.map((position) => {
      const count = sameDay.get(Math.floor(position.at / DAY)).length;
      const offset = Math.max(-10, Math.min(10, (position.stacked - (count - 1) / 2) * 8));
      return markOf(position, x(position.at), offset, onSelect);
    });
    return el(
      "div",
      { class: "timeline-row", dataset: { holder } },
      el("button", { class: "link timeline-holder", onclick: () => onSelect(holder) }, held[0].holderLabel),
      el("div", { class: "timeline-track" }, marks),
    );
  };
  const axis = el(
    "div",
    { class: "timeline-row timeline-axis", "aria-hidden": "true" },
    el("span", {}),
    el("div", { class: "timeline-track" }, ticks(first, last).map(([time, label]) => el("span", { class: "tick", style: `left:${x(time)}%` }, label))),
  );
  show(container, ordered.map(row), axis);
  const span = first === last ? `on ${formatTime(new Date(first).toISOString())}` : `from ${formatTime(new Date(first).toISOString())} to ${formatTime(new Date(last).toISOString())}`;
  const shown = rows.size > MAX_ROWS ? ` Shown: the ${MAX_ROWS} holders with the most dated positions.` : "";
  message(status, `${plural(dated.length, "dated position")} of ${plural(rows.size, "holder")}, ${span}.${shown}${left || " Every position is dated."}`);
  return { dated: dated.length, undated };
}
