// expiry.js: where a stored credential stands, at a glance: Inactive,
// Expired (how long ago), Expires in N days (within the warning window),
// Not valid until (a date), or Active. A pure function of the record and
// the time, shared by the records table and the audit view.

const day = 864e5;

// DefaultWarningDays is the window of "Expires in N days" unless the
// element's expiry-warning-days attribute says otherwise.
export const DefaultWarningDays = 30;

// status returns {code, days, date} for a record ({isActive, validFrom,
// validTo}, ISO dates) at now, warning within days: code is "inactive",
// "expired" (days: since how many whole days, date: when), "expiring" (days:
// in how many, date), "future" (date: valid from) or "active". rank orders
// them for sorting, most urgent first.
export function status(record, now, days) {
  const warn = typeof days === "number" && days >= 0 ? days : DefaultWarningDays;
  const from = Date.parse(record.validFrom || "");
  const to = Date.parse(record.validTo || "");
  const t = now instanceof Date ? now.getTime() : Number(now);
  if (!record.isActive) return { code: "inactive", rank: 3 };
  if (!isNaN(to) && to <= t) return { code: "expired", days: Math.floor((t - to) / day), date: new Date(to), rank: 0 };
  if (!isNaN(from) && from > t) return { code: "future", date: new Date(from), rank: 2 };
  if (!isNaN(to) && to - t <= warn * day) return { code: "expiring", days: Math.ceil((to - t) / day), date: new Date(to), rank: 1 };
  return { code: "active", rank: 4 };
}
