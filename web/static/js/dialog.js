// dialog.js: the form's one confirmation dialog (#confirm-remove). ask
// shows it with focus on Cancel and resolves with whether OK was chosen;
// focus goes back to the element that opened it. Its words are functions
// of the language: redraw words an open dialog again when it changes.

const open = new WeakMap(); // dialog → () => void, words it in the form's language

// ask($, {title, text, ok, opener, lang}) → Promise<boolean>. title, text
// and ok are strings, or functions of the language (lang() gives it).
export function ask($, { title, text, ok: okLabel, opener, lang }) {
  const dialog = $("confirm-remove");
  const ok = $("confirm-ok");
  const cancel = $("confirm-cancel");
  const say = (v) => (typeof v === "function" ? v(lang ? lang() : "en") : v);
  const words = () => {
    $("confirm-h").textContent = say(title);
    $("confirm-text").textContent = say(text);
    ok.textContent = say(okLabel);
  };
  words();
  open.set(dialog, words);
  return new Promise((resolve) => {
    const done = (confirmed) => {
      ok.removeEventListener("click", onOk);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
      open.delete(dialog);
      dialog.close();
      if (opener && opener.isConnected) opener.focus();
      resolve(confirmed);
    };
    const onOk = () => done(true);
    const onCancel = (e) => { if (e) e.preventDefault(); done(false); };
    ok.addEventListener("click", onOk);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
    cancel.focus();
  });
}

// redraw words the open dialog of the form ($) again, if one is open.
export function redraw($) {
  const dialog = $("confirm-remove");
  const words = dialog && open.get(dialog);
  if (words) words();
}
