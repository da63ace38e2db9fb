// batchapply.js: the Batch section's run (js/batch.js wires it): Apply
// sends the plan (asking first when it removes records), Retry failed rows
// sends only those; both with bounded concurrency and progress, Pause and
// Resume, Cancel. A refused ticket pauses the run until a new one is in
// the Ticket field.
import { ask } from "./dialog.js";
import { list, number, t } from "./i18n.js";
import { markNames } from "./batchwords.js";
import { errorText } from "./messages.js";
import { callsPerSecond } from "./progress.js";

// batchApply wires the run; ctx is the section's shared state
// (js/batch.js), ctx.results the results part.
export function batchApply(ctx) {
  const { $, b, lang, msg, bar, options } = ctx;

  async function apply(retry) {
    const counts = ctx.session.plan.counts;
    let confirmRemovals = false;
    // What the single form asks row by row is asked once for the plan.
    const marks = ctx.session.plan.marks || {};
    const marked = markNames.filter((m) => marks[m] > 0);
    if (!retry && marked.length) {
      const l = lang();
      const go = await ask($, {
        title: t(l, "batch.confirmMarksTitle"),
        text: t(l, "batch.confirmMarksText", { marks: list(l, marked.map((m) => t(l, "batch.mark." + m) + " (" + number(l, marks[m]) + ")")) }),
        ok: t(l, "batch.confirmMarksOk"),
        opener: b("apply"),
      });
      if (!go) return;
    }
    if (!retry && counts.remove > 0) {
      confirmRemovals = await ask($, {
        lang,
        title: (l) => t(l, "batch.confirmRemoveTitle"),
        text: (l) => t(l, "batch.confirmRemoveText", { count: counts.remove }),
        ok: (l) => t(l, "batch.confirmRemoveOk", { count: counts.remove }),
        opener: b("apply"),
      });
      if (!confirmRemovals) return;
    }
    msg.clear();
    ctx.setState("applying");
    const req = {
      concurrency: Number($("batch-concurrency").value) || 4,
      callsPerSecond: callsPerSecond($),
      confirmRemovals,
      onProgress: (p) => {
        bar.show(p, lang());
        if (p.state === "needs-ticket") needsTicket(p);
        else if (p.state === "running" && ctx.state !== "applying") ctx.setState("applying");
      },
    };
    const id = ctx.session.id;
    const r = retry ? await socred.batch.retry(id, req) : await socred.batch.apply(id, req);
    if (r.progress) bar.show(r.progress, lang());
    if (!r.ok && r.error && r.error.kind !== "cancelled") {
      ctx.showError(r.error);
    }
    // The results show (batch-done) last: the report, the event and the
    // message are there by then.
    // The section stays busy until they are drawn (Retry's button included).
    await ctx.results.offerReport();
    await ctx.results.announce();
    await ctx.results.draw(true);
    ctx.setState("done");
    if (r.ok || (r.error && r.error.kind === "cancelled")) {
      msg.ok(r.ok ? "batch.applied" : "batch.cancelled", { done: (r.progress || {}).done || 0, count: (r.progress || {}).total || 0 });
    }
  }

  function needsTicket(p) {
    ctx.setState("needs-ticket");
    msg.fail({ kind: "batch", code: "needs-ticket", reason: (l) => (p.error ? errorText(l, p.error) : "") });
  }

  async function pauseOrResume() {
    const state = ctx.state;
    if (state === "applying") {
      ctx.setState("paused");
      await socred.batch.pause(ctx.session.id);
    } else if (state === "paused" || state === "needs-ticket") {
      const conn = options.connection();
      if (state === "needs-ticket" && !conn.ticket) return msg.fail({ kind: "batch", code: "needs-ticket", reason: "" });
      msg.clear();
      ctx.setState("applying");
      await socred.batch.resume(ctx.session.id, { ticket: conn.ticket });
    }
  }

  async function cancel() {
    if (!ctx.session) return;
    b("cancel").disabled = true;
    await socred.batch.cancel(ctx.session.id);
  }

  return { apply, pauseOrResume, cancel };
}
