// preview.js: the envelope preview (#preview-panel): the exact request Save
// would send (URL, headers, XML) and a curl command, with the secrets as
// placeholders unless "Show secrets" is ticked. A signed preview says what
// it is good for: no template (a filled-in {SecretValue} breaks the Body's
// digest) and its Timestamp expires.
import { dateTime, t } from "./i18n.js";

// preview wires the panel of one form; options: lang().
export function preview($, options) {
  let last = null; // the buildEnvelope result on show

  // note says what a signed preview is good for: {text, noCopy}.
  function note(lang, result) {
    if (!result.explanation) return { text: "", noCopy: false };
    const m = /<wsu:Expires>([^<]+)<\/wsu:Expires>/.exec(result.xml);
    const d = m ? new Date(m[1]) : null;
    const expires = d && !isNaN(d.getTime())
      ? t(lang, "preview.expiresAt", { time: dateTime(lang, d, { timeStyle: "medium" }) })
      : t(lang, "preview.expiresLater");
    const at = result.xml.search(/<([A-Za-z0-9_.-]+:)?Body[\s>]/);
    const body = at < 0 ? result.xml : result.xml.slice(at);
    if (result.masked && body.includes("{SecretValue}")) {
      return { noCopy: true, text: t(lang, "preview.signedNoTemplate", { placeholder: "{SecretValue}", expires }) };
    }
    return { noCopy: false, text: t(lang, "preview.signed", { expires }) };
  }

  function draw() {
    if (!last) return;
    const lang = options.lang();
    const result = last;
    const lines = [result.url ? "POST " + result.url : t(lang, "preview.noUrl")];
    for (const h of result.headers) lines.push(h.name + ": " + h.value);
    $("preview-request").textContent = lines.join("\n");
    $("preview-xml").textContent = result.xml;
    $("preview-curl").textContent = result.curl || t(lang, "preview.noCurl");
    const n = note(lang, result);
    $("preview-note").textContent = n.text;
    $("preview-note").hidden = !n.text;
    $("copy-curl").disabled = !result.curl || n.noCopy;
    $("preview-panel").hidden = false;
  }

  async function copy() {
    if (!last || !last.curl) return;
    const lang = options.lang();
    try {
      await navigator.clipboard.writeText(last.curl);
      $("copy-state").textContent = t(lang, "preview.copied");
    } catch (_) {
      const sel = getSelection();
      const range = document.createRange();
      range.selectNodeContents($("preview-curl"));
      sel.removeAllRanges();
      sel.addRange(range);
      $("copy-state").textContent = t(lang, "preview.copyFailed");
    }
  }
  $("copy-curl").addEventListener("click", copy);

  return {
    show(result) {
      last = result;
      $("copy-state").textContent = "";
      draw();
    },
    hide() {
      $("preview-panel").hidden = true;
      last = null;
    },
    shown: () => last !== null,
    redraw: draw,
  };
}
