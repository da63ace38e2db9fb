// setup.js: what the browser gives socred's modules and Node does not,
// for the unit tests of their pure logic. Import it before any module of
// web/static/js: js/i18n.js fetches its catalogues beside itself (a file:
// URL here), which Node's fetch does not read. blocked holds languages
// whose catalogue answers 404, as a server missing the file would.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export const blocked = new Set();

const networkFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(String(input));
  if (url.protocol !== "file:") return networkFetch(input, init);
  const lang = (url.pathname.match(/\/lang\/(\w+)\.json$/) || [])[1];
  if (lang && blocked.has(lang)) return new Response("not found", { status: 404 });
  try {
    return new Response(await readFile(fileURLToPath(url)), { status: 200, headers: { "Content-Type": "application/json" } });
  } catch (err) {
    return new Response(String(err), { status: 404 });
  }
};

// js is the URL of a module of web/static/js.
export const js = (name) => new URL("../static/js/" + name, import.meta.url).href;
