// scrub.js: keeping secrets out of what leaves the form. An event's failure
// message may hold what a server echoed back: the ticket, the application
// token, the password or the secret value the request carried. scrub takes
// them out before the message goes to a host page.

// secretsOf lists what is secret in a request as it is sent (the module
// trims the ticket, so both forms count), longest first.
export function secretsOf(req) {
  const out = [];
  for (const v of [req.ticket, req.applicationToken, req.password, req.credentials && req.credentials.secretValue]) {
    if (typeof v !== "string") continue;
    out.push(v, v.trim());
  }
  return out.filter((v) => v.length >= 3).sort((a, b) => b.length - a.length);
}

// scrub replaces each secret in text with [hidden], then shortens it to 500
// characters: cut first, a secret across the cut would keep its start.
export function scrub(text, secrets) {
  let out = String(text || "");
  for (const v of secrets) out = out.split(v).join("[hidden]");
  return out.slice(0, 500);
}
