// sign.js is the page's optional "Sign" section: a socredForm plugin (see
// app.js) that loads a signing key into the socred module and adds
// `signature` to every request while "Sign requests" is ticked, and shows a
// preview's "Explain the signature" panel.
//
// The key's bytes are read from the file pickers into Uint8Arrays, handed to
// socred.loadKey, which imports the private key into WebCrypto as
// non-extractable, and overwritten with zeros at once. What stays is the
// keyId (an opaque handle; the CryptoKey lives in the module) and the
// certificate's summary. Nothing of the key, the password or the keyId is
// ever stored, put in a URL, logged or sent in an event. "Clear key" forgets
// the key in the module, empties the file pickers and the password.
"use strict";
(function () {
  if (!globalThis.socredForm) return;
  const maxFile = 64 << 10; // bytes, as the module's MaxKeyInput

  socredForm.use(({ $ }) => {
    const box = $("sign");
    if (!box) return {};
    box.hidden = false;
    const on = $("sign-on");
    const body = $("sign-body");
    const keyIn = $("sign-key");
    const certIn = $("sign-cert");
    const pw = $("sign-password");
    const lifetime = $("sign-lifetime");
    const mu = $("sign-mu");
    const summary = $("sign-summary");
    const alert = $("sign-alert");

    let loaded = null; // loadKey's result: {keyId, subject, notBefore, notAfter, algorithm, fingerprint}
    let loading = null; // the load in progress
    let toWipe = []; // key bytes lent to a request, wiped once it is answered

    const el = (tag, text, cls) => {
      const e = document.createElement(tag);
      if (text !== undefined) e.textContent = text;
      if (cls) e.className = cls;
      return e;
    };
    const when = (iso) => {
      const d = new Date(iso);
      return isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: "medium" });
    };

    function unmark() {
      alert.replaceChildren();
      for (const input of [keyIn, certIn, pw]) {
        input.removeAttribute("aria-invalid");
        const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== "sign-alert");
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
        else input.removeAttribute("aria-describedby");
      }
    }
    function problem(input, text) {
      unmark();
      alert.append(el("p", text, "sign-error"));
      input.setAttribute("aria-invalid", "true");
      const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      input.setAttribute("aria-describedby", ids.concat("sign-alert").join(" "));
    }

    // forget drops the loaded key, in the module too.
    function forget() {
      if (loaded) socred.clearKey(loaded.keyId);
      loaded = null;
      summary.replaceChildren();
    }

    async function bytesOf(input) {
      const f = input.files && input.files[0];
      if (!f) return null;
      if (f.size > maxFile) throw new RangeError(f.name + " is larger than " + (maxFile >> 10) + " KiB: it is not a key file");
      return new Uint8Array(await f.arrayBuffer());
    }
    const latin1 = (b) => new TextDecoder("latin1").decode(b);
    const isPEM = (b) => /^\s*(\ufeff)?-----BEGIN /.test(latin1(b.subarray(0, 64)));

    // source reads the chosen files: {key, certificate} for PEM,
    // {pkcs12, password} otherwise; null when no key file is chosen.
    async function source() {
      const key = await bytesOf(keyIn);
      if (!key) return null;
      if (!isPEM(key)) return { pkcs12: key, password: pw.value };
      let cert = await bytesOf(certIn);
      if (!cert && latin1(key).includes("-----BEGIN CERTIFICATE-----")) cert = key.slice();
      return { key, certificate: cert || "" };
    }
    function wipe(src) {
      for (const v of Object.values(src || {})) if (v instanceof Uint8Array) v.fill(0);
    }

    // inputFor says which picker a key problem is about.
    function inputFor(code, src) {
      if (code === "wrong-password") return pw;
      if (src && src.key && ["no-certificate", "expired", "not-yet-valid", "key-mismatch"].includes(code) && certIn.files.length) return certIn;
      return keyIn;
    }

    async function load() {
      if (loading) return loading;
      loading = (async () => {
        forget();
        unmark();
        let src;
        try {
          src = await source();
        } catch (err) {
          problem(keyIn, "Signing key: " + err.message);
          return { ok: false };
        }
        if (!src) {
          problem(keyIn, "Signing key is missing: choose a key file.");
          return { ok: false };
        }
        let r;
        try {
          r = await socred.loadKey(src);
        } finally {
          wipe(src);
        }
        if (!r.ok) {
          const f = (r.error && r.error.fields && r.error.fields[0]) || {};
          problem(inputFor(f.code, src), "Signing key " + (f.reason || (r.error && r.error.message) || "could not be loaded") + ".");
          return r;
        }
        loaded = r;
        pw.value = ""; // no longer needed: the key is in the module
        summary.replaceChildren(
          el("p", "Key loaded: " + r.subject, "sign-ok"),
          el("p", "Valid " + when(r.notBefore) + " to " + when(r.notAfter) + " · " + r.algorithm),
          el("p", "Certificate SHA-256: " + r.fingerprint),
        );
        return r;
      })();
      try {
        return await loading;
      } finally {
        loading = null;
      }
    }

    function clearAll() {
      forget();
      keyIn.value = "";
      certIn.value = "";
      pw.value = "";
      unmark();
      summary.replaceChildren(el("p", "Key cleared: nothing of it is left in this page."));
    }

    on.addEventListener("change", () => {
      body.hidden = !on.checked;
      on.setAttribute("aria-expanded", String(on.checked));
    });
    on.setAttribute("aria-expanded", "false");
    $("sign-load").addEventListener("click", () => { load(); });
    $("sign-clear").addEventListener("click", clearAll);
    // A loaded key stands for the files chosen: another choice forgets it.
    for (const input of [keyIn, certIn]) input.addEventListener("change", () => { forget(); unmark(); });
    pw.addEventListener("input", () => { if (loaded) forget(); });

    function options() {
      const o = {};
      const v = lifetime.value.trim();
      if (v !== "") o.lifetimeSeconds = /^\d+$/.test(v) ? Number(v) : v; // a wrong value gets the module's message
      if (mu.checked) o.mustUnderstand = true;
      return o;
    }

    return {
      async request(req) {
        if (!on.checked) return;
        if (!loaded && keyIn.files.length) await load();
        if (loaded) {
          req.signature = Object.assign({ keyId: loaded.keyId }, options());
          return;
        }
        // Not loadable: send the files along, so that the call fails with
        // the same validation error the form then marks; or, without files,
        // say the key is missing.
        let src = null;
        try { src = await source(); } catch (_) { src = null; }
        if (src) toWipe.push(src);
        req.signature = Object.assign({}, src || {}, options());
      },
      result(res, operation) {
        for (const src of toWipe.splice(0)) wipe(src);
        if (operation !== "preview") return;
        const ex = res.ok && res.explanation;
        $("explain").hidden = !ex;
        if (!ex) return;
        const list = $("explain-refs");
        list.replaceChildren();
        for (const r of ex.references) {
          const part = el("section", undefined, "explain-ref");
          part.append(el("h4", "Reference " + r.uri + " → " + (r.element || "?") + (r.path ? " (" + r.path + ")" : "")));
          const dl = el("dl");
          dl.append(el("dt", "Computed SHA-256"), el("dd", r.digest || "—"));
          dl.append(el("dt", "DigestValue"), el("dd", r.digestValue || "—"));
          dl.append(el("dt", "Result"), el("dd", r.match ? "Digest matches" : "Digest does not match" + (r.error ? ": " + r.error : ""), r.match ? "digest-ok" : "digest-bad"));
          part.append(dl);
          const pre = el("pre", r.canonical, "code");
          pre.tabIndex = 0;
          pre.setAttribute("aria-label", "canonical bytes of " + r.uri);
          part.append(pre);
          list.append(part);
        }
        $("explain-signedinfo").textContent = ex.signedInfo;
      },
    };
  }, "sign");
})();
