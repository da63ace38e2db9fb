// exports.js: what the batch module needs to write a download in the
// administrator's terms: the format, the locale whose date format an
// .xlsx uses, and the words a person reads in it (yes/no, outcomes,
// statuses, the template's example texts), from the page's catalogue.
// The module keeps what re-imports (column names, IsActive's words only
// when the reader accepts them).

import { t } from "./i18n.js";

const outcomes = ["created", "updated", "unchanged", "removed", "failed", "not sent"];
const statuses = ["active", "inactive", "expired", "expiring", "not-yet-valid"];

// locale is the browser's own tag when it speaks the page's language
// (nb-NO, en-GB: the region picks the date order), else the page's.
export function locale(lang, tags = navigator.languages || [navigator.language]) {
  const base = (tag) => ({ no: "nb", nn: "nb" })[tag.split("-")[0].toLowerCase()] || tag.split("-")[0].toLowerCase();
  return tags.find((tag) => tag && base(tag) === base(lang)) || lang;
}

// exportOptions are the module's options for an export: format "csv" or
// "xlsx" ({format, locale, words}).
export function exportOptions(lang, format) {
  const words = {
    yes: t(lang, "records.yes"),
    no: t(lang, "records.no"),
    outcomes: Object.fromEntries(outcomes.map((o) => [o, t(lang, "export.outcome." + o.replace(" ", "-"))])),
    statuses: Object.fromEntries(statuses.map((s) => [s, t(lang, "export.status." + s)])),
    examples: ["secret1", "comment1", "secret2", "comment2"].map((k) => t(lang, "export.example." + k)),
  };
  return { format, locale: locale(lang), words };
}

// xlsxType is the media type of an .xlsx download.
export const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
