// Stance values as the page shows them: a colour per value, -2 to +2, and one colour of its own for a
// concern, whose +1 means "raises the concern" and never "for" (DESIGN.md); what a value means on each kind
// of target, as the ontology writes it; and times at their precision.

import { request } from "./http.js";

export const STANCE_COLOURS = new Map([
  [2, ["#1a7f37", "+2 for"]],
  [1, ["#8cc152", "+1 leaning for"]],
  [0, ["#98a2b3", "0 weighing, monitoring, mixed, framing"]],
  [-1, ["#f0a03c", "−1 leaning against"]],
  [-2, ["#c62828", "−2 against"]],
]);

export const CONCERN_COLOUR = "#7b4fc9";
export const CONCERN_LEGEND = "raises concern";

// What a stance value means on each kind of target: the ontology's scope notes on sg:stanceValue, read from
// /ontology (the ontology file, whatever the store holds), so that the page and the ontology never differ.
const STANCE_VALUE = /(^sg:|[#/])stanceValue$/;

export async function stanceValueMeanings() {
  const response = await request("ontology?format=jsonld", { headers: { Accept: "application/ld+json" } });
  const document = await response.json();
  const nodes = Array.isArray(document) ? document : document["@graph"] || [];
  const term = nodes.find((node) => STANCE_VALUE.test(String(node["@id"] || "")));
  // The service compacts its JSON-LD with the ontology's prefixes (graph/namespaces.py): skos: among them.
  const notes = term?.["skos:scopeNote"] ?? [];
  return (Array.isArray(notes) ? notes : [notes])
    .map((note) => (typeof note === "string" ? note : note["@value"]))
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b));
}

// A position on a concern: its stance is "concerned", or its target is a Concern.
export function isConcern(stance, targetType) {
  return /concern/i.test(String(stance || "")) || /(^|[#/])Concern$/.test(String(targetType || ""));
}

export function stanceColour(value, { stance, targetType } = {}) {
  if (isConcern(stance, targetType)) return CONCERN_COLOUR;
  const number = Number(value);
  const clamped = Number.isFinite(number) ? Math.max(-2, Math.min(2, Math.round(number))) : 0;
  return STANCE_COLOURS.get(clamped)[0];
}

// +2, −2 (a true minus sign), 0; text values (not well-formed integers) as they are.
export function signed(value) {
  const number = Number(value);
  if (value === null || value === undefined || value === "" || !Number.isFinite(number)) return String(value ?? "?");
  return number > 0 ? `+${number}` : number < 0 ? `−${-number}` : "0";
}

// An ISO 8601 time as much of it as the source gives: 2025, 2025-02, 2025-02-01, or the instant in UTC.
export function formatTime(iso, precision = "day") {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return String(iso);
  const text = time.toISOString();
  if (precision === "year") return text.slice(0, 4);
  if (precision === "month") return text.slice(0, 7);
  if (precision === "instant") return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
  return text.slice(0, 10);
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}
