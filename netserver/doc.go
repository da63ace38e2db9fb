// Package netserver is socred's local NetServer: an http.Handler that
// answers the Services88 untrusted-credentials operations of User.svc, its
// user lookups (GetUser, GetUserFromName: the whole User carrier, or a nil
// Response for an associate nobody has) and the ticket login of
// SoPrincipal.svc the way SuperOffice NetServer's WCF BasicHttpBinding does.
//
// It is a product, not a test helper: `make run` serves it beside the page
// and every release binary carries it (package socred/web/server mounts it
// at /demo). The binary's flags that reach it (web/cmd/socred):
//
//	-demo                 a local NetServer with the demo directory (the default without -proxy)
//	-data FILE            keep the records in FILE (Config.DataFile; the key in SOCRED_DATA_KEY or FILE.key)
//	-online               every call must carry the ApplicationToken (Config.ApplicationToken)
//	-soap12               accept SOAP 1.2 too (Config.SOAP12)
//	-ticket-ttl D         how long a ticket stays valid (Config.TicketTTL, DefaultTicketTTL)
//	-latency D            wait D before answering each call (Config.Latency)
//	-fail-rate F          answer that fraction of User.svc calls with HTTP 503 (Config.FailRate)
//	-require-signature F  require WS-Security signatures by the certificates in PEM file F
//	                      (Config.TrustedSigners, read with ReadCertificatesPEM)
//	-cors-origin O        answer CORS requests from an exact origin (Config.CORSOrigins)
//
// The data: Demo returns the demo directory (directory.go): the
// administrator DemoUser (associate DemoAssociateID), ViewerUser without
// the right to manage others, GuestUser without the right to read users,
// a few demo people, and associate MarkupAssociateID, whose FriendlyText is
// MarkupFriendlyText, markup for testing that clients show server text as
// text. Business errors use the Type* exception types.
//
// Tests start one on a free loopback port with package
// socred/netserver/netservertest.
//
// It owns the server side of the wire protocol: it reads requests and
// writes responses with package soap's messages and follows digests with
// its explanation of a signature, but it never builds a client's request,
// and it must never be linked into the browser module.
//
// It speaks the same wire protocol as the real server (DESIGN.md §1): SOAP 1.1
// only unless Config.SOAP12 is set, the SOAPAction header checked against the
// service's contract, faults with WCF's codes, statuses and wording, business
// errors as HTTP 200 with Succeeded=false and an ExceptionInfo header, and null
// response headers written as WCF writes them. Where WCF is silent it is
// stricter: body children out of schema order, in another namespace or unknown
// are refused with a fault that names the element (WCF would leave the field at
// its default and report success).
//
// A NetServer is mounted under any site path: it serves every request whose
// path ends in /Remote/Services88/User.svc or /Remote/Services88/SoPrincipal.svc
// (compared without regard to case, as IIS does) and answers 404 to the rest.
//
// With Config.TrustedSigners the server also stands for the gateway that
// companies put in front of NetServer: every request must carry a
// WS-Security 1.0 X.509 signature as socred makes it (exactly one Security
// header with one Timestamp and one ds:Signature; Exclusive C14N, SHA-256,
// RSA-SHA256 or ECDSA-SHA256; references by #id to the one Envelope/Body and
// to the Timestamp), every digest must match, the signature must verify with
// a trusted certificate (or one it issued), and the Timestamp must be
// current. Anything else, signature wrapping included, gets a WS-Security
// fault (wsse:InvalidSecurity, wsse:FailedCheck, wsse:MessageExpired,
// wsse:InvalidSecurityToken, wsse:UnsupportedAlgorithm) with HTTP 500.
//
// Records live in memory; with Config.DataFile every change is written
// atomically (temporary file, fsync, rename, directory fsync) before the call
// is answered, with SecretValue sealed by AES-256-GCM.
//
// References:
//   - WCF's dispatcher faults (ActionNotSupported, DeserializationFailed,
//     MustUnderstand): DESIGN.md §1 "How errors come back" and "How a WCF
//     server treats what it receives"
//   - The contract: Services88-User.WcfUser-8.8.wsdl and
//     Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl (shared/reference)
//   - CORS preflight: https://fetch.spec.whatwg.org/#cors-preflight-fetch
//   - OASIS WS-Security 1.0, SOAP Message Security (faults: §12) and the
//     X.509 Token Profile: https://docs.oasis-open.org/wss/2004/01/
package netserver
