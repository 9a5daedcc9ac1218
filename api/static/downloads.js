// The results' download buttons: a table's rows as CSV or JSON, a graph in each RDF syntax the service
// writes. Each asks the service the same request again with that format's media type, so the file holds
// what the service serializes (every term as it is, not as the page shows it), not a copy of the page.

import { el, show } from "./dom.js";
import { download, request } from "./http.js";

// The media types are the service's own names for these formats (graph/formats.py); the extensions are
// what the file is saved with when the service sends no file name.
export const GRAPH_FORMATS = [
  { key: "turtle", label: "Turtle", accept: "text/turtle", extension: "ttl" },
  { key: "ntriples", label: "N-Triples", accept: "application/n-triples", extension: "nt" },
  { key: "rdfxml", label: "RDF/XML", accept: "application/rdf+xml", extension: "rdf" },
  { key: "jsonld", label: "JSON-LD", accept: "application/ld+json", extension: "jsonld" },
];

// JSON is SPARQL's results format from /sparql, the named queries' own JSON from /queries.
export function rowFormats(jsonType) {
  return [
    { key: "csv", label: "CSV", accept: "text/csv", extension: "csv" },
    { key: "json", label: "JSON", accept: jsonType, extension: "json" },
  ];
}

export class Downloads {
  // container: where the buttons go; onError(error): a download the service refused.
  constructor({ container, onError }) {
    Object.assign(this, { container, onError });
    this.offer(null, []);
  }

  // Offer `formats` for `requested` ({ url, init, name }), or nothing when requested is null.
  offer(requested, formats) {
    this.requested = requested;
    this.container.hidden = !requested || formats.length === 0;
    show(
      this.container,
      requested && formats.length ? el("span", { class: "hint" }, "Download") : null,
      (requested ? formats : []).map((format) =>
        el("button", { id: `download-${format.key}`, title: `Download as ${format.accept}`, onclick: () => this.fetch(format) }, format.label),
      ),
    );
  }

  async fetch(format) {
    const { url, init, name } = this.requested;
    try {
      const response = await request(url, { ...init, headers: { ...init.headers, Accept: format.accept } });
      await download(response, `${name}.${format.extension}`);
    } catch (error) {
      this.onError(error);
    }
  }
}
