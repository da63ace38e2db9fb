// dialog.js: the form's one confirmation dialog (#confirm-remove). ask
// shows it with focus on Cancel and resolves with whether OK was chosen;
// focus goes back to the element that opened it.

// ask({title, text, ok, danger}) → Promise<boolean>.
export function ask($, { title, text, ok: okLabel, opener }) {
  const dialog = $("confirm-remove");
  $("confirm-h").textContent = title;
  $("confirm-text").textContent = text;
  const ok = $("confirm-ok");
  const cancel = $("confirm-cancel");
  ok.textContent = okLabel;
  return new Promise((resolve) => {
    const done = (confirmed) => {
      ok.removeEventListener("click", onOk);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
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
