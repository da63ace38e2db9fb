// i18n.js is socred's languages: one catalogue per language (lang/*.json,
// flat: message name → text, or plural forms {one, other, …}), fetched
// beside this module (so from socred's origin, with CORS, when embedded)
// and registered once; t(lang, key, params) words a
// message; translate(root, lang) rewords the elements of socred's own markup
// that carry data-i18n; langOf(node) finds the language a node is in, the
// way the platform does (its own lang, then its ancestors' across shadow
// roots, then the document's); watch(node, callback) calls back when that
// changes. Dates and numbers go through Intl, never by hand. It knows
// nothing of the form.
//
// Modelled on Shoelace's @shoelace-style/localize: a regional tag falls
// back to its language (nb-NO → nb; no and nn → nb), English last.

// English, the fallback of every other language, is a JSON module: the
// page's bundle (tools/bundle) carries it, so t() words in English from the
// start without a request, or a top-level await that would hold every
// module after this one until the catalogue came back; unbundled (the
// <socred-credentials> element) the browser fetches it with this module.
import en from "./lang/en.json" with { type: "json" };

// catalogue fetches one other language's messages.
async function catalogue(lang) {
  const url = new URL("./lang/" + lang + ".json", import.meta.url);
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
  return resp.json();
}

// languages are the supported languages, English (the source) first.
export const languages = ["en", "nb", "sv", "da", "de", "nl"];

const catalogues = new Map([["en", en]]);
const loading = new Map();

// supported returns the supported language a BCP 47 tag stands for, or "".
export function supported(tag) {
  const base = String(tag || "").trim().toLowerCase().split(/[-_]/)[0];
  if (base === "no" || base === "nn") return "nb";
  return languages.includes(base) ? base : "";
}

// best returns the first supported language of tags (navigator.languages,
// in order of preference), else English.
export function best(tags) {
  for (const tag of tags || []) {
    const l = supported(tag);
    if (l) return l;
  }
  return "en";
}

// load makes sure a language's catalogue is registered; it resolves with
// the language actually available (English when the file cannot load).
export function load(lang) {
  const l = supported(lang) || "en";
  if (catalogues.has(l)) return Promise.resolve(l);
  if (!loading.has(l)) {
    loading.set(l, catalogue(l).then(
      (m) => { catalogues.set(l, m); return l; },
      () => "en",
    ));
  }
  return loading.get(l);
}

// loaded reports whether lang's catalogue is registered, so t(lang, …) says
// it in that language rather than in English.
export function loaded(lang) {
  return catalogues.has(supported(lang) || "en");
}

// message returns the raw catalogue entry of key in lang (falling back to
// English), or undefined.
export function message(lang, key) {
  const cat = catalogues.get(supported(lang)) || en;
  return Object.prototype.hasOwnProperty.call(cat, key) ? cat[key]
    : Object.prototype.hasOwnProperty.call(en, key) ? en[key] : undefined;
}

const plurals = new Map();
function pluralRules(lang) {
  if (!plurals.has(lang)) plurals.set(lang, new Intl.PluralRules(lang));
  return plurals.get(lang);
}

// t words key in lang with params: "{name}" is replaced by params.name; an
// entry that is an object ({one, other, …}) is chosen by params.count with
// Intl.PluralRules. A numeric param is formatted for lang; a param that is
// a function is called with lang (a name or a word that is itself worded,
// so a message kept as key and params words it all again in a new
// language). An unknown key
// is returned as it is, so a missing message shows, rather than nothing.
export function t(lang, key, params) {
  const l = supported(lang) || "en";
  let m = message(l, key);
  if (m === undefined) return key;
  if (typeof m === "object") {
    const n = params && typeof params.count === "number" ? params.count : 0;
    m = m[pluralRules(l).select(n)] || m.other;
  }
  return fill(l, String(m), params);
}

function fill(lang, m, params) {
  if (!params) return m;
  return m.replace(/\{(\w+)\}/g, (all, name) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return all;
    const v = typeof params[name] === "function" ? params[name](lang) : params[name];
    return typeof v === "number" ? number(lang, v) : String(v);
  });
}

// parts splits a message into text and numbered slots ("{0}", "{1}"): the
// slots stand for child elements of socred's own markup (a <code>, a link)
// that translate keeps and moves to where each language puts them.
function parts(m) {
  return m.split(/\{(\d+)\}/).map((s, i) => (i % 2 ? Number(s) : s));
}

const originals = new WeakMap(); // element → its original child elements

// translate rewords every element under root that carries data-i18n (its
// text), and data-i18n-attr ("aria-label:key placeholder:key2": those
// attributes). A data-i18n message may have {0}, {1}… slots for the
// element's own child elements, in their order in the markup.
export function translate(root, lang) {
  for (const e of root.querySelectorAll("[data-i18n]")) {
    const key = e.dataset.i18n;
    const m = message(lang, key);
    if (m === undefined) continue;
    if (!originals.has(e)) originals.set(e, Array.from(e.children));
    const kids = originals.get(e);
    const nodes = parts(String(m)).map((p) => (typeof p === "number" ? kids[p] || "" : p));
    e.replaceChildren(...nodes.filter((n) => n !== ""));
  }
  for (const e of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of e.dataset.i18nAttr.split(/\s+/).filter(Boolean)) {
      const [attr, key] = pair.split(":");
      if (attr && key) e.setAttribute(attr, t(lang, key));
    }
  }
}

// langOf returns the language node is in: the nearest lang attribute on it
// or an ancestor (crossing shadow roots to their hosts), else <html lang>;
// "" when none says.
export function langOf(node) {
  for (let n = node; n; ) {
    if (n.nodeType === 1 && n.hasAttribute("lang")) return n.getAttribute("lang");
    n = n.parentNode || (n instanceof ShadowRoot ? n.host : null);
  }
  return document.documentElement.getAttribute("lang") || "";
}

// watch calls callback(lang) whenever langOf(node) may have changed: a lang
// attribute changing on node, an ancestor, or <html>. It returns a function
// that stops watching.
export function watch(node, callback) {
  let last = langOf(node);
  const check = () => {
    const now = langOf(node);
    if (now !== last) {
      last = now;
      callback(now);
    }
  };
  const observers = [];
  for (let n = node; n; ) {
    if (n.nodeType === 1) {
      const o = new MutationObserver(check);
      o.observe(n, { attributes: true, attributeFilter: ["lang"] });
      observers.push(o);
    }
    n = n.parentNode || (n instanceof ShadowRoot ? n.host : null);
  }
  const html = new MutationObserver(check);
  html.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  observers.push(html);
  return () => observers.forEach((o) => o.disconnect());
}

// number formats n for lang.
export function number(lang, n) {
  return new Intl.NumberFormat(supported(lang) || "en").format(n);
}

// dateTime formats a Date for lang ("medium" date, "short" time by default).
export function dateTime(lang, d, options) {
  return new Intl.DateTimeFormat(supported(lang) || "en", options || { dateStyle: "medium", timeStyle: "short" }).format(d);
}

// relative says "in 3 days", "5 days ago" in lang.
export function relative(lang, value, unit) {
  return new Intl.RelativeTimeFormat(supported(lang) || "en", { numeric: "auto" }).format(value, unit);
}

// list joins items as lang does ("a, b and c").
export function list(lang, items) {
  return new Intl.ListFormat(supported(lang) || "en", { type: "conjunction" }).format(items);
}
