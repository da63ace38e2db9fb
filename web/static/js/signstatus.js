// signstatus.js is what the Sign section says about its key: the loaded
// certificate's summary (#sign-summary), a problem marked on the picker it
// is about (#sign-alert), or that the key was cleared; said again in
// another language on redraw().
import { describe, el, undescribe } from "./dom.js";
import { dateTime, t } from "./i18n.js";

// signStatus draws for one form; inputs are the pickers a problem may
// mark. It returns {unmark(), problem(input, text), loaded(r), cleared(),
// emptySummary(), silence(), redraw()}.
export function signStatus($, inputs, lang) {
  const summary = $("sign-summary");
  const alert = $("sign-alert");
  let said = null; // () => void: redraws the summary or problem on show

  const when = (iso) => {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? iso : dateTime(lang(), d, { dateStyle: "medium" });
  };
  const say = (fn) => {
    said = fn;
    said();
  };
  function unmark() {
    alert.replaceChildren();
    for (const input of inputs) {
      input.removeAttribute("aria-invalid");
      undescribe(input, (id) => id === "sign-alert");
    }
  }
  return {
    unmark,
    // problem marks input with a message; text(lang) words it.
    problem(input, text) {
      say(() => {
        unmark();
        alert.append(el("p", text(lang()), "sign-error"));
        input.setAttribute("aria-invalid", "true");
        describe(input, "sign-alert");
      });
    },
    // loaded shows loadKey's result r: subject, validity, fingerprint.
    loaded(r) {
      say(() => {
        unmark();
        const l = lang();
        summary.replaceChildren(
          el("p", t(l, "sign.loaded", { subject: r.subject }), "sign-ok"),
          el("p", t(l, "sign.valid", { from: when(r.notBefore), to: when(r.notAfter), algorithm: r.algorithm })),
          el("p", t(l, "sign.fingerprint", { fingerprint: r.fingerprint })),
        );
      });
    },
    cleared() { say(() => summary.replaceChildren(el("p", t(lang(), "sign.cleared")))); },
    emptySummary() { summary.replaceChildren(); },
    silence() { said = null; },
    redraw() { if (said) said(); },
  };
}
