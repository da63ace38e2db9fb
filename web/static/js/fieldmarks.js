// fieldmarks.js: validation problems marked on the form's own inputs: each
// input with a problem gets aria-invalid and a message below it (linked by
// aria-describedby), worded from the catalogue, and the focus moves to the
// first; the marks are worded again when the language changes.
import { describe, el, undescribe } from "./dom.js";
import { problemText } from "./messages.js";

// fieldMarks wires the marks of one form: field(name) → its input, lang()
// → the language.
export function fieldMarks(form, field, lang) {
  let problems = []; // the problems marked

  function clear() {
    problems = [];
    for (const p of form.querySelectorAll(".field-error")) p.remove();
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      undescribe(input, (id) => id.endsWith("-error"));
    }
  }

  // draw puts the messages in place and returns the first marked input.
  function draw() {
    for (const p of form.querySelectorAll(".field-error")) p.remove();
    let first = null;
    for (const pr of problems) {
      const input = field(pr.field);
      if (!input || !input.closest) continue;
      const id = input.id + "-error";
      const m = el("p", problemText(lang(), pr) + ".", "field-error");
      m.id = id;
      (input.closest(".field") || input.parentNode).append(m);
      input.setAttribute("aria-invalid", "true");
      describe(input, id);
      if (!first) first = input;
    }
    return first;
  }

  return {
    clear,
    // mark marks each input with a problem and moves focus to the first.
    mark(list) {
      clear();
      problems = list.slice();
      const first = draw();
      if (first) first.focus();
    },
    redraw() { draw(); },
  };
}
