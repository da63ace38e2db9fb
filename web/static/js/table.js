// table.js: what socred's tables share: rows whose cells are labelled with
// their column's header (a narrow container shows each row as a card). The
// records table sorts the rows it holds by the column the administrator
// picks; the batch's plan, its results and the audit draw a page at a time
// of the rows the batch module holds (pagedTable).

// nextSort is the order after a click on column key's header: the same
// column turns its order around, another one sorts by it ascending.
export function nextSort(sort, key) {
  return { key, dir: sort.key === key ? -sort.dir : 1 };
}

// sortRows returns a copy of rows sorted by value(row), ascending when dir
// is 1 and descending when it is -1; rows of equal value keep their order.
export function sortRows(rows, value, dir) {
  return rows.slice().sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  });
}

// labelledRow makes a row of cells, each labelled with its column's header
// text (data-label): in a narrow container each row shows as a card
// (app.css) that names its fields. heads: headers(table).
export function labelledRow(cells, heads) {
  const tr = document.createElement("tr");
  cells.forEach((c, i) => c.setAttribute("data-label", heads[i]));
  tr.append(...cells);
  return tr;
}

// headers lists the header texts of a table's first head row.
export function headers(table) {
  return Array.from(table.tHead.rows[0].cells, (c) => c.textContent.trim());
}

// pagedTable draws a table a page at a time, for rows the batch module
// holds (the batch's plan and results, the audit): options.page(offset,
// limit) → a Promise of a page ({total, …}) or null (the batch module runs
// in a worker); options.items(page) → its rows;
// options.cells(item) → one row's cells; options.before(page), if set, runs
// before its rows are drawn; options.row(tr, item), if set, runs on each
// row drawn; options.pageSize: 200 unless set. more is the
// "Show more" button, hidden once every row is shown.
export function pagedTable(table, more, options) {
  const size = options.pageSize || 200;
  let shown = 0;
  let drawing = 0; // the latest draw's number
  let kept = []; // the items drawn, for redraw
  let last = null; // the last page drawn
  function append(items) {
    const tbody = table.tBodies[0];
    const heads = headers(table);
    for (const item of items) {
      const tr = labelledRow(options.cells(item), heads);
      if (options.row) options.row(tr, item);
      tbody.append(tr);
    }
  }
  return {
    // draw adds the next page, or, fresh, starts again from the first; it
    // resolves with the page (null when there is none, and then draws
    // nothing, nor when a later draw started while it waited).
    async draw(fresh) {
      const mine = ++drawing;
      const page = await options.page(fresh ? 0 : shown, size);
      if (mine !== drawing) return null; // a later draw answers instead
      if (fresh) {
        table.tBodies[0].replaceChildren();
        shown = 0;
        kept = [];
        last = null;
      }
      if (!page) return null;
      if (options.before) options.before(page);
      const items = options.items(page);
      append(items);
      kept = kept.concat(items);
      last = page;
      shown += items.length;
      more.hidden = shown >= page.total;
      return page;
    },
    // redraw draws the rows shown again at once (in the page's language
    // now) from what draw kept, without asking the module; it returns the
    // last page (null when nothing is drawn).
    redraw() {
      if (!last) return null;
      table.tBodies[0].replaceChildren();
      if (options.before) options.before(last);
      append(kept);
      return last;
    },
  };
}
