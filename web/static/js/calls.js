// calls.js: how the form calls socred (js/form.js wires it). One call at a
// time: while one runs, every button that starts one is disabled, the
// records table's too (drawn disabled while busy). Each call goes through
// the Sign part first; a failed one emits "failed" with what went wrong,
// never with what was sent (js/scrub.js), and is shown: each problem at
// its field, or, for a field the host page hid, in words its user can act
// on ("not signed in yet").
import { t } from "./i18n.js";
import { diagnose } from "./network.js";
import { scrub, secretsOf } from "./scrub.js";

// socred's method of each operation.
const methods = { save: "save", list: "list", remove: "remove", login: "login", preview: "buildEnvelope" };

// hidden reports whether a field is in a part the host page hid.
const hidden = (ctx, name) => {
  const input = ctx.field(name);
  return Boolean(input && input.closest(".section-off"));
};
// notSignedIn: the problems include the Ticket, which the host hid.
const notSignedIn = (ctx, e) => (e.fields || []).some((p) => p.field === "Ticket") && hidden(ctx, "Ticket");
// ticketRefused: NetServer said the ticket is missing, unknown or expired.
const ticketRefused = (e) => e && e.kind === "exception" && /Ticket|NotLoggedIn/i.test(e.exceptionType || "");

// failed emits "failed" with what went wrong, never with what was sent.
// A missing ticket while the Ticket field is hidden (an element whose
// portal has not signed in yet) is kind "not-signed-in", which a portal
// can act on.
function failed(ctx, operation, error, secrets) {
  const e = error || {};
  const first = e.kind === "validation" && e.fields && e.fields[0] ? e.fields[0].field : "";
  const kind = e.kind === "validation" && notSignedIn(ctx, e) ? "not-signed-in" : String(e.kind || "");
  ctx.emit("failed", { operation, kind, message: scrub(e.message, secrets || []), field: String(first || "") });
}

// showFailure shows a failed call in box (the Credential card's, or the
// login's). Problems of fields the host page hid are said in words its
// user can act on ("not signed in yet") instead of marking what no one
// sees.
async function showFailure(ctx, result, box) {
  const { field } = ctx;
  const hiddenHere = (name) => hidden(ctx, name);
  let error = result.error || { kind: "network", message: String(result) };
  if (error.kind === "network" && error.origin) {
    error = Object.assign({}, error, { advice: await diagnose(error, field("Endpoint").value.trim()) });
  }
  // No service at the site URL (HTTP 404/405): the URL field is the problem.
  if (error.kind === "http" && error.code === "no-service" && !hiddenHere("Endpoint")) {
    ctx.marks.mark([{ field: "Endpoint", code: "no-service", params: { status: String(error.status || "") } }]);
  }
  if (error.kind === "validation") {
    const seen = (error.fields || []).filter((p) => !hiddenHere(p.field));
    const unseen = (error.fields || []).filter((p) => hiddenHere(p.field));
    ctx.marks.mark(seen);
    if (unseen.length) {
      error = Object.assign({}, error, {
        fields: seen,
        hiddenProblems: unseen.some((p) => p.field === "Ticket") ? "hidden.notSignedIn" : "hidden.setup",
      });
    }
  }
  (box || ctx.msg).fail(error);
}

// calls returns the form's calling; ctx is the form's shared state
// (js/form.js): ctx.busy says whether a call runs.
export function calls(ctx) {
  const { $, form } = ctx;
  const buttons = ["save", "list", "preview", "login"].map($);
  let idle = Promise.resolve(); // resolves when the running call ends

  // call runs one socred operation after the Sign part amended the request.
  async function call(operation, req) {
    if (ctx.sign) await ctx.sign.request(req, operation);
    const secrets = secretsOf(req);
    const result = await socred[methods[operation]](req);
    if (!result.ok) failed(ctx, operation, result.error, secrets);
    if (!result.ok && (ticketRefused(result.error) || operation === "login")) ctx.connection.signOut();
    if (ctx.sign) ctx.sign.result(result, operation);
    return result;
  }

  function showCrash(err) {
    const reason = String((err && err.message) || err);
    ctx.msg.fail({ kind: "", message: (l) => t(l, "error.crash", { reason }) });
    failed(ctx, "", { kind: "crash", message: "socred failed unexpectedly: " + reason });
  }

  // run runs fn for button, unless a call runs already.
  async function run(button, fn) {
    if (ctx.busy) return;
    ctx.busy = true;
    let release;
    idle = new Promise((resolve) => (release = resolve));
    form.setAttribute("aria-busy", "true");
    // The pressed button keeps its focus (a disabled one would drop it to
    // the page's body): it is only marked aria-disabled; the others are
    // disabled. A second press while busy does nothing (see busy above).
    for (const b of buttons.concat(ctx.table.buttons())) {
      if (b === button) b.setAttribute("aria-disabled", "true");
      else b.disabled = true;
    }
    button.classList.add("is-busy");
    try {
      await fn();
    } catch (err) {
      showCrash(err);
    } finally {
      ctx.busy = false;
      form.removeAttribute("aria-busy");
      for (const b of buttons.concat(ctx.table.buttons())) {
        b.disabled = false;
        b.removeAttribute("aria-disabled");
      }
      button.classList.remove("is-busy");
      release();
    }
  }

  return {
    buttons, run, call,
    failed: (operation, error, secrets) => failed(ctx, operation, error, secrets),
    showFailure: (result, box) => showFailure(ctx, result, box),
    idle: () => idle,
  };
}
