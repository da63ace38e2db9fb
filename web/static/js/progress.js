// progress.js: a job's progress (a batch's plan and apply, an audit), in a
// role=progressbar element with aria-valuenow and a line of text: done,
// failed, skipped and total, the rate and the time left.
import { number, t } from "./i18n.js";

// progressBar wires the bar #<id> and its label #<id>-label in box
// #<id>-box. show(p, lang) draws a socred.batch progress snapshot.
export function progressBar($, id) {
  const box = $(id + "-box");
  const bar = $(id);
  const fill = bar.querySelector(".progress-fill");
  const label = $(id + "-label");
  let last = null;

  function draw(lang) {
    if (!last) return;
    const p = last;
    const settled = p.done + p.failed + p.skipped + (p.notSent || 0);
    const pct = p.total > 0 ? Math.round((settled / p.total) * 100) : 0;
    box.hidden = false;
    bar.setAttribute("aria-valuenow", String(pct));
    bar.setAttribute("aria-valuetext", t(lang, "progress.valueText", { settled, count: p.total }));
    fill.style.width = pct + "%"; // CSSOM, not a style attribute: the CSP allows it
    const parts = [t(lang, "progress.counts", { done: p.done, failed: p.failed, skipped: p.skipped, count: p.total })];
    if (p.rate > 0 && p.state === "running") {
      const rate = number(lang, Math.round(p.rate * 10) / 10);
      parts.push(p.rateLimit > 0 ? t(lang, "progress.rateLimited", { rate, limit: number(lang, p.rateLimit) }) : t(lang, "progress.rate", { rate }));
      if (p.etaMs > 0) parts.push(t(lang, "progress.eta", { seconds: Math.max(1, Math.round(p.etaMs / 1000)) }));
    }
    if (p.retries > 0) parts.push(t(lang, "progress.retries", { count: p.retries }));
    parts.push(t(lang, "progress.state." + p.state));
    label.textContent = parts.join(" · ");
  }

  return {
    show(p, lang) {
      last = p;
      draw(lang);
    },
    hide() {
      box.hidden = true;
      last = null;
    },
    redraw: draw,
  };
}

// callsPerSecond is the limit chosen in #batch-rate; 0 is none.
export function callsPerSecond($) {
  const r = $("batch-rate");
  return (r && Number(r.value)) || 0;
}
