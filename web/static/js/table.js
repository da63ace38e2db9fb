// table.js: what socred's tables share. The records table sorts the rows
// it holds by the column the administrator picks.

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

