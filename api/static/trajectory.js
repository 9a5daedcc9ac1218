// A stakeholder's trajectory on one target: its dated stance values in time order, drawn as a small chart
// and listed with their quotes (/stakeholders/{id}/trajectory). Undated positions are counted, never placed.

import { el, show, svg } from "./dom.js";
import { evidenceBlock } from "./evidence.js";
import { getJson, idOf } from "./http.js";
import { formatTime, plural, signed, stanceColour } from "./stance.js";

const WIDTH = 340;
const HEIGHT = 130;
const MARGIN = { left: 30, right: 14, top: 10, bottom: 22 };

// The holder's targets, most positions first: the first is the one shown until another is chosen.
function targetsOf(positions) {
  const found = new Map();
  for (const position of positions) {
    const id = idOf(position.target.id);
    const entry = found.get(id) || { ...position.target, id, count: 0 };
    entry.count += 1;
    found.set(id, entry);
  }
  return [...found.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function chart(points, targetType) {
  const times = points.map((point) => new Date(point.time).getTime());
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const spread = last - first || 86_400_000; // one point (or one day): centre it
  const x = (time) =>
    MARGIN.left + ((time - first + (last === first ? spread / 2 : 0)) / spread) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (value) => MARGIN.top + ((2 - Math.max(-2, Math.min(2, Number(value) || 0))) / 4) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const grid = [2, 1, 0, -1, -2].map((value) => [
    svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value), class: value ? "grid" : "grid zero" }),
    svg("text", { x: MARGIN.left - 6, y: y(value) + 4, "text-anchor": "end", class: "tick" }, signed(value)),
  ]);
  const path = points.map((point, index) => `${index ? "L" : "M"}${x(times[index])},${y(point.value)}`).join(" ");
  const dots = points.map((point, index) => {
    const colour = stanceColour(point.value, { stance: point.stance, targetType });
    return svg(
      "circle",
      {
        cx: x(times[index]),
        cy: y(point.value),
        r: 5,
        class: point.hedged === true ? "point hedged" : "point",
        style: `--stance:${colour}`,
      },
      svg("title", {}, `${formatTime(point.time, point.precision)}: ${point.stance} ${signed(point.value)}${point.hedged === true ? ", hedged" : ""}`),
    );
  });
  const ends = [
    svg("text", { x: MARGIN.left, y: HEIGHT - 6, class: "tick" }, formatTime(points[0].time, points[0].precision)),
    points.length > 1
      ? svg("text", { x: WIDTH - MARGIN.right, y: HEIGHT - 6, "text-anchor": "end", class: "tick" }, formatTime(points.at(-1).time, points.at(-1).precision))
      : null,
  ];
  return svg(
    "svg",
    { class: "trajectory-chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": "Stance value over time, −2 to +2" },
    grid,
    svg("path", { d: path, class: "trajectory-line" }),
    dots,
    ends,
  );
}

async function pointItem(point, targetType) {
  const quotes = await Promise.all((point.quotes || []).map((quote) => evidenceBlock(quote, point.document)));
  const hedged = point.hedged === true;
  return el(
    "li",
    { class: "trajectory-point", dataset: { value: String(point.value), hedged: String(hedged), position: point.position } },
    el(
      "p",
      { class: "point-head" },
      el("time", { datetime: point.time }, formatTime(point.time, point.precision)),
      el(
        "span",
        { class: "stance", style: `--stance:${stanceColour(point.value, { stance: point.stance, targetType })}` },
        `${point.stance} `,
        el("span", { class: "point-value" }, signed(point.value)),
      ),
      hedged ? el("span", { class: "hedged" }, "(hedged)") : null,
      point.precision && point.precision !== "instant" ? el("small", {}, `to the ${point.precision}`) : null,
    ),
    quotes,
  );
}

async function render(body, holder, holderLabel, target) {
  show(body, el("p", { class: "status" }, `Loading the trajectory on ${target.label}…`));
  const found = await getJson(`stakeholders/${encodeURIComponent(holder)}/trajectory`, { target: target.id });
  const undated = found.undated
    ? el("p", { class: "status undated" }, `${plural(found.undated, "undated position")} of ${holderLabel} on ${target.label} ${found.undated === 1 ? "is" : "are"} not shown.`)
    : null;
  if (!found.points.length) {
    show(body, el("p", { class: "status" }, `None of the positions of ${holderLabel} on ${target.label} is dated.`), undated);
    return;
  }
  const items = await Promise.all(found.points.map((point) => pointItem(point, target.type)));
  show(body, chart(found.points, target.type), el("ol", { class: "trajectory-points" }, items), undated);
}

// The trajectory section of holder `holder`, over the targets of its `positions`; it loads by itself.
export function trajectorySection(holder, holderLabel, positions) {
  const targets = targetsOf(positions);
  const body = el("div", { class: "trajectory-body" });
  const choose = (id) => {
    const target = targets.find((candidate) => candidate.id === id) || targets[0];
    render(body, holder, holderLabel, target).catch((error) =>
      show(body, el("p", { class: "status", "data-kind": "error" }, `The trajectory could not be loaded: ${error.message}`)),
    );
  };
  const select = el(
    "select",
    { id: "trajectory-target", "aria-label": "Target of the trajectory", onchange: (event) => choose(event.target.value) },
    targets.map((target) => el("option", { value: target.id }, target.label)),
  );
  choose(targets[0].id);
  return el(
    "section",
    { class: "trajectory", dataset: { holder } },
    el("h3", { class: "positions-title" }, "Over time, on ", select),
    body,
  );
}
