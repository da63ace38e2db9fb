// batchresults.js: the Batch section's results (js/batch.js wires it):
// what happened to each row, a page at a time, with the counts, Retry
// failed rows when some failed, and the CSV report to download.
import { cell, el } from "./dom.js";
import { offer, stamp } from "./download.js";
import { exportOptions, xlsxType } from "./exports.js";
import { t } from "./i18n.js";
import { countsLine, outcomeNames, resultWhy, rowNumber, who } from "./batchwords.js";
import { pagedTable } from "./table.js";

// batchResults wires the results part; ctx is the section's shared state
// (js/batch.js).
export function batchResults(ctx) {
  const { b, lang, options } = ctx;
  let refused = new Map();
  const results = pagedTable(b("results"), b("results-more"), {
    page: (offset, limit) => socred.batch.results(ctx.session.id, { offset, limit }),
    before: (page) => {
      b("outcomes").textContent = countsLine(lang(), page.counts || {}, outcomeNames, "batch.outcome.");
    },
    items: (page) => page.results,
    cells: (r) => {
      const l = lang();
      const outcome = r.outcome.replace(" ", "-");
      return [
        el("td", rowNumber(l, r.row), "cell-nowrap"),
        el("td", who(l, r), "cell-long"),
        el("td", r.type),
        cell(r.publicValue, "cell-long"),
        el("td", t(l, "batch.result." + outcome), "cell-nowrap outcome-" + outcome),
        el("td", resultWhy(l, r, refused) || "", "cell-long"),
      ];
    },
  });

  // refusedByRow maps the plan's refused rows to their steps, so the
  // results say why in the page's language (the module's message is
  // English).
  async function refusedByRow() {
    if (!ctx.session.refused) {
      const page = await socred.batch.steps(ctx.session.id, { actions: ["refused"], limit: 10000 });
      ctx.session.refused = new Map(((page && page.steps) || []).map((st) => [st.row, st]));
    }
    return ctx.session.refused;
  }

  async function draw(fresh) {
    refused = await refusedByRow();
    const page = await results.draw(fresh);
    if (!page) return;
    b("retry").hidden = !((page.counts || {}).failed > 0);
    b("done").hidden = false;
  }

  // announce emits "batch" with the run's counts (never a secret).
  async function announce() {
    const all = await socred.batch.results(ctx.session.id, { limit: 1 });
    const c = (all && all.counts) || {};
    options.emit("batch", { created: c.created || 0, updated: c.updated || 0, unchanged: c.unchanged || 0, removed: c.removed || 0,
      failed: c.failed || 0, notSent: c["not sent"] || 0 });
  }

  // offerReport offers the run's report as CSV and .xlsx (no secret in
  // either), in the page's language (again when it changes).
  async function offerReport() {
    const name = "socred-report-" + stamp(new Date());
    // A workbook has no delimiter of its own: the report's CSV then takes
    // the page language's, as the template and the audit do.
    const delimiter = ctx.lang() === "en" ? "," : ";";
    const report = await socred.batch.report(ctx.session.id, { delimiter, ...exportOptions(ctx.lang(), "csv") });
    if (report) offer(b("report"), name + ".csv", report);
    const xlsx = await socred.batch.report(ctx.session.id, exportOptions(ctx.lang(), "xlsx"));
    if (xlsx) offer(b("report-xlsx"), name + ".xlsx", xlsx, xlsxType);
  }

  return { draw, redraw: () => results.redraw(), announce, offerReport };
}
