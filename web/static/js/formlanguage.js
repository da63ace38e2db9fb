// formlanguage.js words one mounted form (form.js) in its language: it
// loads the catalogue, translates the markup and has every part redraw
// what it wrote, following the host's lang live unless one is fixed.
import { redraw as redrawDialog } from "./dialog.js";
import { langOf, load as loadLanguage, supported, t, translate, watch } from "./i18n.js";

// language returns apply(), which words everything in the language the
// form is in now (the latest call wins when the language changes while
// one loads), and setLanguage(tag), which fixes it ("" follows the page
// again). Without options.lang the form follows its host's language live.
export function language(ctx, opts) {
  const { $, field } = ctx;
  let langTag = opts.lang || "";
  let wording = 0;
  async function apply() {
    const turn = ++wording;
    const got = await loadLanguage(supported(langTag || langOf(ctx.host)) || "en");
    if (turn !== wording) return;
    ctx.lang = got;
    translate(ctx.root, got);
    const toggle = $("toggle-secret");
    toggle.textContent = t(got, field("SecretValue").type === "password" ? "secret.show" : "secret.hide");
    ctx.showUTC("ValidFrom");
    ctx.showUTC("ValidTo");
    for (const part of [ctx.msg, ctx.loginMsg, ctx.table, ctx.person, ctx.edits, ctx.many, ctx.audit, ctx.panel, ctx.sign, ctx.marks, ctx.connection]) {
      if (part) part.redraw();
    }
    if (ctx.startError) ctx.startError();
    redrawDialog(ctx.$);
  }
  if (!opts.lang) watch(ctx.host, () => apply());
  return {
    apply,
    setLanguage(tag) {
      langTag = tag || "";
      return apply();
    },
  };
}
