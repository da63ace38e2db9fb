// messages.test.js: js/messages.js words problems and errors.
import "./setup.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { errorText, failBatch, fieldLabel, problemText, startReason, worded } from "../static/js/messages.js";
import { t } from "../static/js/i18n.js";

test("a field by its label, an unknown one by its name", () => {
  assert.equal(fieldLabel("en", "ValidTo"), t("en", "field.ValidTo"));
  assert.notEqual(fieldLabel("en", "ValidTo"), "ValidTo");
  assert.equal(fieldLabel("en", "Nonesuch"), "Nonesuch");
});

test("a problem in the catalogue's words, else its reason after the label", () => {
  const p = { field: "ValidTo", code: "date-order", params: { other: "ValidFrom" }, reason: "must not be before ValidFrom" };
  const text = problemText("en", p);
  assert.ok(text.includes(fieldLabel("en", "ValidTo")) || text.includes(fieldLabel("en", "ValidFrom")), text);
  assert.ok(!text.includes("{"), "every placeholder filled: " + text);
  assert.equal(problemText("en", { field: "Type", code: "nonesuch", reason: "is odd" }), fieldLabel("en", "Type") + " is odd");
});

test("an error's main sentence by kind", () => {
  assert.equal(errorText("en", { kind: "fault", message: "Server said no" }), "Server said no", "the server's text as it is");
  assert.equal(errorText("en", { kind: "exception", message: "Boom" }), "Boom");
  assert.equal(errorText("en", { kind: "cancelled" }), t("en", "batchError.cancelled"));
  assert.match(errorText("en", { kind: "timeout", origin: "https://x.example", timeoutMs: 30000 }), /30/);
  assert.match(errorText("en", { kind: "network", origin: "https://x.example", cause: "" }), /https:\/\/x\.example/);
  assert.equal(errorText("en", { kind: "validation", fields: [{ field: "Type", reason: "a" }, { field: "Comment", reason: "b" }] }),
    fieldLabel("en", "Type") + " a; " + fieldLabel("en", "Comment") + " b");
  assert.equal(errorText("en", { kind: "something-new", message: "said" }), "said");
});

test("a param that is a function is worded in the message's language", async () => {
  const { load } = await import("../static/js/i18n.js");
  await load("nb");
  const who = (l) => t(l, "identity.associateOnly", { id: "3" });
  assert.equal(t("nb", "status.saved", { type: "imap", who }), t("nb", "status.saved", { type: "imap", who: t("nb", "identity.associateOnly", { id: "3" }) }));
  assert.notEqual(t("nb", "status.saved", { type: "imap", who }), t("en", "status.saved", { type: "imap", who }));
});

test("why a module could not start", () => {
  assert.equal(startReason("en", new Error("plain")), "plain");
  assert.equal(startReason("en", { code: "no-wasm" }), t("en", "start.no-wasm"));
  assert.equal(startReason("en", { code: "http", status: 404, file: "socred.wasm", detail: "x" }), t("en", "start.http", { status: 404, file: "socred.wasm" }) + " (x)");
});

test("a batch or audit failure for want of a connection says so", () => {
  const shown = [];
  const msg = { fail: (e) => shown.push(e) };
  const ticket = { kind: "validation", fields: [{ field: "Ticket", code: "required", reason: "is required" }] };
  failBatch(msg, "en", ticket);
  assert.equal(shown[0].kind, "batch");
  assert.equal(shown[0].code, "needs-connection");
  assert.equal(shown[0].reason("en"), errorText("en", ticket), "the reason is worded in the language it is shown in");
  assert.equal(worded(shown[0], "nb").reason, errorText("nb", ticket));
  const other = { kind: "validation", fields: [{ field: "Type", reason: "x" }] };
  failBatch(msg, "en", other);
  assert.equal(shown[1], other, "any other failure as it is");
  failBatch(msg, "en", undefined);
  assert.deepEqual(shown[2], { kind: "" });
});
