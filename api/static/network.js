// The two-mode network (stakeholders x what they take positions on) drawn with Cytoscape.js.
// Edges are coloured by stance value, -2 to +2 (a concern raised in a colour of its own), and dashed where
// the source hedges.

import cytoscape from "cytoscape";
import { el, show } from "./dom.js";
import { idOf } from "./http.js";
import { CONCERN_COLOUR, CONCERN_LEGEND, STANCE_COLOURS, stanceColour, stanceValueMeanings } from "./stance.js";

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 12,
      "font-family": "system-ui, sans-serif",
      color: "#1d2733",
      "text-wrap": "ellipsis",
      "text-max-width": 190,
      "text-valign": "center",
      width: 16,
      height: 16,
      "border-width": 1,
      "border-color": "#ffffff",
    },
  },
  {
    selector: "node[kind = 'stakeholder']",
    style: { "background-color": "#1f5fa8", shape: "ellipse", "text-halign": "left", "text-margin-x": -6 },
  },
  {
    selector: "node[kind != 'stakeholder']",
    style: { "background-color": "#d9822b", shape: "round-rectangle", "text-halign": "right", "text-margin-x": 6 },
  },
  {
    selector: "edge",
    style: {
      width: "mapData(magnitude, 0, 2, 1.5, 4)",
      "line-color": "data(colour)",
      "curve-style": "bezier",
      opacity: 0.85,
    },
  },
  { selector: "edge[?hedged]", style: { "line-style": "dashed", "line-dash-pattern": [6, 3] } },
  { selector: ".faded", style: { opacity: 0.25 } },
  { selector: "node:selected", style: { "border-width": 3, "border-color": "#ffb000", width: 22, height: 22 } },
  { selector: "node.neighbour", style: { "font-weight": "bold" } },
];

function elements(network) {
  const nodes = network.nodes.map((node) => ({
    group: "nodes",
    data: { ...node, id: idOf(node.id), kind: node.kind === "stakeholder" ? "stakeholder" : "target" },
  }));
  const types = new Map(network.nodes.map((node) => [idOf(node.id), node.type]));
  const edges = network.links.map((link, index) => {
    const value = Number(link.value ?? link.weight ?? 0);
    const targetType = types.get(idOf(link.target)) || types.get(idOf(link.source));
    return {
      group: "edges",
      data: {
        id: `edge-${index}`,
        source: idOf(link.source),
        target: idOf(link.target),
        value,
        magnitude: Math.abs(value),
        colour: stanceColour(value, { stance: link.stance, targetType }),
        hedged: Boolean(link.hedged),
        stance: link.stance,
      },
    };
  });
  return [...nodes, ...edges];
}

// Stakeholders in a left column, targets in a right one, each target placed near the mean row of its
// holders (the barycentre heuristic), so that edges cross little.
function columnPositions(cy) {
  const gap = 40;
  const stakeholders = cy.nodes("[kind = 'stakeholder']").sort((a, b) => a.data("label").localeCompare(b.data("label")));
  const row = new Map(stakeholders.map((node, index) => [node.id(), index]));
  const targets = cy.nodes("[kind != 'stakeholder']").map((node) => {
    const rows = node.neighborhood("node[kind = 'stakeholder']").map((holder) => row.get(holder.id()));
    return [node, rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity];
  });
  targets.sort((a, b) => a[1] - b[1] || a[0].data("label").localeCompare(b[0].data("label")));
  const height = Math.max(stakeholders.length, targets.length) * gap;
  const positions = {};
  stakeholders.forEach((node, index) => {
    positions[node.id()] = { x: 0, y: ((index + 0.5) * height) / stakeholders.length };
  });
  targets.forEach(([node], index) => {
    positions[node.id()] = { x: 260, y: ((index + 0.5) * height) / targets.length };
  });
  return positions;
}

function layoutOptions(name, cy) {
  if (name === "force") {
    return { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000, padding: 20, nodeDimensionsIncludeLabels: true };
  }
  return { name: "preset", positions: columnPositions(cy), padding: 20 };
}

// Lay the network out, then move apart what still overlaps. Once done, the container's data-layout names
// the layout (the browser tests wait for it).
export function runLayout(cy, name) {
  const container = cy.container();
  delete container.dataset.layout;
  const layout = cy.layout(layoutOptions(name, cy));
  const done = layout.promiseOn("layoutstop").then(() => {
    separateLabels(cy);
    cy.fit(undefined, 20);
    container.dataset.layout = name;
  });
  layout.run();
  return done;
}

const LABEL_GAP = 2; // model units kept between two nodes' boxes
const SEPARATION_ROUNDS = 300;

// A node's box with its label: what must not overlap another's for both labels to be read.
function labelBox(node) {
  return node.boundingBox({ includeLabels: true, includeEdges: false, includeOverlays: false });
}

// Move apart the nodes whose boxes (labels included) overlap, each pair along the axis on which it overlaps
// least, until none overlap. The force layout spaces nodes by their sizes but lets long labels run into
// their neighbours; moving along the lesser overlap (for a line of text, mostly up or down) keeps the
// layout's shape. Pairs are found by a sweep over the boxes sorted by left edge.
export function separateLabels(cy) {
  const nodes = cy.nodes().toArray();
  for (let round = 0; round < SEPARATION_ROUNDS; round++) {
    const boxes = nodes.map(labelBox);
    const order = nodes.map((_, index) => index).sort((a, b) => boxes[a].x1 - boxes[b].x1 || a - b);
    const shifts = nodes.map(() => ({ x: 0, y: 0 }));
    let overlapping = false;
    order.forEach((first, rank) => {
      const a = boxes[first];
      for (const second of order.slice(rank + 1)) {
        const b = boxes[second];
        if (b.x1 >= a.x2 + LABEL_GAP) break;
        const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + LABEL_GAP;
        const dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + LABEL_GAP;
        if (dx <= 0 || dy <= 0) continue;
        overlapping = true;
        const axis = dx < dy ? "x" : "y";
        const [low, high] = axis === "x" ? ["x1", "x2"] : ["y1", "y2"];
        const sign = a[low] + a[high] <= b[low] + b[high] ? 1 : -1; // the first goes the way it already lies
        const push = (axis === "x" ? dx : dy) / 2;
        shifts[first][axis] -= sign * push;
        shifts[second][axis] += sign * push;
      }
    });
    if (!overlapping) return true;
    cy.batch(() => {
      nodes.forEach((node, index) => {
        const { x, y } = node.position();
        node.position({ x: x + shifts[index].x, y: y + shifts[index].y });
      });
    });
  }
  return false;
}

export function drawNetwork(container, network, { onSelect, layout = "columns" }) {
  const cy = cytoscape({
    container,
    elements: elements(network),
    style: STYLE,
    minZoom: 0.2,
    maxZoom: 3,
  });
  runLayout(cy, layout);
  cy.on("tap", "node", (event) => onSelect(event.target.id(), event.target.data()));
  // A label cut short by its width is read whole in the tooltip of the node under the pointer.
  cy.on("mouseover", "node", (event) => container.setAttribute("title", event.target.data("label")));
  cy.on("mouseout", "node", () => container.removeAttribute("title"));
  return cy;
}

// Select a node and fade what is not connected to it; returns false when the network has no such node.
export function focusNode(cy, id) {
  const node = cy.getElementById(id);
  cy.elements().removeClass("faded neighbour").unselect();
  if (node.empty()) return false;
  const neighbourhood = node.closedNeighborhood();
  cy.elements().not(neighbourhood).addClass("faded");
  neighbourhood.nodes().not(node).addClass("neighbour");
  node.select();
  return true;
}

// The meaning of a stance value on each kind of target, under the legend; left out should the ontology not load.
async function showMeanings(container) {
  try {
    const notes = await stanceValueMeanings();
    if (notes.length) show(container, el("span", {}, "What a stance value means:"), el("ul", {}, notes.map((note) => el("li", {}, note))));
  } catch {
    container.remove();
  }
}

export function legend(container) {
  const items = [...STANCE_COLOURS.values()].map(([colour, text]) =>
    el("span", { class: "legend-item" }, el("span", { class: "swatch", style: `background:${colour}` }), text),
  );
  const meanings = el("div", { class: "legend-meanings", "aria-label": "What a stance value means on each kind of target" });
  showMeanings(meanings);
  show(
    container,
    ...items,
    el("span", { class: "legend-item concern-legend" }, el("span", { class: "swatch", style: `background:${CONCERN_COLOUR}` }), CONCERN_LEGEND),
    el("span", { class: "legend-item" }, el("span", { class: "swatch dashed" }), "hedged"),
    el("span", { class: "legend-item" }, el("span", { class: "dot stakeholder" }), "stakeholder"),
    el("span", { class: "legend-item" }, el("span", { class: "dot target" }), "target"),
    meanings,
  );
}

// The nodes as buttons beside the graph: a keyboard- and test-friendly way to pick one.
export function nodeList(container, cy, onSelect) {
  const group = (title, selector) => {
    const nodes = cy.nodes(selector).sort((a, b) => a.data("label").localeCompare(b.data("label")));
    return el(
      "div",
      { class: "node-group" },
      el("h3", {}, title),
      el(
        "ul",
        {},
        nodes.map((node) =>
          el(
            "li",
            {},
            el(
              "button",
              { class: `node-button ${node.data("kind")}`, dataset: { id: node.id() }, onclick: () => onSelect(node.id(), node.data()) },
              node.data("label"),
            ),
          ),
        ),
      ),
    );
  };
  show(container, group("Stakeholders", "[kind = 'stakeholder']"), group("Targets", "[kind != 'stakeholder']"));
}
