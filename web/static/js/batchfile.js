// batchfile.js: the Batch section's file (js/batch.js wires it): Check
// reads the chosen file into the batch module (socred.batch.open; the
// page's copy of its bytes is zeroed at once; CSV dates are read in the
// page's language with the browser's region), says what was read (rows,
// delimiter and encoding, or the worksheet; the columns it ignores) and
// every problem, and plans it when it is clean, or when the administrator
// chose to go on with the valid rows.
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { batchLocale, fileInfo, problemLine, zoneText } from "./batchwords.js";

// batchFile wires the file part; ctx is the section's shared state
// (js/batch.js).
export function batchFile(ctx) {
  const { $, b, lang, msg } = ctx;

  // zoneLine says how dates without a zone are read: in this computer's.
  function zoneLine() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    const sample = new Date(new Date().getFullYear(), 0, 31, 8, 0);
    b("zone").textContent = zoneText(lang(), zone, sample);
  }

  function info() {
    b("file-info").textContent = fileInfo(lang(), ctx.session && ctx.session.opened, ctx.fileName);
  }

  async function check() {
    msg.clear();
    const file = ctx.fileInput.files && ctx.fileInput.files[0];
    if (!file) return msg.fail({ kind: "batch", code: "no-file" });
    ctx.closeSession();
    ctx.fileName = file.name;
    if (!ctx.loaded) await ctx.load();
    const bytes = new Uint8Array(await file.arrayBuffer());
    let opened;
    try {
      opened = await socred.batch.open(bytes, { locale: batchLocale(lang()) });
    } finally {
      bytes.fill(0); // the module has its copy; this one held the secrets too
    }
    ctx.session = { id: opened.id || null, opened, plan: null };
    info();
    drawProblems();
    if (!opened.id || opened.rows === 0) return ctx.setState("idle");
    if (opened.invalid > 0 && !$("batch-skip-invalid").checked) return ctx.setState("checked");
    await ctx.plan();
  }

  function drawProblems() {
    const o = ctx.session && ctx.session.opened;
    const box = b("skip-invalid-box");
    if (!o || !o.problemCount) {
      box.hidden = true;
      return;
    }
    const list = (l) => {
      const ul = el("ul", undefined, "problems");
      for (const p of o.problems) ul.append(el("li", problemLine(l, p)));
      return ul;
    };
    const shown = o.problems.length;
    msg.fail({ kind: "batch", code: o.id ? "invalid" : "unreadable", count: o.invalid || o.problemCount, list,
      more: (l) => (o.problemCount > shown ? t(l, "batch.moreProblems", { count: o.problemCount - shown }) : "") });
    box.hidden = !(o.valid > 0 && o.invalid > 0);
    skipLabel();
  }

  // skipLabel words "go on with the valid rows" for the file on show.
  function skipLabel() {
    const o = ctx.session && ctx.session.opened;
    if (o) $("batch-skip-invalid-label").textContent = t(lang(), "batch.skipInvalid", { count: o.valid, invalid: o.invalid });
  }

  return { check, info, zoneLine, drawProblems, skipLabel };
}
