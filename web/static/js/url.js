// url.js: what the page needs to know of an address.

// isLoopback reports whether host (a URL's hostname) is this computer:
// localhost (and names below .localhost), 127.0.0.0/8 or ::1, as the
// module decides it (jsapi/url.go's IsLoopback).
export function isLoopback(host) {
  const h = String(host || "").toLowerCase().replace(/\.$/, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return h.split(".").every((p) => Number(p) <= 255);
  return h === "[::1]" || h === "::1";
}
