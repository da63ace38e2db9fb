// app.js drives socred's form: socredForm.mount(root, options) wires one
// copy of form.html's markup (in a Document or a ShadowRoot) to the socred
// API (socred.js loads it): it reads the inputs into socred's request
// objects, calls the API and shows the results. Each mount keeps its own
// state, so several forms (several <socred-credentials> elements) work on
// one page side by side. Every text that comes from a server is rendered
// with textContent, never as HTML. Nothing secret is stored, logged or put
// in an event: only Endpoint and the last Type are remembered, in
// localStorage, and only when options.remember is set (the standalone page).
//
// Extension: socredForm.use(plugin) registers plugin(ctx) to run at each
// later mount, ctx = {root, $, field, form}; it may return
// {request(req, operation)} (sync or async) to amend every request before it
// is sent (operation: "save", "list", "remove", "login", "preview"), and
// {result(result, operation)} to see each result (sign.js shows a preview's
// explanation).
"use strict";
(function () {
  const plugins = [];
  const pluginNames = new Set();

  // mount wires the form in root. options (all optional):
  //   endpoint: string, or async function returning the starting site URL
  //   remember: boolean, remember Endpoint and Type in localStorage
  //   emit(name, detail): called with "ready", "saved", "removed", "failed";
  //     detail never holds a secret
  //   ready: a Promise standing for socred.ready (defaults to it)
  // It returns a controller: {setTicket(ticket), prefill(fields),
  // setSections(names), setSOAPVersion(v)}.
  function mount(root, options) {
    const opts = options || {};
    const $ = (id) => root.getElementById(id);
    const form = $("form");
    const field = (name) => form.elements.namedItem(name);
    const buttons = ["save", "list", "preview", "login"].map($);
    const emit = (name, detail) => { if (opts.emit) opts.emit(name, detail); };
    const extensions = plugins.map((p) => p({ root, $, field, form }) || {});
    let soapVersion = "";

    const remembered = { endpoint: "socred.endpoint", type: "socred.type" };

    // ---- settings ---------------------------------------------------------

    async function configuredEndpoint() {
      try {
        return typeof opts.endpoint === "function" ? (await opts.endpoint()) || "" : opts.endpoint || "";
      } catch (_) {
        return "";
      }
    }

    function recall(key) {
      if (!opts.remember) return "";
      try { return localStorage.getItem(key) || ""; } catch (_) { return ""; }
    }
    function remember(key, value) {
      if (!opts.remember) return;
      try { localStorage.setItem(key, value); } catch (_) { /* storage may be off */ }
    }

    // ---- dates ------------------------------------------------------------

    const pad = (n) => String(n).padStart(2, "0");
    function toLocalInput(d) {
      return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
        "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
    }
    // fromLocalInput reads a datetime-local value as the administrator's local time.
    function fromLocalInput(v) {
      if (!v) return null;
      const d = new Date(v);
      return isNaN(d.getTime()) ? null : d;
    }
    function utcText(d) {
      return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
        " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + " UTC";
    }
    function showUTC(name) {
      const d = fromLocalInput(field(name).value);
      $(name + "-utc").textContent = d ? "Sent as " + utcText(d) : "";
    }
    function localText(iso) {
      if (!iso) return "";
      const d = new Date(iso);
      if (isNaN(d.getTime())) return iso;
      return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    }

    // ---- requests ---------------------------------------------------------

    function connection() {
      return Object.assign({
        endpoint: field("Endpoint").value.trim(),
        applicationToken: field("ApplicationToken").value,
        ticket: field("Ticket").value.trim(),
      }, soapVersion ? { soapVersion } : {});
    }
    function isoOf(name) {
      const d = fromLocalInput(field(name).value);
      return d ? d.toISOString() : "";
    }
    function saveRequest() {
      return Object.assign(connection(), {
        associateId: field("AssociateId").value.trim(),
        type: field("Type").value.trim(),
        credentials: {
          validFrom: isoOf("ValidFrom"),
          validTo: isoOf("ValidTo"),
          comment: field("Comment").value,
          secretValue: field("SecretValue").value,
          publicValue: field("PublicValue").value,
          isActive: field("IsActive").checked,
        },
      });
    }

    // ---- messages ---------------------------------------------------------

    const titles = {
      validation: "Check the highlighted fields",
      exception: "NetServer refused the request",
      fault: "NetServer reported a SOAP fault",
      http: "Unexpected answer from the server",
      network: "Could not reach the server",
      cors: "The browser blocked the call (CORS)",
      timeout: "The server did not answer in time",
    };

    function clearResult() {
      $("status").replaceChildren();
      $("alert").replaceChildren();
      $("status").className = "result";
      $("alert").className = "result";
    }
    function showStatus(text) {
      clearResult();
      const p = document.createElement("p");
      p.textContent = text;
      $("status").append(p);
      $("status").className = "result result-ok";
    }
    function el(tag, text, cls) {
      const e = document.createElement(tag);
      if (text !== undefined) e.textContent = text;
      if (cls) e.className = cls;
      return e;
    }
    function showError(error) {
      clearResult();
      const box = $("alert");
      box.className = "result result-error";
      box.dataset.kind = error.kind || "";
      box.append(el("p", titles[error.kind] || "Something went wrong", "result-title"));
      if (error.kind !== "validation") box.append(el("p", error.message || ""));
      if (error.kind === "validation" && error.fields) {
        const ul = el("ul");
        for (const f of error.fields) ul.append(el("li", labelOf(f.field) + " " + f.reason));
        box.append(ul);
      }
      if (error.kind === "exception" && error.chain && error.chain.length > 1) {
        const ol = el("ol", undefined, "chain");
        for (const c of error.chain.slice(1)) ol.append(el("li", c));
        box.append(el("p", "Caused by:", "detail-label"), ol);
      }
      const details = [];
      if (error.code) details.push("Code: " + error.code);
      if (error.status) details.push("HTTP status: " + error.status);
      if (details.length) box.append(el("p", details.join(" · "), "detail"));
      if (error.excerpt) box.append(el("pre", error.excerpt, "code excerpt"));
    }
    function showFailure(result) {
      const error = result.error || { kind: "network", message: String(result) };
      if (error.kind === "validation") markFields(error.fields || []);
      showError(error);
    }
    function showCrash(err) {
      const message = "socred failed unexpectedly: " + ((err && err.message) || err);
      showError({ kind: "", message });
      failed("", { kind: "crash", message });
    }

    // ---- events -------------------------------------------------------------

    // scrub removes the values of the secret inputs from a text that is about
    // to leave the form in an event (a server may echo what it was sent),
    // then shortens it: cut first, a secret across the cut would keep its
    // start.
    function scrub(text) {
      let out = String(text || "");
      for (const name of ["Ticket", "ApplicationToken", "Password", "SecretValue"]) {
        const v = field(name) && field(name).value;
        if (v && v.length >= 3) out = out.split(v).join("[hidden]");
      }
      return out.slice(0, 500);
    }
    // failed emits "failed" with what went wrong, never with what was sent.
    function failed(operation, error) {
      const e = error || {};
      const first = e.kind === "validation" && e.fields && e.fields[0] ? e.fields[0].field : "";
      emit("failed", { operation, kind: String(e.kind || ""), message: scrub(e.message), field: String(first || "") });
    }

    // call runs one socred operation after the plugins amended the request.
    const methods = { save: "save", list: "list", remove: "remove", login: "login", preview: "buildEnvelope" };
    async function call(operation, req) {
      for (const x of extensions) if (typeof x.request === "function") await x.request(req, operation);
      const result = await socred[methods[operation]](req);
      if (!result.ok) failed(operation, result.error);
      for (const x of extensions) if (typeof x.result === "function") x.result(result, operation);
      return result;
    }

    // ---- inline validation --------------------------------------------------

    function labelOf(name) {
      const input = field(name);
      const label = input && input.id && root.querySelector('label[for="' + input.id + '"]');
      if (!label) return name;
      const copy = label.cloneNode(true);
      copy.querySelectorAll(".optional").forEach((n) => n.remove());
      return copy.textContent.trim();
    }
    function clearFields() {
      for (const p of form.querySelectorAll(".field-error")) p.remove();
      for (const input of form.querySelectorAll("[aria-invalid]")) {
        input.removeAttribute("aria-invalid");
        const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && !id.endsWith("-error"));
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
        else input.removeAttribute("aria-describedby");
      }
    }
    // markFields marks each input with a problem and moves focus to the first.
    function markFields(problems) {
      clearFields();
      let first = null;
      for (const pr of problems) {
        const input = field(pr.field);
        if (!input || !input.closest) continue;
        const id = input.id + "-error";
        const msg = el("p", labelOf(pr.field) + " " + pr.reason + ".", "field-error");
        msg.id = id;
        (input.closest(".field") || input.parentNode).append(msg);
        input.setAttribute("aria-invalid", "true");
        const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        input.setAttribute("aria-describedby", ids.concat(id).join(" "));
        if (!first) first = input;
      }
      if (first) first.focus();
    }

    // ---- calls --------------------------------------------------------------

    // One call at a time: while one runs, every button that starts one is
    // disabled, the table's Remove buttons too (renderRecords draws them
    // disabled while busy); idle resolves when it ends.
    let busy = false;
    let idle = Promise.resolve();
    const rowButtons = () => Array.from($("records-table").tBodies[0].querySelectorAll("button"));
    async function run(button, fn) {
      if (busy) return;
      busy = true;
      let release;
      idle = new Promise((resolve) => (release = resolve));
      form.setAttribute("aria-busy", "true");
      buttons.concat(rowButtons()).forEach((b) => (b.disabled = true));
      button.classList.add("is-busy");
      try {
        await fn();
      } catch (err) {
        showCrash(err);
      } finally {
        busy = false;
        form.removeAttribute("aria-busy");
        buttons.concat(rowButtons()).forEach((b) => (b.disabled = false));
        button.classList.remove("is-busy");
        release();
      }
    }

    async function save() {
      clearFields();
      const req = saveRequest();
      // Save is an upsert: with an empty SecretValue it replaces a stored
      // secret with nothing. When the table shows that record with a secret,
      // say so and ask first.
      const stored = req.credentials.secretValue === "" && listed &&
        listed.associateId === req.associateId && listed.type === req.type &&
        listedRecords.find((r) => (r.publicValue || "") === req.credentials.publicValue && r.secretValue);
      if (stored) {
        const yes = await ask("Replace the stored secret?",
          "This replaces the stored secret of the " + req.type + " credential \u201c" + (req.credentials.publicValue || "(empty public value)") +
          "\u201d of associate " + req.associateId + " with an empty one, because Secret value is empty.",
          "Save with an empty secret", $("save"));
        if (!yes) {
          field("SecretValue").focus();
          return;
        }
      }
      const result = await call("save", req);
      if (!result.ok) return showFailure(result);
      remember(remembered.endpoint, req.endpoint);
      remember(remembered.type, req.type);
      showStatus("Saved the " + req.type + " credential for associate " + req.associateId + ".");
      emit("saved", { associateId: req.associateId, type: req.type, publicValue: req.credentials.publicValue });
      if (!$("records").hidden) await list(true);
    }

    let listed = null; // {associateId, type} of the table on show
    let listedRecords = []; // its records
    async function list(quiet) {
      if (!quiet) clearFields();
      const req = Object.assign(connection(), {
        associateId: field("AssociateId").value.trim(),
        type: field("Type").value.trim(),
      });
      const result = await call("list", req);
      if (!result.ok) {
        // The table on show may be another associate's, or out of date:
        // never leave it looking like the answer to this Load.
        $("records").hidden = true;
        listed = null;
        listedRecords = [];
        return showFailure(result);
      }
      remember(remembered.endpoint, req.endpoint);
      remember(remembered.type, req.type);
      listed = { associateId: req.associateId, type: req.type };
      listedRecords = result.credentials || [];
      renderRecords(listedRecords);
      if (!quiet) {
        const n = (result.credentials || []).length;
        showStatus("Loaded " + n + " " + req.type + " credential" + (n === 1 ? "" : "s") + " of associate " + req.associateId + ".");
      }
    }

    function renderRecords(records) {
      const tbody = $("records-table").tBodies[0];
      tbody.replaceChildren();
      $("records").hidden = false;
      $("records-caption").textContent = records.length
        ? records.length + " " + listed.type + " credential" + (records.length === 1 ? "" : "s") + " of associate " + listed.associateId + "."
        : "No " + listed.type + " credentials stored for associate " + listed.associateId + ".";
      $("records-table").hidden = records.length === 0;
      const heads = $("records-table").tHead.rows[0].cells;
      for (const r of records) {
        const tr = document.createElement("tr");
        const cells = [
          el("td", r.publicValue || "(empty)", r.publicValue ? "cell-long" : "cell-long muted"),
          el("td", r.comment || "", "cell-long"),
          el("td", localText(r.validFrom)),
          el("td", localText(r.validTo)),
          el("td", r.isActive ? "Yes" : "No", "cell-nowrap"),
          el("td", r.secretValue ? "Set" : "Not set", "cell-nowrap"),
        ];
        // data-label names each cell when a narrow container stacks the
        // table into cards (app.css); the header row stays for screen readers.
        cells.forEach((c, i) => c.setAttribute("data-label", heads[i].textContent));
        tr.append(...cells);
        const td = el("td", undefined, "cell-actions");
        const b = el("button", "Remove", "btn btn-small btn-danger-quiet");
        b.type = "button";
        b.disabled = busy;
        b.setAttribute("aria-label", "Remove " + listed.type + " credential " + (r.publicValue || "(empty public value)"));
        const target = { associateId: listed.associateId, type: listed.type, publicValue: r.publicValue || "" };
        b.addEventListener("click", () => confirmRemove(target, b));
        const actions = el("span", undefined, "row-actions");
        actions.append(b);
        td.append(actions);
        tr.append(td);
        tbody.append(tr);
      }
    }

    // ask shows the confirmation dialog (focus on Cancel) and resolves with
    // whether okLabel was chosen; focus goes back to opener.
    function ask(title, text, okLabel, opener) {
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

    async function confirmRemove(target, opener) {
      const yes = await ask("Remove credential?", "Remove the " + target.type + " credential \u201c" +
        (target.publicValue || "(empty public value)") + "\u201d of associate " + target.associateId +
        "? NetServer deletes it; this cannot be undone.", "Remove", opener);
      if (!yes) return;
      const rows = () => Array.from($("records-table").tBodies[0].rows);
      const index = rows().indexOf(opener.closest("tr"));
      while (busy) await idle; // a call that started meanwhile: remove after it, not never
      await run($("list"), () => remove(target));
      // Removed, the table was drawn anew and the opener is gone: go on at
      // the row that took its place, else at the caption (never lose focus
      // to the page's body). A failed removal leaves the opener in place.
      if (opener.isConnected) return opener.focus();
      if ($("records").hidden) return $("list").focus();
      const next = rows()[index] && rows()[index].querySelector("button");
      (next || $("records-caption")).focus();
    }

    async function remove(target) {
      const result = await call("remove", Object.assign(connection(), target));
      if (!result.ok) return showFailure(result);
      emit("removed", { associateId: target.associateId, type: target.type, publicValue: target.publicValue });
      await list(true);
      showStatus("Removed the " + target.type + " credential \u201c" + (target.publicValue || "(empty)") +
        "\u201d of associate " + target.associateId + ".");
    }

    async function login() {
      clearFields();
      const req = {
        endpoint: field("Endpoint").value.trim(),
        applicationToken: field("ApplicationToken").value,
        userName: field("UserName").value.trim(),
        password: field("Password").value,
      };
      const result = await call("login", req);
      if (!result.ok) return showFailure(result);
      field("Ticket").value = result.ticket;
      field("Password").value = "";
      remember(remembered.endpoint, req.endpoint);
      const who = result.fullName || result.userName || req.userName;
      $("signed-in").textContent = "Signed in as " + who + " (associate " + result.associateId + "). The ticket is filled in above.";
      $("signed-in").hidden = false;
      showStatus("Logged in as " + who + ".");
    }

    let lastPreview = null;
    async function preview() {
      clearFields();
      const req = Object.assign(saveRequest(), { operation: "save", maskSecrets: !$("show-secrets").checked });
      const result = await call("preview", req);
      if (!result.ok) {
        $("preview-panel").hidden = true;
        return showFailure(result);
      }
      lastPreview = result;
      const lines = [(result.url ? "POST " + result.url : "POST (set the NetServer site URL to see the address)")];
      for (const h of result.headers) lines.push(h.name + ": " + h.value);
      $("preview-request").textContent = lines.join("\n");
      $("preview-xml").textContent = result.xml;
      $("preview-curl").textContent = result.curl || "(set the NetServer site URL to get a curl command)";
      // A signed envelope is no template: a placeholder filled in the Body
      // breaks its digest, and its Timestamp expires.
      const note = signedNote(result);
      $("preview-note").textContent = note.text;
      $("preview-note").hidden = !note.text;
      $("copy-curl").disabled = !result.curl || note.noCopy;
      $("copy-state").textContent = "";
      $("preview-panel").hidden = false;
      clearResult();
      showStatus(result.masked
        ? "Envelope built; the secrets are shown as placeholders such as {SecretValue}. Nothing was sent."
        : "Envelope built with the real secrets. Nothing was sent.");
    }

    // signedNote says what a signed preview is good for: {text, noCopy}.
    function signedNote(result) {
      if (!result.explanation) return { text: "", noCopy: false };
      const m = /<wsu:Expires>([^<]+)<\/wsu:Expires>/.exec(result.xml);
      const expires = "Its Timestamp expires " + (m ? "at " + new Date(m[1]).toLocaleTimeString() : "after its lifetime") +
        "; after that a gateway refuses it: preview again for a fresh one.";
      const at = result.xml.search(/<([A-Za-z0-9_.-]+:)?Body[\s>]/);
      const body = at < 0 ? result.xml : result.xml.slice(at);
      if (result.masked && body.includes("{SecretValue}")) {
        return {
          noCopy: true,
          text: "This envelope is signed, so it cannot be used as a template: filling in {SecretValue} changes the signed Body " +
            "and breaks the signature. Tick Show secrets for a curl command that works. " + expires,
        };
      }
      return { noCopy: false, text: "This envelope is signed. " + expires };
    }

    async function copyCurl() {
      if (!lastPreview || !lastPreview.curl) return;
      try {
        await navigator.clipboard.writeText(lastPreview.curl);
        $("copy-state").textContent = "Copied.";
      } catch (_) {
        const sel = getSelection();
        const range = document.createRange();
        range.selectNodeContents($("preview-curl"));
        sel.removeAllRanges();
        sel.addRange(range);
        $("copy-state").textContent = "The browser did not allow copying: the command is selected, press Ctrl+C.";
      }
    }

    // ---- wiring -------------------------------------------------------------

    function toggleSecret() {
      const input = field("SecretValue");
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      const b = $("toggle-secret");
      b.textContent = show ? "Hide" : "Show";
      b.setAttribute("aria-pressed", String(show));
    }

    function wire() {
      // Nothing submits the form (Save is type="button"); should anything
      // try, it goes nowhere.
      form.addEventListener("submit", (e) => e.preventDefault());
      $("save").addEventListener("click", () => run($("save"), save));
      $("list").addEventListener("click", () => run($("list"), () => list(false)));
      $("preview").addEventListener("click", () => run($("preview"), preview));
      $("login").addEventListener("click", () => run($("login"), login));
      $("show-secrets").addEventListener("change", () => { if (lastPreview) run($("preview"), preview); });
      $("copy-curl").addEventListener("click", copyCurl);
      $("toggle-secret").addEventListener("click", toggleSecret);
      // A preview describes the form as it was: hide it once the form changes.
      form.addEventListener("input", () => {
        if (!$("preview-panel").hidden) {
          $("preview-panel").hidden = true;
          lastPreview = null;
        }
      });
      for (const name of ["ValidFrom", "ValidTo"]) {
        field(name).addEventListener("input", () => showUTC(name));
        field(name).addEventListener("change", () => showUTC(name));
      }
      // Enter never saves: Save is an upsert that could overwrite a stored
      // record. Enter in the login fields logs in; in Associate ID and Type
      // it loads that associate's credentials (when the table is offered).
      const onEnter = (names, button, fn) => {
        for (const name of names) {
          field(name).addEventListener("keydown", (e) => {
            if (e.key !== "Enter" || e.isComposing) return;
            e.preventDefault();
            if (!busy && !button.disabled && !button.closest(".section-off")) run(button, fn);
          });
        }
      };
      onEnter(["UserName", "Password"], $("login"), login);
      onEnter(["AssociateId", "Type"], $("list"), () => list(false));
    }

    // ---- what an embedder may set ------------------------------------------

    // The fields prefill accepts: camelCase as in the JS API, none secret.
    const prefillable = {
      endpoint: { name: "Endpoint", max: 2048 },
      associateId: { name: "AssociateId", max: 10 },
      type: { name: "Type", max: 100 },
      publicValue: { name: "PublicValue", max: 238 },
      comment: { name: "Comment", max: 255 },
      validFrom: { name: "ValidFrom", date: true },
      validTo: { name: "ValidTo", date: true },
      isActive: { name: "IsActive", bool: true },
      soapVersion: { name: "", max: 3 },
    };
    const controlChars = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

    // prefill checks every field first and applies none unless all are valid;
    // it throws a TypeError that names the offending field.
    function prefill(fields) {
      if (!fields || typeof fields !== "object" || Array.isArray(fields)) throw new TypeError("fields must be an object");
      const apply = [];
      for (const [key, value] of Object.entries(fields)) {
        const spec = Object.prototype.hasOwnProperty.call(prefillable, key) ? prefillable[key] : null;
        if (!spec) throw new TypeError("unknown field " + JSON.stringify(key.slice(0, 40)));
        if (spec.bool) {
          if (typeof value !== "boolean") throw new TypeError(key + " must be a boolean");
        } else if (typeof value !== "string") {
          throw new TypeError(key + " must be a string");
        } else if (spec.date) {
          const d = new Date(value);
          if (value.length > 40 || isNaN(d.getTime())) throw new TypeError(key + " must be an ISO 8601 date");
        } else if (value.length > spec.max || controlChars.test(value)) {
          throw new TypeError(key + " is too long or holds control characters");
        }
        if (key === "associateId" && !/^[0-9]*$/.test(value)) throw new TypeError("associateId must be digits");
        if (key === "soapVersion" && !["", "1.1", "1.2"].includes(value)) throw new TypeError('soapVersion must be "1.1" or "1.2"');
        if (key === "endpoint" && value !== "" && !/^https?:\/\/[^\s]+$/i.test(value)) throw new TypeError("endpoint must be an http(s) URL");
        apply.push([spec, key, value]);
      }
      for (const [spec, key, value] of apply) {
        if (key === "soapVersion") { soapVersion = value; continue; }
        const input = field(spec.name);
        if (spec.bool) input.checked = value;
        else if (spec.date) { input.value = toLocalInput(new Date(value)); showUTC(spec.name); }
        else input.value = value;
      }
    }

    // setTicket fills the Ticket input ("" clears it); the value is never
    // echoed anywhere.
    function setTicket(ticket) {
      if (typeof ticket !== "string" || ticket.length > 4096 || controlChars.test(ticket) || /\s/.test(ticket)) {
        throw new TypeError("ticket must be a string of at most 4096 characters without spaces or control characters");
      }
      field("Ticket").value = ticket;
    }

    // setSections shows the optional parts named (connection, login, records,
    // preview) and hides the others; null or undefined shows them all.
    function setSections(names) {
      const on = names == null ? null : new Set(names);
      for (const part of root.querySelectorAll("[data-section]")) {
        const name = part.dataset.section;
        part.classList.toggle("section-off", name !== "credential" && on !== null && !on.has(name));
      }
    }

    // ---- start --------------------------------------------------------------

    async function init() {
      wire();
      const now = new Date();
      now.setSeconds(0, 0);
      const later = new Date(now);
      later.setFullYear(later.getFullYear() + 1);
      field("ValidFrom").value = toLocalInput(now);
      field("ValidTo").value = toLocalInput(later);
      showUTC("ValidFrom");
      showUTC("ValidTo");
      field("Type").value = recall(remembered.type) || "imap";

      const endpoint = await configuredEndpoint();
      if (!field("Endpoint").value) field("Endpoint").value = endpoint || recall(remembered.endpoint);

      const moduleState = $("module-state");
      try {
        await (opts.ready || socred.ready);
      } catch (err) {
        if (moduleState) {
          moduleState.textContent = "Unavailable";
          moduleState.className = "badge badge-error";
        }
        $("startup-error").textContent = err.message;
        $("startup-error").hidden = false;
        emit("failed", { operation: "start", kind: "startup", message: String(err.message).slice(0, 500), field: "" });
        return;
      }
      if (moduleState) {
        moduleState.textContent = "Ready";
        moduleState.className = "badge badge-ok";
      }
      if ($("version")) $("version").textContent = "socred " + socred.version;
      buttons.forEach((b) => (b.disabled = false));
      document.addEventListener("socred:exit", () => {
        buttons.forEach((b) => (b.disabled = true));
        $("startup-error").textContent = "socred stopped unexpectedly: reload the page.";
        $("startup-error").hidden = false;
      });
      emit("ready", { version: String(socred.version) });
    }

    init();
    return {
      setTicket,
      prefill,
      setSections,
      setSOAPVersion: (v) => prefill({ soapVersion: v }),
    };
  }

  globalThis.socredForm = {
    mount,
    // use registers a plugin; name lets a loader ask has(name) whether it
    // is already there (the element loads sign.js once per document).
    use(plugin, name) {
      if (typeof plugin !== "function") return;
      plugins.push(plugin);
      if (typeof name === "string") pluginNames.add(name);
    },
    has(name) { return pluginNames.has(name); },
  };
})();
