// Package gokeys loads the private key and X.509 certificate that sign
// socred's envelopes with Go's crypto (crypto/x509, go-pkcs12), and signs
// with it: RSA (RSASSA-PKCS1-v1_5, SHA-256) or ECDSA on P-256 (SHA-256). A
// *Signer is the wssec.Signer that wssec.Sign takes. It is the reference that
// package keys' own reader is tested against, and the signer of the native
// tests and tools.
//
// It is a package of its own, not part of keys, because crypto/x509 and
// PKCS#12 decoding weigh about 450 KB of brotli-compressed WebAssembly: the
// browser module must leave them out (it must never import this package)
// and sign with WebCrypto instead, behind the same wssec.Signer interface.
//
// Errors wrap the sentinels of package keys (keys.ErrWrongPassword,
// keys.ErrKeyMismatch, …), which keys.ReadKeyPEM returns too. The wasm
// layer can map them to messages once for both.
//
// Key material is kept in memory only, in the Signer; nothing here logs or
// stores it, and errors never quote it.
//
// References:
//   - PKCS#8 (RFC 5208), PKCS#1 (RFC 8017), SEC 1 (RFC 5915), PKCS#12 (RFC 7292)
//   - X.509 certificate validity: RFC 5280 §4.1.2.5
package gokeys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"time"

	"socred/keys"
	"socred/wssec"
	"software.sslmate.com/src/go-pkcs12"
)

// Signer is a private key with its certificate. It implements wssec.Signer.
type Signer struct {
	key  crypto.Signer
	cert *x509.Certificate
	alg  string
}

var _ wssec.Signer = (*Signer)(nil)

// NewSigner pairs key with cert, checking that the key is a supported type
// (RSA of at least keys.MinRSABits, or ECDSA P-256) and that it matches the
// certificate's public key. It does not check the certificate's dates; the
// Parse functions do.
func NewSigner(key crypto.PrivateKey, cert *x509.Certificate) (*Signer, error) {
	if cert == nil {
		return nil, keys.ErrNoCertificate
	}
	s := &Signer{cert: cert}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < keys.MinRSABits {
			return nil, fmt.Errorf("%w: RSA key of %d bits", keys.ErrUnsupportedKey, k.N.BitLen())
		}
		s.key, s.alg = k, keys.AlgRSASHA256
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: ECDSA curve %s", keys.ErrUnsupportedKey, k.Curve.Params().Name)
		}
		s.key, s.alg = k, keys.AlgECDSASHA256
	case nil:
		return nil, keys.ErrNoKey
	default:
		return nil, fmt.Errorf("%w: %T", keys.ErrUnsupportedKey, key)
	}
	pub, ok := s.key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, keys.ErrKeyMismatch
	}
	return s, nil
}

// Algorithm returns keys.AlgRSASHA256 or keys.AlgECDSASHA256.
func (s *Signer) Algorithm() string { return s.alg }

// Certificate returns the certificate's DER bytes.
func (s *Signer) Certificate() []byte { return s.cert.Raw }

// Leaf returns the parsed certificate (for showing its subject and dates).
func (s *Signer) Leaf() *x509.Certificate { return s.cert }

// Sign hashes message with SHA-256 and signs it: PKCS#1 v1.5 for RSA, r||s
// (32 bytes each) for ECDSA P-256, as wssec.Signer requires.
func (s *Signer) Sign(rand io.Reader, message []byte) ([]byte, error) {
	digest := sha256.Sum256(message)
	switch k := s.key.(type) {
	case *rsa.PrivateKey:
		return rsa.SignPKCS1v15(rand, k, crypto.SHA256, digest[:])
	case *ecdsa.PrivateKey:
		r, sv, err := ecdsa.Sign(rand, k, digest[:])
		if err != nil {
			return nil, err
		}
		out := make([]byte, 64)
		r.FillBytes(out[:32])
		sv.FillBytes(out[32:])
		return out, nil
	}
	return nil, keys.ErrUnsupportedKey
}

// ParsePEM reads a private key (PKCS#8 "PRIVATE KEY", PKCS#1 "RSA PRIVATE
// KEY" or SEC 1 "EC PRIVATE KEY") and a certificate ("CERTIFICATE"; the
// first one is the signer's, any others are ignored), checks them with
// NewSigner, and checks the certificate's dates against now. keyPEM and
// certPEM may be the same bytes (a combined file).
func ParsePEM(keyPEM, certPEM []byte, now time.Time) (*Signer, error) {
	key, err := parseKeyPEM(keyPEM)
	if err != nil {
		return nil, err
	}
	var cert *x509.Certificate
	for rest := certPEM; cert == nil; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, keys.ErrNoCertificate
		}
		if b.Type == "CERTIFICATE" {
			if cert, err = x509.ParseCertificate(b.Bytes); err != nil {
				return nil, fmt.Errorf("%w: %v", keys.ErrNoCertificate, err)
			}
		}
	}
	return checked(key, cert, now)
}

func parseKeyPEM(data []byte) (crypto.PrivateKey, error) {
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, keys.ErrNoKey
		}
		if _, encrypted := b.Headers["DEK-Info"]; encrypted || b.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, keys.ErrEncryptedPEM
		}
		var key crypto.PrivateKey
		var err error
		switch b.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		case "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, fmt.Errorf("%w: %s", keys.ErrUnsupportedKey, b.Type)
		default:
			continue
		}
		if err != nil {
			// x509 refuses curves and algorithms it does not know
			// (P-224 excepted, Ed448, …) with a parse error.
			return nil, fmt.Errorf("%w: %s: %v", keys.ErrUnsupportedKey, b.Type, err)
		}
		return key, nil
	}
}

// ParsePKCS12 reads a PKCS#12 (.p12/.pfx) file with its password: the
// private key, the certificate that matches it (a file may carry CA
// certificates too), then the checks of ParsePEM.
func ParsePKCS12(data []byte, password string, now time.Time) (*Signer, error) {
	key, cert, chain, err := pkcs12.DecodeChain(data, password)
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return nil, fmt.Errorf("%w: %w", keys.ErrWrongPassword, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", keys.ErrPKCS12, err)
	}
	// Some exporters put the signer's certificate among the others.
	if pub, ok := key.(interface{ Public() crypto.PublicKey }); ok {
		for _, c := range append([]*x509.Certificate{cert}, chain...) {
			if eq, ok := pub.Public().(interface{ Equal(crypto.PublicKey) bool }); ok && eq.Equal(c.PublicKey) {
				cert = c
				break
			}
		}
	}
	return checked(key, cert, now)
}

func checked(key crypto.PrivateKey, cert *x509.Certificate, now time.Time) (*Signer, error) {
	s, err := NewSigner(key, cert)
	if err != nil {
		return nil, err
	}
	if err := keys.CheckValidity(cert.NotBefore, cert.NotAfter, now); err != nil {
		return nil, err
	}
	return s, nil
}
