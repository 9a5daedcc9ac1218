// The explorer page: wires the network (whole or by time window), the timeline, the details panel, the
// label search and the query panel together.

import { CodingView } from "./coding.js";
import { el, message, show } from "./dom.js";
import { createEditor } from "./editor.js";
import { showEntity } from "./entity.js";
import { getJson, idOf } from "./http.js";
import { drawNetwork, focusNode, legend, nodeList, runLayout } from "./network.js";
import { QueryPanel } from "./sparql.js";
import { drawTimeline, timelineLegend } from "./timeline.js";
import { WindowControl } from "./windows.js";

const $ = (id) => document.getElementById(id);

const explorer = { cy: null, select, queryPanel: null, selected: null };
window.explorer = explorer; // for the console and the browser tests: explorer.select("canada")

async function select(id, data = {}) {
  explorer.selected = id;
  const known = explorer.cy ? focusNode(explorer.cy, id) : false;
  for (const button of document.querySelectorAll(".node-button")) {
    button.classList.toggle("chosen", button.dataset.id === id);
  }
  const label = data.label || (known ? explorer.cy.getElementById(id).data("label") : id);
  try {
    await showEntity($("details"), id, { label, onSelect: (other) => select(other) });
  } catch (error) {
    show($("details"), el("p", { class: "status", "data-kind": "error" }, error.message));
  }
}

// Draw `network` in the network view (replacing what it showed), keeping the layout and the selection.
function drawView(network) {
  explorer.cy?.destroy();
  explorer.cy = drawNetwork($("graph"), network, { onSelect: select, layout: $("layout").value });
  nodeList($("node-list"), explorer.cy, select);
  if (explorer.selected) {
    focusNode(explorer.cy, explorer.selected);
    for (const button of document.querySelectorAll(".node-button")) {
      button.classList.toggle("chosen", button.dataset.id === explorer.selected);
    }
  }
  message($("network-status"), network.note || "");
}

async function loadNetwork() {
  legend($("legend"));
  timelineLegend($("timeline-legend"));
  let network;
  try {
    network = await getJson("network/two-mode");
    drawView(network);
  } catch (error) {
    message($("network-status"), `The network could not be loaded: ${error.message}`, "error");
    message($("timeline-status"), `The timeline could not be drawn: ${error.message}`, "error");
    return;
  }
  $("layout").addEventListener("change", (event) => {
    runLayout(explorer.cy, event.target.value);
  });
  explorer.windows = new WindowControl({
    length: $("window-length"),
    bar: $("window-bar"),
    graphml: $("network-graphml"),
    onWindow: (chosen) => drawView(chosen || network),
  });
  try {
    const drawn = await drawTimeline($("timeline"), $("timeline-status"), network, { onSelect: (id) => select(id) });
    $("timeline-legend").hidden = drawn.dated === 0;
  } catch (error) {
    message($("timeline-status"), `The timeline could not be drawn: ${error.message}`, "error");
  }
}

function setUpSearch() {
  const input = $("search");
  const list = $("search-results");
  let pending = 0;
  const close = () => {
    list.hidden = true;
  };
  input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const text = input.value.trim();
      if (!text) return close();
      try {
        const found = await getJson("search", { q: text, limit: 12 });
        const items = found.items || found;
        show(
          list,
          items.length
            ? items.map((item) =>
                el(
                  "li",
                  {},
                  el(
                    "button",
                    {
                      onclick: () => {
                        close();
                        input.value = item.label;
                        select(idOf(item.id), item);
                      },
                    },
                    el("span", { class: "label" }, item.label),
                    el("small", {}, [item.type, item.matched && item.matched !== item.label ? `“${item.matched}”` : null].filter(Boolean).join(" · ")),
                  ),
                ),
              )
            : el("li", { class: "empty" }, "Nothing with that name."),
        );
        list.hidden = false;
      } catch (error) {
        show(list, el("li", { class: "empty" }, error.message));
        list.hidden = false;
      }
    }, 200);
  });
  input.addEventListener("keydown", (event) => event.key === "Escape" && close());
  document.addEventListener("click", (event) => !event.target.closest(".search") && close());
}

async function setUpQueries() {
  const panel = new QueryPanel({
    editor: null,
    examples: $("examples"),
    info: $("example-info"),
    description: $("example-description"),
    parameters: $("parameters"),
    status: $("query-status"),
    results: $("results"),
    filter: $("results-filter"),
    shown: $("results-shown"),
    downloads: $("downloads"),
    onSelect: (id) => select(id),
  });
  panel.editor = createEditor($("editor"), { onRun: () => panel.run(), onChange: () => panel.edited() });
  $("run").addEventListener("click", () => panel.run());
  $("parameters").addEventListener("submit", (event) => {
    event.preventDefault();
    panel.run();
  });
  explorer.queryPanel = panel;
  // A query in the page's address (?query=..., as a browser asking /sparql is sent here) opens in the editor.
  const asked = new URLSearchParams(location.search).get("query");
  if (asked) {
    panel.editor.text = asked;
    $("sparql").scrollIntoView();
  }
  try {
    const queries = await panel.loadExamples();
    const first = queries.find((query) => query.name === "supporters-of-participation") || queries[0];
    if (first && !asked) await panel.choose(first);
  } catch (error) {
    message($("query-status"), `The named queries could not be loaded: ${error.message}`, "error");
  }
}

async function setUpCoding() {
  try {
    explorer.coding = new CodingView($("coding"));
    await explorer.coding.start();
  } catch (error) {
    message($("coding-status") || $("coding"), `The coding view could not be set up: ${error.message}`, "error");
  }
}

setUpSearch();
await Promise.all([loadNetwork(), setUpQueries(), setUpCoding()]);
document.body.dataset.ready = "true"; // the page has loaded its data: tests wait for this
