// socred-element.js defines <socred-credentials>, socred's form as a custom
// element for a host page (a portal) on another origin:
//
//   <script type="module" src="https://socred.example/socred-element.js"></script>
//   <socred-credentials associate-id="12" type="imap"></socred-credentials>
//
// It loads everything else from its own origin (the folder of this file):
// its ES modules (js/*.js) by import, form.html and app.css by fetch
// (CORS), wasm_exec.js and socred.js as scripts with crossorigin="anonymous"
// (CORS too), so the socred server must list the host page's origin with
// -embed-origin. The styles go in a constructed stylesheet
// (adoptedStyleSheets): no inline style, no <style>. All instances on a
// page share one Go module (one socred.ready) and one copy of these files;
// each has its own shadow root, ids, state and language.
//
// Language: the element's own lang attribute, else the closest ancestor's,
// else the document's (<html lang>); it changes live when any of them does.
//
// Attributes (non-secret): endpoint, associate-id, type, soap-version
// ("1.1" or "1.2"), sections (a space-separated subset of "connection login
// records preview sign"; the credential part always shows), lang,
// expiry-warning-days (the table says "Expires in N days" within that many
// days; 30 by default). associate-id may hold a user name. Methods:
// setTicket(ticket), prefill(fields) (as the iframe's socred:prefill).
// Property: state ("loading", "ready" or "failed"; also the custom states
// :state(ready) and :state(failed)). Events (bubbles, composed; detail never
// holds a secret): socred-ready {version}, socred-saved and socred-removed
// {associateId, type, publicValue}, socred-failed {operation, kind, message,
// field}.

import { mount, startupText } from "./js/form.js";
import { langOf, load, supported, t } from "./js/i18n.js";

const base = new URL(".", import.meta.url);

// Classic scripts loaded once per document, in order: the Go loader and
// the one that defines the global socred API.
const scripts = [
  ["wasm_exec.js", () => typeof globalThis.Go === "function"],
  ["socred.js", () => Boolean(globalThis.socred && globalThis.socred.ready)],
];

// CannotLoad is a file of socred's that would not load: the host page must
// allow socred's origin.
class CannotLoad extends Error {
  constructor(file) {
    super("could not load " + file + " from " + base.origin +
      ": the socred server must list this page's origin (" + location.origin + ") with -embed-origin, " +
      "and this page's Content-Security-Policy must allow " + base.origin + " in script-src and connect-src");
    this.file = file;
  }
}
function hint(what) {
  return new CannotLoad(what);
}

function loadScript(name) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = new URL(name, base).href;
    s.crossOrigin = "anonymous";
    s.async = false;
    s.onload = () => resolve();
    s.onerror = () => reject(hint(name));
    document.head.append(s);
  });
}

async function fetchText(name) {
  let r;
  try {
    r = await fetch(new URL(name, base), { credentials: "omit" });
  } catch (_) {
    throw hint(name);
  }
  if (!r.ok) throw new Error("could not load " + name + " from " + base.origin + " (HTTP " + r.status + ")");
  return r.text();
}

// fetchConfig reads socred's config.json: {endpoint, endpointOrigins}.
async function fetchConfig() {
  try {
    const url = new URL("config.json", base);
    const r = await fetch(url, { credentials: "omit", cache: "no-store" });
    const c = r.ok ? await r.json() : {};
    // The endpoint may be a path on socred's origin ("/demo"): resolve it.
    return {
      endpoint: c && typeof c.endpoint === "string" && c.endpoint !== "" ? new URL(c.endpoint, url).href : "",
      endpointOrigins: c && Array.isArray(c.endpointOrigins) ? c.endpointOrigins : [],
    };
  } catch (_) {
    return { endpoint: "", endpointOrigins: [] };
  }
}

let shared = null;
function loadShared() {
  if (!shared) {
    shared = (async () => {
      const [html, css] = await Promise.all([fetchText("form.html"), fetchText("app.css")]);
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      for (const [name, loaded] of scripts) {
        if (!loaded()) await loadScript(name);
      }
      return { html, sheet, config: await fetchConfig() };
    })();
  }
  return shared;
}

// The box shown when socred's files cannot load at all.
const failSheet = new CSSStyleSheet();
failSheet.replaceSync(":host{display:block}p{margin:0;padding:.8rem 1rem;border:1px solid #e8b7b0;" +
  "border-radius:6px;background:#fcefed;color:#5e150f;font:500 15px/1.5 system-ui,sans-serif}");

const attributes = {
  endpoint: "endpoint",
  "associate-id": "associateId",
  type: "type",
  "soap-version": "soapVersion",
};

class SocredCredentials extends HTMLElement {
  static observedAttributes = [...Object.keys(attributes), "sections", "expiry-warning-days"];

  #root;
  #internals;
  #controller = null;
  #started = false;
  #pending = []; // calls made before the form was mounted
  #state = "loading";

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#internals = this.attachInternals();
  }

  get state() {
    return this.#state;
  }

  connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    const p = document.createElement("p");
    p.textContent = "Loading socred…";
    p.setAttribute("role", "status");
    this.#root.replaceChildren(p);
    load(supported(langOf(this)) || "en").then((lang) => { if (!this.#controller) p.textContent = t(lang, "element.loading"); });
    loadShared().then((s) => this.#mount(s), (err) => this.#fail(err));
  }

  attributeChangedCallback(name, _old, value) {
    if (this.#controller) this.#apply(name, value);
  }

  // setTicket hands the element a NetServer ticket ("" clears it). It
  // throws a TypeError for a value that cannot be a ticket.
  setTicket(ticket) {
    if (typeof ticket !== "string" || ticket.length > 4096) throw new TypeError("socred: ticket must be a string");
    this.#call((c) => c.setTicket(ticket));
  }

  // prefill sets non-secret fields: {endpoint, associateId, type,
  // publicValue, comment, validFrom, validTo, isActive, soapVersion}. It
  // throws a TypeError naming a bad field and then applies none.
  prefill(fields) {
    this.#call((c) => c.prefill(fields));
  }

  #call(fn) {
    if (this.#controller) fn(this.#controller);
    else this.#pending.push(fn);
  }

  #mount({ html, sheet, config }) {
    this.#root.adoptedStyleSheets = [sheet];
    const t = document.createElement("template");
    t.innerHTML = html; // socred's own file, from socred's origin
    const wrap = document.createElement("div");
    wrap.className = "socred";
    wrap.append(t.content);
    // On the page each card is a named region; inside a host page several
    // elements would repeat the same landmark names ("Credential"…), so the
    // element keeps the headings but not the landmarks: the host's own
    // landmark around the element names it.
    for (const s of wrap.querySelectorAll("section[aria-labelledby]")) s.removeAttribute("aria-labelledby");
    this.#root.replaceChildren(wrap);
    this.#controller = mount(this.#root, {
      endpoint: config.endpoint,
      endpointOrigins: config.endpointOrigins,
      remember: false,
      emit: (name, detail) => this.#emit(name, detail),
    });
    for (const name of SocredCredentials.observedAttributes) {
      if (this.hasAttribute(name)) this.#apply(name, this.getAttribute(name));
    }
    for (const fn of this.#pending.splice(0)) {
      try {
        fn(this.#controller);
      } catch (err) {
        this.#emit("failed", { operation: "prefill", kind: "attribute", message: err.message, field: "" });
      }
    }
  }

  #apply(name, value) {
    try {
      if (name === "sections") {
        this.#controller.setSections(value === null ? null : value.split(/[\s,]+/).filter(Boolean));
      } else if (name === "expiry-warning-days") {
        this.#controller.setWarningDays(value === null ? 30 : value);
      } else {
        this.#controller.prefill({ [attributes[name]]: value === null ? "" : value });
      }
    } catch (err) {
      this.#emit("failed", { operation: "attribute", kind: "attribute", message: name + ": " + err.message, field: name });
    }
  }

  #setState(state) {
    this.#state = state;
    try {
      this.#internals.states.clear();
      this.#internals.states.add(state);
    } catch (_) { /* custom states unsupported */ }
  }

  #emit(name, detail) {
    if (name === "ready") this.#setState("ready");
    if (name === "failed" && detail.operation === "start") this.#setState("failed");
    this.dispatchEvent(new CustomEvent("socred-" + name, {
      bubbles: true,
      composed: true,
      detail: Object.freeze(Object.assign({}, detail)),
    }));
  }

  async #fail(err) {
    this.#root.adoptedStyleSheets = [failSheet];
    const p = document.createElement("p");
    p.setAttribute("role", "alert");
    const english = "socred could not start: " + ((err && err.message) || err);
    p.textContent = english;
    this.#root.replaceChildren(p);
    this.#setState("failed");
    this.#emit("failed", { operation: "start", kind: "startup", message: english, field: "" });
    const lang = await load(supported(langOf(this)) || "en");
    p.textContent = err instanceof CannotLoad
      ? t(lang, "element.cannotLoad", { file: err.file, origin: base.origin, page: location.origin })
      : startupText(lang, err);
  }
}

if (!customElements.get("socred-credentials")) {
  customElements.define("socred-credentials", SocredCredentials);
}
