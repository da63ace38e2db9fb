// audit.js: the Audit section (#audit): every record stored for a list of
// associates (ids, ranges such as 1-200, user names, or the associates of
// the last import) and one or more Types, read with the batch's
// concurrency and progress, shown with where each stands (expired, expiring
// within N days, inactive, without a secret: filters), and exported as CSV
// without secrets (a HasSecret column instead).
import { cell, el } from "./dom.js";
import { offer, stamp } from "./download.js";
import { exportOptions, xlsxType } from "./exports.js";
import { list, t } from "./i18n.js";
import { errorText, failBatch, messages, startReason } from "./messages.js";
import { callsPerSecond, progressBar } from "./progress.js";
import { dateCell, statusText } from "./records.js";
import { pagedTable } from "./table.js";

// auditSection wires #audit of one form. options: lang(), connection(),
// lastImport() → the id of the planned import, or null.
export function auditSection($, options) {
  if (!$("audit")) return null;
  const lang = options.lang;
  const msg = messages($, lang, { status: "audit-status", alert: "audit-alert" });
  const bar = progressBar($, "audit-progress");
  const a = (id) => $("audit-" + id);
  let session = null; // {id, result}
  let running = false;
  let runningId = null; // the audit's id while it runs (from its progress)

  const days = () => windowDays(a("days").value);
  const filter = () => filterOf({ expired: a("f-expired").checked, expiring: a("f-expiring").checked,
    inactive: a("f-inactive").checked, withoutSecret: a("f-nosecret").checked }, days());

  async function read() {
    msg.clear();
    if (session) socred.batch.close(session.id).catch(() => {});
    session = null;
    a("result").hidden = true;
    const req = auditRequest($, a, options, days, (p) => {
      runningId = p.id || runningId;
      bar.show(p, lang());
    });
    running = true;
    busy($, a, true);
    try {
      const r = await socred.batch.audit(req);
      if (r.id) session = { id: r.id, result: r };
      if (r.progress) bar.show(r.progress, lang());
      if (!r.ok) {
        if (r.error && r.error.kind !== "cancelled") return failBatch(msg, lang(), r.error);
        if (!session) return;
      }
      await draw(true);
      if (r.ok) {
        const missing = r.missing || [];
        const failed = r.failed || [];
        // The summary counts what was asked about, associates and their
        // records (the progress bar counted lookups and reads: it goes).
        bar.hide();
        msg.ok("audit.done", { count: r.associates || 0, records: (l) => t(l, "audit.records", { count: r.records || 0 }) },
          () => doneLines(lang(), missing, failed));
      }
    } finally {
      running = false;
      runningId = null;
      busy($, a, false);
    }
  }

  const rows = pagedTable(a("table"), a("more"), {
    page: (offset, limit) => socred.batch.records(session.id, { offset, limit, filter: filter() }),
    before: (page) => {
      a("counts").textContent = t(lang(), "audit.counts", { shown: page.total, count: session.result.records || 0 });
    },
    items: (page) => page.records,
    cells: (r) => auditCells(lang(), r),
  });

  async function draw(fresh) {
    if (!session) return;
    if (!(await rows.draw(fresh))) return;
    await offerExports();
    a("result").hidden = false;
  }

  // offerExports offers the records shown as CSV and .xlsx, in the page's
  // language.
  async function offerExports() {
    const name = "socred-audit-" + stamp(new Date());
    const csv = await socred.batch.auditReport(session.id, { filter: filter(), delimiter: lang() === "en" ? "," : ";", ...exportOptions(lang(), "csv") });
    offer(a("export"), name + ".csv", csv || "");
    const xlsx = await socred.batch.auditReport(session.id, { filter: filter(), ...exportOptions(lang(), "xlsx") });
    if (xlsx) offer(a("export-xlsx"), name + ".xlsx", xlsx, xlsxType);
  }

  a("run").addEventListener("click", async () => {
    if (running) return;
    try {
      await read();
    } catch (err) {
      msg.fail(readFailure(err));
    }
  });
  a("cancel").addEventListener("click", () => { if (runningId) socred.batch.cancel(runningId).catch(() => {}); });
  a("more").addEventListener("click", () => draw(false));
  for (const id of ["f-expired", "f-expiring", "f-inactive", "f-nosecret"]) a(id).addEventListener("change", () => draw(true));
  a("days").addEventListener("change", () => draw(true));
  a("from-import").addEventListener("change", () => { a("associates").disabled = a("from-import").checked; });

  return {
    // imported says an import was planned: its associates can be audited.
    imported() { a("from-import").disabled = false; },
    redraw() {
      bar.redraw(lang());
      msg.redraw();
      if (session && rows.redraw()) offerExports(); // the rows at once, from what the table kept
    },
  };
}

// readFailure is the error shown when a read threw: the batch module
// (socred.batch.audit loads it) could not start, or something failed
// unexpectedly.
function readFailure(err) {
  const why = (l) => (err && err.code ? t(l, "batch.startFailed", { reason: startReason(l, err) })
    : t(l, "error.crash", { reason: String((err && err.message) || err) }));
  return { kind: "", message: why };
}

// auditRequest is socred.batch.audit's request from the section's fields
// (a is the section's $ by id without "audit-"); onProgress sees its
// progress.
function auditRequest($, a, options, days, onProgress) {
  const types = a("types").value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  const req = Object.assign({}, options.connection(), {
    types,
    windowDays: days(),
    concurrency: 4,
    callsPerSecond: callsPerSecond($),
    onProgress,
  });
  const fromImport = a("from-import").checked && options.lastImport();
  if (fromImport) req.fromBatch = fromImport;
  else req.associates = a("associates").value;
  return req;
}

// busy marks the section as reading (on) or not: Run, Cancel, aria-busy.
function busy($, a, on) {
  a("run").disabled = on;
  a("cancel").disabled = !on;
  $("audit").setAttribute("aria-busy", String(on));
}

// windowDays reads the "expiring within" field: a number of days from 0,
// else 30.
export function windowDays(value) {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : 30;
}

// filterOf is the module's filter of the records shown: checks says which
// filter boxes are ticked ({expired, expiring, inactive, withoutSecret}),
// days is the expiring window.
export function filterOf(checks, days) {
  const f = {};
  if (checks.expired) f.expired = true;
  if (checks.expiring) f.expiringDays = days;
  if (checks.inactive) f.inactive = true;
  if (checks.withoutSecret) f.withoutSecret = true;
  return f;
}

// doneLines says which associates were missing (by id, by user name) and
// which reads failed.
export function doneLines(l, missing, failed) {
  const lines = [];
  const ids = missing.filter((m) => /^[0-9]+$/.test(m));
  const names = missing.filter((m) => !/^[0-9]+$/.test(m)).map((m) => quoted(l, m));
  if (ids.length) lines.push(t(l, "batchError.audit-missing", { count: ids.length, reason: list(l, ids) }));
  if (names.length) lines.push(t(l, "batchError.audit-missing-names", { count: names.length, reason: list(l, names) }));
  if (failed.length) {
    lines.push(t(l, "batchError.audit-failed", { reason: failed.map((f) => f.associate + (f.type ? " (" + f.type + ")" : "") + ": " +
      (f.error ? errorText(l, f.error) : f.message)).join("; ") }));
  }
  return lines;
}

// quoted puts a user name in lang's quotation marks.
function quoted(l, s) {
  const [open, close] = { nb: ["«", "»"], sv: ["”", "”"], da: ["»", "«"], de: ["„", "“"] }[l] || ["“", "”"];
  return open + s + close;
}

// auditCells are one record's cells: who, Type, Public value, Valid to,
// where it stands, whether it has a secret (never the secret).
function auditCells(l, r) {
  const name = r.fullName ? t(l, "identity.person", { name: r.fullName, id: String(r.associateId) }) : String(r.associateId);
  const kind = r.status.kind === "not-yet-valid" ? "future" : r.status.kind;
  const st = { code: kind, days: r.status.days, date: r.status.at ? new Date(r.status.at) : null };
  return [
    cell(name + (r.deleted ? " · " + t(l, "identity.deleted") : ""), "cell-long"),
    el("td", r.type),
    cell(r.credentials.publicValue || t(l, "records.empty"), "cell-long"),
    dateCell(l, r.credentials.validTo),
    el("td", statusText(l, st), "cell-status status-" + st.code),
    el("td", t(l, r.hasSecret ? "records.set" : "records.notSet"), "cell-nowrap"),
  ];
}
