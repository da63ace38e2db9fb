// setTicket takes a string.
// want: wrong-ticket.ts(4,57): error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'.
import "../../static/socred-element.js";
document.querySelector("socred-credentials")!.setTicket(42);
