// prefill.test.js: js/prefill.js, what a host page may set, checked first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { check, checkTicket, endpointAllowed, sectionNames, warningDaysOf } from "../static/js/prefill.js";

const policy = { endpoint: "https://crm.example.com/SuperOffice/", origins: ["https://other.example.com"] };

test("the endpoint may be the server's own origin or an allowed one", () => {
  assert.ok(endpointAllowed("", policy), "back to the configured one");
  assert.ok(endpointAllowed("https://crm.example.com/Other/", policy));
  assert.ok(endpointAllowed("https://other.example.com/x", policy));
  assert.ok(!endpointAllowed("https://evil.example.com/", policy));
  assert.ok(!endpointAllowed("http://crm.example.com/", policy), "another scheme is another origin");
  assert.ok(!endpointAllowed("https://crm.example.com:8443/", policy), "another port too");
  assert.ok(!endpointAllowed("not a url", policy));
  assert.ok(!endpointAllowed("https://crm.example.com/", {}), "no policy: only empty");
  assert.ok(!endpointAllowed("https://crm.example.com/", { endpoint: "::bad" }));
});

test("valid fields become changes, in order, with their form names", () => {
  const got = check({ associateId: "42", isActive: false, validTo: "2027-01-01T00:00:00Z", lang: "nb-NO", sections: "records, batch" }, policy);
  assert.deepEqual(got.map((c) => [c.key, c.name, c.value]), [
    ["associateId", "AssociateId", "42"], ["isActive", "IsActive", false], ["validTo", "ValidTo", "2027-01-01T00:00:00Z"],
    ["lang", undefined, "nb-NO"], ["sections", undefined, "records, batch"],
  ]);
  assert.deepEqual(check({}, policy), []);
  assert.deepEqual(check({ endpoint: "https://other.example.com/SuperOffice/" }, policy).map((c) => c.value), ["https://other.example.com/SuperOffice/"]);
});

test("a bad field throws a TypeError naming it", () => {
  const cases = [
    [null, /fields must be an object/],
    [["x"], /fields must be an object/],
    [{ secretValue: "s" }, /unknown field "secretValue"/],
    [{ ticket: "t" }, /unknown field "ticket"/],
    [{ isActive: "yes" }, /isActive must be a boolean/],
    [{ type: 3 }, /type must be a string/],
    [{ validFrom: "soon" }, /validFrom must be an ISO 8601 date/],
    [{ comment: "x".repeat(256) }, /comment is too long/],
    [{ publicValue: "a\u0000b" }, /publicValue .*control characters/],
    [{ associateId: "   " }, /associateId must be an associate id or a user name/],
    [{ soapVersion: "2.0" }, /soapVersion must be "1.1" or "1.2"/],
    [{ lang: "english please" }, /lang must be a language tag/],
    [{ sections: "records secrets" }, /sections: unknown part "secrets"/],
    [{ endpoint: "ftp://x" }, /endpoint must be an http\(s\) URL/],
    [{ endpoint: "https://evil.example.com/" }, /endpoint "https:\/\/evil.example.com\/" is not allowed/],
  ];
  for (const [input, want] of cases) assert.throws(() => check(input, policy), (err) => err instanceof TypeError && want.test(err.message), JSON.stringify(input));
});

test("nothing applies when one field is bad", () => {
  assert.throws(() => check({ associateId: "42", type: 7 }, policy), TypeError);
});

test("the sections a host may name", () => {
  assert.deepEqual(sectionNames, ["connection", "login", "records", "preview", "sign", "batch", "audit"]);
});

test("a ticket: a string without spaces or control characters, at most 4096", () => {
  checkTicket("7T:abc==");
  checkTicket("");
  for (const bad of [undefined, 42, "a b", "a\nb", "x".repeat(4097)]) assert.throws(() => checkTicket(bad), TypeError, String(bad).slice(0, 20));
});

test("expiry-warning-days: 0 to 3650 whole days, as a number or digits", () => {
  assert.equal(warningDaysOf(0), 0);
  assert.equal(warningDaysOf("14"), 14);
  assert.equal(warningDaysOf(" 3650 "), 3650);
  for (const bad of [-1, 3651, 1.5, "1e3", "ten", "", null, "12345"]) assert.throws(() => warningDaysOf(bad), /whole number of days/, String(bad));
});
