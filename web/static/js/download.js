// download.js: hand the administrator a file made in the page (a template,
// a report), as a download: a Blob URL on a link, revoked once used. The
// text is socred's own (CSV with formula-like cells already neutralised by
// the module), never a secret.

// offer makes link download text as name (text/csv, UTF-8).
export function offer(link, name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  link.href = url;
  link.download = name;
  // Revoke once the browser has started the download.
  link.addEventListener("click", () => setTimeout(() => URL.revokeObjectURL(url), 60_000), { once: true });
}

// stamp is a file-name-safe local date and time: 2026-12-01-1430.
export function stamp(d) {
  const p = (n) => String(n).padStart(2, "0");
  return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "-" + p(d.getHours()) + p(d.getMinutes());
}
