// dates.js: the form's dates. A datetime-local input holds the
// administrator's local time; socred sends UTC (ISO 8601 with Z). Words and
// formats come from Intl in the form's language.
import { dateTime, t } from "./i18n.js";

const pad = (n) => String(n).padStart(2, "0");

// toLocalInput is a Date as a datetime-local value (minutes).
export function toLocalInput(d) {
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
    "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
}

// fromLocalInput reads a datetime-local value as local time; null if empty
// or invalid.
export function fromLocalInput(v) {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? null : d;
}

// utcLine is the "Sent as … UTC" line under a date input.
export function utcLine(lang, d) {
  if (!d) return "";
  return t(lang, "date.sentAs", { when: dateTime(lang, d, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) });
}

// localText is an ISO date in the administrator's time zone, for tables.
export function localText(lang, iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : dateTime(lang, d);
}
