// actions.js: what the Credential card's buttons do (js/form.js wires
// them): Save (after the checks of js/guards.js; a record whose key
// changed while editing may take the old one's place), Load (the records
// table), Remove (a row's button, after asking), and Preview. Each is for
// the associate the Associate field names (js/identity.js), and says what
// happened in the form's messages and events (never a secret). Each takes
// ctx, the form's shared state (js/form.js): ctx.listed and
// ctx.listedRecords are the table on show, ctx.seenTypes the Types
// NetServer listed records of this session.
import { fromLocalInput } from "./dates.js";
import { ask } from "./dialog.js";
import { checkSave, knownTypes } from "./guards.js";
import { resolve, unresolved } from "./identity.js";
import { t } from "./i18n.js";
import { remembered } from "./storage.js";

// isoOf reads a datetime-local field as an ISO date in UTC, or "".
function isoOf(field, name) {
  const d = fromLocalInput(field(name).value);
  return d ? d.toISOString() : "";
}

// saveRequest reads the card into socred's save request.
function saveRequest(ctx) {
  const field = ctx.field;
  return Object.assign(ctx.connection.request(), {
    associateId: field("AssociateId").value.trim(),
    type: field("Type").value.trim(),
    credentials: {
      validFrom: isoOf(field, "ValidFrom"),
      validTo: isoOf(field, "ValidTo"),
      comment: field("Comment").value,
      secretValue: field("SecretValue").value,
      publicValue: field("PublicValue").value,
      isActive: field("IsActive").checked,
    },
  });
}

// target resolves the Associate field into the associate a call is for
// (js/identity.js: resolve), or shows why it cannot and returns null.
async function target(ctx) {
  const field = ctx.field;
  const r = await resolve(ctx.person, field("AssociateId"), ctx.lang);
  if (r.problem) {
    ctx.marks.mark([r.problem]);
    ctx.msg.fail({ kind: "validation", fields: [r.problem] });
    return null;
  }
  if (r.failure) {
    await ctx.calls.showFailure(r.failure);
    return null;
  }
  return r.to;
}

// edit starts editing (or rotating the secret of) a listed record.
export function edit(ctx, record, rotate) {
  if (ctx.listed) ctx.edits.start(ctx.listed, record, rotate);
}

// save saves the card for the associate named, after js/guards.js's
// checks and questions.
export async function save(ctx) {
  const { $, root, field } = ctx;
  ctx.marks.clear();
  const to = await target(ctx);
  if (!to) return;
  const req = saveRequest(ctx);
  req.associateId = to.associateId;
  const editing = ctx.edits.current();
  const check = await checkSave({ req, to, editing, listed: ctx.listed, listedRecords: ctx.listedRecords,
    knownTypes: knownTypes(root, [ctx.recall(remembered.type), ...ctx.seenTypes]), lang: () => ctx.lang, $ });
  if (check.refused) {
    ctx.calls.failed("save", { kind: "refused", message: "associate " + to.associateId + " is deleted" });
    return ctx.msg.fail(check.refused);
  }
  if (check.problem) {
    ctx.marks.mark([check.problem]);
    return ctx.msg.fail({ kind: "validation", fields: [check.problem] });
  }
  if (check.stopped !== undefined) {
    if (check.stopped) field(check.stopped).focus();
    return;
  }
  const result = await ctx.calls.call("save", req);
  if (!result.ok) return ctx.calls.showFailure(unresolved(result, to));
  ctx.remember(remembered.endpoint, req.endpoint);
  ctx.remember(remembered.type, req.type);
  ctx.emit("saved", { associateId: req.associateId, type: req.type, publicValue: req.credentials.publicValue });
  await saved(ctx, req, to, editing);
}

// saved follows a Save: the record's key changed while editing, so the
// new one is saved; the old one is removed when asked to. The table on
// show is of this associate and Type: it is loaded again.
async function saved(ctx, req, to, editing) {
  const sameAssociate = (x) => x && x.associateId === req.associateId && x.type === req.type;
  const pv = req.credentials.publicValue;
  const old = editing && sameAssociate(editing) && (editing.record.publicValue || "") !== pv ? editing.record.publicValue || "" : null;
  const removeOld = old !== null && ctx.edits.removeOld();
  ctx.edits.stop();
  if (removeOld) {
    const r = await ctx.calls.call("remove", Object.assign(ctx.connection.request(), { associateId: req.associateId, type: req.type, publicValue: old }));
    if (!r.ok) {
      await ctx.calls.showFailure(r);
    } else {
      ctx.emit("removed", { associateId: req.associateId, type: req.type, publicValue: old });
      ctx.msg.ok("status.savedMoved", { type: req.type, who: to.who, old: old || ((l) => t(l, "records.emptyPublic")) });
    }
  } else {
    ctx.msg.ok("status.saved", { type: req.type, who: to.who });
  }
  if (!ctx.$("records").hidden && sameAssociate(ctx.listed)) await list(ctx, true, to);
}

// list loads the associate's records of the Type into the table (quiet:
// without a success line; known: the associate, resolved already).
export async function list(ctx, quiet, known) {
  const field = ctx.field;
  if (!quiet) ctx.marks.clear();
  const to = known || await target(ctx);
  if (!to) return;
  const req = Object.assign(ctx.connection.request(), { associateId: to.associateId, type: field("Type").value.trim() });
  const result = await ctx.calls.call("list", req);
  if (!result.ok) {
    // The table on show may be another associate's, or out of date:
    // never leave it looking like the answer to this Load.
    ctx.table.hide();
    ctx.listed = null;
    ctx.listedRecords = [];
    return ctx.calls.showFailure(unresolved(result, to));
  }
  ctx.remember(remembered.endpoint, req.endpoint);
  ctx.remember(remembered.type, req.type);
  ctx.listed = { associateId: req.associateId, type: req.type, who: to.who, user: to.user };
  ctx.listedRecords = result.credentials || [];
  if (ctx.listedRecords.length) ctx.seenTypes.add(req.type);
  ctx.table.show(ctx.listed, ctx.listedRecords);
  if (!quiet) ctx.msg.ok("status.loaded", { count: ctx.listedRecords.length, type: req.type, who: to.who });
}

// confirmRemove asks, then removes a listed record (opener: its row's
// button), and keeps the focus where the administrator can go on.
export async function confirmRemove(ctx, record, opener) {
  const $ = ctx.$;
  const of = ctx.listed;
  const which = { associateId: of.associateId, type: of.type, publicValue: record.publicValue || "" };
  const yes = await ask($, {
    lang: () => ctx.lang,
    title: (l) => t(l, "dialog.removeTitle"),
    text: (l) => t(l, "dialog.removeText", { type: which.type, publicValue: which.publicValue || t(l, "records.emptyPublic"), who: of.who }),
    ok: (l) => t(l, "dialog.removeOk"),
    opener,
  });
  if (!yes) return;
  const index = ctx.table.rows().indexOf(opener.closest("tr"));
  while (ctx.busy) await ctx.calls.idle(); // a call that started meanwhile: remove after it, not never
  await ctx.calls.run($("list"), () => remove(ctx, which, of));
  // Removed, the table was drawn anew and the opener is gone: go on at
  // the row that took its place, else at the caption (never lose focus
  // to the page's body). A failed removal leaves the opener in place.
  if (opener.isConnected) return opener.focus();
  if ($("records").hidden) return $("list").focus();
  const next = ctx.table.rows()[index] && ctx.table.rows()[index].querySelector('button[data-action="remove"]');
  (next || $("records-caption")).focus();
}

// remove removes which ({associateId, type, publicValue}) of the table on
// show (of), then loads the table again.
async function remove(ctx, which, of) {
  const result = await ctx.calls.call("remove", Object.assign(ctx.connection.request(), which));
  if (!result.ok) return ctx.calls.showFailure(result);
  ctx.emit("removed", { associateId: which.associateId, type: which.type, publicValue: which.publicValue });
  const editing = ctx.edits.current();
  if (editing && editing.associateId === which.associateId && editing.type === which.type &&
    (editing.record.publicValue || "") === which.publicValue) ctx.edits.stop();
  ctx.field("Type").value = of.type;
  await list(ctx, true, { associateId: of.associateId, user: of.user, who: of.who });
  ctx.msg.ok("status.removed", { type: which.type, publicValue: which.publicValue || ((l) => t(l, "records.empty")), who: of.who });
}

// preview shows the SOAP envelope Save would send (secrets masked unless
// Show secrets is on).
export async function preview(ctx) {
  const $ = ctx.$;
  ctx.marks.clear();
  const req = Object.assign(saveRequest(ctx), { operation: "save", maskSecrets: !$("show-secrets").checked });
  const result = await ctx.calls.call("preview", req);
  if (!result.ok) {
    ctx.panel.hide();
    return ctx.calls.showFailure(result);
  }
  ctx.panel.show(result);
  ctx.msg.clear();
  if (result.masked) ctx.msg.ok("status.previewMasked", { placeholder: "{SecretValue}" });
  else ctx.msg.ok("status.previewReal");
}
