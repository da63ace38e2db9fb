// expiry.test.js: js/expiry.js, where a stored credential stands at a time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DefaultWarningDays, status } from "../static/js/expiry.js";

const now = new Date("2026-06-15T12:00:00Z");
const rec = (validFrom, validTo, isActive = true) => ({ validFrom, validTo, isActive });

test("inactive comes first, whatever the dates", () => {
  assert.deepEqual(status(rec("2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z", false), now), { code: "inactive", rank: 3 });
});

test("expired: how many whole days ago, and when", () => {
  const s = status(rec("2025-01-01T00:00:00Z", "2026-06-12T11:00:00Z"), now);
  assert.equal(s.code, "expired");
  assert.equal(s.days, 3);
  assert.equal(s.date.toISOString(), "2026-06-12T11:00:00.000Z");
  assert.equal(s.rank, 0);
  assert.equal(status(rec("", "2026-06-15T11:59:00Z"), now).days, 0, "expired today");
  assert.equal(status(rec("", "2026-06-15T12:00:00Z"), now).code, "expired", "valid to is the first moment not valid");
});

test("expiring within the window: in how many days, rounded up", () => {
  const s = status(rec("", "2026-06-16T13:00:00Z"), now);
  assert.equal(s.code, "expiring");
  assert.equal(s.days, 2);
  assert.equal(s.rank, 1);
  assert.equal(status(rec("", "2026-07-15T12:00:00Z"), now).code, "expiring", "exactly 30 days: inside");
  assert.equal(status(rec("", "2026-07-15T12:00:01Z"), now).code, "active", "just past the window");
  assert.equal(DefaultWarningDays, 30);
});

test("the window can be set, and a bad one is the default", () => {
  const r = rec("", "2026-06-25T12:00:00Z");
  assert.equal(status(r, now, 5).code, "active");
  assert.equal(status(r, now, 10).code, "expiring");
  assert.equal(status(r, now, 0).code, "active");
  assert.equal(status(r, now, -1).code, "expiring", "negative: the default 30");
  assert.equal(status(r, now, "10").code, "expiring", "not a number: the default 30");
});

test("not valid yet: from when", () => {
  const s = status(rec("2026-07-01T00:00:00Z", "2027-07-01T00:00:00Z"), now);
  assert.deepEqual(s, { code: "future", date: new Date("2026-07-01T00:00:00Z"), rank: 2 });
});

test("active, with or without dates; now may be a number", () => {
  assert.equal(status(rec("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), now).code, "active");
  assert.equal(status(rec("", ""), now).code, "active");
  assert.equal(status(rec(undefined, "not a date"), now).code, "active");
  assert.equal(status(rec("", "2026-06-12T11:00:00Z"), now.getTime()).code, "expired");
});

test("rank orders the most urgent first", () => {
  const codes = [rec("", "2026-06-20T00:00:00Z"), rec("", ""), rec("", "2026-06-01T00:00:00Z"), rec("", "", false), rec("2026-12-01T00:00:00Z", "")]
    .map((r) => status(r, now)).sort((a, b) => a.rank - b.rank).map((s) => s.code);
  assert.deepEqual(codes, ["expired", "expiring", "future", "inactive", "active"]);
});
