// audit.js: the Audit section (#audit): every record stored for a list of
// associates (ids, ranges such as 1-200, user names, or the associates of
// the last import) and one or more Types, read with the batch's
// concurrency and progress, shown with where each stands (expired, expiring
// within N days, inactive, without a secret: filters), and exported as CSV
// without secrets (a HasSecret column instead).
import { el } from "./dom.js";
import { offer, stamp } from "./download.js";
import { t } from "./i18n.js";
import { localText } from "./dates.js";
import { errorText, messages, startReason } from "./messages.js";
import { callsPerSecond, progressBar } from "./progress.js";
import { statusText } from "./records.js";

const pageSize = 200;

// auditSection wires #audit of one form. options: lang(), connection(),
// lastImport() → the id of the planned import, or null.
export function auditSection($, options) {
  if (!$("audit")) return null;
  const lang = options.lang;
  const msg = messages($, lang, { status: "audit-status", alert: "audit-alert" });
  const bar = progressBar($, "audit-progress");
  const a = (id) => $("audit-" + id);
  let session = null; // {id, result}
  let shown = 0;
  let running = false;
  let runningId = null; // the audit's id while it runs (from its progress)

  function filter() {
    const f = {};
    if (a("f-expired").checked) f.expired = true;
    if (a("f-expiring").checked) f.expiringDays = days();
    if (a("f-inactive").checked) f.inactive = true;
    if (a("f-nosecret").checked) f.withoutSecret = true;
    return f;
  }
  function days() {
    const n = Number(a("days").value);
    return Number.isFinite(n) && n >= 0 ? n : 30;
  }

  async function read() {
    msg.clear();
    if (session) socred.batch.close(session.id);
    session = null;
    a("result").hidden = true;
    const types = a("types").value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
    const req = Object.assign({}, options.connection(), {
      types,
      windowDays: days(),
      concurrency: 4,
      callsPerSecond: callsPerSecond($),
      onProgress: (p) => {
        runningId = p.id || runningId;
        bar.show(p, lang());
      },
    });
    const fromImport = a("from-import").checked && options.lastImport();
    if (fromImport) req.fromBatch = fromImport;
    else req.associates = a("associates").value;
    running = true;
    a("run").disabled = true;
    a("cancel").disabled = false;
    $("audit").setAttribute("aria-busy", "true");
    try {
      const r = await socred.batch.audit(req);
      if (r.id) session = { id: r.id, result: r };
      if (r.progress) bar.show(r.progress, lang());
      if (!r.ok) {
        if (r.error && r.error.kind !== "cancelled") return fail(r.error);
        if (!session) return;
      }
      draw(true);
      if (r.ok) {
        const missing = r.missing || [];
        const failed = r.failed || [];
        msg.ok("audit.done", { count: r.records, missing: missing.length, failed: failed.length }, () => {
          const lines = [];
          if (missing.length) lines.push(t(lang(), "batchError.audit-missing", { reason: missing.join(", ") }));
          if (failed.length) {
            lines.push(t(lang(), "batchError.audit-failed", { reason: failed.map((f) => f.associate + (f.type ? " (" + f.type + ")" : "") + ": " +
              (f.error ? errorText(lang(), f.error) : f.message)).join("; ") }));
          }
          return lines;
        });
      }
    } finally {
      running = false;
      runningId = null;
      a("run").disabled = false;
      a("cancel").disabled = true;
      $("audit").setAttribute("aria-busy", "false");
    }
  }

  function fail(e) {
    if (e && e.kind === "validation" && (e.fields || []).some((f) => f.field === "Ticket" || f.field === "Endpoint")) {
      return msg.fail({ kind: "batch", code: "needs-connection", reason: errorText(lang(), e) });
    }
    msg.fail(e || { kind: "" });
  }

  function kindOf(k) {
    return k === "not-yet-valid" ? "future" : k;
  }

  function draw(fresh) {
    if (!session) return;
    const tbody = a("table").tBodies[0];
    if (fresh) {
      tbody.replaceChildren();
      shown = 0;
    }
    const page = socred.batch.records(session.id, { offset: shown, limit: pageSize, filter: filter() });
    if (!page) return;
    const l = lang();
    a("counts").textContent = t(l, "audit.counts", { count: page.total, all: session.result.records || 0 });
    const heads = Array.from(a("table").tHead.rows[0].cells, (c) => c.textContent.trim());
    for (const r of page.records) {
      const tr = document.createElement("tr");
      const name = r.fullName ? t(l, "identity.person", { name: r.fullName, id: String(r.associateId) }) : String(r.associateId);
      const st = { code: kindOf(r.status.kind), days: r.status.days, date: r.status.at ? new Date(r.status.at) : null };
      const cells = [
        el("td", name + (r.deleted ? " · " + t(l, "identity.deleted") : ""), "cell-long"),
        el("td", r.type),
        el("td", r.credentials.publicValue || t(l, "records.empty"), "cell-long"),
        el("td", localText(l, r.credentials.validTo)),
        el("td", statusText(l, st), "cell-status status-" + st.code),
        el("td", t(l, r.hasSecret ? "records.set" : "records.notSet"), "cell-nowrap"),
      ];
      cells.forEach((c, i) => c.setAttribute("data-label", heads[i]));
      tr.append(...cells);
      tbody.append(tr);
    }
    shown += page.records.length;
    a("more").hidden = shown >= page.total;
    a("result").hidden = false;
    const csv = socred.batch.auditReport(session.id, { filter: filter(), delimiter: lang() === "en" ? "," : ";" });
    offer(a("export"), "socred-audit-" + stamp(new Date()) + ".csv", csv || "");
  }

  a("run").addEventListener("click", async () => {
    if (running) return;
    try {
      await read();
    } catch (err) {
      // The batch module (socred.batch.audit loads it) could not start, or
      // something failed unexpectedly.
      const why = err && err.code ? t(lang(), "batch.startFailed", { reason: startReason(lang(), err) })
        : t(lang(), "error.crash", { reason: String((err && err.message) || err) });
      msg.fail({ kind: "", message: why });
    }
  });
  a("cancel").addEventListener("click", () => { if (runningId) socred.batch.cancel(runningId); });
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
      if (session) draw(true);
    },
  };
}
