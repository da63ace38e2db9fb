package keys

// Signature algorithm URIs (RFC 6931 §2.3.2 and §2.3.6) of the keys socred
// signs with: KeyMaterial.Algorithm is one of them, and so is a
// wssec.Signer's Algorithm.
const (
	AlgRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
)
