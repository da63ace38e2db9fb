// explanation.js draws a signed preview's "Explain the signature" panel
// (#explain): each reference's canonical bytes, computed digest and
// DigestValue with the verdict, and the SignedInfo. All of it as text.
import { el } from "./dom.js";
import { t } from "./i18n.js";

// drawExplanation shows ex (a preview's explanation) in language l, or
// hides the panel when there is none.
export function drawExplanation($, l, ex) {
  $("explain").hidden = !ex;
  if (!ex) return;
  const refs = $("explain-refs");
  refs.replaceChildren();
  for (const r of ex.references) {
    const part = el("section", undefined, "explain-ref");
    const head = { uri: r.uri, element: r.element || "?", path: r.path };
    part.append(el("h4", t(l, r.path ? "explain.referencePath" : "explain.reference", head)));
    const dl = el("dl");
    dl.append(el("dt", t(l, "explain.computed")), el("dd", r.digest || "—"));
    dl.append(el("dt", t(l, "explain.digestValue")), el("dd", r.digestValue || "—"));
    const verdict = r.match ? t(l, "explain.match") : r.error ? t(l, "explain.mismatchWhy", { reason: r.error }) : t(l, "explain.mismatch");
    dl.append(el("dt", t(l, "explain.result")), el("dd", verdict, r.match ? "digest-ok" : "digest-bad"));
    part.append(dl);
    const pre = el("pre", r.canonical, "code");
    pre.tabIndex = 0;
    pre.setAttribute("aria-label", t(l, "explain.bytesLabel", { uri: r.uri }));
    part.append(pre);
    refs.append(part);
  }
  $("explain-signedinfo").textContent = ex.signedInfo;
}
