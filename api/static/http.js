// Requests to the service. URLs are relative to the page, so the service may live under any path prefix.

export const ENTITY_NAMESPACE = "https://w3id.org/stancegraph/id/";

// A refusal or failure of the service: its status and its JSON error body ({error, message, line, column,
// parameter}, see api/errors.py), or {} when the body was not JSON.
export class RequestError extends Error {
  constructor(status, message, body = {}) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

// Where the Code view keeps the coder's bearer token for the tab (coding-session.js). Every request
// carries it: a service that opens reads to coders only (read_access: coders) then answers the page.
export const TOKEN_KEY = "stancegraph-coder-token";

export async function request(url, init = {}) {
  const headers = new Headers(init.headers || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
  const response = await fetch(url, { ...init, headers });
  if (!response.ok) {
    let text = `${response.status} ${response.statusText}`;
    let body = {};
    try {
      const parsed = await response.json();
      if (parsed && typeof parsed === "object") body = parsed;
      text = body.message || text;
    } catch {
      // Not a JSON error body: the status line says enough.
    }
    throw new RequestError(response.status, text, body);
  }
  return response;
}

export async function getJson(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== "" && value != null));
  const url = query.toString() ? `${path}?${query}` : path;
  return (await request(url, { headers: { Accept: "application/json" } })).json();
}

// The REST id of an entity IRI (or the id itself, when it already is one).
export function idOf(iriOrId) {
  return iriOrId.startsWith(ENTITY_NAMESPACE) ? iriOrId.slice(ENTITY_NAMESPACE.length) : iriOrId;
}

export function isEntity(value) {
  return typeof value === "string" && value.startsWith(ENTITY_NAMESPACE);
}

// Save a response body as a file, with the name the service gives it (Content-Disposition) or a fallback.
export async function download(response, fallbackName) {
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || fallbackName;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
