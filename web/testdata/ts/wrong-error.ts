// error kinds are a closed set.
// want: and '"offline"' have no overlap
import "../../static/socred-element.js";
void socred.save({ endpoint: "https://x/", ticket: "t", associateId: 1, type: "imap", credentials: {} })
  .then((r) => { if (!r.ok && r.error.kind === "offline") console.info("never"); });
