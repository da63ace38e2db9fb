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

  // Calls that wait for nothing (buildEnvelope unsigned: a preview, a
  // check) go into Go through the module's exports (wasm/export.go), not
  // through the functions Go installed with syscall/js, whose every call
  // resumes Go's scheduler: the request's JSON text is encoded straight
  // into Go's memory, the result's JSON text decoded from it. What JSON
  // cannot carry (a Date, a NaN, a signature's key) Go answers "-1", and
  // the syscall/js function reads the object itself, as it always has.
  // Symbol.for("socred.callbacks") keeps the syscall/js functions, for the
  // tests that compare both paths and make bench.
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const OP_BUILD_ENVELOPE = 1, OP_CURL = 2;
  let exports = null; // the module's exports while it runs
  let callbacks = null; // the syscall/js functions Go installed

  function notRunning(name) {
    return socred.exited
      ? fail("exited", "socred." + name + " was called after socred.wasm exited: reload the page.")
      : fail("not-ready", "socred." + name + " was called before socred.wasm started: await socred.ready first.");
  }

  // exportCall performs op on the request text in Go: the result's JSON
  // text (and rest, what follows it in the result), or undefined when the
  // syscall/js function must read the object.
  let rest = "";
  function exportCall(op, text) {
    const max = text.length * 3; // UTF-8 of UTF-16 text is at most 3 bytes a unit
    const ptr = exports.socred_request(max) >>> 0;
    const { written } = encoder.encodeInto(text, new Uint8Array(exports.mem.buffer, ptr, max));
    const n = exports.socred_call(op, written);
    if (n === -1) return undefined;
    const at = exports.socred_result() >>> 0, end = at + exports.socred_result_length();
    const heap = new Uint8Array(exports.mem.buffer);
    if (n === -4) return { send: Number(decoder.decode(heap.subarray(at, end))) }; // built, to be sent
    if (n < 0) {
      const message = decoder.decode(heap.subarray(at, end));
      throw n === -3 ? new TypeError(message) : new Error(message);
    }
    rest = at + n < end ? decoder.decode(heap.subarray(at + n, end)) : "";
    return decoder.decode(heap.subarray(at, at + n));
  }

  socred.buildEnvelope = function buildEnvelope(req) {
    if (!exports) return Promise.reject(notRunning("buildEnvelope"));
    if (typeof req !== "object" || req === null || (req.signature !== undefined && req.signature !== null)) {
      return callbacks.buildEnvelope(req);
    }
    let text, out;
    try {
      text = JSON.stringify(req);
    } catch {
      return callbacks.buildEnvelope(req); // it says why, as it always has
    }
    try {
      out = exportCall(OP_BUILD_ENVELOPE, text);
    } catch (err) {
      return Promise.reject(err);
    }
    if (out === undefined) return callbacks.buildEnvelope(req);
    const result = JSON.parse(out);
    if (result.xml === null) result.xml = rest; // the envelope, after the JSON text
    rest = "";
    // The curl command is made when it is read, from the same request
    // (Go writes curl: null in its place, so the keys keep their order).
    if (result.curl === null) {
      Object.defineProperty(result, "curl", {
        configurable: true, enumerable: true,
        get() {
          if (!exports) throw notRunning("buildEnvelope");
          const curl = JSON.parse(exportCall(OP_CURL, text));
          Object.defineProperty(result, "curl", { value: curl, configurable: true, enumerable: true, writable: true });
          return curl;
        },
        set(value) {
          Object.defineProperty(result, "curl", { value, configurable: true, enumerable: true, writable: true });
        },
      });
    }
    return Promise.resolve(result);
  };

  // save, list, remove, login and user (unsigned) are read, checked and
  // built by the exports too; a request that fails there settles at once,
  // and one that is built is sent by Go's sendPrepared, which keeps the
  // call's Promise (the fetch waits for the event loop, as an export may not).
  const OP_SEND = { save: 3, list: 4, remove: 5, login: 6, user: 7 };
  function sender(name) {
    return function (req) {
      if (!exports || typeof req !== "object" || req === null || (req.signature !== undefined && req.signature !== null)) {
        return callbacks[name](req);
      }
      let text, out;
      try {
        text = JSON.stringify(req);
      } catch {
        return callbacks[name](req); // it says why, as it always has
      }
      try {
        out = exportCall(OP_SEND[name], text);
      } catch (err) {
        return Promise.reject(err);
      }
      if (out === undefined) return callbacks[name](req);
      return typeof out === "object" ? callbacks.sendPrepared(out.send) : Promise.resolve(JSON.parse(out));
    };
  }

  async function start() {
    const go = new Go();
    const { instance } = await instantiate(go, wasmURL);
    const buildEnvelope = socred.buildEnvelope;
    const exited = go.run(instance);
    callbacks = { buildEnvelope: socred.buildEnvelope };
    socred.buildEnvelope = buildEnvelope; // not Go's, which a failed start released
    // go.run runs main until it waits for calls, so the functions are
    // installed by now; if main failed, they are not.
    if (typeof socred.save !== "function") {
      throw fail("no-api", "socred.wasm started but did not install the socred API.");
    }
    Object.defineProperty(socred, Symbol.for("socred.callbacks"), { value: callbacks });
    exports = typeof instance.exports.socred_call === "function" ? instance.exports : null;
    if (!exports) {
      socred.buildEnvelope = callbacks.buildEnvelope; // a module without the exports
    } else if (typeof socred.sendPrepared === "function") {
      callbacks.sendPrepared = socred.sendPrepared;
      for (const name of Object.keys(OP_SEND)) {
        callbacks[name] = socred[name];
        socred[name] = sender(name);
      }
    }
    delete socred.sendPrepared;
    exited.then(() => {
      exports = null;
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
  // starting "socred could not start the batch module: "); every other
  // method loads it itself. It runs in a dedicated Worker
  // (socred-batch-worker.js), so a big file never holds up the page: every
  // call is a message and returns a Promise; onProgress callbacks are called
  // from the worker's messages. A cross-origin page (an embedding portal)
  // cannot start a worker from socred's origin: it starts one from a blob:
  // URL made of wasm_exec.js and the worker script (fetched with CORS; the
  // portal's CSP needs worker-src blob:). Where no worker can start, the
  // module runs in the page as before. socred.batch.mode says which:
  // "worker" or "page" (null until it runs).
  const batchURL = new URL("socred-batch.wasm", base);
  const batch = (socred.batch = socred.batch || {});
  batch.mode = null;
  let batchLoading = null;
  let batchCall = null; // (name, args) → a Promise of the answer, once it runs

  // inPage starts the module in the page; its functions go on an object of
  // their own (socred.batch keeps the Promise-returning ones).
  async function inPage() {
    await ready;
    const go = new Go();
    const { instance } = await instantiate(go, batchURL);
    const inner = {};
    socred.batch = inner;
    try {
      go.run(instance);
    } finally {
      socred.batch = batch;
    }
    if (typeof inner.version !== "string") {
      throw fail("no-api", "socred-batch.wasm started but did not install socred.batch.");
    }
    return { version: inner.version, call: (name, args) => Promise.resolve().then(() => inner[name](...args)) };
  }

  // newWorker starts the worker script: from socred's origin when the page
  // is on it, else from a blob: URL of the page's origin.
  async function newWorker() {
    const url = new URL("socred-batch-worker.js", base);
    if (url.origin === location.origin) return new Worker(url, { name: "socred-batch" });
    const text = async (name) => {
      const r = await fetch(new URL(name, base), { credentials: "same-origin" });
      if (!r.ok) throw fail("http", "Could not load " + name + " (HTTP " + r.status + ").");
      return r.text();
    };
    const parts = await Promise.all([text("wasm_exec.js"), text("socred-batch-worker.js")]);
    const blob = URL.createObjectURL(new Blob([parts[0], "\n;\n", parts[1]], { type: "text/javascript" }));
    try {
      return new Worker(blob, { name: "socred-batch" });
    } finally {
      setTimeout(() => URL.revokeObjectURL(blob), 60_000); // the worker has read it by then
    }
  }

  // inWorker starts the module in a worker; call posts a call and resolves
  // with its answer. A message carries no function: an options object's
  // onProgress stays here and the worker's progress messages call it.
  async function inWorker() {
    const worker = await newWorker();
    const pending = new Map(); // a call's id → {resolve, reject, onProgress}
    let next = 0;
    let broken = null;
    const call = (name, args) => new Promise((resolve, reject) => {
      if (broken) return reject(broken);
      const id = ++next;
      let onProgress, progressAt = -1;
      args = args.map((a, i) => {
        if (!a || typeof a !== "object" || typeof a.onProgress !== "function") return a;
        ({ onProgress } = a);
        progressAt = i;
        return Object.assign({}, a, { onProgress: undefined });
      });
      pending.set(id, { resolve, reject, onProgress });
      try {
        worker.postMessage({ id, name, args, progressAt }); // open's bytes are copied
      } catch (err) {
        pending.delete(id);
        reject(err);
      }
    });
    worker.onmessage = (e) => {
      const m = e.data;
      const p = pending.get(m.id);
      if (!p) return;
      if (m.progress) return p.onProgress && p.onProgress(m.progress);
      pending.delete(m.id);
      if (m.error) p.reject(Object.assign(new (m.error.name === "TypeError" ? TypeError : Error)(m.error.message), m.error.code ? { code: m.error.code, status: m.error.status, file: m.error.file } : {}));
      else p.resolve(m.value);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate(); // and with it the sessions' secrets
      broken = fail("other", "The batch module's worker failed" + (e.message ? ": " + e.message : "") + ".");
      for (const p of pending.values()) p.reject(broken);
      pending.clear();
      if (batchCall === call) { // it ran: a later call starts a new one
        batchLoading = batchCall = batch.mode = null;
        delete batch.version;
      }
    };
    try {
      return { version: await call("start", [String(base)]), call };
    } catch (err) {
      worker.terminate();
      throw err;
    }
  }

  batch.load = function load() {
    if (!batchLoading) {
      batchLoading = (async () => {
        let run, mode = "worker";
        try {
          run = typeof Worker === "function" ? await inWorker() : null;
        } catch (err) {
          batch.workerError = String((err && err.message) || err); // why it runs in the page
        }
        if (!run) {
          mode = "page";
          run = await inPage();
        }
        batchCall = run.call;
        batch.mode = mode;
        batch.version = run.version;
        performance.mark("socred-batch-ready");
        return batch;
      })().catch((err) => {
        batchLoading = null; // a later call may try again (the network is back)
        const e = explain(err);
        e.message = "socred could not start the batch module: " + e.message;
        throw e;
      });
    }
    return batchLoading;
  };
  for (const name of ["open", "plan", "apply", "retry", "audit", "template", "steps", "results", "report", "records", "auditReport", "progress", "pause", "resume", "cancel", "close"]) {
    batch[name] = (...args) => batch.load().then(() => batchCall(name, args));
  }
})();
