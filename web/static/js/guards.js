// guards.js: what Save checks before it sends, and what it asks first.
// Save is an upsert that replaces a stored record: it refuses a deleted
// associate, requires a secret when editing a record whose secret NetServer
// did not send back, and asks before it replaces a stored secret with an
// empty one, saves a Type that differs from a known one only in letter case
// (the integration reading the credential looks it up as written), or
// saves for a retired person.
import { ask } from "./dialog.js";
import { t } from "./i18n.js";

// checkSave returns {go: true}, or {refused: error} (an error result's
// error, shown as it is), or {problem} (a validation problem of a field),
// or {stopped: fieldName} (the administrator said no; focus goes there).
// s: {req, to, editing, listed, listedRecords, knownTypes, lang (the
// form's language now, a function: a question on show follows it), $}.
export async function checkSave(s) {
  const { req, to, $ } = s;
  const lang = typeof s.lang === "function" ? s.lang : () => s.lang;
  const same = (x) => x && x.associateId === req.associateId && x.type === req.type;
  // Each question is three catalogue messages (title, text, OK), worded in
  // the form's language while it shows.
  const confirm = (key, params, okParams) => ask($, { lang, opener: $("save"),
    title: (l) => t(l, "dialog." + key + "Title"), text: (l) => t(l, "dialog." + key + "Text", params), ok: (l) => t(l, "dialog." + key + "Ok", okParams) });
  const publicValue = req.credentials.publicValue || ((l) => t(l, "records.emptyPublic"));

  if (to.user && to.user.deleted) return { refused: { kind: "refused", code: "deleted", who: to.who } };
  if (s.editing && same(s.editing) && !s.editing.secretReturned && req.credentials.secretValue === "") {
    return { problem: { field: "SecretValue", code: "secret-required-edit" } };
  }
  const stored = req.credentials.secretValue === "" && same(s.listed) &&
    s.listedRecords.find((r) => (r.publicValue || "") === req.credentials.publicValue && r.secretValue);
  if (stored && !await confirm("replace", { type: req.type, publicValue, who: to.who })) {
    return { stopped: "SecretValue" };
  }
  const known = s.knownTypes.find((k) => k !== req.type && k.toLowerCase() === req.type.toLowerCase());
  if (known && !await confirm("typeCase", { type: req.type, known }, { type: req.type })) {
    return { stopped: "Type" };
  }
  if (to.user && to.user.retired && !await confirm("retired", { who: to.who, type: req.type })) {
    return { stopped: "" };
  }
  return { go: true };
}

// knownTypes are the Types socred knows of: the form's suggestions
// (#type-suggestions) and more (the one remembered, those listed this
// session).
export function knownTypes(root, more) {
  const out = new Set(Array.from(root.querySelectorAll("#type-suggestions option"), (o) => o.value));
  for (const x of more) if (x) out.add(x);
  return Array.from(out);
}
