// records.js: the stored-credentials table (#records). It shows the records
// one Load brought back, never their secrets (only whether one is set), and
// gives each row its buttons; what a button does is the form's (options).
// In a narrow container each row becomes a card (app.css); data-label names
// each cell there.
import { el } from "./dom.js";
import { localText } from "./dates.js";
import { t } from "./i18n.js";

// records wires the table of one form. options: lang() → the language,
// busy() → whether a call runs (buttons are drawn disabled), onRemove(record, button).
export function records($, options) {
  const section = $("records");
  const table = $("records-table");
  const tbody = table.tBodies[0];
  let shown = null; // {listed: {associateId, type}, records}

  function draw() {
    if (!shown) return;
    const lang = options.lang();
    const { listed, records: list } = shown;
    tbody.replaceChildren();
    section.hidden = false;
    const params = { count: list.length, type: listed.type, id: listed.associateId };
    $("records-caption").textContent = list.length ? t(lang, "records.caption", params) : t(lang, "records.none", params);
    table.hidden = list.length === 0;
    const heads = table.tHead.rows[0].cells;
    for (const r of list) {
      const tr = document.createElement("tr");
      const cells = [
        el("td", r.publicValue || t(lang, "records.empty"), r.publicValue ? "cell-long" : "cell-long muted"),
        el("td", r.comment || "", "cell-long"),
        el("td", localText(lang, r.validFrom)),
        el("td", localText(lang, r.validTo)),
        el("td", t(lang, r.isActive ? "records.yes" : "records.no"), "cell-nowrap"),
        el("td", t(lang, r.secretValue ? "records.set" : "records.notSet"), "cell-nowrap"),
      ];
      cells.forEach((c, i) => c.setAttribute("data-label", heads[i].textContent));
      tr.append(...cells);
      const td = el("td", undefined, "cell-actions");
      const actions = el("span", undefined, "row-actions");
      const b = el("button", t(lang, "records.remove"), "btn btn-small btn-danger-quiet");
      b.type = "button";
      b.disabled = options.busy();
      b.setAttribute("aria-label", t(lang, "records.removeLabel", { type: listed.type, publicValue: r.publicValue || t(lang, "records.emptyPublic") }));
      b.addEventListener("click", () => options.onRemove(r, b));
      actions.append(b);
      td.append(actions);
      tr.append(td);
      tbody.append(tr);
    }
  }

  return {
    // show draws the records of listed ({associateId, type}).
    show(listed, list) {
      shown = { listed, records: list };
      draw();
    },
    hide() {
      section.hidden = true;
      shown = null;
    },
    redraw: draw,
    buttons: () => Array.from(tbody.querySelectorAll("button")),
    rows: () => Array.from(tbody.rows),
  };
}
