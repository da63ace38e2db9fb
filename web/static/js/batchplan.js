// batchplan.js: the Batch section's plan (js/batch.js wires it): who each
// row is, what is stored, and per row create, update, unchanged, refused
// or remove (socred.batch.plan), with its counts, a filter by action and
// the rows a page at a time.
import { cell, el } from "./dom.js";
import { t } from "./i18n.js";
import { actionText, actions, countsLine, marksText, rowNumber, validText, who } from "./batchwords.js";
import { callsPerSecond } from "./progress.js";
import { pagedTable } from "./table.js";

// batchPlan wires the plan part; ctx is the section's shared state
// (js/batch.js).
export function batchPlan(ctx) {
  const { $, b, lang, msg, bar, options } = ctx;
  const steps = pagedTable(b("steps"), b("steps-more"), {
    page: (offset, limit) => {
      const filter = b("filter").value;
      return socred.batch.steps(ctx.session.id, { offset, limit, actions: filter ? [filter] : [] });
    },
    items: (page) => page.steps,
    cells: (s) => {
      const action = el("td", actionText(lang(), s), "cell-long action-" + s.action);
      // What the single form would ask about before saving this row.
      const marks = marksText(lang(), s);
      if (marks) action.append(el("span", " · " + marks, "step-marks"));
      return [
        el("td", rowNumber(lang(), s.row), "cell-nowrap"),
        el("td", who(lang(), s), "cell-long"),
        el("td", s.type),
        cell(s.publicValue, "cell-long"),
        el("td", validText(lang(), s.record)),
        action,
      ];
    },
    row: (tr, s) => {
      if (s.marks && s.marks.length) tr.dataset.marks = s.marks.join(" ");
    },
  });

  // knownTypes are the form's Type suggestions: a row whose Type differs
  // from one only in letter case is marked in the plan.
  function knownTypes() {
    const d = $("type-suggestions");
    return d ? Array.from(d.querySelectorAll("option"), (o) => o.value) : [];
  }

  async function plan() {
    const conn = options.connection();
    const req = Object.assign({}, conn, {
      skipInvalid: $("batch-skip-invalid").checked,
      removeUnlisted: $("batch-remove-unlisted").checked,
      knownTypes: knownTypes(),
      concurrency: Number($("batch-concurrency").value) || 4,
      callsPerSecond: callsPerSecond($),
      onProgress: (p) => bar.show(p, lang()),
    });
    ctx.setState("planning");
    const r = await socred.batch.plan(ctx.session.id, req);
    if (!r.ok) {
      ctx.setState("checked");
      return ctx.showError(r.error);
    }
    ctx.session.plan = r;
    ctx.session.refused = null;
    bar.hide();
    options.onPlanned(ctx.session.id);
    drawFilter();
    await drawSteps(true); // the worker's page of steps: busy until it is drawn
    ctx.setState("planned");
    msg.ok("batch.planned", { count: r.steps });
  }

  // drawFilter says the plan's counts and offers a filter by each action
  // there is (keeping the one chosen while it still has rows).
  function drawFilter() {
    const l = lang();
    const counts = ctx.session.plan.counts;
    b("counts").textContent = countsLine(l, counts, actions, "batch.count.");
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

  async function drawSteps(fresh) {
    if (await steps.draw(fresh)) b("plan").hidden = false;
  }

  return { plan, drawFilter, drawSteps, redrawSteps: () => steps.redraw() };
}
