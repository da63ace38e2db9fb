// socred.js loads socred.wasm (beside this script) and defines the global
// `socred`. `await socred.ready` resolves with `socred` once the module has
// installed its functions, and rejects with an Error whose message says what
// to fix when it cannot start (no WebAssembly, a Content-Security-Policy
// without 'wasm-unsafe-eval', a missing or mis-served socred.wasm), and
// whose code names the case (csp, no-wasm, no-wasm-exec, http, no-api,
// other) for pages that word it themselves.
// Needs wasm_exec.js (from the Go toolchain) loaded first.
"use strict";
(function () {
  // Loaded twice (a page's own tag and a <socred-credentials> element, or
  // two elements): the first load's module serves everyone. A
  // <socred-credentials> entry script may have put a socred whose ready
  // is a placeholder (socredPending): this load takes it over and settles it.
  const placeholder = globalThis.socred && globalThis.socred.ready && globalThis.socred.ready.socredPending;
  if (globalThis.socred && globalThis.socred.ready && !placeholder) return;
  const script = document.currentScript;
  const base = script ? script.src : location.href;
  const wasmURL = new URL("socred.wasm", base);

  let resolveReady, rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const socred = (globalThis.socred = globalThis.socred || {});
  socred.ready = ready;
  if (placeholder) placeholder(ready);

  // fail is an Error with a code the page words in the administrator's
  // language (start.<code> in js/lang/*.json), and the English message for
  // everyone else: csp, no-wasm, no-wasm-exec, http, no-api, other.
  function fail(code, message, extra) {
    return Object.assign(new Error(message), { code }, extra || {});
  }
  function explain(err) {
    if (err && err.code) return err;
    const text = String((err && err.message) || err);
    if (/unsafe-eval|Content Security Policy|Refused to compile/i.test(text)) {
      return fail("csp", "The page's Content-Security-Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to script-src. (" + text + ")", { detail: text });
    }
    return fail("other", text, { detail: text });
  }

  async function instantiate(go, url) {
    if (typeof WebAssembly !== "object") {
      throw fail("no-wasm", "This browser does not run WebAssembly.");
    }
    if (typeof Go !== "function") {
      throw fail("no-wasm-exec", "wasm_exec.js did not load: run `make wasm` so it is copied beside the page.");
    }
    // Cross-origin (a host page embedding socred), this is a CORS request:
    // the socred server answers it for its configured embed origins.
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      throw fail("http", "Could not load " + url.pathname + " (HTTP " + response.status + "): run `make wasm`.", { status: response.status, file: url.pathname });
    }
    if (WebAssembly.instantiateStreaming &&
        (response.headers.get("Content-Type") || "").split(";")[0].trim() === "application/wasm") {
      return WebAssembly.instantiateStreaming(response, go.importObject);
    }
    // Served without application/wasm: compile from bytes instead.
    return WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
  }

  async function start() {
    const go = new Go();
    const { instance } = await instantiate(go, wasmURL);
    const exited = go.run(instance);
    // go.run runs main until it waits for calls, so the functions are
    // installed by now; if main failed, they are not.
    if (typeof socred.save !== "function") {
      throw fail("no-api", "socred.wasm started but did not install the socred API.");
    }
    exited.then(() => {
      socred.exited = true;
      document.dispatchEvent(new CustomEvent("socred:exit"));
    });
    return socred;
  }

  start().then(
    (s) => {
      performance.mark("socred-ready");
      resolveReady(s);
    },
    (err) => {
      const e = explain(err);
      e.message = "socred could not start: " + e.message;
      rejectReady(e);
    },
  );

  // socred.batch lives in a second module, socred-batch.wasm (beside
  // socred.wasm), so that a page that edits one associate at a time never
  // downloads it. socred.batch.load() fetches and starts it once (a Promise
  // of socred.batch; rejected with an Error as socred.ready is, its message
  // starting "socred could not start the batch module: "); the
  // asynchronous methods load it themselves. Until it runs, the synchronous
  // ones answer null, as they do for a batch that is not open (no batch can
  // be open before it runs): call load() before template().
  const batchURL = new URL("socred-batch.wasm", base);
  const batch = (socred.batch = socred.batch || {});
  let batchLoading = null;
  batch.load = function load() {
    if (!batchLoading) {
      batchLoading = ready.then(async () => {
        const go = new Go();
        const { instance } = await instantiate(go, batchURL);
        go.run(instance);
        if (typeof batch.version !== "string") {
          throw fail("no-api", "socred-batch.wasm started but did not install socred.batch.");
        }
        performance.mark("socred-batch-ready");
        return batch;
      }).catch((err) => {
        batchLoading = null; // a later call may try again (the network is back)
        const e = explain(err);
        e.message = "socred could not start the batch module: " + e.message;
        throw e;
      });
    }
    return batchLoading;
  };
  for (const name of ["open", "plan", "apply", "retry", "audit"]) {
    batch[name] = (...args) => batch.load().then(() => batch[name](...args));
  }
  for (const name of ["template", "steps", "results", "report", "records", "auditReport", "progress", "pause", "resume", "cancel", "close"]) {
    batch[name] = () => null;
  }
})();
