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
import { fromLocalInput, toLocalInput, utcLine } from "./dates.js";
import { ask } from "./dialog.js";
import { checkSave, knownTypes } from "./guards.js";
import { editor } from "./editing.js";
import { DefaultWarningDays } from "./expiry.js";
import { identity, resolve, unresolved } from "./identity.js";
import { langOf, load as loadLanguage, supported, t, translate, watch } from "./i18n.js";
import { fieldMarks } from "./fieldmarks.js";
import { messages, startReason } from "./messages.js";
import { diagnose } from "./network.js";
import { scrub, secretsOf } from "./scrub.js";
import { check as checkPrefill, checkTicket, showSections, warningDaysOf } from "./prefill.js";
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
  const person = identity($, { lang: currentLang, connection, input: field("AssociateId"), ready: () => opts.ready || socred.ready });
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
    edits.redraw();
    if (many) many.redraw();
    if (audit) audit.redraw();
    panel.redraw();
    if (sign) sign.redraw();
    marks.redraw();
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

  const marks = fieldMarks(form, field, currentLang);
  const clearFields = marks.clear;
  const markFields = marks.mark;
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

  // target resolves the Associate field into the associate a call is for
  // (js/identity.js: resolve), or shows why it cannot and returns null.
  async function target() {
    const r = await resolve(person, field("AssociateId"), lang);
    if (r.problem) {
      markFields([r.problem]);
      msg.fail({ kind: "validation", fields: [r.problem] });
      return null;
    }
    if (r.failure) {
      await showFailure(r.failure);
      return null;
    }
    return r.to;
  }

  // Edit and Rotate secret (js/editing.js).
  const edits = editor($, {
    lang: currentLang,
    field,
    showUTC,
    started(editing, rotate) {
      clearFields();
      msg.clear();
      person.refresh();
      if (rotate) msg.ok("edit.rotating", { type: editing.type, publicValue: editing.record.publicValue || t(lang, "records.emptyPublic"), who: editing.who });
    },
  });
  function edit(record, rotate) {
    if (listed) edits.start(listed, record, rotate);
  }
  const stopEditing = () => edits.stop();

  async function save() {
    clearFields();
    const to = await target();
    if (!to) return;
    const req = saveRequest();
    req.associateId = to.associateId;
    const sameAssociate = (x) => x && x.associateId === req.associateId && x.type === req.type;
    const editing = edits.current();
    const check = await checkSave({ req, to, editing, listed, listedRecords, knownTypes: knownTypes(root, [recall(remembered.type), ...seenTypes]), lang, $ });
    if (check.refused) {
      failed("save", { kind: "refused", message: "associate " + to.associateId + " is deleted" });
      return msg.fail(check.refused);
    }
    if (check.problem) {
      markFields([check.problem]);
      return msg.fail({ kind: "validation", fields: [check.problem] });
    }
    if (check.stopped !== undefined) {
      if (check.stopped) field(check.stopped).focus();
      return;
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
    const removeOld = old !== null && edits.removeOld();
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
    const editing = edits.current();
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
  // preview, sign, batch, audit) and hides the others; null shows them all.
  const setSections = (names) => showSections(root, names);

  // setWarningDays sets the window of "Expires in N days".
  function setWarningDays(days) {
    warningDays = warningDaysOf(days);
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
  return t(lang, "page.startFailed", { reason: startReason(lang, err) });
}
