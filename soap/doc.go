// Package soap builds and reads the SOAP messages that socred exchanges with
// SuperOffice NetServer's Services88 endpoints: the untrusted-credentials
// operations of User.svc, its user lookups (GetUser, GetUserFromName) and
// the ticket login of SoPrincipal.svc.
//
// It owns the messages only: envelopes (Build), operations, requests and
// responses (ParseRequest, Classify), faults, ExceptionInfo, validation and
// the xs:dateTime values they carry. It must not sign or canonicalise
// (package socred/wssec does), read keys (socred/keys) or tokenize XML
// itself (socred/internal/xmltree does, for every package).
//
// The package is pure Go: it never imports syscall/js, so it is tested
// natively (with -race, golden files and fuzzing) and again in the browser.
// The browser side (package wasm) only moves bytes: it hands Build's output to
// fetch and fetch's status, headers and body to Classify.
//
// What socred sends follows the server's WSDL, not the vendor's documentation
// example: SOAP 1.1 (BasicHttpBinding), document/literal, with ApplicationToken,
// Credentials and TimeZone inside the Header and every element in the
// Services88 namespace, body children in schema order.
//
// References:
//   - SOAP 1.1: https://www.w3.org/TR/2000/NOTE-SOAP-20000508/
//   - SOAP 1.2 Part 1 (faults, Code/Subcode/Reason): https://www.w3.org/TR/soap12-part1/
//   - XML 1.0, Char production: https://www.w3.org/TR/xml/#charsets
//   - XML Schema dateTime: https://www.w3.org/TR/xmlschema-2/#dateTime
//   - The contract: Services88-User.WcfUser-8.8.wsdl and
//     Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl (shared/reference)
package soap
