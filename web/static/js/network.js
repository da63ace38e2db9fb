// network.js says why a call could not reach the server, as far as a page
// can tell. The browser's fetch hides the cause ("Failed to fetch" for a
// misspelt host, a closed port, https to a plain-http server, an untrusted
// certificate, a CSP block); what socred can know is the address, and on
// this computer one harmless probe: whether something answers plain http
// on that port (a no-cors GET: no header, body or credential, its answer
// unread). From that it lists the likely causes, most likely first, and
// one thing the administrator can do to tell them apart.
import { isLoopback } from "./url.js";

const probeTimeout = 3000; // ms

// answersHTTP reports whether something answers a plain-http GET at
// host[:port].
async function answersHTTP(host) {
  try {
    await fetch("http://" + host + "/", {
      // No redirect option: a no-cors request with any mode but "follow"
      // is a network error by the Fetch standard. The probe carries
      // nothing to leak (no header, body, credential or referrer).
      mode: "no-cors", credentials: "omit", cache: "no-store",
      referrerPolicy: "no-referrer", signal: AbortSignal.timeout(probeTimeout),
    });
    return true;
  } catch (_) {
    return false;
  }
}

// diagnose returns advice for a network error ({kind: "network", origin})
// of a call to site (the NetServer site URL as typed): {causes: [message
// names], params, site}; null when there is nothing to add.
export async function diagnose(error, site) {
  let u;
  try {
    u = new URL(error.origin || site);
  } catch (_) {
    return null;
  }
  // The address to try instead: the site URL as typed, over http.
  const http = /^https:\/\//i.test(site || "") ? site.replace(/^https:/i, "http:") : "http://" + u.host + "/";
  const params = { origin: u.origin, host: u.host, http };
  const advice = { causes: [], params, site: site || u.origin };
  if (isLoopback(u.hostname)) {
    if (u.protocol === "https:" && await answersHTTP(u.host)) {
      advice.causes.push("net.plainHTTP", "net.untrusted");
    } else {
      advice.causes.push("net.nothingListens");
      if (u.protocol === "https:") advice.causes.push("net.untrusted");
    }
    advice.check = "net.checkLocal";
    return advice;
  }
  advice.causes.push("net.name", "net.down");
  if (u.protocol === "https:") advice.causes.push("net.untrusted");
  advice.causes.push("net.csp");
  advice.check = "net.checkTab";
  return advice;
}
