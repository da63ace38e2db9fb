// audit.test.js: js/audit.js's filter of the records shown, and its words.
import "./setup.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { doneLines, filterOf, windowDays } from "../static/js/audit.js";

test("the expiring window: days from 0, else 30", () => {
  assert.equal(windowDays("14"), 14);
  assert.equal(windowDays("0"), 0);
  assert.equal(windowDays(""), 0, "an empty field is 0, as Number says");
  assert.equal(windowDays("-1"), 30);
  assert.equal(windowDays("soon"), 30);
  assert.equal(windowDays("Infinity"), 30);
});

test("the filter holds the boxes ticked, the window only with expiring", () => {
  assert.deepEqual(filterOf({}, 30), {});
  assert.deepEqual(filterOf({ expired: true, inactive: true }, 30), { expired: true, inactive: true });
  assert.deepEqual(filterOf({ expiring: true }, 7), { expiringDays: 7 });
  assert.deepEqual(filterOf({ expired: true, expiring: true, inactive: true, withoutSecret: true }, 0),
    { expired: true, expiringDays: 0, inactive: true, withoutSecret: true });
});

test("missing associates and failed reads, in words", () => {
  assert.deepEqual(doneLines("en", [], []), []);
  const lines = doneLines("en", ["7", "ghost"], [{ associate: "9", type: "imap", error: { kind: "fault", message: "Denied" } }, { associate: "10", message: "odd" }]);
  assert.equal(lines.length, 3);
  assert.equal(lines[0], "No associate has the id 7.", "an id, not a count");
  assert.equal(lines[1], "No associate has the user name “ghost”.");
  assert.match(lines[2], /9 \(imap\): Denied; 10: odd/);
  assert.equal(doneLines("en", ["7", "8"], [])[0], "No associate has any of the ids 7 and 8.");
});
