// form.js drives socred's form: mount(root, options) wires one copy of
// form.html's markup (in a Document or a ShadowRoot) to the socred API
// (socred.js loads it): it reads the inputs into socred's request objects,
// calls the API and shows the results, through the parts in the modules
// beside it (records, preview, sign, messages, dialog, prefill). Each mount
// keeps its own state, so several forms (several <socred-credentials>
// elements) work on one page side by side, each in its own language. Every
// text that comes from a server is rendered with textContent, never as
// HTML. Nothing secret is stored, logged or put in an event: only Endpoint
// and the last Type are remembered, in localStorage, and only when
// options.remember is set (the standalone page).
import { describe, el, undescribe } from "./dom.js";
import { fromLocalInput, toLocalInput, utcLine } from "./dates.js";
import { ask } from "./dialog.js";
import { DefaultWarningDays } from "./expiry.js";
import { identity, personName, ref as identityRef } from "./identity.js";
import { langOf, load as loadLanguage, supported, t, translate, watch } from "./i18n.js";
import { messages, problemText } from "./messages.js";
import { diagnose } from "./network.js";
import { check as checkPrefill, checkTicket } from "./prefill.js";
import { preview as previewPanel } from "./preview.js";
import { records as recordsTable } from "./records.js";
import { signing } from "./sign.js";
import { auditSection } from "./audit.js";
import { batchSection } from "./batch.js";

// mount wires the form in root. options (all optional):
//   endpoint: the starting site URL (config.json's endpoint, absolute)
//   endpointOrigins: origins an embedder may point the endpoint at, besides
//     the starting one's (config.json's endpointOrigins)
//   remember: boolean, remember Endpoint and Type in localStorage
//   lang: a language tag that overrides the one the root is in; without
//     it the form follows langOf(root) live
//   setLanguage(tag): what a prefilled lang does (the page sets <html
//     lang>); default: the controller's setLanguage
//   emit(name, detail): called with "ready", "saved", "removed", "failed",
//     "batch" (a batch run ended: its counts); detail never holds a secret
//   ready: a Promise standing for socred.ready (defaults to it)
// Within the window of the controller's setWarningDays (30 days unless
// set) the table says "Expires in N days".
// It returns a controller: {setTicket(ticket), prefill(fields),
// setSections(names), setSOAPVersion(v), setLanguage(tag)}.
export function mount(root, options) {
  const opts = options || {};
  const $ = (id) => root.getElementById(id);
  const form = $("form");
  const field = (name) => form.elements.namedItem(name);
  const buttons = ["save", "list", "preview", "login"].map($);
  const emit = (name, detail) => { if (opts.emit) opts.emit(name, detail); };
  const host = root instanceof ShadowRoot ? root.host : root.documentElement;
  let soapVersion = "";
  let warningDays = DefaultWarningDays; // "Expires in N days" within this window
  let langTag = opts.lang || "";
  let lang = "en"; // the language on show (a supported one)
  let startError = null; // the start-up failure on show, worded again on a language change
  const configured = typeof opts.endpoint === "string" ? opts.endpoint : ""; // the endpoint the form starts with
  const remembered = { endpoint: "socred.endpoint", type: "socred.type" };

  const currentLang = () => lang;
  const msg = messages($, currentLang);
  const loginMsg = messages($, currentLang, { status: null, alert: "login-alert", className: "login-alert" });
  const table = recordsTable($, {
    lang: currentLang,
    busy: () => busy,
    warningDays: () => warningDays,
    onEdit: (r) => edit(r, false),
    onRotate: (r) => edit(r, true),
    onRemove: (r, b) => confirmRemove(r, b),
  });
  const person = identity($, { lang: currentLang, connection, input: field("AssociateId") });
  const audit = auditSection($, { lang: currentLang, connection, lastImport: () => (many ? many.planned() : null) });
  const many = batchSection($, {
    lang: currentLang,
    connection,
    busy: () => {},
    emit: (name, detail) => emit(name, detail),
    onPlanned: () => { if (audit) audit.imported(); },
  });
  const panel = previewPanel($, { lang: currentLang });
  const sign = signing($, { lang: currentLang });

  // ---- language ---------------------------------------------------------

  // applyLanguage words everything in the language the form is in now
  // (the latest call wins when the language changes while one loads).
  let wording = 0;
  async function applyLanguage() {
    const turn = ++wording;
    const got = await loadLanguage(supported(langTag || langOf(host)) || "en");
    if (turn !== wording) return;
    lang = got;
    translate(root, lang);
    const toggle = $("toggle-secret");
    toggle.textContent = t(lang, field("SecretValue").type === "password" ? "secret.show" : "secret.hide");
    showUTC("ValidFrom");
    showUTC("ValidTo");
    msg.redraw();
    loginMsg.redraw();
    table.redraw();
    person.redraw();
    drawEditing();
    if (many) many.redraw();
    if (audit) audit.redraw();
    panel.redraw();
    if (sign) sign.redraw();
    redrawFieldErrors();
    if (signedIn) signedIn();
    if (startError) startError();
  }
  if (!opts.lang) watch(host, () => applyLanguage());

  // ---- settings ---------------------------------------------------------

  function recall(key) {
    if (!opts.remember) return "";
    try { return localStorage.getItem(key) || ""; } catch (_) { return ""; }
  }
  function remember(key, value) {
    if (!opts.remember) return;
    try { localStorage.setItem(key, value); } catch (_) { /* storage may be off */ }
  }

  // ---- requests ---------------------------------------------------------

  function showUTC(name) {
    $(name + "-utc").textContent = utcLine(lang, fromLocalInput(field(name).value));
  }
  function connection() {
    return Object.assign({
      endpoint: field("Endpoint").value.trim(),
      applicationToken: field("ApplicationToken").value,
      ticket: field("Ticket").value.trim(),
    }, soapVersion ? { soapVersion } : {});
  }
  function isoOf(name) {
    const d = fromLocalInput(field(name).value);
    return d ? d.toISOString() : "";
  }
  function saveRequest() {
    return Object.assign(connection(), {
      associateId: field("AssociateId").value.trim(),
      type: field("Type").value.trim(),
      credentials: {
        validFrom: isoOf("ValidFrom"),
        validTo: isoOf("ValidTo"),
        comment: field("Comment").value,
        secretValue: field("SecretValue").value,
        publicValue: field("PublicValue").value,
        isActive: field("IsActive").checked,
      },
    });
  }

  // ---- events -----------------------------------------------------------

  // secretsOf lists what is secret in a request as it is sent: the module
  // trims the ticket, so both forms are scrubbed.
  function secretsOf(req) {
    const out = [];
    for (const v of [req.ticket, req.applicationToken, req.password, req.credentials && req.credentials.secretValue]) {
      if (typeof v !== "string") continue;
      out.push(v, v.trim());
    }
    return out.filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
  }
  // scrub removes the secrets a request carried from a text that is about
  // to leave the form in an event (a server may echo what it was sent),
  // then shortens it: cut first, a secret across the cut would keep its
  // start.
  function scrub(text, secrets) {
    let out = String(text || "");
    for (const v of secrets) out = out.split(v).join("[hidden]");
    return out.slice(0, 500);
  }
  // failed emits "failed" with what went wrong, never with what was sent.
  // A missing ticket while the Ticket field is hidden (an element whose
  // portal has not signed in yet) is kind "not-signed-in", which a portal
  // can act on.
  function failed(operation, error, secrets) {
    const e = error || {};
    const first = e.kind === "validation" && e.fields && e.fields[0] ? e.fields[0].field : "";
    const kind = e.kind === "validation" && notSignedIn(e) ? "not-signed-in" : String(e.kind || "");
    emit("failed", { operation, kind, message: scrub(e.message, secrets || []), field: String(first || "") });
  }

  // hidden reports whether a field is in a part the host page hid.
  const hidden = (name) => {
    const input = field(name);
    return Boolean(input && input.closest(".section-off"));
  };
  // notSignedIn: the problems include the Ticket, which the host hid.
  const notSignedIn = (e) => (e.fields || []).some((p) => p.field === "Ticket") && hidden("Ticket");
  // ticketRefused: NetServer said the ticket is missing, unknown or expired.
  const ticketRefused = (e) => e && e.kind === "exception" && /Ticket|NotLoggedIn/i.test(e.exceptionType || "");

  // call runs one socred operation after the Sign part amended the request.
  const methods = { save: "save", list: "list", remove: "remove", login: "login", preview: "buildEnvelope" };
  async function call(operation, req) {
    if (sign) await sign.request(req, operation);
    const secrets = secretsOf(req);
    const result = await socred[methods[operation]](req);
    if (!result.ok) failed(operation, result.error, secrets);
    if (!result.ok && (ticketRefused(result.error) || operation === "login")) signOut();
    if (sign) sign.result(result, operation);
    return result;
  }

  // ---- inline validation ------------------------------------------------

  let fieldProblems = []; // the problems marked on the inputs
  function clearFields() {
    fieldProblems = [];
    for (const p of form.querySelectorAll(".field-error")) p.remove();
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      undescribe(input, (id) => id.endsWith("-error"));
    }
  }
  function drawFieldErrors() {
    for (const p of form.querySelectorAll(".field-error")) p.remove();
    let first = null;
    for (const pr of fieldProblems) {
      const input = field(pr.field);
      if (!input || !input.closest) continue;
      const id = input.id + "-error";
      const m = el("p", problemText(lang, pr) + ".", "field-error");
      m.id = id;
      (input.closest(".field") || input.parentNode).append(m);
      input.setAttribute("aria-invalid", "true");
      describe(input, id);
      if (!first) first = input;
    }
    return first;
  }
  const redrawFieldErrors = () => { drawFieldErrors(); };
  // markFields marks each input with a problem and moves focus to the first.
  function markFields(problems) {
    clearFields();
    fieldProblems = problems.slice();
    const first = drawFieldErrors();
    if (first) first.focus();
  }
  // showFailure shows a failed call in box (the Credential card's, or the
  // login's). Problems of fields the host page hid are said in words its
  // user can act on ("not signed in yet") instead of marking what no one
  // sees.
  async function showFailure(result, box) {
    let error = result.error || { kind: "network", message: String(result) };
    if (error.kind === "network" && error.origin) {
      error = Object.assign({}, error, { advice: await diagnose(error, field("Endpoint").value.trim()) });
    }
    // No service at the site URL (HTTP 404/405): the URL field is the problem.
    if (error.kind === "http" && error.code === "no-service" && !hidden("Endpoint")) {
      markFields([{ field: "Endpoint", code: "no-service", params: { status: String(error.status || "") } }]);
    }
    if (error.kind === "validation") {
      const seen = (error.fields || []).filter((p) => !hidden(p.field));
      const unseen = (error.fields || []).filter((p) => hidden(p.field));
      markFields(seen);
      if (unseen.length) {
        error = Object.assign({}, error, {
          fields: seen,
          hiddenProblems: unseen.some((p) => p.field === "Ticket") ? "hidden.notSignedIn" : "hidden.setup",
        });
      }
    }
    (box || msg).fail(error);
  }
  function showCrash(err) {
    const reason = String((err && err.message) || err);
    msg.fail({ kind: "", message: t(lang, "error.crash", { reason }) });
    failed("", { kind: "crash", message: "socred failed unexpectedly: " + reason });
  }

  // ---- calls ------------------------------------------------------------

  // One call at a time: while one runs, every button that starts one is
  // disabled, the table's buttons too (drawn disabled while busy); idle
  // resolves when it ends.
  let busy = false;
  let idle = Promise.resolve();
  async function run(button, fn) {
    if (busy) return;
    busy = true;
    let release;
    idle = new Promise((resolve) => (release = resolve));
    form.setAttribute("aria-busy", "true");
    // The pressed button keeps its focus (a disabled one would drop it to
    // the page's body): it is only marked aria-disabled; the others are
    // disabled. A second press while busy does nothing (see busy above).
    for (const b of buttons.concat(table.buttons())) {
      if (b === button) b.setAttribute("aria-disabled", "true");
      else b.disabled = true;
    }
    button.classList.add("is-busy");
    try {
      await fn();
    } catch (err) {
      showCrash(err);
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
      for (const b of buttons.concat(table.buttons())) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
      }
      button.classList.remove("is-busy");
      release();
    }
  }

  let listed = null; // {associateId, type, who, user} of the table on show
  let listedRecords = []; // its records
  const seenTypes = new Set(); // Types NetServer listed records of, this session

  // knownTypes are the Types socred knows of: the suggestions, the one
  // remembered, and those listed this session.
  function knownTypes() {
    const out = new Set(Array.from(root.querySelectorAll("#type-suggestions option"), (o) => o.value));
    const r = recall(remembered.type);
    if (r) out.add(r);
    for (const x of seenTypes) out.add(x);
    return Array.from(out).filter(Boolean);
  }

  // target resolves the Associate field into the associate a call is for:
  // {associateId (digits), user (or null), who (how messages name them)},
  // or null after showing why it cannot (a user name NetServer does not
  // know, or could not look up). An id that cannot be looked up (no right
  // to read users, the lookup failed) is still used: NetServer's own answer
  // to the call then says what is wrong.
  async function target() {
    const text = field("AssociateId").value.trim();
    const lookup = identityRef(text);
    if (!lookup) return { associateId: text, user: null, who: text };
    const r = await person.resolve();
    if (field("AssociateId").value.trim() !== text) return null; // changed meanwhile: the caller starts again
    const user = r && r.ok ? r.user : null;
    if (user) return { associateId: String(user.associateId), user, who: personName(lang, user, user.associateId) };
    if (lookup.associateId) return { associateId: text, user: null, who: personName(lang, null, text) };
    if (r && r.ok) {
      const problem = { field: "AssociateId", code: "unknown-user", params: { name: lookup.userName } };
      markFields([problem]);
      msg.fail({ kind: "validation", fields: [problem] });
      return null;
    }
    // The lookup could not even start (no ticket or site URL yet): let the
    // call's own checks list everything, the name among them.
    if (r && r.error && r.error.kind === "validation") return { associateId: text, user: null, who: text, unresolved: lookup.userName };
    await showFailure(r || { error: { kind: "", message: "" } });
    return null;
  }

  // unresolved rewords the call's problem with a user name it could not
  // look up ("must be a whole number" is true, and no help).
  function unresolved(result, to) {
    if (!to.unresolved || !result.error || result.error.kind !== "validation") return result;
    const fields = (result.error.fields || []).map((p) => (p.field === "AssociateId"
      ? { field: "AssociateId", code: "unresolved-user", params: { name: to.unresolved } } : p));
    return Object.assign({}, result, { error: Object.assign({}, result.error, { fields }) });
  }

  // editing is the stored record Save replaces (Edit, Rotate secret):
  // {associateId, type, record, who, secretReturned}.
  let editing = null;
  function drawEditing() {
    $("editing").hidden = !editing;
    if (!editing) return;
    const pv = editing.record.publicValue || "";
    $("editing-text").textContent = t(lang, "edit.banner", { type: editing.type, publicValue: pv || t(lang, "records.emptyPublic"), who: editing.who });
    const moved = field("PublicValue").value !== pv;
    $("editing-key").hidden = !moved;
    $("editing-remove-old-box").hidden = !moved;
    if (moved) {
      $("editing-key").textContent = t(lang, "edit.keyChanged", { old: pv || t(lang, "records.emptyPublic") });
      $("editing-remove-old-label").textContent = t(lang, "edit.removeOld", { old: pv || t(lang, "records.emptyPublic") });
    }
  }
  function stopEditing() {
    editing = null;
    $("editing-remove-old").checked = false;
    drawEditing();
  }

  // edit loads a listed record into the form; rotate then empties Secret
  // value, focuses it and sets Valid from to now.
  function edit(record, rotate) {
    if (!listed) return;
    clearFields();
    msg.clear();
    field("AssociateId").value = listed.associateId;
    field("Type").value = listed.type;
    field("PublicValue").value = record.publicValue || "";
    field("Comment").value = record.comment || "";
    field("IsActive").checked = Boolean(record.isActive);
    for (const [name, iso] of [["ValidFrom", record.validFrom], ["ValidTo", record.validTo]]) {
      const d = iso ? new Date(iso) : null;
      field(name).value = d && !isNaN(d.getTime()) ? toLocalInput(d) : "";
    }
    field("SecretValue").value = rotate ? "" : record.secretValue || "";
    if (rotate) field("ValidFrom").value = toLocalInput(new Date());
    showUTC("ValidFrom");
    showUTC("ValidTo");
    editing = { associateId: listed.associateId, type: listed.type, record, who: listed.who, secretReturned: Boolean(record.secretValue) };
    $("editing-remove-old").checked = false;
    drawEditing();
    person.refresh();
    const focus = rotate || !editing.secretReturned ? field("SecretValue") : field("PublicValue");
    focus.focus();
    if (rotate) msg.ok("edit.rotating", { type: listed.type, publicValue: record.publicValue || t(lang, "records.emptyPublic"), who: listed.who });
  }

  async function save() {
    clearFields();
    const to = await target();
    if (!to) return;
    if (to.user && to.user.deleted) {
      failed("save", { kind: "refused", message: "associate " + to.associateId + " is deleted" });
      return msg.fail({ kind: "refused", code: "deleted", who: to.who });
    }
    const req = saveRequest();
    req.associateId = to.associateId;
    const sameAssociate = (x) => x && x.associateId === req.associateId && x.type === req.type;
    // Editing a record whose secret NetServer did not return: an empty
    // Secret value would erase the stored one, so it is required.
    if (editing && sameAssociate(editing) && !editing.secretReturned && req.credentials.secretValue === "") {
      markFields([{ field: "SecretValue", code: "secret-required-edit" }]);
      return msg.fail({ kind: "validation", fields: [{ field: "SecretValue", code: "secret-required-edit" }] });
    }
    // Save is an upsert: with an empty SecretValue it replaces a stored
    // secret with nothing. When the table shows that record with a secret,
    // say so and ask first.
    const stored = req.credentials.secretValue === "" && sameAssociate(listed) &&
      listedRecords.find((r) => (r.publicValue || "") === req.credentials.publicValue && r.secretValue);
    if (stored) {
      const yes = await ask($, {
        title: t(lang, "dialog.replaceTitle"),
        text: t(lang, "dialog.replaceText", { type: req.type, publicValue: req.credentials.publicValue || t(lang, "records.emptyPublic"), who: to.who }),
        ok: t(lang, "dialog.replaceOk"),
        opener: $("save"),
      });
      if (!yes) {
        field("SecretValue").focus();
        return;
      }
    }
    // Type is the key the integration reading the credential looks for:
    // "IMAP" where the known one is "imap" is most likely a slip.
    const known = knownTypes().find((k) => k !== req.type && k.toLowerCase() === req.type.toLowerCase());
    if (known) {
      const yes = await ask($, {
        title: t(lang, "dialog.typeCaseTitle"),
        text: t(lang, "dialog.typeCaseText", { type: req.type, known }),
        ok: t(lang, "dialog.typeCaseOk", { type: req.type }),
        opener: $("save"),
      });
      if (!yes) {
        field("Type").focus();
        return;
      }
    }
    // A retired person: ask first.
    if (to.user && to.user.retired) {
      const yes = await ask($, {
        title: t(lang, "dialog.retiredTitle"),
        text: t(lang, "dialog.retiredText", { who: to.who, type: req.type }),
        ok: t(lang, "dialog.retiredOk"),
        opener: $("save"),
      });
      if (!yes) return;
    }
    const result = await call("save", req);
    if (!result.ok) return showFailure(unresolved(result, to));
    remember(remembered.endpoint, req.endpoint);
    remember(remembered.type, req.type);
    const pv = req.credentials.publicValue;
    emit("saved", { associateId: req.associateId, type: req.type, publicValue: pv });
    // The record's key changed while editing: the new one is saved; remove
    // the old one when asked to.
    const old = editing && sameAssociate(editing) && (editing.record.publicValue || "") !== pv ? editing.record.publicValue || "" : null;
    const removeOld = old !== null && $("editing-remove-old").checked;
    stopEditing();
    if (removeOld) {
      const r = await call("remove", Object.assign(connection(), { associateId: req.associateId, type: req.type, publicValue: old }));
      if (!r.ok) {
        await showFailure(r);
      } else {
        emit("removed", { associateId: req.associateId, type: req.type, publicValue: old });
        msg.ok("status.savedMoved", { type: req.type, who: to.who, old: old || t(lang, "records.emptyPublic") });
      }
    } else {
      msg.ok("status.saved", { type: req.type, who: to.who });
    }
    if (!$("records").hidden && sameAssociate(listed)) await list(true, to);
  }

  async function list(quiet, known) {
    if (!quiet) clearFields();
    const to = known || await target();
    if (!to) return;
    const req = Object.assign(connection(), { associateId: to.associateId, type: field("Type").value.trim() });
    const result = await call("list", req);
    if (!result.ok) {
      // The table on show may be another associate's, or out of date:
      // never leave it looking like the answer to this Load.
      table.hide();
      listed = null;
      listedRecords = [];
      return showFailure(unresolved(result, to));
    }
    remember(remembered.endpoint, req.endpoint);
    remember(remembered.type, req.type);
    listed = { associateId: req.associateId, type: req.type, who: to.who, user: to.user };
    listedRecords = result.credentials || [];
    if (listedRecords.length) seenTypes.add(req.type);
    table.show(listed, listedRecords);
    if (!quiet) msg.ok("status.loaded", { count: listedRecords.length, type: req.type, who: to.who });
  }

  async function confirmRemove(record, opener) {
    const of = listed;
    const target = { associateId: of.associateId, type: of.type, publicValue: record.publicValue || "" };
    const yes = await ask($, {
      title: t(lang, "dialog.removeTitle"),
      text: t(lang, "dialog.removeText", { type: target.type, publicValue: target.publicValue || t(lang, "records.emptyPublic"), who: of.who }),
      ok: t(lang, "dialog.removeOk"),
      opener,
    });
    if (!yes) return;
    const index = table.rows().indexOf(opener.closest("tr"));
    while (busy) await idle; // a call that started meanwhile: remove after it, not never
    await run($("list"), () => remove(target, of));
    // Removed, the table was drawn anew and the opener is gone: go on at
    // the row that took its place, else at the caption (never lose focus
    // to the page's body). A failed removal leaves the opener in place.
    if (opener.isConnected) return opener.focus();
    if ($("records").hidden) return $("list").focus();
    const next = table.rows()[index] && table.rows()[index].querySelector('button[data-action="remove"]');
    (next || $("records-caption")).focus();
  }

  async function remove(target, of) {
    const result = await call("remove", Object.assign(connection(), target));
    if (!result.ok) return showFailure(result);
    emit("removed", { associateId: target.associateId, type: target.type, publicValue: target.publicValue });
    if (editing && editing.associateId === target.associateId && editing.type === target.type &&
      (editing.record.publicValue || "") === target.publicValue) stopEditing();
    field("Type").value = of.type;
    await list(true, { associateId: of.associateId, user: of.user, who: of.who });
    msg.ok("status.removed", { type: target.type, publicValue: target.publicValue || t(lang, "records.empty"), who: of.who });
  }

  // The login's result shows beside its button: "Signed in as …" while the
  // ticket it got is in the Ticket field and has not been refused, else why
  // the login failed.
  let signedIn = null; // () => void: words the "Signed in as" line again
  function signOut() {
    signedIn = null;
    $("signed-in").hidden = true;
    $("signed-in").textContent = "";
  }
  async function login() {
    clearFields();
    loginMsg.clear();
    const req = {
      endpoint: field("Endpoint").value.trim(),
      applicationToken: field("ApplicationToken").value,
      userName: field("UserName").value.trim(),
      password: field("Password").value,
    };
    const result = await call("login", req);
    if (!result.ok) return showFailure(result, loginMsg);
    field("Ticket").value = result.ticket;
    field("Password").value = "";
    remember(remembered.endpoint, req.endpoint);
    const who = result.fullName || result.userName || req.userName;
    signedIn = () => {
      $("signed-in").textContent = t(lang, "login.signedIn", { who, id: result.associateId });
      $("signed-in").hidden = false;
    };
    signedIn();
    person.refresh();
  }

  async function showPreview() {
    clearFields();
    const req = Object.assign(saveRequest(), { operation: "save", maskSecrets: !$("show-secrets").checked });
    const result = await call("preview", req);
    if (!result.ok) {
      panel.hide();
      return showFailure(result);
    }
    panel.show(result);
    msg.clear();
    if (result.masked) msg.ok("status.previewMasked", { placeholder: "{SecretValue}" });
    else msg.ok("status.previewReal");
  }

  // ---- wiring -----------------------------------------------------------

  function toggleSecret() {
    const input = field("SecretValue");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    const b = $("toggle-secret");
    b.textContent = t(lang, show ? "secret.hide" : "secret.show");
    b.setAttribute("aria-pressed", String(show));
  }

  function wire() {
    // Nothing submits the form (Save is type="button"); should anything
    // try, it goes nowhere.
    form.addEventListener("submit", (e) => e.preventDefault());
    $("save").addEventListener("click", () => run($("save"), save));
    $("list").addEventListener("click", () => run($("list"), () => list(false)));
    $("preview").addEventListener("click", () => run($("preview"), showPreview));
    $("login").addEventListener("click", () => run($("login"), login));
    $("show-secrets").addEventListener("change", () => { if (panel.shown()) run($("preview"), showPreview); });
    $("toggle-secret").addEventListener("click", toggleSecret);
    // A ticket typed or pasted by hand is not the one the login got.
    field("Ticket").addEventListener("input", signOut);
    // Who the Associate field names depends on the site and the ticket.
    for (const name of ["Endpoint", "Ticket", "ApplicationToken"]) field(name).addEventListener("change", () => person.refresh());
    // Editing: a changed Public value is a new record; say so.
    field("PublicValue").addEventListener("input", () => { if (editing) drawEditing(); });
    $("edit-cancel").addEventListener("click", () => { stopEditing(); field("PublicValue").focus(); });
    // A preview describes the form as it was: hide it once the form changes.
    form.addEventListener("input", () => { if (panel.shown()) panel.hide(); });
    for (const name of ["ValidFrom", "ValidTo"]) {
      field(name).addEventListener("input", () => showUTC(name));
      field(name).addEventListener("change", () => showUTC(name));
    }
    // Enter never saves: Save is an upsert that could overwrite a stored
    // record. Enter in the login fields logs in; in Associate ID and Type
    // it loads that associate's credentials (when the table is offered).
    const onEnter = (names, button, fn) => {
      for (const name of names) {
        field(name).addEventListener("keydown", (e) => {
          if (e.key !== "Enter" || e.isComposing) return;
          e.preventDefault();
          if (!busy && !button.disabled && !button.closest(".section-off")) run(button, fn);
        });
      }
    };
    onEnter(["UserName", "Password"], $("login"), login);
    onEnter(["AssociateId", "Type"], $("list"), () => list(false));
  }

  // ---- what an embedder may set -----------------------------------------

  // prefill checks every field first and applies none unless all are valid;
  // it throws a TypeError that names the offending field.
  function prefill(fields) {
    const changes = checkPrefill(fields, { endpoint: configured, origins: opts.endpointOrigins || [] });
    for (const c of changes) {
      if (c.key === "soapVersion") { soapVersion = c.value; continue; }
      if (c.key === "lang") { (opts.setLanguage || setLanguage)(c.value); continue; }
      if (c.key === "sections") { setSections(c.value === "" ? null : c.value.split(/[\s,]+/).filter(Boolean)); continue; }
      const input = field(c.name);
      if (c.bool) input.checked = c.value;
      else if (c.date) { input.value = toLocalInput(new Date(c.value)); showUTC(c.name); }
      else if (c.key === "endpoint" && c.value === "") input.value = configured;
      else input.value = c.value;
      if (c.key === "associateId" || c.key === "endpoint") person.refresh();
    }
  }

  // setTicket fills the Ticket input ("" clears it); the value is never
  // echoed anywhere.
  function setTicket(ticket) {
    checkTicket(ticket);
    field("Ticket").value = ticket;
    signOut();
    person.refresh();
  }

  // setSections shows the optional parts named (connection, login, records,
  // preview, sign) and hides the others; null or undefined shows them all.
  function setSections(names) {
    const on = names == null ? null : new Set(names);
    for (const part of root.querySelectorAll("[data-section]")) {
      const name = part.dataset.section;
      part.classList.toggle("section-off", name !== "credential" && on !== null && !on.has(name));
    }
  }

  // setWarningDays sets the window of "Expires in N days" (a whole number
  // of days, 0 to 3650).
  function setWarningDays(days) {
    const n = typeof days === "string" && /^\d{1,4}$/.test(days.trim()) ? Number(days) : days;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 3650) {
      throw new TypeError("expiry-warning-days must be a whole number of days from 0 to 3650");
    }
    warningDays = n;
    table.redraw();
  }

  // setLanguage fixes the form's language ("" follows the page again).
  function setLanguage(tag) {
    langTag = tag || "";
    return applyLanguage();
  }

  // ---- start ------------------------------------------------------------

  async function init() {
    wire();
    const now = new Date();
    now.setSeconds(0, 0);
    const later = new Date(now);
    later.setFullYear(later.getFullYear() + 1);
    field("ValidFrom").value = toLocalInput(now);
    field("ValidTo").value = toLocalInput(later);
    field("Type").value = recall(remembered.type) || "imap";
    if (!field("Endpoint").value) field("Endpoint").value = configured || recall(remembered.endpoint);
    await applyLanguage();

    try {
      await (opts.ready || socred.ready);
    } catch (err) {
      startError = () => {
        $("startup-error").textContent = startupText(lang, err);
        $("startup-error").hidden = false;
      };
      startError();
      emit("failed", { operation: "start", kind: "startup", message: String((err && err.message) || err).slice(0, 500), field: "" });
      return;
    }
    buttons.forEach((b) => (b.disabled = false));
    if (many) many.ready();
    document.addEventListener("socred:exit", () => {
      buttons.forEach((b) => (b.disabled = true));
      startError = () => {
        $("startup-error").textContent = t(lang, "page.stopped");
        $("startup-error").hidden = false;
      };
      startError();
    });
    emit("ready", { version: String(socred.version) });
  }

  init();
  return {
    setTicket,
    prefill,
    setSections,
    setSOAPVersion: (v) => prefill({ soapVersion: v }),
    setLanguage,
    setWarningDays,
    language: () => lang,
  };
}

// startupText words why the module could not start (socred.js gives its
// Error a code), keeping the browser's own text in brackets.
export function startupText(lang, err) {
  const code = err && err.code;
  const detail = err && err.detail ? " (" + err.detail + ")" : "";
  const reason = code ? t(lang, "start." + code, { status: err.status || "", file: err.file || "" }) + detail : String((err && err.message) || err);
  return t(lang, "page.startFailed", { reason });
}
