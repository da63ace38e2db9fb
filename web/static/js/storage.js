// storage.js: what the standalone page remembers between visits, never a
// secret: the Endpoint and the last Type, in localStorage, and only when
// the form was mounted with options.remember. Storage that is off or full
// is no error: nothing is remembered.

// remembered are the keys.
export const remembered = { endpoint: "socred.endpoint", type: "socred.type" };

// memory returns recall(key) and remember(key, value); both do nothing
// unless on.
export function memory(on) {
  return {
    recall(key) {
      if (!on) return "";
      try { return localStorage.getItem(key) || ""; } catch (_) { return ""; }
    },
    remember(key, value) {
      if (!on) return;
      try { localStorage.setItem(key, value); } catch (_) { /* storage may be off */ }
    },
  };
}
