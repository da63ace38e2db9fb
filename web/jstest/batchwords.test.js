// batchwords.test.js: js/batchwords.js, the Batch section's words.
import "./setup.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { actionText, columnField, countsLine, fileInfo, problemLine, refusal, resultWhy, rowNumber, validText, who, zoneText } from "../static/js/batchwords.js";
import { t } from "../static/js/i18n.js";
import { fieldLabel } from "../static/js/messages.js";

test("a column's header names its field, case and spaces aside", () => {
  assert.equal(columnField("associate id"), "AssociateId");
  assert.equal(columnField("VALIDTO"), "ValidTo");
  assert.equal(columnField(" Public  Value "), "PublicValue");
  assert.equal(columnField("Colour"), "Colour", "an unknown column as written");
});

test("counts: those there are any of; the first, with 0, when there are none", () => {
  assert.equal(countsLine("en", {}, ["create", "update"], "batch.count."), t("en", "batch.count.create", { count: 0 }));
  const line = countsLine("en", { create: 3, update: 0, refused: 1 }, ["create", "update", "unchanged", "refused"], "batch.count.");
  assert.equal(line, t("en", "batch.count.create", { count: 3 }) + " and " + t("en", "batch.count.refused", { count: 1 }));
  assert.match(countsLine("en", { created: 1, "not sent": 2 }, ["created", "not sent"], "batch.outcome."), /2/, "not sent is keyed not-sent");
  assert.ok(!countsLine("en", { created: 1, "not sent": 2 }, ["created", "not sent"], "batch.outcome.").includes("batch.outcome"));
  assert.equal(countsLine("en", { create: 0, unchanged: 30 }, ["create", "update", "unchanged"], "batch.count."), "30 unchanged", "no “0 to create”");
});

test("a problem of the file, at its row, naming the field by its label", () => {
  const p = { row: 7, column: "validto", code: "date-order", params: { other: "validfrom" } };
  const line = problemLine("en", p);
  assert.ok(line.includes("7"), line);
  assert.ok(line.includes(fieldLabel("en", "ValidTo")) || line.includes(fieldLabel("en", "ValidFrom")), line);
  assert.ok(!problemLine("en", p, true).includes("7"), "without its row");
  assert.equal(problemLine("en", { row: 0, code: "nonesuch", reason: "odd" }), "odd", "the module's reason when the catalogue has no words");
  assert.ok(!problemLine("en", { row: 2, code: "missing-column", params: { column: "AssociateId or UserName" } }).includes("{"));
});

test("what a step does, and why one is refused", () => {
  assert.equal(actionText("en", { action: "create" }), t("en", "batch.action.create"));
  const upd = actionText("en", { action: "update", changes: ["ValidTo", "Comment"], secretReplaced: true });
  assert.ok(upd.includes(fieldLabel("en", "ValidTo")) && upd.endsWith(t("en", "batch.secretReplaced")), upd);
  assert.equal(refusal("en", { code: "nonesuch", message: "the module's words" }), "the module's words");
  assert.equal(refusal("en", { code: "invalid", problems: [], message: "m" }), "m");
  assert.ok(actionText("en", { action: "refused", code: "nonesuch", message: "why" }).includes("why"));
});

test("who a row is", () => {
  assert.equal(who("en", { fullName: "Ada L", associateId: 5 }), t("en", "identity.person", { name: "Ada L", id: "5" }));
  assert.equal(who("en", { userName: "ada", associateId: 5 }), "ada");
  assert.equal(who("en", { associateId: 5 }), t("en", "identity.associateOnly", { id: "5" }));
  assert.equal(who("en", {}), "");
});

test("a validity in local time, a row number, a file's facts, the zone line", () => {
  process.env.TZ = "Asia/Tokyo";
  const v = validText("de", { validFrom: "2026-01-01T23:30:00Z", validTo: "2027-01-01T00:00:00Z" });
  assert.match(v, /02\.01\.2026.*08:30:00/, "the administrator's time (Tokyo), to the second: " + v);
  assert.match(v, /01\.01\.2027.*09:00:00/, v);
  assert.equal(validText("de", null), "");
  assert.equal(rowNumber("de", 1234), "1.234");
  assert.equal(rowNumber("de", 0), "—");
  assert.equal(fileInfo("en", null, "x.csv"), "");
  assert.equal(fileInfo("en", { id: null }, "x.csv"), t("en", "batch.fileUnreadable", { name: "x.csv" }));
  assert.ok(fileInfo("en", { id: 1, rows: 3, valid: 2, delimiter: ";", encoding: "UTF-8" }, "x.csv").includes(t("en", "batch.semicolon")));
  const book = fileInfo("en", { id: 1, rows: 3, valid: 2, delimiter: "", sheet: "Credentials", ignored: ["Avdeling", "Notat"] }, "x.xlsx");
  assert.ok(book.startsWith(t("en", "batch.fileInfoXlsx", { name: "x.xlsx", sheet: "Credentials", count: 3, valid: 2 })), book);
  assert.match(book, /Avdeling.*Notat/, "the ignored columns are listed: " + book);
  assert.match(fileInfo("en", { id: 1, rows: 1, valid: 0, delimiter: ";", encoding: "UTF-8" }, "x.csv"), /^x\.csv: 1 row, 0 valid;/, "one row is a row");
  const zone = zoneText("de", "Asia/Tokyo", new Date(2026, 0, 31, 8, 0));
  assert.match(zone, /Asia\/Tokyo/);
  assert.match(zone, /08:00/, "local");
  assert.match(zone, /23:00/, "and UTC, the day before");
});

test("why a result is what it is", () => {
  const refused = new Map([[4, { code: "nonesuch", message: "refused in the plan" }]]);
  assert.equal(resultWhy("en", { outcome: "not sent", row: 4 }, refused), "refused in the plan");
  assert.equal(resultWhy("en", { outcome: "not sent", row: 5, action: "create" }, refused), t("en", "batch.notReached"));
  assert.equal(resultWhy("en", { outcome: "failed", row: 6, error: { kind: "fault", message: "Server said no" } }, refused), "Server said no");
  assert.equal(resultWhy("en", { outcome: "created", row: 7, message: "ok" }, refused), "ok");
});

test("an unknown associate in the page's words for an id and for a user name", () => {
  assert.equal(refusal("en", { code: "unknown-associate", params: { associate: "10" }, message: "x" }), "no associate has the id 10");
  assert.equal(refusal("en", { code: "unknown-associate", params: { associate: "ingen.slik" }, message: "x" }), "no associate has the user name “ingen.slik”");
});
