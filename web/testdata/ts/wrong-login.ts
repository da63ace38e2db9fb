// login needs userName and password, and a failed result has no ticket.
// want: Property 'password' is missing
import "../../static/socred-element.js";
void socred.login({ endpoint: "https://crm.example.com/", userName: "ola" }).then((r) => r.ticket);
