package keys

import (
	"bytes"
	"encoding/pem"
	"errors"
	"time"

	"socred/internal/minifmt"
)

// Key sentinels, wrapped by the errors of ReadKeyPEM and of package
// socred/keys/gokeys, so that both ways of loading a key fail alike.
var (
	ErrWrongPassword  = errors.New("soap: wrong password for the PKCS#12 file")
	ErrKeyMismatch    = errors.New("soap: private key does not match the certificate")
	ErrExpired        = errors.New("soap: certificate has expired")
	ErrNotYetValid    = errors.New("soap: certificate is not valid yet")
	ErrUnsupportedKey = errors.New("soap: unsupported key (use RSA of at least 2048 bits or ECDSA P-256)")
	ErrNoKey          = errors.New("soap: no private key found")
	ErrNoCertificate  = errors.New("soap: no certificate found")
	ErrEncryptedPEM   = errors.New("soap: encrypted PEM private keys are not supported (use a PKCS#12 file with its password)")
	ErrPKCS12         = errors.New("soap: not a readable PKCS#12 file")
)

// MinRSABits is the smallest RSA modulus socred signs with.
const MinRSABits = 2048

// KeyMaterial is a private key and its certificate read without Go's crypto
// packages, for a Signer whose private-key operation happens elsewhere: in
// the browser, crypto.subtle.importKey("pkcs8", PKCS8, …, false, ["sign"])
// makes a non-extractable key, and the bytes can then be cleared with Zero.
type KeyMaterial struct {
	// PKCS8 is the private key as PKCS#8 DER (a PKCS#1 or SEC 1 key is
	// wrapped).
	PKCS8 []byte
	// Certificate is the certificate's DER, for the BinarySecurityToken.
	Certificate []byte
	// PublicKey is the certificate's SubjectPublicKeyInfo DER
	// (importKey("spki", …) takes it).
	PublicKey []byte
	// Algorithm is AlgRSASHA256 or AlgECDSASHA256.
	Algorithm string
	// NotBefore and NotAfter are the certificate's validity period.
	NotBefore, NotAfter time.Time
}

// Zero overwrites the private key bytes.
func (k *KeyMaterial) Zero() {
	clear(k.PKCS8)
	k.PKCS8 = nil
}

// ReadKeyPEM reads a private key (PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE
// KEY" or SEC 1 "EC PRIVATE KEY") and its certificate (the first
// "CERTIFICATE" block) from PEM, as keys.ParsePEM does but without Go's
// crypto: it checks that the key is RSA of at least MinRSABits or ECDSA
// P-256, that it matches the certificate (RSA: same modulus and exponent;
// EC: same public point, which the key file must carry), and that the
// certificate is valid at now. keyPEM and certPEM may be the same bytes.
func ReadKeyPEM(keyPEM, certPEM []byte, now time.Time) (*KeyMaterial, error) {
	var certDER []byte
	for rest := certPEM; certDER == nil; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, ErrNoCertificate
		}
		if b.Type == "CERTIFICATE" {
			certDER = b.Bytes
		}
	}
	k := &KeyMaterial{Certificate: certDER}
	spki, err := k.readCertificate()
	if err != nil {
		return nil, err
	}
	priv, err := readPrivateKeyPEM(keyPEM)
	if err != nil {
		return nil, err
	}
	if priv.alg != spki.alg {
		return nil, ErrKeyMismatch
	}
	if err := priv.matches(spki); err != nil {
		return nil, err
	}
	k.PKCS8, k.Algorithm = priv.pkcs8, priv.alg
	if err := CheckValidity(k.NotBefore, k.NotAfter, now); err != nil {
		return nil, err
	}
	return k, nil
}

// CheckValidity reports whether a certificate valid from notBefore to
// notAfter is valid at now: ErrNotYetValid before, ErrExpired after.
func CheckValidity(notBefore, notAfter, now time.Time) error {
	switch {
	case now.Before(notBefore):
		return minifmt.Errorf("%w: valid from %s", ErrNotYetValid, string(appendDateTime(nil, notBefore, 0)))
	case now.After(notAfter):
		return minifmt.Errorf("%w: valid until %s", ErrExpired, string(appendDateTime(nil, notAfter, 0)))
	}
	return nil
}

// The DER of the object identifiers socred needs.
var (
	oidRSA  = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01} // 1.2.840.113549.1.1.1
	oidEC   = []byte{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01}             // 1.2.840.10045.2.1
	oidP256 = []byte{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}       // 1.2.840.10045.3.1.7
)

// publicKey is what socred compares: the algorithm and, for RSA, the
// modulus and exponent; for EC, the encoded point.
type publicKey struct {
	alg         string
	n, e, point []byte
}

// readCertificate fills the validity period and PublicKey from
// k.Certificate and returns the certificate's public key.
//
// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
// TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber,
// signature, issuer, validity, subject, subjectPublicKeyInfo, … }
func (k *KeyMaterial) readCertificate() (*publicKey, error) {
	bad := func(what string) error {
		return minifmt.Errorf("%w: malformed certificate (%s)", ErrNoCertificate, what)
	}
	cert, rest, ok := derNext(k.Certificate, 0x30)
	if !ok || len(rest) != 0 {
		return nil, bad("outer sequence")
	}
	tbs, _, ok := derNext(cert, 0x30)
	if !ok {
		return nil, bad("tbsCertificate")
	}
	if len(tbs) > 0 && tbs[0] == 0xa0 {
		_, tbs, _ = derNext(tbs, 0xa0)
	}
	for _, tag := range []byte{0x02, 0x30, 0x30} { // serial, signature, issuer
		if _, tbs, ok = derNext(tbs, tag); !ok {
			return nil, bad("serial, algorithm or issuer")
		}
	}
	validity, tbs, ok := derNext(tbs, 0x30)
	if !ok {
		return nil, bad("validity")
	}
	var err error
	if k.NotBefore, validity, err = derTime(validity); err != nil {
		return nil, bad("notBefore")
	}
	if k.NotAfter, _, err = derTime(validity); err != nil {
		return nil, bad("notAfter")
	}
	if _, tbs, ok = derNext(tbs, 0x30); !ok { // subject
		return nil, bad("subject")
	}
	spkiLen := len(tbs)
	spki, after, ok := derNext(tbs, 0x30)
	if !ok {
		return nil, bad("subjectPublicKeyInfo")
	}
	k.PublicKey = tbs[:spkiLen-len(after)]
	alg, rest, ok := derNext(spki, 0x30)
	if !ok {
		return nil, bad("key algorithm")
	}
	bits, _, ok := derNext(rest, 0x03)
	if !ok || len(bits) < 1 || bits[0] != 0 {
		return nil, bad("subjectPublicKey")
	}
	pub := &publicKey{}
	oid, params, _ := derNext(alg, 0x06)
	switch {
	case bytes.Equal(oid, oidRSA):
		seq, _, ok := derNext(bits[1:], 0x30)
		n, seq, ok1 := derNext(seq, 0x02)
		e, _, ok2 := derNext(seq, 0x02)
		if !ok || !ok1 || !ok2 {
			return nil, bad("RSA public key")
		}
		pub.alg, pub.n, pub.e = AlgRSASHA256, trimZeros(n), trimZeros(e)
		if bitLen(pub.n) < MinRSABits {
			return nil, minifmt.Errorf("%w: RSA key of %d bits", ErrUnsupportedKey, bitLen(pub.n))
		}
	case bytes.Equal(oid, oidEC):
		curve, _, _ := derNext(params, 0x06)
		if !bytes.Equal(curve, oidP256) {
			return nil, minifmt.Errorf("%w: certificate for an EC curve other than P-256", ErrUnsupportedKey)
		}
		pub.alg, pub.point = AlgECDSASHA256, bits[1:]
	default:
		return nil, minifmt.Errorf("%w: certificate for a key that is neither RSA nor EC", ErrUnsupportedKey)
	}
	return pub, nil
}

// privateKey is a key read from PEM, as PKCS#8, with its public part.
type privateKey struct {
	publicKey
	pkcs8 []byte
}

func (p *privateKey) matches(cert *publicKey) error {
	if p.alg == AlgRSASHA256 && bytes.Equal(p.n, cert.n) && bytes.Equal(p.e, cert.e) {
		return nil
	}
	if p.alg == AlgECDSASHA256 {
		if p.point == nil {
			return minifmt.Errorf("%w: the EC key file does not carry its public key, so it cannot be matched with the certificate", ErrUnsupportedKey)
		}
		if bytes.Equal(p.point, cert.point) {
			return nil
		}
	}
	return ErrKeyMismatch
}

func readPrivateKeyPEM(data []byte) (*privateKey, error) {
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, ErrNoKey
		}
		if _, encrypted := b.Headers["DEK-Info"]; encrypted || b.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, ErrEncryptedPEM
		}
		switch b.Type {
		case "PRIVATE KEY":
			return readPKCS8(b.Bytes)
		case "RSA PRIVATE KEY":
			return readPKCS8(derWrapPKCS8(oidRSA, nil, b.Bytes))
		case "EC PRIVATE KEY":
			// The curve is checked when the SEC 1 key is read back.
			return readPKCS8(derWrapPKCS8(oidEC, oidP256, b.Bytes))
		case "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, minifmt.Errorf("%w: %s", ErrUnsupportedKey, b.Type)
		}
	}
}

// readPKCS8 reads PrivateKeyInfo ::= SEQUENCE { version, algorithm,
// privateKey OCTET STRING, … }.
func readPKCS8(der []byte) (*privateKey, error) {
	bad := func(what string) error { return minifmt.Errorf("%w: malformed private key (%s)", ErrNoKey, what) }
	info, _, ok := derNext(der, 0x30)
	if !ok {
		return nil, bad("PKCS#8 sequence")
	}
	_, info, ok = derNext(info, 0x02)
	alg, info, ok1 := derNext(info, 0x30)
	key, _, ok2 := derNext(info, 0x04)
	if !ok || !ok1 || !ok2 {
		return nil, bad("PKCS#8 fields")
	}
	oid, params, _ := derNext(alg, 0x06)
	p := &privateKey{pkcs8: der}
	switch {
	case bytes.Equal(oid, oidRSA):
		// RSAPrivateKey ::= SEQUENCE { version, n, e, d, … }
		seq, _, ok := derNext(key, 0x30)
		_, seq, ok1 := derNext(seq, 0x02)
		n, seq, ok2 := derNext(seq, 0x02)
		e, _, ok3 := derNext(seq, 0x02)
		if !ok || !ok1 || !ok2 || !ok3 {
			return nil, bad("RSA key")
		}
		p.alg, p.n, p.e = AlgRSASHA256, trimZeros(n), trimZeros(e)
		if bitLen(p.n) < MinRSABits {
			return nil, minifmt.Errorf("%w: RSA key of %d bits", ErrUnsupportedKey, bitLen(p.n))
		}
	case bytes.Equal(oid, oidEC):
		if curve, _, _ := derNext(params, 0x06); !bytes.Equal(curve, oidP256) {
			return nil, minifmt.Errorf("%w: EC curve other than P-256", ErrUnsupportedKey)
		}
		// ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING,
		// [0] parameters OPTIONAL, [1] publicKey BIT STRING OPTIONAL }
		seq, _, ok := derNext(key, 0x30)
		_, seq, ok1 := derNext(seq, 0x02)
		_, seq, ok2 := derNext(seq, 0x04)
		if !ok || !ok1 || !ok2 {
			return nil, bad("EC key")
		}
		if len(seq) > 0 && seq[0] == 0xa0 {
			params, rest, _ := derNext(seq, 0xa0)
			if curve, _, _ := derNext(params, 0x06); !bytes.Equal(curve, oidP256) {
				return nil, minifmt.Errorf("%w: EC curve other than P-256", ErrUnsupportedKey)
			}
			seq = rest
		}
		if pub, _, ok := derNext(seq, 0xa1); ok {
			if bits, _, ok := derNext(pub, 0x03); ok && len(bits) > 1 && bits[0] == 0 {
				p.point = bits[1:]
			}
		}
		p.alg = AlgECDSASHA256
	default:
		return nil, minifmt.Errorf("%w: a key that is neither RSA nor EC", ErrUnsupportedKey)
	}
	return p, nil
}

// derWrapPKCS8 wraps a PKCS#1 or SEC 1 key in a PKCS#8 PrivateKeyInfo.
func derWrapPKCS8(algOID, curveOID, key []byte) []byte {
	params := []byte{0x05, 0x00} // NULL, for RSA
	if curveOID != nil {
		params = derTLV(0x06, curveOID)
	}
	alg := derTLV(0x30, append(derTLV(0x06, algOID), params...))
	body := append([]byte{0x02, 0x01, 0x00}, alg...)
	body = append(body, derTLV(0x04, key)...)
	return derTLV(0x30, body)
}

// derTLV encodes one DER element.
func derTLV(tag byte, content []byte) []byte {
	n := len(content)
	var length []byte
	switch {
	case n < 0x80:
		length = []byte{byte(n)}
	case n < 0x100:
		length = []byte{0x81, byte(n)}
	case n < 0x10000:
		length = []byte{0x82, byte(n >> 8), byte(n)}
	default:
		length = []byte{0x83, byte(n >> 16), byte(n >> 8), byte(n)}
	}
	out := make([]byte, 0, 1+len(length)+n)
	out = append(append(append(out, tag), length...), content...)
	return out
}

// derNext reads one DER element with the given tag from the front of b and
// returns its content and what follows it. Only definite lengths of up to
// four bytes are accepted.
func derNext(b []byte, tag byte) (content, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, b, false
	}
	n, hdr := int(b[1]), 2
	if n >= 0x80 {
		size := n & 0x7f
		if size == 0 || size > 4 || len(b) < 2+size {
			return nil, b, false
		}
		n = 0
		for _, c := range b[2 : 2+size] {
			n = n<<8 | int(c)
		}
		hdr += size
	}
	if n < 0 || len(b)-hdr < n {
		return nil, b, false
	}
	return b[hdr : hdr+n], b[hdr+n:], true
}

// derTime reads a UTCTime or GeneralizedTime.
func derTime(b []byte) (time.Time, []byte, error) {
	if s, rest, ok := derNext(b, 0x17); ok {
		return asn1Time(s, false, rest)
	}
	if s, rest, ok := derNext(b, 0x18); ok {
		return asn1Time(s, true, rest)
	}
	return time.Time{}, b, errors.New("soap: not an ASN.1 time")
}

func asn1Time(s []byte, generalized bool, rest []byte) (time.Time, []byte, error) {
	t, ok := parseASN1Time(string(s), generalized)
	if !ok {
		return time.Time{}, rest, minifmt.Errorf("soap: %q is not an ASN.1 time", string(s))
	}
	return t, rest, nil
}

//go:noinline
func trimZeros(b []byte) []byte {
	for len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

func bitLen(b []byte) int {
	b = trimZeros(b)
	if len(b) == 0 {
		return 0
	}
	n := (len(b) - 1) * 8
	for c := b[0]; c != 0; c >>= 1 {
		n++
	}
	return n
}
