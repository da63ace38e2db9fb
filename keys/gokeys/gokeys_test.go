package gokeys_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/keys"
	"socred/keys/gokeys"
)

const password = "socred-test"

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	require.NoError(t, err)
	return b
}

func TestParse(t *testing.T) {
	type load func(t *testing.T) (*gokeys.Signer, error)
	pemPair := func(key, cert string) load {
		return func(t *testing.T) (*gokeys.Signer, error) { return gokeys.ParsePEM(read(t, key), read(t, cert), now) }
	}
	p12 := func(name, pw string) load {
		return func(t *testing.T) (*gokeys.Signer, error) { return gokeys.ParsePKCS12(read(t, name), pw, now) }
	}
	tests := []struct {
		name string
		load load
		alg  string
		want error
	}{
		{"RSA PKCS#8", pemPair("rsa.key.pem", "rsa.crt.pem"), keys.AlgRSASHA256, nil},
		{"RSA PKCS#1", pemPair("rsa.pkcs1.pem", "rsa.crt.pem"), keys.AlgRSASHA256, nil},
		{"EC PKCS#8", pemPair("ec.key.pem", "ec.crt.pem"), keys.AlgECDSASHA256, nil},
		{"EC SEC 1", pemPair("ec.sec1.pem", "ec.crt.pem"), keys.AlgECDSASHA256, nil},
		{"combined file", func(t *testing.T) (*gokeys.Signer, error) {
			both := append(read(t, "ec.crt.pem"), read(t, "ec.key.pem")...)
			return gokeys.ParsePEM(both, both, now)
		}, keys.AlgECDSASHA256, nil},
		{"RSA PKCS#12", p12("rsa.p12", password), keys.AlgRSASHA256, nil},
		{"EC PKCS#12", p12("ec.p12", password), keys.AlgECDSASHA256, nil},
		{"RSA legacy 3DES PKCS#12", p12("rsa-legacy.p12", password), keys.AlgRSASHA256, nil},

		{"wrong password", p12("rsa.p12", "not-the-password"), "", keys.ErrWrongPassword},
		{"wrong password, legacy", p12("rsa-legacy.p12", "not-the-password"), "", keys.ErrWrongPassword},
		{"not PKCS#12", func(t *testing.T) (*gokeys.Signer, error) {
			return gokeys.ParsePKCS12(read(t, "rsa.crt.pem"), password, now)
		}, "", keys.ErrPKCS12},
		{"another key's certificate", pemPair("rsa.key.pem", "other.crt.pem"), "", keys.ErrKeyMismatch},
		{"EC key, RSA certificate", pemPair("ec.key.pem", "rsa.crt.pem"), "", keys.ErrKeyMismatch},
		{"expired certificate", pemPair("rsa.key.pem", "expired.crt.pem"), "", keys.ErrExpired},
		{"not yet valid", func(t *testing.T) (*gokeys.Signer, error) {
			return gokeys.ParsePEM(read(t, "rsa.key.pem"), read(t, "rsa.crt.pem"), time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC))
		}, "", keys.ErrNotYetValid},
		{"P-384", pemPair("p384.key.pem", "p384.crt.pem"), "", keys.ErrUnsupportedKey},
		{"P-384 PKCS#12", p12("p384.p12", password), "", keys.ErrUnsupportedKey},
		{"Ed25519", pemPair("ed25519.key.pem", "ed25519.crt.pem"), "", keys.ErrUnsupportedKey},
		{"no key", pemPair("rsa.crt.pem", "rsa.crt.pem"), "", keys.ErrNoKey},
		{"no certificate", pemPair("rsa.key.pem", "rsa.key.pem"), "", keys.ErrNoCertificate},
		{"encrypted PEM", func(t *testing.T) (*gokeys.Signer, error) {
			enc := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}})
			return gokeys.ParsePEM(enc, read(t, "rsa.crt.pem"), now)
		}, "", keys.ErrEncryptedPEM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.load(t)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
				assert.Nil(t, s)
				assert.NotContains(t, err.Error(), password, "errors never quote secrets")
				assert.Regexp(t, `^soap: `, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.alg, s.Algorithm())
			assert.Equal(t, s.Leaf().Raw, s.Certificate())
			verifySignature(t, s)
		})
	}
}

// verifySignature signs a message and checks it with the certificate's
// public key, in the form wssec.Signer promises (r||s for ECDSA).
func verifySignature(t *testing.T, s *gokeys.Signer) {
	t.Helper()
	msg := []byte("<ds:SignedInfo>…</ds:SignedInfo>")
	sig, err := s.Sign(rand.Reader, msg)
	require.NoError(t, err)
	digest := sha256.Sum256(msg)
	switch pub := s.Leaf().PublicKey.(type) {
	case *rsa.PublicKey:
		assert.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig))
		again, err := s.Sign(rand.Reader, msg)
		require.NoError(t, err)
		assert.Equal(t, sig, again, "RSA PKCS#1 v1.5 is deterministic")
	case *ecdsa.PublicKey:
		require.Len(t, sig, 64)
		r, sv := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		assert.True(t, ecdsa.Verify(pub, digest[:], r, sv))
	default:
		t.Fatalf("unexpected key %T", pub)
	}
}

func TestNewSignerRefusesSmallRSA(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	s, err := gokeys.ParsePEM(read(t, "rsa.key.pem"), read(t, "rsa.crt.pem"), now)
	require.NoError(t, err)
	_, err = gokeys.NewSigner(small, s.Leaf())
	assert.ErrorIs(t, err, keys.ErrUnsupportedKey)
	_, err = gokeys.NewSigner(nil, s.Leaf())
	assert.ErrorIs(t, err, keys.ErrNoKey)
	_, err = gokeys.NewSigner(small, nil)
	assert.ErrorIs(t, err, keys.ErrNoCertificate)
}
