// frame.js: the shape of a message a portal posts to the page in its
// iframe (js/page.js speaks the contract): {type: "socred:ticket", ticket}
// or {type: "socred:prefill", fields}, exactly those keys, at most
// maxMessage characters as JSON. It checks the shape only; what the
// ticket or the fields may hold is the form's to check (js/prefill.js).

// maxMessage is the largest message, in characters of its JSON.
export const maxMessage = 16 << 10;

// parentMessage reads one message's data: null when it is not one of
// socred's (not an object with a string type, or an unknown type: ignored
// unanswered); {type, refused} when it is one of socred's with a wrong
// shape (answered with socred:failed); else {type, ticket} or {type,
// fields}.
export function parentMessage(m) {
  if (!m || typeof m !== "object" || Array.isArray(m) || typeof m.type !== "string") return null;
  if (m.type !== "socred:ticket" && m.type !== "socred:prefill") return null; // unknown: ignored
  let size = 0;
  try { size = JSON.stringify(m).length; } catch (_) { size = Infinity; }
  if (size > maxMessage) return { type: m.type, refused: "the message is too large" };
  const keys = Object.keys(m).sort().join(",");
  if (m.type === "socred:ticket") {
    return keys === "ticket,type" ? { type: m.type, ticket: m.ticket } : { type: m.type, refused: "expected exactly {type, ticket}" };
  }
  return keys === "fields,type" ? { type: m.type, fields: m.fields } : { type: m.type, refused: "expected exactly {type, fields}" };
}
