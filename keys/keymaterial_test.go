package keys_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/keys"
	"socred/keys/gokeys"
)

// TestReadKeyPEM checks the crypto-free reader against crypto/x509 and
// package keys: same algorithm, dates and public key, a PKCS#8 that Go's
// own parser reads back to a key matching the certificate, and the same
// refusals.
func TestReadKeyPEM(t *testing.T) {
	tests := []struct {
		name      string
		key, cert string
		now       time.Time
		alg       string
		want      error
	}{
		{"RSA PKCS#8", "rsa.key.pem", "rsa.crt.pem", signingTime, keys.AlgRSASHA256, nil},
		{"RSA PKCS#1", "rsa.pkcs1.pem", "rsa.crt.pem", signingTime, keys.AlgRSASHA256, nil},
		{"EC PKCS#8", "ec.key.pem", "ec.crt.pem", signingTime, keys.AlgECDSASHA256, nil},
		{"EC SEC 1", "ec.sec1.pem", "ec.crt.pem", signingTime, keys.AlgECDSASHA256, nil},
		{"another key's certificate", "rsa.key.pem", "other.crt.pem", signingTime, "", keys.ErrKeyMismatch},
		{"EC key, RSA certificate", "ec.key.pem", "rsa.crt.pem", signingTime, "", keys.ErrKeyMismatch},
		{"RSA key, EC certificate", "rsa.pkcs1.pem", "ec.crt.pem", signingTime, "", keys.ErrKeyMismatch},
		{"expired", "rsa.key.pem", "expired.crt.pem", signingTime, "", keys.ErrExpired},
		{"not yet valid", "rsa.key.pem", "rsa.crt.pem", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), "", keys.ErrNotYetValid},
		{"P-384", "p384.key.pem", "p384.crt.pem", signingTime, "", keys.ErrUnsupportedKey},
		{"Ed25519", "ed25519.key.pem", "ed25519.crt.pem", signingTime, "", keys.ErrUnsupportedKey},
		{"no key", "rsa.crt.pem", "rsa.crt.pem", signingTime, "", keys.ErrNoKey},
		{"no certificate", "rsa.key.pem", "rsa.key.pem", signingTime, "", keys.ErrNoCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := keys.ReadKeyPEM(testFile(t, ""+tt.key), testFile(t, ""+tt.cert), tt.now)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
				assert.Nil(t, k)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.alg, k.Algorithm)
			block, _ := pem.Decode(testFile(t, ""+tt.cert))
			cert, err := x509.ParseCertificate(block.Bytes)
			require.NoError(t, err)
			assert.Equal(t, cert.Raw, k.Certificate)
			assert.Equal(t, cert.RawSubjectPublicKeyInfo, k.PublicKey)
			assert.True(t, cert.NotBefore.Equal(k.NotBefore), "NotBefore %v", k.NotBefore)
			assert.True(t, cert.NotAfter.Equal(k.NotAfter), "NotAfter %v", k.NotAfter)
			priv, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
			require.NoError(t, err, "the PKCS#8 must be importable")
			pub, ok := priv.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool })
			require.True(t, ok)
			assert.True(t, pub.Equal(cert.PublicKey))
			k.Zero()
			assert.Nil(t, k.PKCS8)
		})
	}
	t.Run("RSA 1024", func(t *testing.T) {
		small, err := rsa.GenerateKey(rand.Reader, 1024)
		require.NoError(t, err)
		keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)})
		_, err = keys.ReadKeyPEM(keyPEM, testFile(t, "rsa.crt.pem"), signingTime)
		assert.ErrorIs(t, err, keys.ErrUnsupportedKey)
	})
	t.Run("encrypted", func(t *testing.T) {
		enc := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{0x30, 0}})
		_, err := keys.ReadKeyPEM(enc, testFile(t, "rsa.crt.pem"), signingTime)
		assert.ErrorIs(t, err, keys.ErrEncryptedPEM)
	})
}

// FuzzReadKeyPEM: errors are fine; panics and hangs are not.
func FuzzReadKeyPEM(f *testing.F) {
	for _, name := range []string{"rsa.key.pem", "rsa.pkcs1.pem", "ec.key.pem", "ec.sec1.pem", "p384.key.pem", "ed25519.key.pem"} {
		f.Add(testFile(f, ""+name), testFile(f, "rsa.crt.pem"))
	}
	f.Add(testFile(f, "ec.key.pem"), testFile(f, "ec.crt.pem"))
	f.Fuzz(func(t *testing.T, key, cert []byte) {
		k, err := keys.ReadKeyPEM(key, cert, signingTime)
		if err == nil && (k.Algorithm == "" || len(k.PKCS8) == 0) {
			t.Fatal("success without a key")
		}
		// Raw DER too, behind a PEM armour the fuzzer need not learn.
		_, _ = keys.ReadKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}),
			pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}), signingTime)
	})
}

// TestReadPKCS12 reads files written by go-pkcs12's Modern encoder and by
// OpenSSL 3 (an independent writer), and checks the result against package
// keys, which uses go-pkcs12 and crypto/x509.
func TestReadPKCS12(t *testing.T) {
	tests := []struct {
		name, file, password string
		now                  time.Time
		alg                  string
		want                 error
	}{
		{"RSA, go-pkcs12", "rsa.p12", testPassword, signingTime, keys.AlgRSASHA256, nil},
		{"EC, go-pkcs12", "ec.p12", testPassword, signingTime, keys.AlgECDSASHA256, nil},
		{"RSA, OpenSSL 3", "rsa-openssl.p12", testPassword, signingTime, keys.AlgRSASHA256, nil},
		{"EC, OpenSSL 3", "ec-openssl.p12", testPassword, signingTime, keys.AlgECDSASHA256, nil},
		{"wrong password", "rsa.p12", "not-the-password", signingTime, "", keys.ErrWrongPassword},
		{"wrong password, OpenSSL", "ec-openssl.p12", "", signingTime, "", keys.ErrWrongPassword},
		{"not yet valid", "ec.p12", testPassword, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), "", keys.ErrNotYetValid},
		{"P-384", "p384.p12", testPassword, signingTime, "", keys.ErrUnsupportedKey},
		{"legacy 3DES", "rsa-legacy.p12", testPassword, signingTime, "", keys.ErrPKCS12},
		{"not PKCS#12", "rsa.crt.pem", testPassword, signingTime, "", keys.ErrPKCS12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := keys.ReadPKCS12(testFile(t, ""+tt.file), tt.password, tt.now)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
				assert.Nil(t, k)
				if err != nil && tt.password != "" {
					assert.NotContains(t, err.Error(), tt.password)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.alg, k.Algorithm)
			ref, err := gokeys.ParsePKCS12(testFile(t, ""+tt.file), tt.password, tt.now)
			require.NoError(t, err)
			assert.Equal(t, ref.Certificate(), k.Certificate)
			assert.Equal(t, ref.Leaf().RawSubjectPublicKeyInfo, k.PublicKey)
			priv, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
			require.NoError(t, err)
			pub, ok := priv.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool })
			require.True(t, ok)
			assert.True(t, pub.Equal(ref.Leaf().PublicKey))
		})
	}
}
