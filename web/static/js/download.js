// download.js: hand the administrator a file made in the page (a template,
// a report), as a download: a Blob URL on a link, revoked once used. The
// text is socred's own (CSV with formula-like cells already neutralised by
// the module), never a secret.

// offer makes link download data (text, or an .xlsx's bytes) as name, of
// type (text/csv, UTF-8, unless given). Each click
// uses a fresh Blob URL and the one before is revoked a minute later, so
// the link works as often as it is clicked; offering again (a new report)
// replaces the text and revokes the unused URL at once.
const offered = new WeakMap(); // link → {blob, url}

export function offer(link, name, data, type = "text/csv;charset=utf-8") {
  let o = offered.get(link);
  if (!o) {
    o = {};
    offered.set(link, o);
    link.addEventListener("click", () => {
      const used = o.url;
      o.url = URL.createObjectURL(o.blob); // read by the click's default action
      link.href = o.url;
      setTimeout(() => URL.revokeObjectURL(used), 60_000);
    });
  }
  if (o.url) URL.revokeObjectURL(o.url);
  o.blob = new Blob([data], { type });
  o.url = URL.createObjectURL(o.blob);
  link.href = o.url;
  link.download = name;
}

// stamp is a file-name-safe local date and time: 2026-12-01-1430.
export function stamp(d) {
  const p = (n) => String(n).padStart(2, "0");
  return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "-" + p(d.getHours()) + p(d.getMinutes());
}
