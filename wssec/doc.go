// Package wssec signs socred's SOAP envelopes with WS-Security 1.0 X.509
// signatures and explains signatures, in the manner of goxmldsig: Sign
// (sign.go), Exclusive XML Canonicalization (c14n.go) and Explain
// (explain.go), which recomputes every digest of a signed document and
// shows the canonical bytes each covers — what the page's "explain the
// signature" view and the local NetServer's signature check read.
//
// It owns XML-DSig, Exclusive C14N and the WS-Security header: the
// namespaces (NSWSSE, NSWSU, NSDSig), the canonical form's bound
// (MaxCanonical) and the signing and explaining sentinels. The key is
// behind the Signer interface: this package never reads key files (package
// keys does) and never holds a private key. It must not change the bytes
// it signs (Sign splices the header into soap.Build's output and signs
// last; nothing may re-indent after it), must not import syscall/js or, in
// the browser build, Go's crypto packages (crypto_js.go takes SHA-256 from
// socred/internal/minicrypto and randomness from WebCrypto), and reads XML
// only through socred/internal/xmltree, within its limits.
//
// Its sentinels keep their historical "soap: " prefix.
//
// References:
//   - XML Signature (XML-DSig) 1.1: https://www.w3.org/TR/xmldsig-core1/
//   - Exclusive XML Canonicalization 1.0: https://www.w3.org/TR/xml-exc-c14n/
//   - OASIS Web Services Security 1.0, SOAP Message Security and the X.509
//     Certificate Token Profile: https://docs.oasis-open.org/wss/2004/01/
//   - Algorithm URIs: RFC 6931
package wssec
