// connection.js: the form's connection to NetServer (js/form.js wires it):
// what every call carries (the site URL, the application token, the
// ticket, the SOAP version an embedder chose), and the ticket's state: the
// login's "Signed in as …" beside its button while the ticket it got is in
// the Ticket field and has not been refused. Login is here: it is what
// fills the ticket; a portal sets one with setTicket.
import { t } from "./i18n.js";
import { remembered } from "./storage.js";
import { checkTicket } from "./prefill.js";

// connection returns the form's connection; ctx is the form's shared
// state (js/form.js).
export function connection(ctx) {
  const { $, field } = ctx;
  let signedIn = null; // () => void: words the "Signed in as" line again

  // request is what every call carries.
  function request() {
    return Object.assign({
      endpoint: field("Endpoint").value.trim(),
      applicationToken: field("ApplicationToken").value,
      ticket: field("Ticket").value.trim(),
    }, ctx.soapVersion ? { soapVersion: ctx.soapVersion } : {});
  }

  function signOut() {
    signedIn = null;
    $("signed-in").hidden = true;
    $("signed-in").textContent = "";
  }

  async function login() {
    ctx.marks.clear();
    ctx.loginMsg.clear();
    const req = {
      endpoint: field("Endpoint").value.trim(),
      applicationToken: field("ApplicationToken").value,
      userName: field("UserName").value.trim(),
      password: field("Password").value,
    };
    const result = await ctx.calls.call("login", req);
    if (!result.ok) return ctx.calls.showFailure(result, ctx.loginMsg);
    field("Ticket").value = result.ticket;
    field("Password").value = "";
    ctx.remember(remembered.endpoint, req.endpoint);
    const who = result.fullName || result.userName || req.userName;
    signedIn = () => {
      $("signed-in").textContent = t(ctx.lang, "login.signedIn", { who, id: result.associateId });
      $("signed-in").hidden = false;
    };
    signedIn();
    ctx.person.refresh();
  }

  // setTicket fills the Ticket input ("" clears it); the value is never
  // echoed anywhere.
  function setTicket(ticket) {
    checkTicket(ticket);
    field("Ticket").value = ticket;
    signOut();
    ctx.person.refresh();
  }

  return {
    request,
    signOut,
    login,
    setTicket,
    redraw() { if (signedIn) signedIn(); },
  };
}
