// page.js starts the standalone page: it inserts form.html into
// #socred-root, mounts it (js/form.js), chooses the page's language, and,
// when the page runs in an iframe of a portal the operator allowed
// (config.json's embedOrigins, set by the server's -embed-origin flags),
// speaks the postMessage contract with that parent:
//
//   parent → page: {type: "socred:ticket", ticket}
//                  {type: "socred:prefill", fields: {endpoint, associateId,
//                   type, publicValue, comment, validFrom, validTo,
//                   isActive, soapVersion, lang, sections}}   (any subset)
//   page → parent: {type: "socred:ready",    detail: {version}}
//                  {type: "socred:accepted", detail: {of}}
//                  {type: "socred:saved",    detail: {associateId (a number), type, publicValue}}
//                  {type: "socred:removed",  detail: {associateId (a number), type, publicValue}}
//                  {type: "socred:failed",   detail: {operation, kind, message, field}}
//
// A message counts only if it comes from window.parent and its origin is
// exactly one of embedOrigins; others are dropped unread. Replies go to
// that exact origin only. Messages of an unknown type are ignored; a
// known type with a wrong shape is answered with socred:failed (kind
// "message") and changes nothing. No reply carries a secret.
//
// The page's language: the URL's ?lang= (an iframe's), else the one the
// administrator chose in the header's Language picker (remembered in
// localStorage: not a secret), else the browser's preferred languages. It
// sets <html lang>, which the form follows. ?sections= (an iframe's) shows
// only those parts, as the element's sections attribute does.
import { mount } from "./form.js";
import { parentMessage } from "./frame.js";
import { best, languages, load, supported, t, translate } from "./i18n.js";

const framed = window.parent !== window;
const pending = []; // messages that came before the form was mounted
let handle = null;
if (framed) {
  window.addEventListener("message", (ev) => {
    if (ev.source !== window.parent) return;
    if (handle) handle(ev);
    else if (pending.length < 20) pending.push(ev);
  });
}

const params = new URLSearchParams(location.search);
const rememberedLang = "socred.lang";
let version = ""; // socred.version, once the module said it

function recall(key) {
  try { return localStorage.getItem(key) || ""; } catch (_) { return ""; }
}
function remember(key, value) {
  try { localStorage.setItem(key, value); } catch (_) { /* storage may be off */ }
}

// setLanguage sets <html lang> (the form follows it), the picker and the
// header's and title's words.
async function setLanguage(tag) {
  const lang = await load(supported(tag) || best(navigator.languages));
  document.documentElement.lang = lang;
  const picker = document.querySelector('select[name="Language"]');
  if (picker) picker.value = lang;
  translate(document.querySelector("header"), lang);
  document.title = t(lang, "page.title");
  const v = document.getElementById("version");
  if (v && version) v.textContent = t(lang, "page.version", { version });
  return lang;
}

// picker fills the header's Language select: each language in its own name.
function picker() {
  const select = document.querySelector('select[name="Language"]');
  if (!select) return;
  for (const l of languages) {
    const o = document.createElement("option");
    o.value = l;
    o.lang = l;
    o.textContent = new Intl.DisplayNames([l], { type: "language" }).of(l);
    select.append(o);
  }
  select.addEventListener("change", () => {
    remember(rememberedLang, select.value);
    setLanguage(select.value);
  });
}

async function fetchText(name) {
  const r = await fetch(name, { credentials: "same-origin" });
  if (!r.ok) throw new Error("could not load " + name + " (HTTP " + r.status + ")");
  return r.text();
}
// loadConfig reads config.json; its endpoint may be a path ("/demo"),
// resolved here against config.json's own URL.
async function loadConfig() {
  try {
    const r = await fetch("config.json", { cache: "no-store", credentials: "same-origin" });
    if (!r.ok) return {};
    const c = await r.json();
    if (!c || typeof c !== "object") return {};
    if (typeof c.endpoint === "string" && c.endpoint !== "") c.endpoint = new URL(c.endpoint, r.url).href;
    return c;
  } catch (_) {
    return {};
  }
}

// numericId is a reply's detail with associateId as a number, as the
// JavaScript API has it (the form's field holds text).
function numericId(detail) {
  const d = Object.assign({}, detail);
  if (typeof d.associateId === "string" && /^[0-9]{1,15}$/.test(d.associateId)) d.associateId = Number(d.associateId);
  return d;
}

// messaging returns the handler of the parent's messages, and post.
function messaging(allowed, controller) {
  let parentOrigin = null;
  // Chromium and WebKit tell a frame its parent's origin; elsewhere the
  // origin is learnt from the first accepted message, and until then a
  // reply is addressed to each allowed origin (delivered only to a match).
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length && allowed.includes(ancestors[0])) parentOrigin = ancestors[0];

  function post(type, detail) {
    const targets = parentOrigin ? [parentOrigin] : allowed;
    for (const o of targets) window.parent.postMessage({ type, detail }, o);
  }
  function refuse(message) {
    post("socred:failed", { operation: "message", kind: "message", message, field: "" });
  }
  function handle(ev) {
    if (!allowed.includes(ev.origin)) return; // exact match only
    if (parentOrigin && ev.origin !== parentOrigin) return;
    parentOrigin = ev.origin;
    const m = parentMessage(ev.data);
    if (!m) return;
    try {
      if (m.refused) throw new TypeError(m.refused);
      if (m.type === "socred:ticket") controller.setTicket(m.ticket);
      else controller.prefill(m.fields);
    } catch (err) {
      return refuse(m.type + ": " + (err && err.message));
    }
    post("socred:accepted", { of: m.type });
  }
  return { handle, post };
}

// showState sets the header's badge and the body's data-state ("ready" or
// "failed", data-ready="true" too when ready), for scripts and tests: only
// once the form is in place and has said so.
function showState(state, lang) {
  const badge = document.getElementById("module-state");
  if (badge) {
    badge.dataset.i18n = state === "ready" ? "page.ready" : "page.unavailable";
    badge.textContent = t(lang, badge.dataset.i18n);
    badge.className = state === "ready" ? "badge badge-ok" : "badge badge-error";
  }
  if (state === "ready") document.body.dataset.ready = "true";
  document.body.dataset.state = state;
}

async function start() {
  // The requests first, so that their answers are in before the module
  // is ready (index.html preloads form.html; config.json is no-store).
  const form = fetchText("form.html");
  const configured = loadConfig();
  picker();
  const root = document.getElementById("socred-root");
  const [lang, html, config] = await Promise.all([
    setLanguage(params.get("lang") || recall(rememberedLang)),
    form,
    configured,
  ]);
  const tpl = document.createElement("template");
  tpl.innerHTML = html; // socred's own file, from this origin
  root.replaceChildren(tpl.content);
  root.removeAttribute("aria-busy");

  const allowed = framed && Array.isArray(config.embedOrigins)
    ? config.embedOrigins.filter((o) => typeof o === "string" && o !== "" && o !== "*")
    : [];
  let post = () => {};
  const controller = mount(document, {
    endpoint: typeof config.endpoint === "string" ? config.endpoint : "",
    endpointOrigins: Array.isArray(config.endpointOrigins) ? config.endpointOrigins : [],
    remember: true,
    setLanguage: (tag) => setLanguage(tag),
    emit(name, detail) {
      if (name === "ready") {
        version = detail.version;
        const v = document.getElementById("version");
        if (v) v.textContent = t(document.documentElement.lang, "page.version", { version });
        showState("ready", document.documentElement.lang);
      }
      if (name === "failed" && detail.operation === "start") showState("failed", document.documentElement.lang);
      post("socred:" + name, numericId(detail));
    },
  });
  if (params.has("sections")) controller.setSections(params.get("sections").split(/[\s,]+/).filter(Boolean));
  if (allowed.length) {
    const m = messaging(allowed, controller);
    post = m.post;
    handle = m.handle;
    for (const ev of pending.splice(0)) handle(ev);
  }
  return lang;
}

start().catch((err) => {
  const box = document.getElementById("socred-root");
  const p = document.createElement("p");
  p.className = "notice notice-error";
  p.setAttribute("role", "alert");
  p.textContent = t(document.documentElement.lang, "page.startFailed", { reason: (err && err.message) || String(err) });
  box.replaceChildren(p);
  showState("failed", document.documentElement.lang);
});
