// Package keys reads the private key and X.509 certificate that sign
// socred's envelopes, without Go's crypto packages, so that the browser
// module can link it: PEM (PKCS#8, PKCS#1, SEC 1; ReadKeyPEM) and PKCS#12
// files (ReadPKCS12), checked against each other and against the
// certificate's dates (CheckValidity), and a certificate's subject for
// people to read (CertificateSubject). What it returns, KeyMaterial, is what
// WebCrypto imports: the signing itself happens elsewhere (in the browser
// through crypto.subtle; natively with package socred/keys/gokeys, which
// reads keys with crypto/x509 and is the reference these readers are
// tested against).
//
// It owns the key formats and their sentinels (ErrWrongPassword,
// ErrKeyMismatch, ErrExpired, …, whose texts keep their historical "soap: "
// prefix). It must not import Go's crypto packages in the browser build
// (crypto_js.go takes hashes from socred/internal/minicrypto and AES from
// WebCrypto through minicrypto.Browser), nor know SOAP or XML. Key material
// is kept in memory only; nothing here logs or stores it, and errors never
// quote it.
//
// References:
//   - PKCS#8 (RFC 5208), PKCS#1 (RFC 8017), SEC 1 (RFC 5915)
//   - PKCS#12 (RFC 7292), PBES2 and PBKDF2 (RFC 8018)
//   - X.509 (RFC 5280): names §4.1.2.4, validity §4.1.2.5
//   - XML-DSig algorithm URIs: RFC 6931
package keys
