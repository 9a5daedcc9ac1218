// What the coding form offers: the stances with their default values and the attribution modes, read
// from the ontology in the store (so the page never lists a stance the service would refuse), and the
// registry's holders and targets for the type-ahead.

import { getJson, idOf } from "./http.js";

const VOCABULARY = `PREFIX sg: <https://w3id.org/stancegraph/ontology#>
SELECT ?concept ?value ?kind WHERE {
  { ?concept sg:defaultValue ?value BIND("stance" AS ?kind) }
  UNION { ?concept a sg:AttributionMode BIND("attribution" AS ?kind) }
}`;

const localName = (iri) => iri.replace(/^.*[#/]/, "");

// {stances: [{name, value}], attributions: [name]}, each in a reader's order (stances for to against).
export async function loadVocabulary() {
  const answer = await getJson("sparql", { query: VOCABULARY });
  const stances = [];
  const attributions = [];
  for (const row of answer.results.bindings) {
    const name = localName(row.concept.value);
    if (row.kind.value === "stance") stances.push({ name, value: Number(row.value.value) });
    else attributions.push(name);
  }
  stances.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
  const order = ["direct", "reported", "unattributed", "authorial"]; // the ontology's order of the modes
  attributions.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return { stances, attributions };
}

const TARGET_COLLECTIONS = ["programs", "concerns", "measures", "threats"];

// {holders, targets}: [{id, label}] each, by label. Participation proposals have no collection of their
// own, so the targets and regarded entities of the positions add them.
export async function loadRegistry(limit) {
  const [stakeholders, positions, ...collections] = await Promise.all([
    getJson("stakeholders", { limit }),
    getJson("positions", { limit }),
    ...TARGET_COLLECTIONS.map((name) => getJson(name, { limit })),
  ]);
  const entries = (items) => items.map((item) => ({ id: idOf(item.id), label: item.label || item.id, type: item.type }));
  const targets = new Map(collections.flatMap((page) => entries(page.items)).map((item) => [item.id, item]));
  for (const position of positions.items) {
    for (const item of [position.target, position.regarding].flat().filter(Boolean)) {
      const [entry] = entries([item]);
      if (!targets.has(entry.id)) targets.set(entry.id, entry);
    }
  }
  const byLabel = (a, b) => a.label.localeCompare(b.label);
  return { holders: entries(stakeholders.items).sort(byLabel), targets: [...targets.values()].sort(byLabel) };
}
