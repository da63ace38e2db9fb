// sign.js is the form's optional "Sign" section: it loads a signing key into
// the socred module and adds `signature` to every request while "Sign
// requests" is ticked, and shows a preview's "Explain the signature" panel.
//
// The key's bytes are read from the file pickers into Uint8Arrays, handed to
// socred.loadKey, which imports the private key into WebCrypto as
// non-extractable, and overwritten with zeros at once. What stays is the
// keyId (an opaque handle; the CryptoKey lives in the module) and the
// certificate's summary. Nothing of the key, the password or the keyId is
// ever stored, put in a URL, logged or sent in an event. "Clear key" forgets
// the key in the module, empties the file pickers and the password.
import { describe, el, undescribe } from "./dom.js";
import { dateTime, t } from "./i18n.js";
import { problemText } from "./messages.js";

const maxFile = 64 << 10; // bytes, as the module's MaxKeyInput

// signing wires the Sign section of one form: options lang(). It returns
// {request(req), result(res, operation), redraw()}, or null when the form
// has no Sign section.
export function signing($, options) {
  const box = $("sign");
  if (!box) return null;
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
  const lang = options.lang;

  let loaded = null; // loadKey's result: {keyId, subject, notBefore, notAfter, algorithm, fingerprint}
  let loading = null; // the load in progress
  let toWipe = []; // key bytes lent to a request, wiped once it is answered
  let said = null; // () => void: redraws the summary or problem on show
  let explained = null; // the explanation on show

  const when = (iso) => {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? iso : dateTime(lang(), d, { dateStyle: "medium" });
  };

  function unmark() {
    alert.replaceChildren();
    for (const input of [keyIn, certIn, pw]) {
      input.removeAttribute("aria-invalid");
      undescribe(input, (id) => id === "sign-alert");
    }
  }
  // problem marks input with a message; text(lang) words it.
  function problem(input, text) {
    said = () => {
      unmark();
      alert.append(el("p", text(lang()), "sign-error"));
      input.setAttribute("aria-invalid", "true");
      describe(input, "sign-alert");
    };
    said();
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
    if (f.size > maxFile) {
      const e = new RangeError("too large");
      e.file = f.name;
      throw e;
    }
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

  function showLoaded(r) {
    said = () => {
      unmark();
      const l = lang();
      summary.replaceChildren(
        el("p", t(l, "sign.loaded", { subject: r.subject }), "sign-ok"),
        el("p", t(l, "sign.valid", { from: when(r.notBefore), to: when(r.notAfter), algorithm: r.algorithm })),
        el("p", t(l, "sign.fingerprint", { fingerprint: r.fingerprint })),
      );
    };
    said();
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
        const file = err && err.file;
        problem(keyIn, (l) => (file ? t(l, "sign.tooLarge", { file, max: maxFile >> 10 }) : t(l, "sign.unreadable", { reason: String(err && err.message) })));
        return { ok: false };
      }
      if (!src) {
        problem(keyIn, (l) => t(l, "sign.missing"));
        return { ok: false };
      }
      let r;
      try {
        r = await socred.loadKey(src);
      } finally {
        wipe(src);
      }
      if (!r.ok) {
        const f = (r.error && r.error.fields && r.error.fields[0]) || null;
        problem(inputFor(f && f.code, src), (l) => (f ? problemText(l, f) + "." : t(l, "sign.unreadable", { reason: (r.error && r.error.message) || "" })));
        return r;
      }
      loaded = r;
      pw.value = ""; // no longer needed: the key is in the module
      showLoaded(r);
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
    said = () => summary.replaceChildren(el("p", t(lang(), "sign.cleared")));
    said();
  }

  on.addEventListener("change", () => {
    body.hidden = !on.checked;
    on.setAttribute("aria-expanded", String(on.checked));
  });
  on.setAttribute("aria-expanded", "false");
  $("sign-load").addEventListener("click", () => { load(); });
  $("sign-clear").addEventListener("click", clearAll);
  // A loaded key stands for the files chosen: another choice forgets it.
  for (const input of [keyIn, certIn]) input.addEventListener("change", () => { forget(); unmark(); said = null; });
  pw.addEventListener("input", () => { if (loaded) forget(); });

  function settings() {
    const o = {};
    const v = lifetime.value.trim();
    if (v !== "") o.lifetimeSeconds = /^\d+$/.test(v) ? Number(v) : v; // a wrong value gets the module's message
    if (mu.checked) o.mustUnderstand = true;
    return o;
  }

  function explain(ex) {
    explained = ex;
    $("explain").hidden = !ex;
    if (!ex) return;
    const l = lang();
    const refs = $("explain-refs");
    refs.replaceChildren();
    for (const r of ex.references) {
      const part = el("section", undefined, "explain-ref");
      const head = { uri: r.uri, element: r.element || "?", path: r.path };
      part.append(el("h4", t(l, r.path ? "explain.referencePath" : "explain.reference", head)));
      const dl = el("dl");
      dl.append(el("dt", t(l, "explain.computed")), el("dd", r.digest || "—"));
      dl.append(el("dt", t(l, "explain.digestValue")), el("dd", r.digestValue || "—"));
      const verdict = r.match ? t(l, "explain.match") : r.error ? t(l, "explain.mismatchWhy", { reason: r.error }) : t(l, "explain.mismatch");
      dl.append(el("dt", t(l, "explain.result")), el("dd", verdict, r.match ? "digest-ok" : "digest-bad"));
      part.append(dl);
      const pre = el("pre", r.canonical, "code");
      pre.tabIndex = 0;
      pre.setAttribute("aria-label", t(l, "explain.bytesLabel", { uri: r.uri }));
      part.append(pre);
      refs.append(part);
    }
    $("explain-signedinfo").textContent = ex.signedInfo;
  }

  return {
    async request(req) {
      if (!on.checked) return;
      if (!loaded && keyIn.files.length) await load();
      if (loaded) {
        req.signature = Object.assign({ keyId: loaded.keyId }, settings());
        return;
      }
      // Not loadable: send the files along, so that the call fails with
      // the same validation error the form then marks; or, without files,
      // say the key is missing.
      let src = null;
      try { src = await source(); } catch (_) { src = null; }
      if (src) toWipe.push(src);
      req.signature = Object.assign({}, src || {}, settings());
    },
    result(res, operation) {
      for (const src of toWipe.splice(0)) wipe(src);
      if (operation === "preview") explain(res.ok && res.explanation);
    },
    redraw() {
      if (said) said();
      if (explained) explain(explained);
    },
  };
}
