// portal.js is the example portal's own script. It logs in to NetServer with
// the socred JS API (loaded by the element), keeps the ticket in memory
// only, and hands it to both modes: setTicket() on each <socred-credentials>
// and a socred:ticket message to the iframe, addressed to socred's exact
// origin. It lists what socred reports: the element's DOM events and the
// iframe's messages (accepted only from socred's origin and that frame).
"use strict";
(function () {
  const socredOrigin = document.querySelector('meta[name="socred-origin"]').content;
  const frame = document.getElementById("frame");
  const $ = (id) => document.getElementById(id);

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
        $("session-state").textContent = "Login failed: " + result.error.message;
        return;
      }
      $("portal-password").value = "";
      for (const el of document.querySelectorAll("socred-credentials")) el.setTicket(result.ticket);
      send({ type: "socred:ticket", ticket: result.ticket });
      $("session-state").textContent = "Signed in as " + (result.fullName || result.userName) +
        ". The ticket went to the element and to the iframe.";
    } catch (err) {
      $("session-state").textContent = "Login failed: " + ((err && err.message) || err);
    } finally {
      button.disabled = false;
    }
  }

  $("session").addEventListener("submit", login);
  // The socred API is there once an element has started.
  document.addEventListener("socred-ready", () => { $("portal-login").disabled = false; }, { once: true });
})();
