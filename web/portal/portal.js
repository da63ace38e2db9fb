// portal.js is the example portal's own script. It logs in to NetServer with
// the socred JS API (loaded by the element), keeps the ticket in memory
// only, and hands it to both modes: setTicket() on each <socred-credentials>
// and a socred:ticket message to the iframe, addressed to socred's exact
// origin. It lists what socred reports: the element's DOM events and the
// iframe's messages (accepted only from socred's origin and that frame).
//
// Languages: the portal uses socred's own languages module and catalogues
// (loaded from socred's origin, as the element is). Its Language picker sets
// <html lang>, which the element follows by itself; the iframe gets the
// language in a socred:prefill message.
const socredOrigin = document.querySelector('meta[name="socred-origin"]').content;
// Everything that listens is set up first, before the languages module
// loads: socred's first events and messages must not be missed.
const loadingI18n = import(socredOrigin + "/js/i18n.js");
let i18n = null;
const frame = document.getElementById("frame");
const $ = (id) => document.getElementById(id);
const lang = () => document.documentElement.lang || "en";

// Everything socred reported, for the page's log (and the tests).
const log = (window.portalLog = []);
function record(source, type, detail) {
  log.push({ source, type, detail });
  const li = document.createElement("li");
  li.textContent = source + " · " + type + " " + JSON.stringify(detail === undefined ? {} : detail);
  $("log").append(li);
}

for (const name of ["socred-ready", "socred-saved", "socred-removed", "socred-failed"]) {
  document.addEventListener(name, (e) => {
    const el = e.composedPath()[0];
    record("element#" + (el.id || "?"), e.type, e.detail);
  });
}

let frameReady = false;
const toFrame = []; // messages waiting for the iframe's socred:ready
function send(message) {
  if (frameReady) frame.contentWindow.postMessage(message, socredOrigin);
  else toFrame.push(message);
}
window.addEventListener("message", (ev) => {
  if (ev.origin !== socredOrigin || ev.source !== frame.contentWindow) return;
  const m = ev.data;
  if (!m || typeof m !== "object" || typeof m.type !== "string") return;
  record("iframe", m.type, m.detail);
  if (m.type === "socred:ready") {
    frameReady = true;
    for (const msg of toFrame.splice(0)) frame.contentWindow.postMessage(msg, socredOrigin);
  }
});
// The iframe loads only now that the listener is there: with its src in
// the HTML, a page that started before this module script ran (the
// element's scripts run first) said socred:ready to nobody, and the portal
// waited for it for ever.
frame.src = frame.dataset.src;

// The portal's words: the session line is said again in a new language.
let said = null; // () => string
function say(fn) {
  said = fn;
  $("session-state").textContent = fn ? fn() : "";
}
// t words a message once the languages module is there (English until then).
const t = (key, params) => (i18n ? i18n.t(lang(), key, params) : key);

async function setLanguage(tag) {
  const l = await i18n.load(i18n.supported(tag) || "en");
  document.documentElement.lang = l;
  $("portal-language").value = l;
  i18n.translate(document, l);
  document.title = i18n.t(l, "portal.title");
  if (said) $("session-state").textContent = said();
  send({ type: "socred:prefill", fields: { lang: l } });
}

function picker() {
  const select = $("portal-language");
  for (const l of i18n.languages) {
    const o = document.createElement("option");
    o.value = l;
    o.lang = l;
    o.textContent = new Intl.DisplayNames([l], { type: "language" }).of(l);
    select.append(o);
  }
  select.addEventListener("change", () => setLanguage(select.value));
}

// The iframe works on another record than the element, to show both.
send({ type: "socred:prefill", fields: { associateId: "2", type: "smtp" } });

async function endpoint() {
  const url = socredOrigin + "/config.json";
  const r = await fetch(url, { credentials: "omit", cache: "no-store" });
  const c = await r.json();
  return new URL(c.endpoint, url).href; // a path on socred's origin, e.g. "/demo"
}

async function login(e) {
  e.preventDefault();
  const button = $("portal-login");
  button.disabled = true;
  try {
    const result = await socred.login({
      endpoint: await endpoint(),
      userName: $("portal-user").value.trim(),
      password: $("portal-password").value,
    });
    if (!result.ok) {
      const message = result.error.message;
      say(() => t("portal.loginFailed", { reason: message }));
      return;
    }
    $("portal-password").value = "";
    for (const el of document.querySelectorAll("socred-credentials")) el.setTicket(result.ticket);
    send({ type: "socred:ticket", ticket: result.ticket });
    const who = result.fullName || result.userName;
    say(() => t("portal.signedIn", { who }));
  } catch (err) {
    const message = (err && err.message) || String(err);
    say(() => t("portal.loginFailed", { reason: message }));
  } finally {
    button.disabled = false;
  }
}

$("session").addEventListener("submit", login);
// The socred API is there once an element has started.
document.addEventListener("socred-ready", () => { $("portal-login").disabled = false; }, { once: true });
i18n = await loadingI18n;
picker();
await setLanguage(i18n.best(navigator.languages));
