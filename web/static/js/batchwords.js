// batchwords.js: the Batch section's words, in the form's language, from
// what the batch module says (js/batch.js shows them): a problem of the
// file, a plan's counts, what a row will do or why it was refused, who a
// row is, and what happened to it. Pure: no DOM, no module calls.
import { dateTime, list, message, number, t } from "./i18n.js";
import { errorText, fieldLabel } from "./messages.js";

// actions are what a planned row may do; outcomeNames what happened to it.
export const actions = ["create", "update", "unchanged", "refused", "remove"];
export const outcomeNames = ["created", "updated", "unchanged", "removed", "failed", "not sent"];

// columnField maps a column's header text to its field ("associate id" →
// AssociateId), as the module matches them: case and spaces aside.
export function columnField(header) {
  const key = String(header).toLowerCase().replace(/\s+/g, "");
  const names = ["AssociateId", "UserName", "Type", "PublicValue", "SecretValue", "ValidFrom", "ValidTo", "Comment", "IsActive"];
  return names.find((n) => n.toLowerCase() === key) || header;
}

// zoneText says how the file's dates without a zone are read: sample (a
// local time) in zone, and the same moment in UTC.
export function zoneText(l, zone, sample) {
  return t(l, "batch.zone", {
    zone,
    local: dateTime(l, sample, { dateStyle: "medium", timeStyle: "short" }),
    utc: dateTime(l, sample, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
  });
}

const encodings = { "UTF-8": "batch.utf8", "UTF-8 with BOM": "batch.utf8bom", "Windows-1252": "batch.windows1252" };

// fileInfo says what the module read of the file named name (opened:
// socred.batch.open's answer): its rows, delimiter and encoding, or that
// it could not be read; "" without one.
export function fileInfo(l, opened, name) {
  if (!opened) return "";
  if (!opened.id) return t(l, "batch.fileUnreadable", { name });
  const delimiter = { ",": t(l, "batch.comma"), ";": t(l, "batch.semicolon"), "\t": t(l, "batch.tab") }[opened.delimiter] || opened.delimiter;
  const encoding = encodings[opened.encoding] ? t(l, encodings[opened.encoding]) : opened.encoding || "";
  // A workbook has a worksheet where a CSV file has a delimiter and an
  // encoding; then the columns socred ignores, if any.
  const facts = opened.delimiter
    ? t(l, "batch.fileInfo", { name, count: opened.rows, valid: opened.valid, delimiter, encoding })
    : t(l, "batch.fileInfoXlsx", { name, sheet: opened.sheet || "", count: opened.rows, valid: opened.valid });
  const ignored = opened.ignored || [];
  return ignored.length ? facts + " " + t(l, "batch.ignored", { columns: list(l, ignored) }) : facts;
}

// problemLine words one problem of the file: "Row 7: Valid to must not
// be before Valid from" (without the row where the row is said already).
export function problemLine(l, p, withoutRow) {
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

// countsLine says "3 to create, 1 to update and 5 unchanged": the names
// there are any of (the first, with 0, when there are none at all);
// names with a space ("not sent") are keyed with a dash.
export function countsLine(l, counts, names, prefix) {
  const some = names.filter((n) => counts[n] > 0);
  return list(l, (some.length ? some : names.slice(0, 1)).map((n) => t(l, prefix + n.replace(" ", "-"), { count: counts[n] || 0 })));
}

// actionText says what a planned row (a step) will do.
export function actionText(l, s) {
  switch (s.action) {
    case "update": {
      const changes = (s.changes || []).map((c) => fieldLabel(l, c));
      let text = t(l, "batch.action.update", { changes: list(l, changes) });
      if (s.secretReplaced) text += " " + t(l, "batch.secretReplaced");
      if (s.secretResent) text += " " + t(l, "batch.secretResent");
      return text;
    }
    case "refused":
      return t(l, "batch.action.refused", { why: refusal(l, s) });
    default:
      return t(l, "batch.action." + s.action);
  }
}

// refusal says why a step was refused: its problems, or its code's words
// (the module's English message when the catalogue has none).
export function refusal(l, s) {
  if (s.code === "invalid") return (s.problems || []).map((p) => problemLine(l, p, true)).join("; ") || s.message;
  // An unknown associate is named by its id or its user name, in the
  // words the page and the report use for each.
  const byName = s.code === "unknown-associate" && s.params && !/^[0-9]+$/.test(String(s.params.associate || ""));
  const key = "batch.refused." + (byName ? "unknown-user" : s.code);
  const params = Object.assign({ message: s.message || "" }, s.params || {});
  const text = t(l, key, params);
  return text === key ? s.message : text;
}

// who says who a row is: the person's name and id, else the user name or
// the id.
export function who(l, s) {
  if (s.fullName) return t(l, "identity.person", { name: s.fullName, id: String(s.associateId) });
  return s.userName || (s.associateId ? t(l, "identity.associateOnly", { id: String(s.associateId) }) : "");
}

// validText says a record's validity, from and to, in UTC as the file.
export function validText(l, r) {
  if (!r || !r.validFrom) return "";
  return t(l, "batch.validRange", { from: planDate(l, r.validFrom), to: planDate(l, r.validTo) });
}

// planDate writes an instant the plan will send as the administrator's
// language writes it, in their own time zone and to the second (a date
// alone in ValidTo is sent as 23:59:59).
export function planDate(l, iso) {
  return dateTime(l, new Date(iso), { dateStyle: "medium", timeStyle: "medium" });
}

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

// rowNumber is a row's number in the file, or a dash for a row the file
// does not hold (an unlisted record to remove).
export function rowNumber(l, row) {
  return row ? number(l, row) : "—";
}

// resultWhy says why a result is what it is: its error, the plan's
// refusal of its row (refused: row → step), "not reached" for a row a
// stopped run did not send, else the module's message.
export function resultWhy(l, r, refused) {
  return r.error ? errorText(l, r.error)
    : r.outcome === "not sent" && refused.has(r.row) ? refusal(l, refused.get(r.row))
    : r.outcome === "not sent" && r.action !== "refused" ? t(l, "batch.notReached") : r.message;
}

// markNames are the plan's marks: what the single form would ask about
// before it saves a row (retired, inactive, empty-secret, expired,
// type-case).
export const markNames = ["retired", "inactive", "empty-secret", "expired", "type-case"];

// marksText is a step's marks in words, or "".
export function marksText(l, s) {
  return (s.marks || []).map((m) => t(l, "batch.mark." + m)).join(" · ");
}
