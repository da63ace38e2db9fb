// batch.js: the Batch section (#batch): many associates at once from one
// spreadsheet file. Check reads and checks the file (socred.batch.open) and,
// when it is clean (or the administrator chose to go on with the valid
// rows), plans it: who each row is, what is stored, and per row create,
// update, unchanged or refused. Apply sends the plan with bounded
// concurrency, with Pause, Cancel and progress; a refused ticket pauses the
// run until a new one is in the Ticket field. The results and a CSV report
// follow; Retry failed rows sends only those. The file's secrets live in the
// module for the session only: Clear file, a new file or a finished page
// drops them. Nothing secret is shown, stored or put in a URL or event.
import { ask } from "./dialog.js";
import { el, whenSeen } from "./dom.js";
import { offer, stamp } from "./download.js";
import { dateTime, list, message, number, t } from "./i18n.js";
import { errorText, fieldLabel, messages, startReason } from "./messages.js";
import { progressBar } from "./progress.js";
import { batchLocale, fileFacts, planDate } from "./batchfile.js";

const pageSize = 200;
const actions = ["create", "update", "unchanged", "refused", "remove"];

// batchSection wires #batch of one form. options: lang(), connection() →
// {endpoint, ticket, applicationToken, soapVersion?}, busy(set) → marks the
// form busy, emit(name, detail), onPlanned(id) (the audit can then read the
// import's associates).
export function batchSection($, options) {
  if (!$("batch")) return null;
  const lang = options.lang;
  const msg = messages($, lang, { status: "batch-status", alert: "batch-alert" });
  const bar = progressBar($, "batch-progress");
  const fileInput = $("BatchFile");
  const b = (id) => $("batch-" + id);
  let session = null; // {id, opened, plan, applied}
  let state = "idle"; // idle, checked, planning, planned, applying, paused, needs-ticket, done
  let stepsShown = 0;
  let resultsShown = 0;
  let fileName = "";

  // ---- the file's facts -------------------------------------------------

  function zoneLine() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    const sample = new Date(new Date().getFullYear(), 0, 31, 8, 0);
    b("zone").textContent = t(lang(), "batch.zone", {
      zone,
      local: dateTime(lang(), sample, { dateStyle: "medium", timeStyle: "short" }),
      utc: dateTime(lang(), sample, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
    });
  }

  const encodings = { "UTF-8": "batch.utf8", "UTF-8 with BOM": "batch.utf8bom", "Windows-1252": "batch.windows1252" };
  function info() {
    const o = session && session.opened;
    if (!o) {
      b("file-info").textContent = "";
      return;
    }
    if (!o.id) {
      b("file-info").textContent = t(lang(), "batch.fileUnreadable", { name: fileName });
      return;
    }
    const delimiter = { ",": t(lang(), "batch.comma"), ";": t(lang(), "batch.semicolon"), "\t": t(lang(), "batch.tab") }[o.delimiter] || o.delimiter;
    const encoding = encodings[o.encoding] ? t(lang(), encodings[o.encoding]) : o.encoding || "";
    b("file-info").textContent = fileFacts(lang(), o, fileName, delimiter, encoding);
  }

  // problemLine words one problem of the file: "Row 7: Valid to must not
  // be before Valid from" (without the row where the row is said already).
  function problemLine(p, withoutRow) {
    const l = lang();
    const params = Object.assign({}, p.params || {});
    params.field = p.column ? fieldLabel(l, columnField(p.column)) : "";
    // A field a soap problem names (date-order's other) gets its label; a
    // column a file problem names (duplicate-column's other) stays as
    // written in the file.
    if (p.code === "date-order" && params.other) params.other = fieldLabel(l, columnField(params.other));
    let key = "csv." + p.code;
    if (p.code === "missing-column" && /\bor\b/.test(params.column || "")) key = "csv.missing-associate-column";
    let text = p.code && message(l, key) !== undefined ? t(l, key, params)
      : p.code && message(l, "problem." + p.code) !== undefined ? t(l, "problem." + p.code, params) : p.reason || p.message;
    if (p.column && !String(text).includes(params.field)) text = params.field + ": " + text;
    if (p.row > 0 && !withoutRow) return t(l, "batch.atRow", { row: p.row, text });
    return text;
  }

  // ---- check --------------------------------------------------------------

  async function check() {
    msg.clear();
    const file = fileInput.files && fileInput.files[0];
    if (!file) return msg.fail({ kind: "batch", code: "no-file" });
    closeSession();
    fileName = file.name;
    if (!loaded) await load();
    const bytes = new Uint8Array(await file.arrayBuffer());
    let opened;
    try {
      opened = await socred.batch.open(bytes, { locale: batchLocale(lang()) });
    } finally {
      bytes.fill(0); // the module has its copy; this one held the secrets too
    }
    session = { id: opened.id || null, opened, plan: null };
    info();
    drawProblems();
    if (!opened.id || opened.rows === 0) return setState("idle");
    if (opened.invalid > 0 && !$("batch-skip-invalid").checked) return setState("checked");
    await plan();
  }

  function drawProblems() {
    const o = session && session.opened;
    const box = b("skip-invalid-box");
    if (!o || !o.problemCount) {
      box.hidden = true;
      return;
    }
    const l = lang();
    const ul = el("ul", undefined, "problems");
    for (const p of o.problems) ul.append(el("li", problemLine(p)));
    const shown = o.problems.length;
    msg.fail({ kind: "batch", code: o.id ? "invalid" : "unreadable", count: o.invalid || o.problemCount, list: ul,
      more: o.problemCount > shown ? t(l, "batch.moreProblems", { count: o.problemCount - shown }) : "" });
    box.hidden = !(o.valid > 0 && o.invalid > 0);
    $("batch-skip-invalid-label").textContent = t(l, "batch.skipInvalid", { count: o.valid, invalid: o.invalid });
  }

  // ---- plan ---------------------------------------------------------------

  async function plan() {
    const conn = options.connection();
    const req = Object.assign({}, conn, {
      skipInvalid: $("batch-skip-invalid").checked,
      removeUnlisted: $("batch-remove-unlisted").checked,
      concurrency: Number($("batch-concurrency").value) || 4,
      onProgress: (p) => bar.show(p, lang()),
    });
    setState("planning");
    const r = await socred.batch.plan(session.id, req);
    if (!r.ok) {
      setState("checked");
      return showError(r.error);
    }
    session.plan = r;
    session.refused = null;
    bar.hide();
    setState("planned");
    options.onPlanned(session.id);
    drawFilter();
    drawSteps(true);
    msg.ok("batch.planned", { count: r.steps });
  }

  // countsLine says "3 to create, 1 to update and 5 unchanged"; names
  // with a space ("not sent") are keyed with a dash.
  function countsLine(counts, names, prefix) {
    const l = lang();
    return list(l, names.filter((n) => counts[n] > 0 || n === names[0]).map((n) => t(l, prefix + n.replace(" ", "-"), { count: counts[n] || 0 })));
  }

  function drawFilter() {
    const l = lang();
    const counts = session.plan.counts;
    b("counts").textContent = countsLine(counts, actions, "batch.count.");
    const select = b("filter");
    const keep = select.value;
    select.replaceChildren(el("option", t(l, "batch.filterAll"), ""));
    select.firstChild.value = "";
    for (const a of actions) {
      if (!counts[a]) continue;
      const o = el("option", t(l, "batch.count." + a, { count: counts[a] }));
      o.value = a;
      select.append(o);
    }
    select.value = keep && counts[keep] ? keep : "";
  }

  function actionText(s) {
    const l = lang();
    switch (s.action) {
      case "update": {
        const changes = (s.changes || []).map((c) => fieldLabel(l, c));
        let text = t(l, "batch.action.update", { changes: list(l, changes) });
        if (s.secretReplaced) text += " " + t(l, "batch.secretReplaced");
        if (s.secretResent) text += " " + t(l, "batch.secretResent");
        return text;
      }
      case "refused":
        return t(l, "batch.action.refused", { why: refusal(s) });
      default:
        return t(l, "batch.action." + s.action);
    }
  }

  function refusal(s) {
    const l = lang();
    if (s.code === "invalid") return (s.problems || []).map((p) => problemLine(p, true)).join("; ") || s.message;
    const key = "batch.refused." + s.code;
    const params = Object.assign({ message: s.message || "" }, s.params || {});
    const text = t(l, key, params);
    return text === key ? s.message : text;
  }

  function who(s) {
    const l = lang();
    if (s.fullName) return t(l, "identity.person", { name: s.fullName, id: String(s.associateId) });
    return s.userName || (s.associateId ? t(l, "identity.associateOnly", { id: String(s.associateId) }) : "");
  }

  function validText(r) {
    if (!r || !r.validFrom) return "";
    const l = lang();
    return t(l, "batch.validRange", { from: planDate(l, r.validFrom), to: planDate(l, r.validTo) });
  }

  function drawSteps(fresh) {
    const tbody = b("steps").tBodies[0];
    if (fresh) {
      tbody.replaceChildren();
      stepsShown = 0;
    }
    const filter = b("filter").value;
    const page = socred.batch.steps(session.id, { offset: stepsShown, limit: pageSize, actions: filter ? [filter] : [] });
    if (!page) return;
    const heads = Array.from(b("steps").tHead.rows[0].cells, (c) => c.textContent.trim());
    for (const s of page.steps) {
      const tr = document.createElement("tr");
      const cells = [
        el("td", s.row ? number(lang(), s.row) : "—", "cell-nowrap"),
        el("td", who(s), "cell-long"),
        el("td", s.type),
        el("td", s.publicValue, "cell-long"),
        el("td", validText(s.record)),
        el("td", actionText(s), "cell-long action-" + s.action),
      ];
      cells.forEach((c, i) => c.setAttribute("data-label", heads[i]));
      tr.append(...cells);
      tbody.append(tr);
    }
    stepsShown += page.steps.length;
    b("steps-more").hidden = stepsShown >= page.total;
    b("plan").hidden = false;
  }

  // ---- apply --------------------------------------------------------------

  async function apply(retry) {
    const counts = session.plan.counts;
    let confirmRemovals = false;
    if (!retry && counts.remove > 0) {
      confirmRemovals = await ask($, {
        title: t(lang(), "batch.confirmRemoveTitle"),
        text: t(lang(), "batch.confirmRemoveText", { count: counts.remove }),
        ok: t(lang(), "batch.confirmRemoveOk", { count: counts.remove }),
        opener: b("apply"),
      });
      if (!confirmRemovals) return;
    }
    msg.clear();
    setState("applying");
    const req = {
      concurrency: Number($("batch-concurrency").value) || 4,
      confirmRemovals,
      onProgress: (p) => {
        bar.show(p, lang());
        if (p.state === "needs-ticket") needsTicket(p);
        else if (p.state === "running" && state !== "applying") setState("applying");
      },
    };
    const r = retry ? await socred.batch.retry(session.id, req) : await socred.batch.apply(session.id, req);
    if (r.progress) bar.show(r.progress, lang());
    if (!r.ok && r.error && r.error.kind !== "cancelled") {
      showError(r.error);
    }
    setState("done");
    drawResults(true);
    const results = socred.batch.results(session.id, { limit: 1 });
    const c = (results && results.counts) || {};
    options.emit("batch", { created: c.created || 0, updated: c.updated || 0, unchanged: c.unchanged || 0, removed: c.removed || 0,
      failed: c.failed || 0, notSent: c["not sent"] || 0 });
    if (r.ok || (r.error && r.error.kind === "cancelled")) {
      msg.ok(r.ok ? "batch.applied" : "batch.cancelled", { done: (r.progress || {}).done || 0, total: (r.progress || {}).total || 0 });
    }
    const report = socred.batch.report(session.id);
    if (report) offer(b("report"), "socred-report-" + stamp(new Date()) + ".csv", report);
  }

  function needsTicket(p) {
    setState("needs-ticket");
    msg.fail({ kind: "batch", code: "needs-ticket", reason: p.error ? errorText(lang(), p.error) : "" });
  }

  function pauseOrResume() {
    if (state === "applying") {
      socred.batch.pause(session.id);
      setState("paused");
    } else if (state === "paused" || state === "needs-ticket") {
      const conn = options.connection();
      if (state === "needs-ticket" && !conn.ticket) return msg.fail({ kind: "batch", code: "needs-ticket", reason: "" });
      msg.clear();
      socred.batch.resume(session.id, { ticket: conn.ticket });
      setState("applying");
    }
  }

  function cancel() {
    if (!session) return;
    socred.batch.cancel(session.id);
    b("cancel").disabled = true;
  }

  const outcomeNames = ["created", "updated", "unchanged", "removed", "failed", "not sent"];
  // refusedByRow maps the plan's refused rows to their steps, so the
  // results say why in the page's language (the module's message is
  // English).
  function refusedByRow() {
    if (!session.refused) {
      const page = socred.batch.steps(session.id, { actions: ["refused"], limit: 10000 });
      session.refused = new Map(((page && page.steps) || []).map((st) => [st.row, st]));
    }
    return session.refused;
  }
  function drawResults(fresh) {
    const tbody = b("results").tBodies[0];
    if (fresh) {
      tbody.replaceChildren();
      resultsShown = 0;
    }
    const page = socred.batch.results(session.id, { offset: resultsShown, limit: pageSize });
    if (!page) return;
    const l = lang();
    b("outcomes").textContent = countsLine(page.counts || {}, outcomeNames, "batch.outcome.");
    const heads = Array.from(b("results").tHead.rows[0].cells, (c) => c.textContent.trim());
    const refused = refusedByRow();
    for (const r of page.results) {
      const tr = document.createElement("tr");
      const why = r.error ? errorText(l, r.error)
        : r.outcome === "not sent" && refused.has(r.row) ? refusal(refused.get(r.row))
        : r.outcome === "not sent" && r.action !== "refused" ? t(l, "batch.notReached") : r.message;
      const cells = [
        el("td", r.row ? number(l, r.row) : "—", "cell-nowrap"),
        el("td", who(r), "cell-long"),
        el("td", r.type),
        el("td", r.publicValue, "cell-long"),
        el("td", t(l, "batch.result." + r.outcome.replace(" ", "-")), "cell-nowrap outcome-" + r.outcome.replace(" ", "-")),
        el("td", why || "", "cell-long"),
      ];
      cells.forEach((c, i) => c.setAttribute("data-label", heads[i]));
      tr.append(...cells);
      tbody.append(tr);
    }
    resultsShown += page.results.length;
    b("results-more").hidden = resultsShown >= page.total;
    b("retry").hidden = !((page.counts || {}).failed > 0);
    b("done").hidden = false;
  }

  function showError(e) {
    if (e && e.kind === "validation" && (e.fields || []).some((f) => f.field === "Ticket" || f.field === "Endpoint")) {
      return msg.fail({ kind: "batch", code: "needs-connection", reason: errorText(lang(), e) });
    }
    msg.fail(e || { kind: "" });
  }

  // ---- state --------------------------------------------------------------

  function setState(s) {
    state = s;
    const running = s === "planning" || s === "applying";
    const paused = s === "paused" || s === "needs-ticket";
    b("check").disabled = running || paused;
    fileInput.disabled = running || paused;
    b("apply").disabled = s !== "planned" || !session || !session.plan || !actionsToSend();
    b("pause").disabled = !(s === "applying" || paused);
    b("pause").textContent = t(lang(), paused ? "batch.resume" : "batch.pause");
    b("cancel").disabled = !(running || paused);
    b("clear").disabled = running || !session;
    b("retry").disabled = running || paused;
    b("progress-box").hidden = !(running || paused || s === "done");
    options.busy(running || paused);
    $("batch").setAttribute("aria-busy", running ? "true" : "false");
  }

  function actionsToSend() {
    const c = session.plan.counts;
    return (c.create || 0) + (c.update || 0) + (c.remove || 0) > 0;
  }

  function closeSession() {
    if (session && session.id) socred.batch.close(session.id);
    session = null;
    b("plan").hidden = true;
    b("done").hidden = true;
    b("skip-invalid-box").hidden = true;
    bar.hide();
    info();
    setState("idle");
  }

  function clearFile() {
    closeSession();
    fileInput.value = "";
    msg.clear();
    msg.ok("batch.cleared");
  }

  // ---- wiring ---------------------------------------------------------------

  const run = (fn) => async () => {
    try {
      await fn();
    } catch (err) {
      setState(session && session.plan ? "planned" : "idle");
      if (err && err.shown) return; // said already (the batch module could not start)
      msg.fail({ kind: "", message: t(lang(), "error.crash", { reason: String((err && err.message) || err) }) });
    }
  };
  b("check").addEventListener("click", run(check));
  b("apply").addEventListener("click", run(() => apply(false)));
  b("retry").addEventListener("click", run(() => apply(true)));
  b("pause").addEventListener("click", pauseOrResume);
  b("cancel").addEventListener("click", cancel);
  b("clear").addEventListener("click", clearFile);
  b("steps-more").addEventListener("click", () => drawSteps(false));
  b("results-more").addEventListener("click", () => drawResults(false));
  b("filter").addEventListener("change", () => drawSteps(true));
  fileInput.addEventListener("change", () => { closeSession(); msg.clear(); });
  // A run in progress: leaving the page would stop it half-way.
  window.addEventListener("beforeunload", (e) => {
    if (["planning", "applying", "paused", "needs-ticket"].includes(state)) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  // A page that goes away takes the file's secrets with it.
  window.addEventListener("pagehide", () => { if (session && session.id) socred.batch.close(session.id); });

  // ---- the batch module ----------------------------------------------------

  // socred.batch is a second module (socred-batch.wasm), loaded when this
  // section or the Audit comes into view (never for an element whose
  // sections leave both out), or when first used, whichever is sooner.
  let loaded = false;
  function load() {
    return socred.batch.load().then(() => {
      loaded = true;
      offerTemplate();
    }, (err) => {
      msg.fail({ kind: "", message: t(lang(), "batch.startFailed", { reason: startReason(lang(), err) }) });
      throw Object.assign(err, { shown: true });
    });
  }

  function offerTemplate() {
    if (!loaded) return;
    const comma = lang() === "en";
    offer(b("template"), "socred-template.csv", socred.batch.template(comma ? "," : ";"));
  }

  // Before the module runs, the template link loads it first.
  b("template").addEventListener("click", (e) => {
    if (loaded) return;
    e.preventDefault();
    load().then(() => b("template").click(), () => {});
  });

  function ready() {
    setState(state);
    whenSeen([$("batch"), $("audit")], () => load().catch(() => {}));
  }

  return {
    ready,
    redraw() {
      offerTemplate(); // the delimiter follows the language
      zoneLine();
      info();
      setState(state);
      if (session && session.opened && session.opened.problemCount && state === "checked") drawProblems();
      if (session && session.plan) {
        drawFilter();
        drawSteps(true);
      }
      if (state === "done") drawResults(true);
      bar.redraw(lang());
      msg.redraw();
    },
    // id of the planned import (for the audit), or null.
    planned: () => (session && session.plan ? session.id : null),
  };
}

// columnField maps a column's header text to its field ("associate id" →
// AssociateId), as the module matches them: case and spaces aside.
function columnField(header) {
  const key = String(header).toLowerCase().replace(/\s+/g, "");
  const names = ["AssociateId", "UserName", "Type", "PublicValue", "SecretValue", "ValidFrom", "ValidTo", "Comment", "IsActive"];
  return names.find((n) => n.toLowerCase() === key) || header;
}
