// prefill.js: what a host page may set in the form (the element's
// attributes and prefill(), the iframe's socred:prefill message), and the
// checks that come first. Nothing secret can be set this way (the ticket
// has its own door, checkTicket), and an embedder may not change where
// secrets go: the endpoint may only be the socred server's own endpoint
// (config.json's) or a URL on an origin the operator allowed
// (config.json's endpointOrigins, from -endpoint-origin).
//
// Messages here are for the portal's developers (a TypeError, or
// socred-failed's message), so they stay in English like any API error.

// fields are the settable fields: camelCase as in the JS API, none secret.
const fields = {
  endpoint: { name: "Endpoint", max: 2048 },
  associateId: { name: "AssociateId", max: 100 }, // an id, or a user name
  type: { name: "Type", max: 100 },
  publicValue: { name: "PublicValue", max: 238 },
  comment: { name: "Comment", max: 255 },
  validFrom: { name: "ValidFrom", date: true },
  validTo: { name: "ValidTo", date: true },
  isActive: { name: "IsActive", bool: true },
  soapVersion: { setting: true, max: 3 },
  lang: { setting: true, max: 35 },
  sections: { setting: true, max: 100 },
};

// sectionNames are the parts a host page may show or hide.
export const sectionNames = ["connection", "login", "records", "preview", "sign", "batch", "audit"];

const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

// endpointAllowed reports whether an embedder may point the form at url:
// policy = {endpoint: config.json's endpoint (absolute), origins: the
// allowed origins}.
export function endpointAllowed(url, policy) {
  if (url === "") return true; // back to the configured one
  let u;
  try {
    u = new URL(url);
  } catch (_) {
    return false;
  }
  const own = policy && policy.endpoint ? safeOrigin(policy.endpoint) : "";
  return u.origin === own || (policy && Array.isArray(policy.origins) && policy.origins.includes(u.origin));
}

function safeOrigin(s) {
  try {
    return new URL(s).origin;
  } catch (_) {
    return "";
  }
}

// check checks every field first and returns the changes to apply
// ([{key, name?, value, date?, bool?, setting?}]) only when all are valid;
// it throws a TypeError naming the offending field otherwise.
export function check(input, policy) {
  if (!input || typeof input !== "object" || Array.isArray(input)) throw new TypeError("fields must be an object");
  const changes = [];
  for (const [key, value] of Object.entries(input)) {
    const spec = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : null;
    if (!spec) throw new TypeError("unknown field " + JSON.stringify(key.slice(0, 40)));
    if (spec.bool) {
      if (typeof value !== "boolean") throw new TypeError(key + " must be a boolean");
    } else if (typeof value !== "string") {
      throw new TypeError(key + " must be a string");
    } else if (spec.date) {
      const d = new Date(value);
      if (value.length > 40 || isNaN(d.getTime())) throw new TypeError(key + " must be an ISO 8601 date");
    } else if (value.length > spec.max || controlChars.test(value)) {
      throw new TypeError(key + " is too long or holds control characters");
    }
    if (key === "associateId" && value !== "" && value.trim() === "") throw new TypeError("associateId must be an associate id or a user name");
    if (key === "soapVersion" && !["", "1.1", "1.2"].includes(value)) throw new TypeError('soapVersion must be "1.1" or "1.2"');
    if (key === "lang" && value !== "" && !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(value)) throw new TypeError("lang must be a language tag such as nb or de-DE");
    if (key === "sections") {
      const unknown = value.split(/[\s,]+/).filter((n) => n && !sectionNames.includes(n));
      if (unknown.length) throw new TypeError("sections: unknown part " + JSON.stringify(unknown[0].slice(0, 40)) + " (known: " + sectionNames.join(" ") + ")");
    }
    if (key === "endpoint") {
      if (value !== "" && !/^https?:\/\/[^\s]+$/i.test(value)) throw new TypeError("endpoint must be an http(s) URL");
      if (!endpointAllowed(value, policy)) {
        throw new TypeError("endpoint " + JSON.stringify(value.slice(0, 200)) + " is not allowed: an embedder may set only the socred server's own " +
          "endpoint or one on an origin the operator allowed with -endpoint-origin");
      }
    }
    changes.push(Object.assign({ key, value }, spec));
  }
  return changes;
}

// checkTicket throws a TypeError unless ticket can be a NetServer ticket.
export function checkTicket(ticket) {
  if (typeof ticket !== "string" || ticket.length > 4096 || controlChars.test(ticket) || /\s/.test(ticket)) {
    throw new TypeError("ticket must be a string of at most 4096 characters without spaces or control characters");
  }
}

// showSections shows the optional parts of root's form named in names
// (sectionNames) and hides the others; null or undefined shows them all.
// The credential part always shows.
export function showSections(root, names) {
  const on = names == null ? null : new Set(names);
  for (const part of root.querySelectorAll("[data-section]")) {
    const name = part.dataset.section;
    part.classList.toggle("section-off", name !== "credential" && on !== null && !on.has(name));
  }
}

// warningDaysOf reads an expiry-warning-days value: a whole number of
// days from 0 to 3650, as a number or digits; it throws a TypeError
// otherwise.
export function warningDaysOf(days) {
  const n = typeof days === "string" && /^\d{1,4}$/.test(days.trim()) ? Number(days) : days;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 3650) {
    throw new TypeError("expiry-warning-days must be a whole number of days from 0 to 3650");
  }
  return n;
}
