// batch.js: the Batch section (#batch): many associates at once from one
// spreadsheet file. Check reads and checks the file (js/batchfile.js) and,
// when it is clean (or the administrator chose to go on with the valid
// rows), plans it (js/batchplan.js): who each row is, what is stored, and
// per row create, update, unchanged or refused. Apply sends the plan with
// bounded concurrency, with Pause, Cancel and progress; a refused ticket
// pauses the run until a new one is in the Ticket field (js/batchapply.js).
// The results and a CSV report follow; Retry failed rows sends only those
// (js/batchresults.js). The words are js/batchwords.js's. The file's
// secrets live in the module for the session only: Clear file, a new file
// or a finished page drops them. Nothing secret is shown, stored or put in
// a URL or event.
//
// This module wires the parts and holds what they share (ctx): the
// session ({id, opened, plan, refused}), the state (idle, checked,
// planning, planned, applying, paused, needs-ticket, done) and which
// buttons it allows, and the batch module's loading.
import { whenSeen } from "./dom.js";
import { offer } from "./download.js";
import { exportOptions, xlsxType } from "./exports.js";
import { t } from "./i18n.js";
import { failBatch, messages, startReason } from "./messages.js";
import { progressBar } from "./progress.js";
import { batchApply } from "./batchapply.js";
import { batchFile } from "./batchfile.js";
import { batchPlan } from "./batchplan.js";
import { batchResults } from "./batchresults.js";

// batchSection wires #batch of one form. options: lang(), connection() →
// {endpoint, ticket, applicationToken, soapVersion?}, busy(set) → marks the
// form busy, emit(name, detail), onPlanned(id) (the audit can then read the
// import's associates).
export function batchSection($, options) {
  if (!$("batch")) return null;
  const lang = options.lang;
  const ctx = {
    $, lang, options,
    b: (id) => $("batch-" + id),
    msg: messages($, lang, { status: "batch-status", alert: "batch-alert" }),
    bar: progressBar($, "batch-progress"),
    fileInput: $("BatchFile"),
    session: null, // {id, opened, plan, refused}
    state: "idle",
    fileName: "",
    loaded: false, // whether the batch module runs
    offered: false, // whether the template links are set
    setState: (s) => setState(ctx, s),
    closeSession: () => closeSession(ctx),
    showError: (e) => failBatch(ctx.msg, ctx.lang(), e),
    load: () => load(ctx),
    plan: () => ctx.planner.plan(),
  };
  ctx.file = batchFile(ctx);
  ctx.planner = batchPlan(ctx);
  ctx.results = batchResults(ctx);
  ctx.run = batchApply(ctx);
  listen(ctx);

  return {
    ready() {
      setState(ctx, ctx.state);
      whenSeen([$("batch"), $("audit")], () => load(ctx).catch(() => {}));
    },
    redraw: () => redraw(ctx),
    // id of the planned import (for the audit), or null.
    planned: () => (ctx.session && ctx.session.plan ? ctx.session.id : null),
  };
}

// redraw words the section again in the form's language.
function redraw(ctx) {
  const { session, state, file, planner, lang } = ctx;
  offerTemplate(ctx); // the delimiter follows the language
  file.zoneLine();
  file.info();
  setState(ctx, state);
  file.skipLabel(); // the problems themselves are the message's, worded again below
  // The rows shown are drawn again at once from what the tables kept.
  if (session && session.plan) {
    planner.drawFilter();
    planner.redrawSteps();
  }
  if (state === "done") {
    ctx.results.redraw();
    ctx.results.offerReport(); // in the new language's words
  }
  ctx.bar.redraw(lang());
  ctx.msg.redraw();
}

// ---- state --------------------------------------------------------------

// setState sets the section's state and what its buttons allow.
function setState(ctx, s) {
  const { $, b, session } = ctx;
  ctx.state = s;
  const running = s === "planning" || s === "applying";
  const paused = s === "paused" || s === "needs-ticket";
  b("check").disabled = running || paused;
  ctx.fileInput.disabled = running || paused;
  b("apply").disabled = s !== "planned" || !session || !session.plan || !actionsToSend(session);
  b("pause").disabled = !(s === "applying" || paused);
  b("pause").textContent = t(ctx.lang(), paused ? "batch.resume" : "batch.pause");
  b("cancel").disabled = !(running || paused);
  b("clear").disabled = running || !session;
  b("retry").disabled = running || paused;
  b("progress-box").hidden = !(running || paused || s === "done");
  ctx.options.busy(running || paused);
  $("batch").setAttribute("aria-busy", running ? "true" : "false");
}

function actionsToSend(session) {
  const c = session.plan.counts;
  return (c.create || 0) + (c.update || 0) + (c.remove || 0) > 0;
}

// closeSession drops the file's session (and with it its secrets).
function closeSession(ctx) {
  const b = ctx.b;
  if (ctx.session && ctx.session.id) socred.batch.close(ctx.session.id).catch(() => {});
  ctx.session = null;
  b("plan").hidden = true;
  b("done").hidden = true;
  b("skip-invalid-box").hidden = true;
  ctx.bar.hide();
  ctx.file.info();
  setState(ctx, "idle");
}

function clearFile(ctx) {
  closeSession(ctx);
  ctx.fileInput.value = "";
  ctx.msg.clear();
  ctx.msg.ok("batch.cleared");
}

// ---- wiring ---------------------------------------------------------------

function listen(ctx) {
  const { b, file, planner, results, run } = ctx;
  const guard = (fn) => async () => {
    try {
      await fn();
    } catch (err) {
      setState(ctx, ctx.session && ctx.session.plan ? "planned" : "idle");
      if (err && err.shown) return; // said already (the batch module could not start)
      ctx.msg.fail({ kind: "", message: (l) => t(l, "error.crash", { reason: String((err && err.message) || err) }) });
    }
  };
  b("check").addEventListener("click", guard(file.check));
  b("apply").addEventListener("click", guard(() => run.apply(false)));
  b("retry").addEventListener("click", guard(() => run.apply(true)));
  b("pause").addEventListener("click", run.pauseOrResume);
  b("cancel").addEventListener("click", run.cancel);
  b("clear").addEventListener("click", () => clearFile(ctx));
  b("steps-more").addEventListener("click", () => planner.drawSteps(false));
  b("results-more").addEventListener("click", () => results.draw(false));
  b("filter").addEventListener("change", () => planner.drawSteps(true));
  ctx.fileInput.addEventListener("change", () => { closeSession(ctx); ctx.msg.clear(); });
  // A run in progress: leaving the page would stop it half-way.
  window.addEventListener("beforeunload", (e) => {
    if (["planning", "applying", "paused", "needs-ticket"].includes(ctx.state)) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  // A page that goes away takes the file's secrets with it.
  window.addEventListener("pagehide", () => { if (ctx.session && ctx.session.id) socred.batch.close(ctx.session.id).catch(() => {}); });
  // Before the module runs and has made the templates, the template links
  // load it first.
  for (const id of ["template", "template-xlsx"]) {
    b(id).addEventListener("click", (e) => {
      if (ctx.offered) return;
      e.preventDefault();
      load(ctx).then(() => b(id).click(), () => {});
    });
  }
}

// ---- the batch module ----------------------------------------------------

// socred.batch is a second module (socred-batch.wasm), loaded when this
// section or the Audit comes into view (never for an element whose
// sections leave both out), or when first used, whichever is sooner.
function load(ctx) {
  return socred.batch.load().then(() => {
    ctx.loaded = true;
    return offerTemplate(ctx);
  }, (err) => {
    ctx.msg.fail({ kind: "", message: (l) => t(l, "batch.startFailed", { reason: startReason(l, err) }) });
    throw Object.assign(err, { shown: true });
  });
}

async function offerTemplate(ctx) {
  if (!ctx.loaded) return;
  const comma = ctx.lang() === "en";
  const [csv, xlsx] = await Promise.all([socred.batch.template(comma ? "," : ";", exportOptions(ctx.lang(), "csv")),
    socred.batch.template(",", exportOptions(ctx.lang(), "xlsx"))]);
  offer(ctx.b("template"), "socred-template.csv", csv);
  offer(ctx.b("template-xlsx"), "socred-template.xlsx", xlsx, xlsxType);
  ctx.offered = true;
}
