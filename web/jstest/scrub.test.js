// scrub.test.js: js/scrub.js keeps a request's secrets out of event text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { scrub, secretsOf } from "../static/js/scrub.js";

test("the secrets of a request, trimmed and not, longest first", () => {
  const req = { ticket: " 7T:abc== ", applicationToken: "tok123", password: "pw", credentials: { secretValue: "S3cret-value" }, endpoint: "https://x" };
  assert.deepEqual(secretsOf(req), ["S3cret-value", "S3cret-value", " 7T:abc== ", "7T:abc==", "tok123", "tok123"],
    "each as sent and trimmed; two characters are too short to hide");
  assert.deepEqual(secretsOf({}), []);
  assert.deepEqual(secretsOf({ ticket: 42, credentials: null }), [], "only strings");
});

test("each secret becomes [hidden], everywhere it is", () => {
  const secrets = secretsOf({ ticket: "7T:abc", credentials: { secretValue: "7T:abc-and-more" } });
  assert.equal(scrub("got 7T:abc-and-more and 7T:abc twice: 7T:abc", secrets), "got [hidden] and [hidden] twice: [hidden]");
  assert.equal(scrub(undefined, secrets), "");
  assert.equal(scrub(404, []), "404");
});

test("the text is cut to 500 characters after hiding", () => {
  const secret = "x".repeat(20) + "SECRET";
  const text = "a".repeat(490) + secret;
  const out = scrub(text, [secret]);
  assert.equal(out, "a".repeat(490) + "[hidden]");
  assert.ok(!out.includes("xxxx"), "no start of the secret across the cut");
  assert.equal(scrub("b".repeat(600), []).length, 500);
});
