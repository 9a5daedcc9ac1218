// The coder at the page: a bearer token asked once and kept for the tab (sessionStorage, gone when the
// tab closes), who it names (/coders/me), and the writes sent with it.

import { el, message, show } from "./dom.js";
import { errorText } from "./coding-errors.js";
import { TOKEN_KEY as KEY, request } from "./http.js";

export class CoderSession {
  // `onChange(coder)` after signing in or out; the coder is {name, role, capabilities} or null.
  constructor(container, { onChange }) {
    this.onChange = onChange;
    this.coder = null;
    this.token = el("input", {
      id: "coding-token",
      type: "password",
      autocomplete: "off",
      "aria-label": "Coder's token",
    });
    this.who = el("span", { id: "coding-who", class: "hint", "aria-live": "polite" });
    this.signOutButton = el("button", { type: "button", id: "coding-sign-out", onclick: () => this.signOut() }, "Sign out");
    this.form = el(
      "form",
      {
        class: "coding-session",
        "aria-label": "Sign in to code",
        onsubmit: (event) => (event.preventDefault(), this.signIn(this.token.value.trim())),
      },
      this.token,
      el("button", { type: "submit", id: "coding-sign-in" }, "Sign in"),
    );
    show(container, this.form, this.who, this.signOutButton);
  }

  get saved() {
    return sessionStorage.getItem(KEY);
  }

  async signIn(token) {
    if (!token) return message(this.who, "Enter your coder's token to sign in.", "error");
    sessionStorage.setItem(KEY, token);
    this.token.value = "";
    await this.refresh();
  }

  signOut() {
    sessionStorage.removeItem(KEY);
    this.refresh();
  }

  // Ask the service who the kept token names; forget a token it does not know.
  async refresh() {
    this.coder = null;
    if (this.saved) {
      try {
        const answer = await request("coders/me", { headers: { Accept: "application/json", ...this.headers() } });
        this.coder = await answer.json();
      } catch (error) {
        sessionStorage.removeItem(KEY);
        message(this.who, `Not signed in: ${errorText(error)}`, "error");
      }
    }
    if (this.coder) message(this.who, `Signed in as ${this.coder.name} (${this.coder.role})`);
    else if (!this.saved && this.who.dataset.kind !== "error") message(this.who, "Not signed in: reading only.");
    this.form.hidden = Boolean(this.coder);
    this.signOutButton.hidden = !this.coder;
    this.onChange(this.coder);
  }

  headers() {
    return this.saved ? { Authorization: `Bearer ${this.saved}` } : {};
  }

  // Send a write (JSON in and out) as this coder; the service's refusal is thrown as a RequestError.
  async send(method, url, body) {
    const headers = { Accept: "application/json", ...this.headers() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const answer = await request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return answer.status === 204 ? null : answer.json();
  }

  async get(url) {
    return (await request(url, { headers: { Accept: "application/json", ...this.headers() } })).json();
  }
}
