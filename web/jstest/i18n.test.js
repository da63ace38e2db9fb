// i18n.test.js: js/i18n.js: languages, plurals, parameters, fallback.
import { blocked } from "./setup.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { best, list, load, loaded, message, number, relative, supported, t } from "../static/js/i18n.js";

test("a tag stands for a supported language, a regional one for its language", () => {
  assert.equal(supported("nb-NO"), "nb");
  assert.equal(supported("no"), "nb", "Norwegian is Bokmål");
  assert.equal(supported("nn"), "nb", "Nynorsk too");
  assert.equal(supported("DE_de"), "de");
  assert.equal(supported(" sv "), "sv");
  assert.equal(supported("fr"), "");
  assert.equal(supported(""), "");
  assert.equal(supported(undefined), "");
});

test("best is the first supported of the preferred languages, else English", () => {
  assert.equal(best(["fr-FR", "sv-SE", "de"]), "sv");
  assert.equal(best(["fr", "it"]), "en");
  assert.equal(best([]), "en");
  assert.equal(best(undefined), "en");
});

test("English is there from the start", () => {
  assert.ok(loaded("en"));
  assert.equal(t("en", "page.version", { version: "1.2.3" }), "socred 1.2.3");
  assert.equal(t("en-GB", "page.ready"), "Ready", "a regional tag");
});

test("plurals are chosen by count with Intl.PluralRules", () => {
  assert.equal(t("en", "expiry.expired", { count: 1 }), "Expired 1 day ago");
  assert.equal(t("en", "expiry.expired", { count: 3 }), "Expired 3 days ago");
  assert.equal(t("en", "expiry.expired", { count: 0 }), "Expired 0 days ago");
  assert.equal(t("en", "expiry.expired"), "Expired {count} days ago", "no count: other, unfilled");
});

test("parameters: numbers formatted for the language, unknown ones kept", () => {
  assert.equal(t("en", "expiry.expiring", { count: 1234 }), "Expires in 1,234 days");
  assert.equal(t("en", "page.version", { other: "x" }), "socred {version}");
  assert.equal(t("en", "page.version", { version: "$& {version}" }), "socred $& {version}", "a value is put in as it is");
});

test("an unknown key shows as itself", () => {
  assert.equal(t("en", "no.such.key"), "no.such.key");
  assert.equal(message("en", "no.such.key"), undefined);
  assert.equal(message("en", "toString"), undefined, "not an Object.prototype name");
});

test("a language not loaded yet, or unsupported, says it in English", async () => {
  assert.equal(loaded("nb"), false);
  assert.equal(t("nb", "page.ready"), "Ready");
  assert.equal(t("fr", "page.ready"), "Ready");
  assert.equal(await load("nb-NO"), "nb");
  assert.ok(loaded("nb"));
  assert.notEqual(t("nb", "page.ready"), "Ready", "Norwegian once loaded");
  assert.equal(await load("fr"), "en");
});

test("a catalogue that cannot load leaves English", async () => {
  blocked.add("sv");
  assert.equal(await load("sv"), "en");
  assert.equal(loaded("sv"), false);
  assert.equal(t("sv", "page.ready"), "Ready");
});

test("German plurals and numbers", async () => {
  assert.equal(await load("de"), "de");
  const one = t("de", "expiry.expired", { count: 1 });
  const many = t("de", "expiry.expired", { count: 1000 });
  assert.notEqual(one.replace("1", ""), many.replace("1.000", ""), "one and other differ");
  assert.match(many, /1\.000/, "German groups thousands with a dot");
});

test("numbers, lists and relative times through Intl", () => {
  assert.equal(number("de", 1234.5), "1.234,5");
  assert.equal(number("fr", 1234.5), "1,234.5", "an unsupported language formats as English");
  assert.equal(list("en", ["a", "b", "c"]), "a, b, and c");
  assert.equal(relative("en", -1, "day"), "yesterday");
});
