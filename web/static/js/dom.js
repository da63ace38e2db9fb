// dom.js: the few DOM helpers every part of the form uses. Text is always
// set with textContent: whatever a server sends is shown as text.

// el makes an element with text (textContent) and a class.
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// describe adds id to an input's aria-describedby; undescribe removes the
// ids that keep returns false for.
export function describe(input, id) {
  const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
  input.setAttribute("aria-describedby", ids.concat(id).join(" "));
}
export function undescribe(input, drop) {
  const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && !drop(x));
  if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
  else input.removeAttribute("aria-describedby");
}

// whenSeen calls fn once, when one of elements comes into the viewport
// (never for a hidden one); at once without IntersectionObserver.
export function whenSeen(elements, fn) {
  if (typeof IntersectionObserver !== "function") return void fn();
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    fn();
  });
  for (const e of elements) if (e) seen.observe(e);
}

// breakable returns text as one <span> whose long tokens (host names,
// e-mail addresses) may break after a dot or an @ (a <wbr> there), and
// nowhere else; a piece of more than 30 characters without one (a
// generated key) may break anywhere (.token-long), as it must to fit.
// Words between spaces never break (app.css: overflow-wrap: break-word,
// hyphens: none).
export function breakable(text) {
  const span = document.createElement("span");
  const s = String(text == null ? "" : text);
  for (const piece of s.split(/(?<=[.@])(?=[^\s.@])/)) {
    if (span.childNodes.length) span.append(document.createElement("wbr"));
    if (piece.length > 30 && !/\s/.test(piece)) span.append(el("span", piece, "token-long"));
    else span.append(piece);
  }
  return span;
}

// cell is a table cell (td) holding text as breakable does.
export function cell(text, cls) {
  const td = el("td", undefined, cls);
  td.append(breakable(text));
  return td;
}
