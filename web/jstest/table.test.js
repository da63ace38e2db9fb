// table.test.js: js/table.js, sorting the records table, and js/records.js
// words where each record stands.
import "./setup.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { nextSort, sortRows } from "../static/js/table.js";
import { statusText } from "../static/js/records.js";

test("a header click sorts by its column, again turns the order", () => {
  let sort = { key: "validTo", dir: 1 };
  sort = nextSort(sort, "validTo");
  assert.deepEqual(sort, { key: "validTo", dir: -1 });
  sort = nextSort(sort, "validTo");
  assert.deepEqual(sort, { key: "validTo", dir: 1 });
  sort = nextSort({ key: "validTo", dir: -1 }, "status");
  assert.deepEqual(sort, { key: "status", dir: 1 }, "another column starts ascending");
});

test("rows sort by a value either way; equal ones keep their order; the list is not changed", () => {
  const rows = [{ n: "b", v: 2 }, { n: "a", v: 1 }, { n: "c", v: 2 }, { n: "d", v: 0 }];
  const up = sortRows(rows, (r) => r.v, 1);
  assert.deepEqual(up.map((r) => r.n), ["d", "a", "b", "c"]);
  const down = sortRows(rows, (r) => r.v, -1);
  assert.deepEqual(down.map((r) => r.n), ["b", "c", "a", "d"]);
  assert.deepEqual(rows.map((r) => r.n), ["b", "a", "c", "d"], "a copy is sorted");
  assert.deepEqual(sortRows(rows, (r) => r.n.toLowerCase(), 1).map((r) => r.n), ["a", "b", "c", "d"]);
  assert.deepEqual(sortRows([], (r) => r, 1), []);
});

test("a record's status in words", () => {
  assert.equal(statusText("en", { code: "expired", days: 0 }), "Expired today");
  assert.equal(statusText("en", { code: "expired", days: 1 }), "Expired 1 day ago");
  assert.equal(statusText("en", { code: "expiring", days: 12 }), "Expires in 12 days");
  assert.equal(statusText("en", { code: "inactive" }), "Inactive");
  assert.equal(statusText("en", { code: "active" }), "Active");
  assert.match(statusText("en", { code: "future", date: new Date("2026-07-01T12:00:00Z") }), /^Not valid until .*2026$/);
});
