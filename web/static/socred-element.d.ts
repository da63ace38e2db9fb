// socred-element.d.ts: TypeScript types for <socred-credentials> (the
// element that socred-element.js defines) and for window.socred (the
// JavaScript API, docs/api.md). Written by hand; web/ts_test.go compiles a
// sample portal against them with tsc --strict, checks that wrong calls do
// not compile, and holds the event names and members to
// custom-elements.json.
//
// The running code always comes from the socred server (which serves it and
// enforces the origins it allows): import these types only, e.g.
//   import type { SocredCredentialsElement } from "socred-element";

/** "1.1" is NetServer's binding and the default. */
export type SocredSoapVersion = "1.1" | "1.2";

/** Where an element is: also the custom states :state(ready) and :state(failed). */
export type SocredState = "loading" | "ready" | "failed";

/** Non-secret fields of el.prefill() and the iframe's socred:prefill (strings; dates ISO 8601). */
export interface SocredPrefillFields {
  endpoint?: string;
  /** An id or a user name. */
  associateId?: string;
  type?: string;
  publicValue?: string;
  comment?: string;
  validFrom?: string;
  validTo?: string;
  isActive?: boolean;
  soapVersion?: SocredSoapVersion;
  lang?: string;
  /** Space-separated from "connection login records preview sign batch audit". */
  sections?: string;
}

export interface SocredReadyDetail {
  version: string;
}

/** socred-saved and socred-removed: the associate id is a number, as in the API. */
export interface SocredRecordDetail {
  associateId: number;
  type: string;
  publicValue: string;
}

export type SocredFailedOperation = "save" | "list" | "remove" | "login" | "preview" | "start" | "attribute" | "prefill";

export type SocredFailedKind =
  | SocredErrorKind
  | "startup"
  | "attribute"
  | "crash"
  | "refused"
  | "not-signed-in";

export interface SocredFailedDetail {
  operation: SocredFailedOperation;
  kind: SocredFailedKind;
  /** Plain text with secrets scrubbed: render with textContent. */
  message: string;
  /** The first invalid field or attribute, or "". */
  field: string;
}

export interface SocredBatchDetail {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
  notSent: number;
}

/** The element's events: CustomEvents that bubble and are composed. */
export interface SocredCredentialsEventMap {
  "socred-ready": CustomEvent<SocredReadyDetail>;
  "socred-saved": CustomEvent<SocredRecordDetail>;
  "socred-removed": CustomEvent<SocredRecordDetail>;
  "socred-failed": CustomEvent<SocredFailedDetail>;
  "socred-batch": CustomEvent<SocredBatchDetail>;
}

/** <socred-credentials>. */
export interface SocredCredentialsElement extends HTMLElement {
  /** "loading", "ready" or "failed". */
  readonly state: SocredState;
  /** Fill the (possibly hidden) Ticket; "" clears it. Throws a TypeError for a value that cannot be a ticket. */
  setTicket(ticket: string): void;
  /** Set non-secret fields: all are checked before any is applied; a TypeError names the bad one. */
  prefill(fields: SocredPrefillFields): void;

  addEventListener<K extends keyof SocredCredentialsEventMap>(
    type: K, listener: (this: SocredCredentialsElement, ev: SocredCredentialsEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K, listener: (this: SocredCredentialsElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SocredCredentialsEventMap>(
    type: K, listener: (this: SocredCredentialsElement, ev: SocredCredentialsEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K, listener: (this: SocredCredentialsElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

// ---- window.socred (docs/api.md) ----

/** What every request may carry. */
export interface SocredRequestBase {
  applicationToken?: string;
  soapVersion?: SocredSoapVersion;
  /** Milliseconds, default 30000, at most 600000. */
  timeoutMs?: number;
  xsiType?: boolean;
  signature?: SocredSignature;
}

export type SocredSignature = ({ keyId: string } | { key: string | Uint8Array; certificate: string | Uint8Array } | {
  pkcs12: Uint8Array | ArrayBuffer | string;
  password: string;
}) & { lifetimeSeconds?: number; mustUnderstand?: boolean };

/** A whole number 0…2147483647, or a string of digits. */
export type SocredAssociateId = number | string;

/** A credential as sent: dates are Date objects or ISO 8601 strings with a zone. */
export interface SocredCredentialsInput {
  validFrom?: Date | string;
  validTo?: Date | string;
  comment?: string;
  secretValue?: string;
  publicValue?: string;
  isActive?: boolean;
}

/** A stored credential as read: dates as UTC strings. */
export interface SocredCredentialsRecord {
  validFrom: string;
  validTo: string;
  comment: string;
  secretValue: string;
  publicValue: string;
  isActive: boolean;
}

export interface SocredTicketRequest extends SocredRequestBase {
  endpoint: string;
  ticket: string;
}
export interface SocredSaveRequest extends SocredTicketRequest {
  associateId: SocredAssociateId;
  type: string;
  credentials: SocredCredentialsInput;
}
export interface SocredListRequest extends SocredTicketRequest {
  associateId: SocredAssociateId;
  type: string;
}
export interface SocredRemoveRequest extends SocredListRequest {
  /** Which record; defaults to credentials.publicValue. */
  publicValue?: string;
  credentials?: SocredCredentialsInput;
}
export interface SocredLoginRequest extends SocredRequestBase {
  endpoint: string;
  userName: string;
  password: string;
}
/** Exactly one of associateId and userName. */
export type SocredUserRequest = SocredTicketRequest &
  ({ associateId: SocredAssociateId; userName?: undefined } | { userName: string; associateId?: undefined });
export interface SocredBuildEnvelopeRequest extends SocredRequestBase, Partial<Omit<SocredSaveRequest, keyof SocredRequestBase>> {
  operation?: string;
  maskSecrets?: boolean;
  publicValue?: string;
  userName?: string;
  password?: string;
}

export type SocredErrorKind =
  | "validation" | "exception" | "fault" | "http" | "timeout" | "cors" | "network" | "proxy" | "redirect"
  | "batch" | "cancelled";

export interface SocredFieldProblem {
  field: string;
  reason: string;
  message: string;
  code: string;
  params: Record<string, string>;
}
interface SocredErrorOf<K extends SocredErrorKind> {
  kind: K;
  /** Plain text for people: render with textContent. */
  message: string;
}
export interface SocredValidationError extends SocredErrorOf<"validation"> {
  field: string;
  fields: SocredFieldProblem[];
  code?: string;
}
export interface SocredExceptionError extends SocredErrorOf<"exception"> {
  chain?: string[];
  exceptionType?: string;
  code?: string;
}
export interface SocredFaultError extends SocredErrorOf<"fault"> {
  code: string;
  status: number;
  detail?: string;
}
export interface SocredHttpError extends SocredErrorOf<"http"> {
  code: "no-service" | "not-soap" | "empty-body" | "too-large" | "contract";
  status: number;
  contentType: string;
  excerpt: string;
}
export interface SocredTimeoutError extends SocredErrorOf<"timeout"> {
  timeoutMs: number;
}
export interface SocredCorsError extends SocredErrorOf<"cors"> {
  origin: string;
  pageOrigin: string;
}
export interface SocredNetworkError extends SocredErrorOf<"network"> {
  origin: string;
  cause: string;
}
export interface SocredProxyError extends SocredErrorOf<"proxy"> {
  code: "dns" | "refused" | "tls" | "timeout" | "reset" | "unreachable" | "too-large";
  target: string;
}
export interface SocredRedirectError extends SocredErrorOf<"redirect"> {
  origin: string;
  location?: string;
}
export interface SocredBatchError extends SocredErrorOf<"batch"> {
  code: "invalid-rows" | "remove-needs-valid" | "not-confirmed" | "busy" | "forgotten";
}
export type SocredCancelledError = SocredErrorOf<"cancelled">;

/** error.kind tells them apart. */
export type SocredError =
  | SocredValidationError | SocredExceptionError | SocredFaultError | SocredHttpError | SocredTimeoutError
  | SocredCorsError | SocredNetworkError | SocredProxyError | SocredRedirectError | SocredBatchError | SocredCancelledError;

export interface SocredFailure {
  ok: false;
  error: SocredError;
}
/** ok tells them apart: {ok: true, operation, …T} or {ok: false, error}. */
export type SocredResult<T> = ({ ok: true; operation: string } & T) | SocredFailure;

export interface SocredUser {
  associateId: number;
  userName: string;
  name: string;
  fullName: string;
  firstName: string;
  lastName: string;
  email: string;
  type: "InternalAssociate" | "ResourceAssociate" | "ExternalAssociate" | "AnonymousAssociate" | "SystemAssociate" | "Unknown";
  deleted: boolean;
  retired: boolean;
}

export interface SocredKey {
  ok: true;
  keyId: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  algorithm: "RSA-SHA256" | "ECDSA-P256-SHA256";
  signatureMethod: string;
  fingerprint: string;
}

export interface SocredEnvelope {
  xml: string;
  contentType: string;
  soapAction: string;
  headers: { name: string; value: string }[];
  url?: string;
  curl?: string;
  masked: boolean;
  explanation?: unknown;
}

/** socred.batch (docs/api.md): loaded on demand, run in a Worker; every call returns a Promise; typed loosely beyond these. */
export interface SocredBatch {
  readonly version?: string;
  /** Where the module runs: "worker", or "page" where no worker could start; null until it runs. */
  readonly mode?: "worker" | "page" | null;
  load(): Promise<SocredBatch>;
  template(delimiter?: string, options?: { format?: "csv" | "xlsx"; locale?: string; words?: unknown }): Promise<string | Uint8Array | null>;
  close(id: string): Promise<boolean | null>;
  [call: string]: unknown;
}

/** window.socred: exists once <socred-credentials> is defined. */
export interface Socred {
  /** Resolves with socred once the module runs; rejects with an Error that says what to fix. */
  readonly ready: Promise<Socred>;
  readonly version: string;
  save(req: SocredSaveRequest): Promise<SocredResult<{}>>;
  list(req: SocredListRequest): Promise<SocredResult<{ credentials: SocredCredentialsRecord[] }>>;
  remove(req: SocredRemoveRequest): Promise<SocredResult<{}>>;
  login(req: SocredLoginRequest): Promise<SocredResult<{ ticket: string; associateId: number; userName: string; fullName: string }>>;
  /** user is null when NetServer knows no such associate. */
  user(req: SocredUserRequest): Promise<SocredResult<{ user: SocredUser | null }>>;
  buildEnvelope(req: SocredBuildEnvelopeRequest): Promise<SocredResult<SocredEnvelope>>;
  loadKey(source: { key: string | Uint8Array; certificate: string | Uint8Array } | {
    pkcs12: Uint8Array | ArrayBuffer | string;
    password: string;
  }): Promise<SocredKey | SocredFailure>;
  /** Forgets a loaded key (every key without an argument); whether it forgot any. */
  clearKey(keyId?: string): boolean;
  readonly batch: SocredBatch;
}

declare global {
  interface HTMLElementTagNameMap {
    "socred-credentials": SocredCredentialsElement;
  }
  /** The events bubble and are composed: a listener on document hears them. */
  interface DocumentEventMap extends SocredCredentialsEventMap {}
  var socred: Socred;
}
