// records.js: the stored-credentials table (#records). It shows the records
// one Load brought back with where each stands (js/expiry.js), never their
// secrets (only whether one is set), sorted by a column the administrator
// picks (aria-sort; Valid to first by default), and gives each row its
// buttons: Edit, Rotate secret, Remove. What a button does is the form's
// (options). In a narrow container each row becomes a card (app.css);
// data-label names each cell there.
import { cell, el } from "./dom.js";
import { localText } from "./dates.js";
import { status } from "./expiry.js";
import { dateTime, t } from "./i18n.js";
import { headers, labelledRow, nextSort, sortRows } from "./table.js";

// columns are the sortable columns: their th's data-sort, and the value
// rows sort by.
const columns = {
  status: (r, now, days) => status(r, now, days).rank,
  publicValue: (r) => (r.publicValue || "").toLowerCase(),
  validFrom: (r) => Date.parse(r.validFrom || "") || 0,
  validTo: (r) => Date.parse(r.validTo || "") || 0,
};

// statusText words a record's status in lang.
export function statusText(lang, s) {
  switch (s.code) {
    case "expired":
      return s.days === 0 ? t(lang, "expiry.expiredToday") : t(lang, "expiry.expired", { count: s.days });
    case "expiring":
      return t(lang, "expiry.expiring", { count: s.days });
    case "future":
      return t(lang, "expiry.future", { date: dateTime(lang, s.date, { dateStyle: "medium" }) });
    default:
      return t(lang, "expiry." + s.code);
  }
}

// dateCell is a date's cell: the date and the time each kept whole, on
// one line when the column allows, else the time under the date.
export function dateCell(lang, iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || isNaN(d.getTime())) return el("td", localText(lang, iso), "cell-date");
  const td = el("td", undefined, "cell-date");
  const span = el("span");
  span.append(el("span", dateTime(lang, d, { dateStyle: "medium" }), "nowrap"), " ", el("span", dateTime(lang, d, { timeStyle: "short" }), "nowrap"));
  td.append(span);
  return td;
}

// records wires the table of one form. options: lang() → the language,
// busy() → whether a call runs (buttons are drawn disabled), warningDays()
// → the "expires in" window, onEdit(record, button), onRotate(record,
// button), onRemove(record, button).
export function records($, options) {
  const section = $("records");
  const table = $("records-table");
  const tbody = table.tBodies[0];
  let shown = null; // {listed: {associateId, type, who}, records}
  let sort = { key: "validTo", dir: 1 };

  for (const th of table.tHead.querySelectorAll("th[data-sort]")) {
    const b = th.querySelector("button");
    b.addEventListener("click", () => {
      const key = th.dataset.sort;
      sort = nextSort(sort, key);
      draw();
      // The header was not redrawn: keep the focus on its button.
      b.focus();
    });
  }

  function sorted(list, now, days) {
    const value = columns[sort.key];
    return sortRows(list, (r) => value(r, now, days), sort.dir);
  }

  function button(action, text, label, cls, fn, r) {
    const b = el("button", text, "btn btn-small " + cls);
    b.type = "button";
    b.dataset.action = action;
    b.disabled = options.busy();
    b.setAttribute("aria-label", label);
    b.addEventListener("click", () => fn(r, b));
    return b;
  }

  function draw() {
    if (!shown) return;
    const lang = options.lang();
    const now = new Date();
    const days = options.warningDays();
    const { listed, records: list } = shown;
    tbody.replaceChildren();
    section.hidden = false;
    const params = { count: list.length, type: listed.type, who: listed.who };
    $("records-caption").textContent = list.length ? t(lang, "records.caption", params) : t(lang, "records.none", params);
    table.hidden = list.length === 0;
    for (const th of table.tHead.querySelectorAll("th[data-sort]")) {
      if (th.dataset.sort === sort.key) th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
    const heads = headers(table);
    for (const r of sorted(list, now, days)) {
      const s = status(r, now, days);
      const name = r.publicValue || t(lang, "records.emptyPublic");
      const cells = [
        el("td", statusText(lang, s), "cell-status status-" + s.code),
        cell(r.publicValue || t(lang, "records.empty"), r.publicValue ? "cell-long" : "cell-long muted"),
        cell(r.comment || "", "cell-long"),
        dateCell(lang, r.validFrom),
        dateCell(lang, r.validTo),
        el("td", t(lang, r.secretValue ? "records.set" : "records.notSet"), "cell-nowrap"),
      ];
      const tr = labelledRow(cells, heads);
      const td = el("td", undefined, "cell-actions");
      const actions = el("span", undefined, "row-actions");
      actions.append(
        button("edit", t(lang, "records.edit"), t(lang, "records.editLabel", { type: listed.type, publicValue: name }), "", options.onEdit, r),
        button("rotate", t(lang, "records.rotate"), t(lang, "records.rotateLabel", { type: listed.type, publicValue: name }), "", options.onRotate, r),
        button("remove", t(lang, "records.remove"), t(lang, "records.removeLabel", { type: listed.type, publicValue: name }), "btn-danger-quiet", options.onRemove, r),
      );
      td.append(actions);
      tr.append(td);
      tbody.append(tr);
    }
  }

  return {
    // show draws the records of listed ({associateId, type, who: the
    // person's name as messages say it}).
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
