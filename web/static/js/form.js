// form.js drives socred's form: mount(root, options) wires one copy of
// form.html's markup (in a Document or a ShadowRoot) to the socred API
// (socred.js loads it): it reads the inputs into socred's request objects,
// calls the API and shows the results, through the parts in the modules
// beside it: the calls (calls.js), the connection and ticket
// (connection.js), the card's actions (actions.js), the records table, the
// identity line, preview, sign, batch, audit, messages, dialog, prefill,
// and the language (formlanguage.js).
// They share one small state object (ctx below), no framework. Each mount
// keeps its own state, so several forms (several <socred-credentials>
// elements) work on one page side by side, each in its own language. Every
// text that comes from a server is rendered with textContent, never as
// HTML. Nothing secret is stored, logged or put in an event: only Endpoint
// and the last Type are remembered, in localStorage, and only when
// options.remember is set (the standalone page).
import { fromLocalInput, toLocalInput, utcLine } from "./dates.js";
import * as act from "./actions.js";
import { calls } from "./calls.js";
import { connection } from "./connection.js";
import { editor } from "./editing.js";
import { DefaultWarningDays } from "./expiry.js";
import { identity } from "./identity.js";
import { t } from "./i18n.js";
import { fieldMarks } from "./fieldmarks.js";
import { language } from "./formlanguage.js";
import { messages, startReason } from "./messages.js";
import { check as checkPrefill, showSections, warningDaysOf } from "./prefill.js";
import { preview as previewPanel } from "./preview.js";
import { records as recordsTable } from "./records.js";
import { signing } from "./sign.js";
import { memory, remembered } from "./storage.js";
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
  const ctx = context(root, opts);
  parts(ctx, opts);
  const words = language(ctx, opts);
  const setSections = (names) => showSections(root, names);
  const prefill = prefiller(ctx, opts, { setLanguage: words.setLanguage, setSections });
  start(ctx, opts, words.apply);
  return {
    setTicket: ctx.connection.setTicket,
    prefill,
    // setSections shows the optional parts named (connection, login,
    // records, preview, sign, batch, audit) and hides the others; null
    // shows them all.
    setSections,
    setSOAPVersion: (v) => prefill({ soapVersion: v }),
    setLanguage: words.setLanguage,
    // setWarningDays sets the window of "Expires in N days".
    setWarningDays(days) {
      ctx.warningDays = warningDaysOf(days);
      ctx.table.redraw();
    },
    language: () => ctx.lang,
  };
}

// context is what the form's parts share (ctx): the form, its state, and,
// once parts() made them, the parts.
function context(root, opts) {
  const $ = (id) => root.getElementById(id);
  const form = $("form");
  const field = (name) => form.elements.namedItem(name);
  const ctx = Object.assign({
    root, $, form, field,
    host: root instanceof ShadowRoot ? root.host : root.documentElement,
    configured: typeof opts.endpoint === "string" ? opts.endpoint : "", // the endpoint the form starts with
    emit: (name, detail) => { if (opts.emit) opts.emit(name, detail); },
    lang: "en", // the language on show (a supported one)
    soapVersion: "",
    warningDays: DefaultWarningDays, // "Expires in N days" within this window
    busy: false, // a call runs (js/calls.js)
    listed: null, // {associateId, type, who, user} of the table on show
    listedRecords: [], // its records
    seenTypes: new Set(), // Types NetServer listed records of, this session
    startError: null, // () => void: words the start-up failure on show again
  }, memory(Boolean(opts.remember)));
  const currentLang = () => ctx.lang;
  ctx.msg = messages($, currentLang);
  ctx.loginMsg = messages($, currentLang, { status: null, alert: "login-alert", className: "login-alert" });
  ctx.showUTC = (name) => { $(name + "-utc").textContent = utcLine(ctx.lang, fromLocalInput(field(name).value)); };
  return ctx;
}

// parts makes the form's parts, each wired to its own markup.
function parts(ctx, opts) {
  const { $, field } = ctx;
  const currentLang = () => ctx.lang;
  const conn = () => ctx.connection.request();
  ctx.connection = connection(ctx);
  ctx.calls = calls(ctx);
  ctx.table = recordsTable($, {
    lang: currentLang,
    busy: () => ctx.busy,
    warningDays: () => ctx.warningDays,
    onEdit: (r) => act.edit(ctx, r, false),
    onRotate: (r) => act.edit(ctx, r, true),
    onRemove: (r, b) => act.confirmRemove(ctx, r, b),
  });
  ctx.person = identity($, { lang: currentLang, connection: conn, input: field("AssociateId"), ready: () => opts.ready || socred.ready });
  const audit = auditSection($, { lang: currentLang, connection: conn, lastImport: () => (many ? many.planned() : null) });
  const many = batchSection($, {
    lang: currentLang,
    connection: conn,
    busy: () => {},
    emit: (name, detail) => ctx.emit(name, detail),
    onPlanned: () => { if (audit) audit.imported(); },
  });
  ctx.audit = audit;
  ctx.many = many;
  ctx.panel = previewPanel($, { lang: currentLang });
  ctx.sign = signing($, { lang: currentLang });
  ctx.marks = fieldMarks(ctx.form, field, currentLang);
  // Edit and Rotate secret (js/editing.js).
  ctx.edits = editor($, {
    lang: currentLang,
    field,
    showUTC: ctx.showUTC,
    started(editing, rotate) {
      ctx.marks.clear();
      ctx.msg.clear();
      ctx.person.refresh();
      if (rotate) ctx.msg.ok("edit.rotating", { type: editing.type, publicValue: editing.record.publicValue || ((l) => t(l, "records.emptyPublic")), who: editing.who });
    },
  });
}

// prefiller returns prefill(fields), what an embedder may set: it checks
// every field first and applies none unless all are valid; it throws a
// TypeError that names the offending field.
function prefiller(ctx, opts, { setLanguage, setSections }) {
  const { field, configured } = ctx;
  return function prefill(fields) {
    const changes = checkPrefill(fields, { endpoint: configured, origins: opts.endpointOrigins || [] });
    for (const c of changes) {
      if (c.key === "soapVersion") { ctx.soapVersion = c.value; continue; }
      if (c.key === "lang") { (opts.setLanguage || setLanguage)(c.value); continue; }
      if (c.key === "sections") { setSections(c.value === "" ? null : c.value.split(/[\s,]+/).filter(Boolean)); continue; }
      const input = field(c.name);
      if (c.bool) input.checked = c.value;
      else if (c.date) { input.value = toLocalInput(new Date(c.value)); ctx.showUTC(c.name); }
      else if (c.key === "endpoint" && c.value === "") input.value = configured;
      else input.value = c.value;
      if (c.key === "associateId") forgetPerson(ctx);
      if (c.key === "associateId" || c.key === "endpoint") ctx.person.refresh();
    }
  };
}

// forgetPerson drops what belonged to the associate the field named
// before it changed: the records table, the record being edited, and the
// card's messages (a "Saved for …" or "Not saved …" of that person), so
// nothing of theirs stands under the new person's name.
function forgetPerson(ctx) {
  if (ctx.listed) {
    ctx.table.hide();
    ctx.listed = null;
    ctx.listedRecords = [];
  }
  if (ctx.edits.current()) ctx.edits.stop();
  ctx.msg.clear();
}

function toggleSecret(ctx) {
  const input = ctx.field("SecretValue");
  const show = input.type === "password";
  input.type = show ? "text" : "password";
  const b = ctx.$("toggle-secret");
  b.textContent = t(ctx.lang, show ? "secret.hide" : "secret.show");
  b.setAttribute("aria-pressed", String(show));
}

// wire connects the form's buttons and fields to what they do.
function wire(ctx) {
  const { $, form, field, panel, person } = ctx;
  const { run } = ctx.calls;
  const { login, signOut } = ctx.connection;
  const list = () => act.list(ctx, false);
  const save = () => act.save(ctx);
  const preview = () => act.preview(ctx);
  // Nothing submits the form (Save is type="button"); should anything
  // try, it goes nowhere.
  form.addEventListener("submit", (e) => e.preventDefault());
  $("save").addEventListener("click", () => run($("save"), save));
  $("list").addEventListener("click", () => run($("list"), list));
  $("preview").addEventListener("click", () => run($("preview"), preview));
  $("login").addEventListener("click", () => run($("login"), login));
  $("show-secrets").addEventListener("change", () => { if (panel.shown()) run($("preview"), preview); });
  $("toggle-secret").addEventListener("click", () => toggleSecret(ctx));
  // Another associate: what was shown of the previous one goes.
  field("AssociateId").addEventListener("input", () => forgetPerson(ctx));
  // A ticket typed or pasted by hand is not the one the login got.
  field("Ticket").addEventListener("input", signOut);
  // Who the Associate field names depends on the site and the ticket.
  for (const name of ["Endpoint", "Ticket", "ApplicationToken"]) field(name).addEventListener("change", () => person.refresh());
  // A preview describes the form as it was: hide it once the form changes.
  form.addEventListener("input", () => { if (panel.shown()) panel.hide(); });
  for (const name of ["ValidFrom", "ValidTo"]) {
    field(name).addEventListener("input", () => ctx.showUTC(name));
    field(name).addEventListener("change", () => ctx.showUTC(name));
  }
  // Enter never saves: Save is an upsert that could overwrite a stored
  // record. Enter in the login fields logs in; in Associate ID and Type
  // it loads that associate's credentials (when the table is offered).
  const onEnter = (names, button, fn) => {
    for (const name of names) {
      field(name).addEventListener("keydown", (e) => {
        if (e.key !== "Enter" || e.isComposing) return;
        e.preventDefault();
        if (!ctx.busy && !button.disabled && !button.closest(".section-off")) run(button, fn);
      });
    }
  };
  onEnter(["UserName", "Password"], $("login"), login);
  onEnter(["AssociateId", "Type"], $("list"), list);
}

// start wires the form, fills its starting values, words it, and enables
// its buttons once the module runs (or says why it cannot).
async function start(ctx, opts, applyLanguage) {
  const { $, field } = ctx;
  wire(ctx);
  const now = new Date();
  now.setSeconds(0, 0);
  const later = new Date(now);
  later.setFullYear(later.getFullYear() + 1);
  field("ValidFrom").value = toLocalInput(now);
  field("ValidTo").value = toLocalInput(later);
  field("Type").value = ctx.recall(remembered.type) || "imap";
  if (!field("Endpoint").value) field("Endpoint").value = ctx.configured || ctx.recall(remembered.endpoint);
  await applyLanguage();

  const stopped = (text) => {
    ctx.startError = () => {
      $("startup-error").textContent = text();
      $("startup-error").hidden = false;
    };
    ctx.startError();
  };
  const buttons = ctx.calls.buttons;
  try {
    await (opts.ready || socred.ready);
  } catch (err) {
    stopped(() => startupText(ctx.lang, err));
    ctx.emit("failed", { operation: "start", kind: "startup", message: String((err && err.message) || err).slice(0, 500), field: "" });
    return;
  }
  buttons.forEach((b) => (b.disabled = false));
  if (ctx.many) ctx.many.ready();
  document.addEventListener("socred:exit", () => {
    buttons.forEach((b) => (b.disabled = true));
    stopped(() => t(ctx.lang, "page.stopped"));
  });
  ctx.emit("ready", { version: String(socred.version) });
}

// startupText words why the module could not start (socred.js gives its
// Error a code), keeping the browser's own text in brackets.
export function startupText(lang, err) {
  return t(lang, "page.startFailed", { reason: startReason(lang, err) });
}
