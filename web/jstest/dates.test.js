// dates.test.js: js/dates.js reads and writes datetime-local values in the
// administrator's time zone and says dates in UTC. The zone is set here,
// whatever the machine's: Oslo (CET/CEST), then New York.
process.env.TZ = "Europe/Oslo";
import "./setup.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromLocalInput, localText, toLocalInput, utcLine } from "../static/js/dates.js";

const inZone = (zone, fn) => {
  const was = process.env.TZ;
  process.env.TZ = zone;
  try { return fn(); } finally { process.env.TZ = was; }
};

test("the zone is the one this test set", () => {
  assert.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, "Europe/Oslo");
  assert.equal(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(), -60);
});

test("a Date as a datetime-local value, in local time, to the minute", () => {
  assert.equal(toLocalInput(new Date(Date.UTC(2026, 0, 31, 7, 5, 59))), "2026-01-31T08:05", "winter: UTC+1");
  assert.equal(toLocalInput(new Date(Date.UTC(2026, 6, 1, 12, 0))), "2026-07-01T14:00", "summer: UTC+2");
  assert.equal(toLocalInput(new Date(Date.UTC(2026, 11, 31, 23, 30))), "2027-01-01T00:30", "the next day, and year, locally");
  assert.equal(inZone("America/New_York", () => toLocalInput(new Date(Date.UTC(2026, 6, 1, 12, 0)))), "2026-07-01T08:00");
});

test("a datetime-local value is read as local time", () => {
  assert.equal(fromLocalInput("2026-07-01T14:00").toISOString(), "2026-07-01T12:00:00.000Z");
  assert.equal(fromLocalInput("2026-01-31T08:05").toISOString(), "2026-01-31T07:05:00.000Z");
  assert.equal(inZone("America/New_York", () => fromLocalInput("2026-07-01T14:00").toISOString()), "2026-07-01T18:00:00.000Z");
  // 02:30 on the last Sunday of March does not exist in Oslo: the clock
  // jumps from 02:00 to 03:00, and the time is read with the offset before.
  assert.equal(fromLocalInput("2026-03-29T02:30").toISOString(), "2026-03-29T01:30:00.000Z");
  // 02:30 on the last Sunday of October happens twice: the first is taken.
  assert.equal(fromLocalInput("2026-10-25T02:30").toISOString(), "2026-10-25T00:30:00.000Z");
});

test("an empty or invalid value is no date", () => {
  assert.equal(fromLocalInput(""), null);
  assert.equal(fromLocalInput(undefined), null);
  assert.equal(fromLocalInput("tomorrow"), null);
  assert.equal(fromLocalInput("2026-13-01T00:00"), null);
});

test("a round trip keeps the minute", () => {
  for (const v of ["2026-01-01T00:00", "2026-06-15T23:59", "2026-10-25T03:00", "2028-02-29T12:34"]) {
    assert.equal(toLocalInput(fromLocalInput(v)), v);
  }
});

test("the Sent as line says the time in UTC", () => {
  const d = new Date(Date.UTC(2026, 6, 1, 12, 0));
  const line = utcLine("de", d);
  assert.match(line, /12:00/, line);
  assert.doesNotMatch(line, /14:00/, "not the local time");
  assert.match(utcLine("en", d), /^Will be sent as .* UTC$/);
  assert.equal(utcLine("en", null), "");
});

test("a table's date is local time in the language", () => {
  assert.match(localText("de", "2026-07-01T12:00:00Z"), /01\.07\.2026.*14:00/);
  assert.match(inZone("America/New_York", () => localText("de", "2026-07-01T12:00:00Z")), /01\.07\.2026.*08:00/);
  assert.equal(localText("en", ""), "");
  assert.equal(localText("en", "not a date"), "not a date", "shown as it came");
});
