// url.test.js: js/url.js decides what is this computer as the module does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isLoopback } from "../static/js/url.js";

test("loopback names and addresses", () => {
  for (const h of ["localhost", "LOCALHOST", "localhost.", "app.localhost", "127.0.0.1", "127.255.255.255", "127.1.2.3", "[::1]", "::1"]) {
    assert.equal(isLoopback(h), true, h);
  }
});

test("anything else is not", () => {
  for (const h of ["", undefined, "example.com", "localhost.example.com", "mylocalhost", "127.0.0.256", "127.0.0", "128.0.0.1", "10.0.0.1", "[::2]", "0.0.0.0", "127.0.0.1.nip.io"]) {
    assert.equal(isLoopback(h), false, String(h));
  }
});
