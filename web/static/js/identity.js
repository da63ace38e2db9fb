// identity.js: who the Associate field names. The field takes an associate
// id or a user name; as soon as it holds one (debounced, never blocking
// typing) this asks NetServer (socred.user: GetUser or GetUserFromName) and
// shows the person beside the field in #associate-identity (role=status):
// full name, user name, associate id and user type, marked when the
// associate is deleted or the person retired; an unknown id or name, no
// right to read users, an expired ticket: each in words.
//
// An answer is tied to the exact text it was asked for: one that arrives
// after the field changed is dropped, and resolve() never returns the
// previous person for a new value (no stale identity).
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { errorText } from "./messages.js";

const debounce = 350; // ms after the last keystroke

// ref reads the field's text as a lookup: {associateId} for digits,
// {userName} for anything else, null when empty.
export function ref(text) {
  const s = String(text || "").trim();
  if (s === "") return null;
  return /^[0-9]+$/.test(s) ? { associateId: s } : { userName: s };
}

// identity wires the field of one form. options: lang(), connection() →
// {endpoint, ticket, applicationToken, soapVersion?}, input (the field),
// ready() → a Promise for the started module (defaults to socred.ready).
export function identity($, options) {
  const box = $("associate-identity");
  const input = options.input;
  let current = null; // {text, promise, result} for the text last asked for
  let timer = 0;
  let shown = null; // () => void, draws the box again

  function draw(fn) {
    shown = fn;
    box.replaceChildren();
    delete box.dataset.state;
    if (fn) fn();
  }

  // ask starts (or reuses) the lookup of text.
  function ask(text) {
    const r = ref(text);
    if (!r) {
      current = null;
      draw(null);
      return Promise.resolve(null);
    }
    const conn = options.connection();
    const key = text + "\u0000" + conn.endpoint + "\u0000" + conn.ticket;
    if (current && current.key === key) return current.promise;
    const entry = { key, text, result: null };
    // A prefilled field (an attribute, a socred:prefill) asks before the
    // module has started: wait for it rather than conclude it cannot look up.
    const lookup = Promise.resolve(options.ready ? options.ready() : socred.ready).then(() =>
      typeof socred.user === "function" ? socred.user(Object.assign({}, conn, r))
        : { ok: false, error: { kind: "", code: "no-lookup", message: "this socred module cannot look up users" } });
    entry.promise = lookup.then((result) => {
      entry.result = result;
      if (current === entry) draw(() => describe(box, options.lang(), text, result));
      return result;
    }, (err) => {
      const result = { ok: false, error: { kind: "", message: String((err && err.message) || err) } };
      entry.result = result;
      if (current === entry) draw(() => describe(box, options.lang(), text, result));
      return result;
    });
    current = entry;
    draw(() => { box.dataset.state = "busy"; box.append(el("span", t(options.lang(), "identity.looking"))); });
    return entry.promise;
  }

  // schedule asks after the typing pauses; the previous person is cleared
  // at once, so it never stands beside a new value.
  function schedule() {
    clearTimeout(timer);
    current = null;
    draw(null);
    if (!ref(input.value)) return;
    timer = setTimeout(() => ask(input.value), debounce);
  }
  input.addEventListener("input", schedule);

  return {
    // resolve returns the answer for the field's text now ({ok, user} or
    // {ok: false, error}; null when the field is empty), asking if needed.
    resolve() {
      clearTimeout(timer);
      return ask(input.value);
    },
    // refresh asks again (the ticket or the site changed).
    refresh() {
      current = null;
      if (ref(input.value)) ask(input.value);
      else draw(null);
    },
    redraw() { if (shown) draw(shown); },
  };
}

// describe draws one answer into box in language l: {ok, user} or
// {ok: false, error}, the lookup of text.
function describe(box, l, text, result) {
  const r = ref(text);
  if (!result) return;
  if (!result.ok) {
    box.dataset.state = "error";
    const e = result.error || {};
    let line;
    if (e.kind === "validation" && (e.fields || []).some((f) => f.field === "Ticket" || f.field === "Endpoint")) {
      box.dataset.state = "idle";
      line = t(l, "identity.needLogin");
    } else if (e.kind === "exception" && /Ticket|NotLoggedIn/i.test(e.exceptionType || "")) {
      line = t(l, "identity.ticket", { reason: errorText(l, e) });
    } else if (e.kind === "exception" && /AccessDenied|Security/i.test(e.exceptionType || "")) {
      line = t(l, "identity.noRight", { reason: errorText(l, e) });
    } else {
      line = t(l, "identity.failed", { reason: errorText(l, e) });
    }
    box.append(el("span", line));
    return;
  }
  const u = result.user;
  if (!u) {
    box.dataset.state = "unknown";
    box.append(el("span", r && r.userName ? t(l, "identity.noName", { name: r.userName }) : t(l, "identity.noId", { id: text.trim() })));
    return;
  }
  box.dataset.state = u.deleted ? "deleted" : u.retired ? "retired" : "known";
  box.append(el("strong", u.fullName || u.name || u.userName || "", "identity-name"));
  const facts = [];
  if (u.userName) facts.push(u.userName);
  facts.push(t(l, "identity.associate", { id: String(u.associateId) }));
  if (u.type) facts.push(t(l, "userType." + u.type));
  box.append(el("span", " · " + facts.join(" · "), "identity-facts"));
  if (u.deleted) box.append(el("span", t(l, "identity.deleted"), "identity-flag identity-deleted"));
  if (u.retired) box.append(el("span", t(l, "identity.retired"), "identity-flag identity-retired"));
}

// personName is how messages name a user: "Ola Nordmann (associate 3)".
export function personName(lang, user, id) {
  if (user && (user.fullName || user.name)) return t(lang, "identity.person", { name: user.fullName || user.name, id: String(user.associateId) });
  return t(lang, "identity.associateOnly", { id: String(id) });
}

// resolve turns the Associate field (input) into the associate a call is
// for: {to: {associateId (digits), user (or null), who (how messages name
// them), unresolved? (a user name the lookup could not even start for)}},
// {problem} (a user name NetServer does not know: a validation problem of
// the field), {failure} (the lookup's own failed result), or {} when the
// field changed meanwhile (the caller starts again). An id that cannot be
// looked up (no right to read users, the lookup failed) is still used:
// NetServer's own answer to the call then says what is wrong.
export async function resolve(person, input, lang) {
  const text = input.value.trim();
  const lookup = ref(text);
  if (!lookup) return { to: { associateId: text, user: null, who: text } };
  const r = await person.resolve();
  if (input.value.trim() !== text) return {};
  const user = r && r.ok ? r.user : null;
  // who is a function of the language: a message that names the person
  // is worded again, name and all, when the language changes.
  if (user) return { to: { associateId: String(user.associateId), user, who: (l) => personName(l, user, user.associateId) } };
  if (lookup.associateId) return { to: { associateId: text, user: null, who: (l) => personName(l, null, text) } };
  if (r && r.ok) return { problem: { field: "AssociateId", code: "unknown-user", params: { name: lookup.userName } } };
  // The lookup could not even start (no ticket or site URL yet): let the
  // call's own checks list everything, the name among them.
  if (r && r.error && r.error.kind === "validation") return { to: { associateId: text, user: null, who: text, unresolved: lookup.userName } };
  return { failure: r || { error: { kind: "", message: "" } } };
}

// unresolved rewords a call's problem with a user name it could not look
// up ("must be a whole number" is true, and no help).
export function unresolved(result, to) {
  if (!to.unresolved || !result.error || result.error.kind !== "validation") return result;
  const fields = (result.error.fields || []).map((p) => (p.field === "AssociateId"
    ? { field: "AssociateId", code: "unresolved-user", params: { name: to.unresolved } } : p));
  return Object.assign({}, result, { error: Object.assign({}, result.error, { fields }) });
}
