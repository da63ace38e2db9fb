// editing.js: edit mode, the stored record Save replaces. Edit loads a
// listed record into the form; Rotate secret does the same, then empties
// Secret value, focuses it and sets Valid from to now. While editing, a
// banner (#editing) says which record; a changed Public value — the
// record's key — is said to make a new record, with a choice to remove the
// old one once the new one is saved.
import { toLocalInput } from "./dates.js";
import { t } from "./i18n.js";

// editor wires edit mode of one form. options: lang(), field(name),
// showUTC(name), started(editing, rotate) (the form clears its messages
// and marks, asks who the associate is, says it is rotating).
export function editor($, options) {
  const { field, lang } = options;
  let editing = null; // {associateId, type, record, who, secretReturned}
  const empty = () => t(lang(), "records.emptyPublic");

  function draw() {
    $("editing").hidden = !editing;
    if (!editing) return;
    const pv = editing.record.publicValue || "";
    $("editing-text").textContent = t(lang(), "edit.banner", { type: editing.type, publicValue: pv || empty(), who: editing.who });
    const moved = field("PublicValue").value !== pv;
    $("editing-key").hidden = !moved;
    $("editing-remove-old-box").hidden = !moved;
    if (moved) {
      $("editing-key").textContent = t(lang(), "edit.keyChanged", { old: pv || empty() });
      $("editing-remove-old-label").textContent = t(lang(), "edit.removeOld", { old: pv || empty() });
    }
  }

  function stop() {
    editing = null;
    $("editing-remove-old").checked = false;
    draw();
  }

  // start loads record (of listed: {associateId, type, who}) into the form.
  function start(listed, record, rotate) {
    field("AssociateId").value = listed.associateId;
    field("Type").value = listed.type;
    field("PublicValue").value = record.publicValue || "";
    field("Comment").value = record.comment || "";
    field("IsActive").checked = Boolean(record.isActive);
    for (const [name, iso] of [["ValidFrom", record.validFrom], ["ValidTo", record.validTo]]) {
      const d = iso ? new Date(iso) : null;
      field(name).value = d && !isNaN(d.getTime()) ? toLocalInput(d) : "";
    }
    field("SecretValue").value = rotate ? "" : record.secretValue || "";
    if (rotate) field("ValidFrom").value = toLocalInput(new Date());
    options.showUTC("ValidFrom");
    options.showUTC("ValidTo");
    editing = { associateId: listed.associateId, type: listed.type, record, who: listed.who, secretReturned: Boolean(record.secretValue) };
    $("editing-remove-old").checked = false;
    draw();
    options.started(editing, rotate);
    (rotate || !editing.secretReturned ? field("SecretValue") : field("PublicValue")).focus();
  }

  field("PublicValue").addEventListener("input", () => { if (editing) draw(); });
  $("edit-cancel").addEventListener("click", () => { stop(); field("PublicValue").focus(); });

  return {
    start,
    stop,
    redraw: draw,
    // current is the record being edited, or null.
    current: () => editing,
    // removeOld reports whether the old record goes once the new one is saved.
    removeOld: () => $("editing-remove-old").checked,
  };
}
