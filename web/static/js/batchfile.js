// The Batch section's facts about the file it reads: which locale its
// dates are read in, what the page says about the file (CSV or .xlsx, the
// columns it ignores), and how the plan writes the instants it will send.
// Kept apart from batch.js, which draws the section.
import { dateTime, list, t } from "./i18n.js";

// batchLocale is the locale a spreadsheet's CSV dates are read in: the
// page's language with the browser's region (navigator.language, e.g.
// nb-NO, en-US), so that 03/04/2027 follows the administrator's own
// spreadsheet. https://developer.mozilla.org/docs/Web/API/Navigator/language
export function batchLocale(lang) {
  const nav = (typeof navigator !== "undefined" && navigator.language) || "";
  let region = "";
  try {
    region = nav ? new Intl.Locale(nav).region || "" : "";
  } catch {
    region = "";
  }
  const base = String(lang || nav || "en").split("-")[0];
  return region ? base + "-" + region : base;
}

// fileFacts is the line under the file input: name, rows, valid ones,
// and the delimiter and encoding of a CSV file or the worksheet of a
// workbook; then the columns socred ignores, if any.
export function fileFacts(l, o, name, delimiter, encoding) {
  const facts = o.delimiter
    ? t(l, "batch.fileInfo", { name, rows: o.rows, valid: o.valid, delimiter, encoding })
    : t(l, "batch.fileInfoXlsx", { name, sheet: o.sheet || "", rows: o.rows, valid: o.valid });
  const ignored = o.ignored || [];
  return ignored.length ? facts + " " + t(l, "batch.ignored", { columns: list(l, ignored) }) : facts;
}

// planDate writes an instant the plan will send as the administrator's
// language writes it, in their own time zone and to the second (a date
// alone in ValidTo is sent as 23:59:59).
export function planDate(l, iso) {
  return dateTime(l, new Date(iso), { dateStyle: "medium", timeStyle: "medium" });
}
