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
import { t } from "./i18n.js";
import { errorText, messages, startReason } from "./messages.js";
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
  const b = (id) => $("batch-" + id);
  const ctx = {
    $, b, lang, options,
    msg: messages($, lang, { status: "batch-status", alert: "batch-alert" }),
    bar: progressBar($, "batch-progress"),
    fileInput: $("BatchFile"),
    session: null, // {id, opened, plan, refused}
    state: "idle",
    fileName: "",
    loaded: false, // whether the batch module runs
    setState, closeSession, showError, load,
    plan: () => plan.plan(),
  };
  const { msg, bar, fileInput } = ctx;
  const file = batchFile(ctx);
  const plan = batchPlan(ctx);
  ctx.results = batchResults(ctx);
  const run = batchApply(ctx);

  function showError(e) {
    if (e && e.kind === "validation" && (e.fields || []).some((f) => f.field === "Ticket" || f.field === "Endpoint")) {
      return msg.fail({ kind: "batch", code: "needs-connection", reason: errorText(lang(), e) });
    }
    msg.fail(e || { kind: "" });
  }

  // ---- state --------------------------------------------------------------

  function setState(s) {
    ctx.state = s;
    const session = ctx.session;
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
    const c = ctx.session.plan.counts;
    return (c.create || 0) + (c.update || 0) + (c.remove || 0) > 0;
  }

  function closeSession() {
    if (ctx.session && ctx.session.id) socred.batch.close(ctx.session.id);
    ctx.session = null;
    b("plan").hidden = true;
    b("done").hidden = true;
    b("skip-invalid-box").hidden = true;
    bar.hide();
    file.info();
    setState("idle");
  }

  function clearFile() {
    closeSession();
    fileInput.value = "";
    msg.clear();
    msg.ok("batch.cleared");
  }

  // ---- wiring ---------------------------------------------------------------

  const guard = (fn) => async () => {
    try {
      await fn();
    } catch (err) {
      setState(ctx.session && ctx.session.plan ? "planned" : "idle");
      if (err && err.shown) return; // said already (the batch module could not start)
      msg.fail({ kind: "", message: t(lang(), "error.crash", { reason: String((err && err.message) || err) }) });
    }
  };
  b("check").addEventListener("click", guard(file.check));
  b("apply").addEventListener("click", guard(() => run.apply(false)));
  b("retry").addEventListener("click", guard(() => run.apply(true)));
  b("pause").addEventListener("click", run.pauseOrResume);
  b("cancel").addEventListener("click", run.cancel);
  b("clear").addEventListener("click", clearFile);
  b("steps-more").addEventListener("click", () => plan.drawSteps(false));
  b("results-more").addEventListener("click", () => ctx.results.draw(false));
  b("filter").addEventListener("change", () => plan.drawSteps(true));
  fileInput.addEventListener("change", () => { closeSession(); msg.clear(); });
  // A run in progress: leaving the page would stop it half-way.
  window.addEventListener("beforeunload", (e) => {
    if (["planning", "applying", "paused", "needs-ticket"].includes(ctx.state)) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
  // A page that goes away takes the file's secrets with it.
  window.addEventListener("pagehide", () => { if (ctx.session && ctx.session.id) socred.batch.close(ctx.session.id); });

  // ---- the batch module ----------------------------------------------------

  // socred.batch is a second module (socred-batch.wasm), loaded when this
  // section or the Audit comes into view (never for an element whose
  // sections leave both out), or when first used, whichever is sooner.
  function load() {
    return socred.batch.load().then(() => {
      ctx.loaded = true;
      offerTemplate();
    }, (err) => {
      msg.fail({ kind: "", message: t(lang(), "batch.startFailed", { reason: startReason(lang(), err) }) });
      throw Object.assign(err, { shown: true });
    });
  }

  function offerTemplate() {
    if (!ctx.loaded) return;
    const comma = lang() === "en";
    offer(b("template"), "socred-template.csv", socred.batch.template(comma ? "," : ";"));
  }

  // Before the module runs, the template link loads it first.
  b("template").addEventListener("click", (e) => {
    if (ctx.loaded) return;
    e.preventDefault();
    load().then(() => b("template").click(), () => {});
  });

  function ready() {
    setState(ctx.state);
    whenSeen([$("batch"), $("audit")], () => load().catch(() => {}));
  }

  return {
    ready,
    redraw() {
      const { session, state } = ctx;
      offerTemplate(); // the delimiter follows the language
      file.zoneLine();
      file.info();
      setState(state);
      if (session && session.opened && session.opened.problemCount && state === "checked") file.drawProblems();
      if (session && session.plan) {
        plan.drawFilter();
        plan.drawSteps(true);
      }
      if (state === "done") ctx.results.draw(true);
      bar.redraw(lang());
      msg.redraw();
    },
    // id of the planned import (for the audit), or null.
    planned: () => (ctx.session && ctx.session.plan ? ctx.session.id : null),
  };
}
