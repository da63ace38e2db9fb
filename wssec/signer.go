package wssec

import "io"

// AlgSHA256 is the digest algorithm (XML Encryption 1.0 §5.7.2) socred
// uses; the signature algorithms are package keys' AlgRSASHA256 and
// AlgECDSASHA256.
const AlgSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

// Signer holds the private key that signs an envelope and the X.509
// certificate that goes with it. Sign calls it once per envelope, with the
// canonical SignedInfo.
//
// The interface is shaped so that the key can live outside Go: the
// implementation in package socred/keys/gokeys uses Go's crypto; in the
// browser, one backed by a non-extractable WebCrypto key fits the same
// methods (crypto.subtle.sign takes the message, not a digest, and returns
// ECDSA signatures as r||s).
type Signer interface {
	// Algorithm returns the SignatureMethod URI: AlgRSASHA256 (RSASSA-PKCS1-v1_5
	// with SHA-256) or AlgECDSASHA256 (ECDSA on P-256 with SHA-256).
	Algorithm() string
	// Certificate returns the DER bytes of the signer's X.509 certificate,
	// sent in the BinarySecurityToken.
	Certificate() []byte
	// Sign hashes message with SHA-256 and signs the digest. An RSA signature
	// is the PKCS#1 v1.5 signature; an ECDSA signature is r||s, each padded
	// to the curve's size (64 bytes for P-256), as XML-DSig requires, never
	// ASN.1 DER. rand is the randomness for ECDSA; RSA PKCS#1 v1.5 is
	// deterministic and ignores it.
	Sign(rand io.Reader, message []byte) ([]byte, error)
}
