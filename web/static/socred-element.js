// socred-element.js defines <socred-credentials>, socred's form as a custom
// element for a host page (a portal) on another origin:
//
//   <script type="module" src="https://socred.example/socred-element.js"></script>
//   <socred-credentials associate-id="12" type="imap"></socred-credentials>
//
// This file is public code: the socred server (and the static bundle's
// web.config and nginx/Apache snippets) serve it to any origin
// (Access-Control-Allow-Origin: *, Cross-Origin-Resource-Policy:
// cross-origin), so it always runs and can say what is wrong. Everything
// else it loads from its own origin (the folder of this file) only for the
// origins the socred server lists with -embed-origin: its ES modules
// (js/*.js) by a dynamic import, form.html and app.css by fetch (CORS),
// wasm_exec.js and socred.js as scripts with crossorigin="anonymous". When
// they are refused, the element tells this page's origin, that the socred
// server does not list it and what its operator adds, in the element's
// language (a small table here, as the catalogues are refused too), and
// fires socred-failed (kind startup). The styles go in a constructed
// stylesheet (adoptedStyleSheets): no inline style, no <style>. All
// instances on a page share one Go module (one socred.ready) and one copy
// of these files; each has its own shadow root, ids, state and language.
//
// window.socred exists once the element is defined: before
// customElements.define, this file puts a `socred` whose `ready` Promise
// stands for the module (socred.js takes the same object over and settles
// it), so `await customElements.whenDefined("socred-credentials"); await
// socred.ready` works.
//
// Language: the element's own lang attribute, else the closest ancestor's,
// else the document's (<html lang>); it changes live when any of them does.
//
// Attributes (non-secret): endpoint, associate-id, type, soap-version
// ("1.1" or "1.2"), sections (a space-separated subset of "connection login
// records preview sign batch audit"; the credential part always shows),
// lang, expiry-warning-days (the table says "Expires in N days" within that
// many days; 30 by default). associate-id may hold a user name. Methods:
// setTicket(ticket), prefill(fields) (as the iframe's socred:prefill).
// Property: state ("loading", "ready" or "failed"; also the custom states
// :state(ready) and :state(failed)). Events (bubbles, composed; detail never
// holds a secret): socred-ready {version}, socred-saved and socred-removed
// {associateId (a number), type, publicValue}, socred-failed {operation,
// kind, message, field}, socred-batch {created, updated, unchanged,
// removed, failed, notSent}. custom-elements.json and socred-element.d.ts
// describe them for tools.

const base = new URL(".", import.meta.url);

// The words for a refused or unreachable socred server, in the element's
// languages: built in, as the catalogues (js/lang/*) come from the same
// refusing server. {page} is this page's origin, {socred} socred's.
const words = {
  en: {
    refused: "socred cannot start on this page: the socred server at {socred} does not list this page's origin, {page}. Its operator adds it: socred -embed-origin {page} (the socred server), or for the static bundle \"embedOrigins\": [\"{page}\"] in config.json and the header Access-Control-Allow-Origin: {page} in web.config.",
    unreachable: "socred cannot start on this page: the socred server at {socred} does not answer, or this page's Content-Security-Policy does not allow {socred} in connect-src.",
  },
  nb: {
    refused: "socred kan ikke starte på denne siden: socred-serveren på {socred} har ikke denne sidens opprinnelse, {page}, på listen. Operatøren legger den til: socred -embed-origin {page} (socred-serveren), eller for den statiske pakken \"embedOrigins\": [\"{page}\"] i config.json og headeren Access-Control-Allow-Origin: {page} i web.config.",
    unreachable: "socred kan ikke starte på denne siden: socred-serveren på {socred} svarer ikke, eller sidens Content-Security-Policy tillater ikke {socred} i connect-src.",
  },
  sv: {
    refused: "socred kan inte starta på den här sidan: socred-servern på {socred} listar inte sidans ursprung, {page}. Dess operatör lägger till det: socred -embed-origin {page} (socred-servern), eller för det statiska paketet \"embedOrigins\": [\"{page}\"] i config.json och rubriken Access-Control-Allow-Origin: {page} i web.config.",
    unreachable: "socred kan inte starta på den här sidan: socred-servern på {socred} svarar inte, eller sidans Content-Security-Policy tillåter inte {socred} i connect-src.",
  },
  da: {
    refused: "socred kan ikke starte på denne side: socred-serveren på {socred} har ikke sidens oprindelse, {page}, på listen. Dens operatør tilføjer den: socred -embed-origin {page} (socred-serveren), eller for den statiske pakke \"embedOrigins\": [\"{page}\"] i config.json og headeren Access-Control-Allow-Origin: {page} i web.config.",
    unreachable: "socred kan ikke starte på denne side: socred-serveren på {socred} svarer ikke, eller sidens Content-Security-Policy tillader ikke {socred} i connect-src.",
  },
  de: {
    refused: "socred kann auf dieser Seite nicht starten: Der socred-Server unter {socred} führt den Ursprung dieser Seite, {page}, nicht auf. Sein Betreiber ergänzt ihn: socred -embed-origin {page} (der socred-Server), oder beim statischen Paket \"embedOrigins\": [\"{page}\"] in config.json und den Header Access-Control-Allow-Origin: {page} in web.config.",
    unreachable: "socred kann auf dieser Seite nicht starten: Der socred-Server unter {socred} antwortet nicht, oder die Content-Security-Policy dieser Seite erlaubt {socred} nicht in connect-src.",
  },
  nl: {
    refused: "socred kan niet starten op deze pagina: de socred-server op {socred} vermeldt de oorsprong van deze pagina, {page}, niet. De beheerder voegt die toe: socred -embed-origin {page} (de socred-server), of voor de statische bundel \"embedOrigins\": [\"{page}\"] in config.json en de header Access-Control-Allow-Origin: {page} in web.config.",
    unreachable: "socred kan niet starten op deze pagina: de socred-server op {socred} antwoordt niet, of de Content-Security-Policy van deze pagina staat {socred} niet toe in connect-src.",
  },
};

// ownLang is the element's language as js/i18n.js's langOf and supported
// find it, for when those cannot load.
function ownLang(node) {
  let tag = "";
  for (let n = node; n; n = n.parentNode || (n instanceof ShadowRoot ? n.host : null)) {
    if (n.nodeType === 1 && n.hasAttribute("lang")) {
      tag = n.getAttribute("lang");
      break;
    }
  }
  if (!tag) tag = document.documentElement.getAttribute("lang") || "";
  let l = String(tag).trim().toLowerCase().split(/[-_]/)[0];
  if (l === "no" || l === "nn") l = "nb";
  return Object.hasOwn(words, l) ? l : "en";
}

// Refused is socred's server answering this page without CORS (its origin
// is not an -embed-origin); kind "unreachable" when it does not answer at
// all (or this page's CSP keeps it from asking).
class Refused extends Error {
  constructor(kind) {
    super(say("en", kind));
    this.kind = kind;
  }
}
function say(lang, kind) {
  return words[lang][kind].replaceAll("{page}", location.origin).replaceAll("{socred}", base.origin);
}

// sayInto puts say's text into p with the flag and the header name each in
// a <code> that does not wrap, so a line never breaks inside them
// ("socred -" / "embed-origin") and a copied command stays whole; the
// text is unchanged.
function sayInto(p, lang, kind) {
  p.replaceChildren(...say(lang, kind).split(/(-embed-origin|Access-Control-Allow-Origin)/).map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement("code");
    code.textContent = part;
    return code;
  }));
}

// diagnose tells why a file of socred's did not load: config.json readable
// with CORS means this origin is listed (err stands); else this file, which
// every origin may read, tells a refusing server from an unreachable one.
async function diagnose(err) {
  if (err instanceof Refused) return err;
  const get = (url) => fetch(url, { credentials: "omit", cache: "no-store" });
  try {
    await get(new URL("config.json", base));
    return err;
  } catch (_) { /* refused or unreachable */ }
  try {
    await get(import.meta.url);
    return new Refused("refused");
  } catch (_) {
    return new Refused("unreachable");
  }
}

// window.socred and its ready Promise, before the element is defined;
// socred.js (loaded below, or by the page) fills this object and settles
// ready through socredPending.
let rejectReady = null;
if (!(globalThis.socred && globalThis.socred.ready)) {
  let resolve;
  const ready = new Promise((res, rej) => {
    resolve = res;
    rejectReady = rej;
  });
  ready.catch(() => {}); // a page that never awaits it sees no unhandled rejection
  Object.defineProperty(ready, "socredPending", { value: (p) => resolve(p) });
  globalThis.socred = Object.assign(globalThis.socred || {}, { ready });
}
const pending = () => Boolean(globalThis.socred && globalThis.socred.ready && globalThis.socred.ready.socredPending);

// Classic scripts loaded once per document, in order: the Go loader and
// the one that defines the global socred API.
const scripts = [
  ["wasm_exec.js", () => typeof globalThis.Go === "function"],
  ["socred.js", () => Boolean(globalThis.socred && globalThis.socred.ready) && !pending()],
];

// CannotLoad is a file of socred's that would not load although this
// page's origin is listed: this page's CSP, most likely.
class CannotLoad extends Error {
  constructor(file) {
    super("could not load " + file + " from " + base.origin +
      ": the socred server must list this page's origin (" + location.origin + ") with -embed-origin, " +
      "and this page's Content-Security-Policy must allow " + base.origin + " in script-src and connect-src");
    this.file = file;
  }
}

function loadScript(name) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = new URL(name, base).href;
    s.crossOrigin = "anonymous";
    s.async = false;
    s.onload = () => resolve();
    s.onerror = () => reject(new CannotLoad(name));
    document.head.append(s);
  });
}

async function fetchText(name) {
  let r;
  try {
    r = await fetch(new URL(name, base), { credentials: "omit" });
  } catch (_) {
    throw new CannotLoad(name);
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

// modules are socred's ES modules, imported once (refused for an origin
// the socred server does not list).
let modules = null;
function loadModules() {
  if (!modules) {
    modules = Promise.all([import("./js/form.js"), import("./js/i18n.js")])
      .then(([form, i18n]) => ({ form, i18n }), async (err) => { throw await diagnose(new CannotLoad("js/form.js")); });
  }
  return modules;
}

let shared = null;
function loadShared() {
  if (!shared) {
    shared = (async () => {
      const mods = await loadModules();
      try {
        const [html, css] = await Promise.all([fetchText("form.html"), fetchText("app.css")]);
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        for (const [name, loaded] of scripts) {
          if (!loaded()) await loadScript(name);
        }
        return { mods, html, sheet, config: await fetchConfig() };
      } catch (err) {
        throw await diagnose(err);
      }
    })();
    shared.catch((err) => { if (rejectReady && pending()) rejectReady(err); });
  }
  return shared;
}

// The box shown when socred's files cannot load at all.
const failSheet = new CSSStyleSheet();
failSheet.replaceSync(":host{display:block}p{margin:0;padding:.8rem 1rem;border:1px solid #e8b7b0;" +
  "border-radius:6px;background:#fcefed;color:#5e150f;font:500 15px/1.5 system-ui,sans-serif;overflow-wrap:anywhere}" +
  "code{white-space:nowrap;font:inherit}");

const attributes = {
  endpoint: "endpoint",
  "associate-id": "associateId",
  type: "type",
  "soap-version": "soapVersion",
};

// numericId is an event's detail with associateId as a number, as the
// JavaScript API has it (the form's field holds text).
function numericId(detail) {
  const d = Object.assign({}, detail);
  if (typeof d.associateId === "string" && /^[0-9]{1,15}$/.test(d.associateId)) d.associateId = Number(d.associateId);
  return d;
}

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
    loadModules().then(async ({ i18n }) => {
      const lang = await i18n.load(i18n.supported(i18n.langOf(this)) || "en");
      if (!this.#controller && this.#state === "loading") p.textContent = i18n.t(lang, "element.loading");
    }).catch(() => { /* #fail says it */ });
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
  // publicValue, comment, validFrom, validTo, isActive, soapVersion, lang,
  // sections}. It throws a TypeError naming a bad field and then applies
  // none.
  prefill(fields) {
    this.#call((c) => c.prefill(fields));
  }

  #call(fn) {
    if (this.#controller) fn(this.#controller);
    else this.#pending.push(fn);
  }

  #mount({ mods, html, sheet, config }) {
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
    this.#controller = mods.form.mount(this.#root, {
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
      detail: Object.freeze(numericId(detail)),
    }));
  }

  async #fail(err) {
    this.#root.adoptedStyleSheets = [failSheet];
    const p = document.createElement("p");
    p.setAttribute("role", "alert");
    const english = err instanceof Refused ? err.message : "socred could not start: " + ((err && err.message) || err);
    if (err instanceof Refused) sayInto(p, ownLang(this), err.kind);
    else p.textContent = english;
    this.#root.replaceChildren(p);
    this.#setState("failed");
    this.#emit("failed", { operation: "start", kind: "startup", message: english, field: "" });
    if (err instanceof Refused) return;
    try {
      const { form, i18n } = await loadModules();
      const lang = await i18n.load(i18n.supported(i18n.langOf(this)) || "en");
      p.textContent = err instanceof CannotLoad
        ? i18n.t(lang, "element.cannotLoad", { file: err.file, origin: base.origin, page: location.origin })
        : form.startupText(lang, err);
    } catch (_) { /* the English text stays */ }
  }
}

if (!customElements.get("socred-credentials")) {
  customElements.define("socred-credentials", SocredCredentials);
}
