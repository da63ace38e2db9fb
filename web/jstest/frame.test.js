// frame.test.js: js/frame.js, the shape of a portal's message to the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { maxMessage, parentMessage } from "../static/js/frame.js";

test("the two messages a portal may send", () => {
  assert.deepEqual(parentMessage({ type: "socred:ticket", ticket: "7T:x" }), { type: "socred:ticket", ticket: "7T:x" });
  assert.deepEqual(parentMessage({ fields: { associateId: "5" }, type: "socred:prefill" }), { type: "socred:prefill", fields: { associateId: "5" } });
});

test("what is not socred's is ignored", () => {
  for (const m of [null, undefined, "socred:ticket", 42, [], ["socred:ticket"], {}, { type: 1 }, { type: "socred:saved", detail: {} }, { type: "other" }]) {
    assert.equal(parentMessage(m), null, JSON.stringify(m));
  }
});

test("socred's messages with a wrong shape are refused, saying why", () => {
  assert.deepEqual(parentMessage({ type: "socred:ticket" }), { type: "socred:ticket", refused: "expected exactly {type, ticket}" });
  assert.deepEqual(parentMessage({ type: "socred:ticket", ticket: "t", extra: 1 }), { type: "socred:ticket", refused: "expected exactly {type, ticket}" });
  assert.deepEqual(parentMessage({ type: "socred:prefill", ticket: "t" }), { type: "socred:prefill", refused: "expected exactly {type, fields}" });
  assert.deepEqual(parentMessage({ type: "socred:prefill", fields: {}, ticket: "t" }), { type: "socred:prefill", refused: "expected exactly {type, fields}" });
});

test("a message too large, or not JSON, is refused before its shape", () => {
  assert.deepEqual(parentMessage({ type: "socred:ticket", ticket: "x".repeat(maxMessage) }), { type: "socred:ticket", refused: "the message is too large" });
  assert.equal(parentMessage({ type: "socred:ticket", ticket: "x".repeat(maxMessage - 40) }).refused, undefined, "just under the limit");
  const cyclic = { type: "socred:prefill", fields: {} };
  cyclic.fields.self = cyclic;
  assert.deepEqual(parentMessage(cyclic), { type: "socred:prefill", refused: "the message is too large" });
  assert.deepEqual(parentMessage({ type: "socred:prefill", fields: { n: 1n } }), { type: "socred:prefill", refused: "the message is too large" }, "a BigInt has no JSON");
});
