// messages.js words what happened, in the form's language: a success line in
// #status (role=status), a failure in #alert (role=alert) with its title,
// the reason and the details of its kind, and each validation problem in
// the words of the catalogue, naming fields by their labels. Texts a server
// sent (an ExceptionInfo, a fault reason) are shown as the server sent them,
// inside socred's own framing, always as text.
import { el } from "./dom.js";
import { message, t } from "./i18n.js";

// fieldLabel is a field's label in lang ("ValidTo" → "Valid to").
export function fieldLabel(lang, name) {
  return message(lang, "field." + name) !== undefined ? t(lang, "field." + name) : name;
}

// problemText words one validation problem ({field, code, params, reason}).
export function problemText(lang, p) {
  const params = Object.assign({}, p.params || {});
  params.field = fieldLabel(lang, p.field);
  if (params.other) params.other = fieldLabel(lang, params.other);
  if (p.code && message(lang, "problem." + p.code) !== undefined) return t(lang, "problem." + p.code, params);
  return params.field + " " + (p.reason || "");
}

// errorText is the main sentence of an error result: socred's own words for
// its kind and code, the server's own text for an exception or a fault.
// startReason words why a module could not start (socred.js gives its
// Error a code: csp, no-wasm, no-wasm-exec, http, no-api, other), keeping
// the browser's own text in brackets.
export function startReason(lang, err) {
  const code = err && err.code;
  const detail = err && err.detail ? " (" + err.detail + ")" : "";
  return code ? t(lang, "start." + code, { status: err.status || "", file: err.file || "" }) + detail : String((err && err.message) || err);
}

export function errorText(lang, e) {
  switch (e.kind) {
    case "validation":
      return (e.fields || []).map((p) => problemText(lang, p)).join("; ");
    case "exception":
      if (e.code === "duplicate-key") {
        // The server's own words (a database error) stay below socred's.
        return t(lang, "error.duplicate-key", { type: e.type || "", publicValue: e.publicValue || "" }) + " (" + (e.message || "") + ")";
      }
      return e.code ? t(lang, "error." + e.code) : e.message || "";
    case "fault":
      return e.message || t(lang, "error.faultNoText", { code: e.code || "" });
    case "http":
      if (e.code) {
        return t(lang, "error." + e.code, { status: e.status || 0, max: e.maxMiB || 4, detail: e.detail || "" });
      }
      return e.message || "";
    case "timeout":
      return t(lang, "error.timeout", { origin: e.origin || "", seconds: Math.round((e.timeoutMs || 0) / 1000) });
    case "network":
      if (e.origin) return t(lang, "error.network", { origin: e.origin, cause: e.cause || "" });
      return t(lang, "error.internal", { message: e.message || "" });
    case "batch":
      return t(lang, "batchError." + e.code, { count: e.count || 0, reason: e.reason || "", message: e.message || "" });
    case "cancelled":
      return t(lang, "batchError.cancelled");
    case "proxy":
      return t(lang, message(lang, "proxy." + e.code) !== undefined ? "proxy." + e.code : "proxy.unreachable", { target: e.target || "" });
    case "redirect":
      if (e.proxy) return e.location ? t(lang, "error.proxyRedirect", { location: e.location }) : t(lang, "error.proxyRedirectBlind");
      return t(lang, "error.redirect", { origin: e.origin || "" });
    case "cors":
      return t(lang, "error.cors", { origin: e.origin || "", page: e.pageOrigin || "" });
    default:
      if (e.code && message(lang, "error." + e.code) !== undefined) return t(lang, "error." + e.code, { who: e.who || "", message: e.message || "" });
      return e.message || "";
  }
}

// failBatch shows in msg (a messages box) why a batch or audit request
// failed: problems with the Ticket or the site URL say the connection is
// needed first; anything else is shown as it is.
export function failBatch(msg, lang, e) {
  if (e && e.kind === "validation" && (e.fields || []).some((f) => f.field === "Ticket" || f.field === "Endpoint")) {
    return msg.fail({ kind: "batch", code: "needs-connection", reason: (l) => errorText(l, e) });
  }
  msg.fail(e || { kind: "" });
}

// worded returns error with its function-valued parts (message, reason,
// more, list, who) called with lang: what socred words itself is kept as
// a function of the language, never as the text of the one it was shown in.
export function worded(error, lang) {
  const out = Object.assign({}, error);
  for (const k of ["message", "reason", "more", "list", "who"]) if (typeof out[k] === "function") out[k] = out[k](lang);
  return out;
}

// messages returns a pair of boxes of one form (by default #status and
// #alert; ids.status may be null for an alert-only box), re-wordable when
// the language changes: each show remembers what it showed.
export function messages($, lang, ids) {
  let last = null; // () => void, redraws the last message
  const status = ids && "status" in ids ? (ids.status ? $(ids.status) : null) : $("status");
  const alert = $((ids && ids.alert) || "alert");

  function clear() {
    if (status) {
      status.replaceChildren();
      status.className = "result";
    }
    alert.replaceChildren();
    alert.className = "result" + (ids && ids.className ? " " + ids.className : "");
    delete alert.dataset.kind;
    last = null;
  }

  // ok shows a success: key and params of the catalogue, and the lines
  // more() returns (worded again when the language changes).
  function ok(key, params, more) {
    const draw = () => {
      clear();
      status.append(el("p", t(lang(), key, params)));
      for (const line of more ? more() : []) status.append(el("p", line));
      status.className = "result result-ok";
      last = draw;
    };
    draw();
  }

  // fail shows an error result's error. Its message, reason, more and
  // list may be functions of the language (worded again when it changes).
  function fail(failure) {
    const draw = () => {
      clear();
      const l = lang();
      const error = worded(failure, l);
      alert.className = "result result-error" + (ids && ids.className ? " " + ids.className : "");
      alert.dataset.kind = error.kind || "";
      const title = error.kind === "validation" && error.hiddenProblems && !(error.fields || []).length ? error.hiddenProblems + "Title"
        : message(l, "error.title." + error.kind) !== undefined ? "error.title." + error.kind : "error.title.other";
      alert.append(el("p", t(l, title), "result-title"));
      if (error.kind === "validation") {
        if (error.hiddenProblems) alert.append(el("p", t(l, error.hiddenProblems)));
        const ul = el("ul");
        for (const p of error.fields || []) ul.append(el("li", problemText(l, p)));
        if (ul.children.length) alert.append(ul);
      } else {
        alert.append(el("p", errorText(l, error)));
      }
      if (error.kind === "network" && error.advice) advise(l, error.advice);
      if (error.list) alert.append(error.list);
      if (error.more) alert.append(el("p", error.more, "detail"));
      if (error.kind === "exception" && error.chain && error.chain.length > 1) {
        const ol = el("ol", undefined, "chain");
        for (const c of error.chain.slice(1)) ol.append(el("li", c));
        alert.append(el("p", t(l, "error.causedBy"), "detail-label"), ol);
      }
      const details = [];
      if (error.kind === "fault" && error.code) details.push(t(l, "error.code", { code: error.code }));
      if (error.status) details.push(t(l, "error.status", { status: String(error.status) }));
      if (details.length) alert.append(el("p", details.join(" · "), "detail"));
      if (error.excerpt) alert.append(el("pre", error.excerpt, "code excerpt"));
      last = draw;
    };
    draw();
  }

  // advise lists a network failure's likely causes (js/network.js) and how
  // to tell them apart, with a link that opens the site URL in a new tab.
  function advise(l, advice) {
    alert.append(el("p", t(l, "net.likely"), "detail-label"));
    const ol = el("ol", undefined, "causes");
    for (const c of advice.causes) ol.append(el("li", t(l, c, advice.params)));
    alert.append(ol);
    const p = el("p", t(l, advice.check, advice.params) + " ");
    if (/^https?:\/\//i.test(advice.site)) {
      const a = el("a", t(l, "net.openTab"));
      a.href = advice.site;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      p.append(a);
    }
    alert.append(p);
  }

  return {
    clear,
    ok,
    fail,
    // redraw words the message on show again (the language changed).
    redraw() { if (last) last(); },
  };
}
