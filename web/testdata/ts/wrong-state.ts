// el.state is one of "loading", "ready", "failed".
// want: wrong-state.ts(4,5): error TS2367
import "../../static/socred-element.js";
if (document.querySelector("socred-credentials")!.state === "started") console.info("never");
