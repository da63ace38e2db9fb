// Package soap builds and reads the SOAP messages that socred exchanges with
// SuperOffice NetServer's Services88 endpoints: the untrusted-credentials
// operations of User.svc, its user lookups (GetUser, GetUserFromName) and
// the ticket login of SoPrincipal.svc.
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
//   - XML Signature (XML-DSig) 1.1: https://www.w3.org/TR/xmldsig-core1/
//   - Exclusive XML Canonicalization 1.0: https://www.w3.org/TR/xml-exc-c14n/
//   - OASIS Web Services Security 1.0, SOAP Message Security and the X.509
//     Certificate Token Profile: https://docs.oasis-open.org/wss/2004/01/
//   - The contract: Services88-User.WcfUser-8.8.wsdl and
//     Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl (shared/reference)
package soap
