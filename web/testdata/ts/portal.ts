// A TypeScript portal as the README shows it: it must compile with
// tsc --strict against socred-element.d.ts (web/ts_test.go).
import type { SocredCredentialsElement, SocredFailedDetail, SocredResult } from "../../static/socred-element.js";

const endpoint = "https://crm.example.com/"; // NetServer's site, as config.json's endpoint resolves

async function signIn(userName: string, password: string): Promise<string | null> {
  await customElements.whenDefined("socred-credentials");
  await socred.ready; // window.socred exists once the element is defined
  const result = await window.socred.login({ endpoint, userName, password });
  if (!result.ok) {
    const kind: "validation" | "exception" | "fault" | "http" | "timeout" | "cors" | "network" | "proxy" | "redirect" | "batch" | "cancelled" = result.error.kind;
    if (result.error.kind === "cors") console.warn(result.error.pageOrigin); // narrowed by kind
    console.warn(kind, result.error.message);
    return null;
  }
  const id: number = result.associateId;
  console.info("signed in as", result.fullName, id);
  return result.ticket;
}

const el = document.querySelector("socred-credentials");
if (el) {
  const typed: SocredCredentialsElement = el;
  typed.prefill({ associateId: "12", type: "imap", isActive: true, soapVersion: "1.2" });
  el.addEventListener("socred-saved", (e) => {
    const id: number = e.detail.associateId;
    console.info("saved", id, e.detail.type, e.detail.publicValue);
  });
  el.addEventListener("socred-failed", (e) => {
    const d: SocredFailedDetail = e.detail;
    if (d.kind === "not-signed-in") void signIn("ola", "secret");
  });
  el.addEventListener("click", (e) => console.info(e.clientX)); // ordinary events keep their types
  if (el.state === "ready") console.info("ready");
  void signIn("ola.nordmann", "secret").then((ticket) => { if (ticket) el.setTicket(ticket); });
}
document.addEventListener("socred-removed", (e) => console.info(e.detail.associateId + 1));

const created = document.createElement("socred-credentials");
created.setAttribute("sections", "records");
document.body.append(created);

async function listAll(ticket: string): Promise<number> {
  const r: SocredResult<{ credentials: { publicValue: string }[] }> = await socred.list({ endpoint, ticket, associateId: 2, type: "imap" });
  if (!r.ok) return 0;
  return r.credentials.filter((c) => c.publicValue !== "").length;
}
void listAll("7T:x");
void socred.user({ endpoint, ticket: "7T:x", userName: "ola" }).then((u) => u.ok && u.user ? u.user.fullName : "");
