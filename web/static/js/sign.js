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
//
// The parts beside it: keyfiles.js reads the files, signstatus.js says
// what became of the key, explanation.js draws the explanation.
import { drawExplanation } from "./explanation.js";
import { t } from "./i18n.js";
import { inputFor, keySource, maxFile, wipe } from "./keyfiles.js";
import { problemText } from "./messages.js";
import { signStatus } from "./signstatus.js";

// signing wires the Sign section of one form: options lang(). It returns
// {request(req), result(res, operation), redraw()}, or null when the form
// has no Sign section.
export function signing($, options) {
  const box = $("sign");
  if (!box) return null;
  box.hidden = false;
  const ui = {
    on: $("sign-on"),
    body: $("sign-body"),
    keyIn: $("sign-key"),
    certIn: $("sign-cert"),
    pw: $("sign-password"),
    lifetime: $("sign-lifetime"),
    mu: $("sign-mu"),
  };
  const lang = options.lang;
  const status = signStatus($, [ui.keyIn, ui.certIn, ui.pw], lang);
  const key = signingKey(ui, status);
  wire($, ui, key, status);

  let toWipe = []; // key bytes lent to a request, wiped once it is answered
  let explained = null; // the explanation on show
  const explain = (ex) => {
    explained = ex;
    drawExplanation($, lang(), ex);
  };

  return {
    async request(req) {
      if (!ui.on.checked) return;
      if (!key.loaded() && ui.keyIn.files.length) await key.load();
      const loaded = key.loaded();
      if (loaded) {
        req.signature = Object.assign({ keyId: loaded.keyId }, settings(ui));
        return;
      }
      // Not loadable: send the files along, so that the call fails with
      // the same validation error the form then marks; or, without files,
      // say the key is missing.
      let src = null;
      try { src = await keySource(ui); } catch (_) { src = null; }
      if (src) toWipe.push(src);
      req.signature = Object.assign({}, src || {}, settings(ui));
    },
    result(res, operation) {
      for (const src of toWipe.splice(0)) wipe(src);
      if (operation === "preview") explain(res.ok && res.explanation);
    },
    redraw() {
      status.redraw();
      if (explained) explain(explained);
    },
  };
}

// signingKey holds the key loaded into the module for one form. It
// returns {loaded() (loadKey's result: {keyId, subject, notBefore,
// notAfter, algorithm, fingerprint}, or null), load(), forget(), clear()}.
function signingKey(ui, status) {
  let loaded = null;
  let loading = null; // the load in progress

  // forget drops the loaded key, in the module too.
  function forget() {
    if (loaded) socred.clearKey(loaded.keyId);
    loaded = null;
    status.emptySummary();
  }

  async function read() {
    forget();
    status.unmark();
    let src;
    try {
      src = await keySource(ui);
    } catch (err) {
      const file = err && err.file;
      status.problem(ui.keyIn, (l) => (file ? t(l, "sign.tooLarge", { file, max: maxFile >> 10 }) : t(l, "sign.unreadable", { reason: String(err && err.message) })));
      return { ok: false };
    }
    if (!src) {
      status.problem(ui.keyIn, (l) => t(l, "sign.missing"));
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
      status.problem(inputFor(ui, f && f.code, src), (l) => (f ? problemText(l, f) + "." : t(l, "sign.unreadable", { reason: (r.error && r.error.message) || "" })));
      return r;
    }
    loaded = r;
    ui.pw.value = ""; // no longer needed: the key is in the module
    status.loaded(r);
    return r;
  }

  return {
    loaded: () => loaded,
    forget,
    async load() {
      if (loading) return loading;
      loading = read();
      try {
        return await loading;
      } finally {
        loading = null;
      }
    },
    clear() {
      forget();
      ui.keyIn.value = "";
      ui.certIn.value = "";
      ui.pw.value = "";
      status.unmark();
      status.cleared();
    },
  };
}

// wire connects the Sign section's controls to what they do.
function wire($, ui, key, status) {
  ui.on.addEventListener("change", () => {
    ui.body.hidden = !ui.on.checked;
    ui.on.setAttribute("aria-expanded", String(ui.on.checked));
  });
  ui.on.setAttribute("aria-expanded", "false");
  $("sign-load").addEventListener("click", () => { key.load(); });
  $("sign-clear").addEventListener("click", key.clear);
  // A loaded key stands for the files chosen: another choice forgets it.
  for (const input of [ui.keyIn, ui.certIn]) input.addEventListener("change", () => { key.forget(); status.unmark(); status.silence(); });
  ui.pw.addEventListener("input", () => { if (key.loaded()) key.forget(); });
}

// settings are the signature's options from the section's fields.
function settings(ui) {
  const o = {};
  const v = ui.lifetime.value.trim();
  if (v !== "") o.lifetimeSeconds = /^\d+$/.test(v) ? Number(v) : v; // a wrong value gets the module's message
  if (ui.mu.checked) o.mustUnderstand = true;
  return o;
}
