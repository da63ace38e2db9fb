// socred-batch-worker.js runs the batch module (socred-batch.wasm) in a
// dedicated Worker, so that reading a big file, planning and applying it
// never hold up the page. socred.js (its batch half) starts it and sends
// every socred.batch call as a message {id, name, args, progressAt}; each
// answer is {id, value} (an .xlsx's bytes transferred) or {id, error}; a
// job's progress is {id, progress} while it runs (args[progressAt] had an
// onProgress, which a message cannot carry). The first call is
// {name: "start", args: [base]}: the URL of socred.js, beside which
// wasm_exec.js and the module are. A connection's ticket and application
// token come in with plan, apply, resume and audit and stay here but for
// the requests to NetServer (this worker fetches them itself): what goes
// back is what socred.batch answers, which never holds a secret.
"use strict";
self.socred = { batch: {} };
let started = null;
const routes = new Map(); // a session's id → {id}: the call its progress goes to

function start(base) {
  if (!started) {
    started = (async () => {
      if (typeof Go !== "function") importScripts(new URL("wasm_exec.js", base).href);
      const url = new URL("socred-batch.wasm", base);
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) {
        throw Object.assign(new Error("Could not load " + url.pathname + " (HTTP " + response.status + "): run `make wasm`."),
          { code: "http", status: response.status, file: url.pathname });
      }
      const go = new Go();
      const wasm = (response.headers.get("Content-Type") || "").split(";")[0].trim() === "application/wasm";
      const { instance } = wasm
        ? await WebAssembly.instantiateStreaming(response, go.importObject)
        : await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
      go.run(instance); // main installs socred.batch, then waits for calls
      if (typeof self.socred.batch.version !== "string") {
        throw Object.assign(new Error("socred-batch.wasm started but did not install socred.batch."), { code: "no-api" });
      }
      return self.socred.batch.version;
    })();
    started.catch(() => { started = null; }); // a later start may try again
  }
  return started;
}

// call runs one socred.batch call; a session's progress goes to the call
// that last ran on it (Retry reuses Apply's callback).
async function call(m) {
  const args = m.args || [];
  if (m.name === "start") return start(args[0]);
  if (!started) throw new Error("socred.batch." + m.name + " was called before the batch module started.");
  await started;
  let route = { id: m.id };
  if (typeof args[0] === "string") {
    route = routes.get(args[0]) || route;
    route.id = m.id;
    routes.set(args[0], route);
    if (m.name === "close") routes.delete(args[0]);
  }
  if (m.progressAt >= 0) args[m.progressAt].onProgress = (p) => self.postMessage({ id: route.id, progress: p });
  try {
    return await self.socred.batch[m.name](...args);
  } finally {
    if (m.name === "open" && args[0] instanceof Uint8Array) args[0].fill(0); // the module keeps its own copy
  }
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    const value = await call(m);
    self.postMessage({ id: m.id, value }, value instanceof Uint8Array ? [value.buffer] : []);
  } catch (err) {
    const { name, message, code, status, file } = err || {};
    self.postMessage({ id: m.id, error: { name: name || "Error", message: message || String(err), code, status, file } });
  }
};
