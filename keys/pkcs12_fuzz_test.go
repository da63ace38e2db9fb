//go:build !js

package keys_test

import (
	"crypto"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"socred/keys"
	testkeys "socred/keys/testdata"
)

// FuzzReadPKCS12's aim: errors are fine; panics and hangs are not, and what
// ReadPKCS12 accepts, go-pkcs12 (which package keys uses natively) reads
// alike: the same private key, and as the certificate the first of go-pkcs12's
// that matches it. A password go-pkcs12 calls incorrect is never accepted.
//
// Allowed differences, where go-pkcs12 is asked only after ReadPKCS12
// accepted:
//   - ReadPKCS12 refuses what go-pkcs12 reads: files over
//     MaxPKCS12Iterations or MaxPKCS12Derivations (go-pkcs12 has no budget,
//     which is also why it is not asked about a file ReadPKCS12 refused: a
//     mutated iteration count would hang the fuzzer), legacy RC2/3DES
//     encryption, PBMAC1 and SHA-512 MACs, BER, keys other than RSA of at
//     least 2048 bits and ECDSA P-256, a key that matches no certificate,
//     a certificate not valid at the given time.
//   - go-pkcs12 refuses what ReadPKCS12 reads: a version other than 3, more
//     than two safes, more than one key bag (ReadPKCS12 takes the first that
//     pairs with a certificate), certificate bags that are not X.509 (skipped
//     here) or that crypto/x509 cannot parse, a password with characters
//     outside the BMP.
func FuzzReadPKCS12(f *testing.F) {
	for _, name := range []string{"rsa.p12", "ec.p12", "rsa-openssl.p12", "ec-openssl.p12", "rsa-legacy.p12", "p384.p12"} {
		data, err := testkeys.FS.ReadFile(name)
		require.NoError(f, err)
		f.Add(data, testkeys.Password)
	}
	for _, p := range []testkeys.PKCS12{
		{MACIterations: 1, CertIterations: 1, KeyBags: 1, KeyIterations: 1},
		{Password: "pw", MACIterations: 2, CertIterations: 1, KeyBags: 3, KeyIterations: 1, HideKeys: true},
		{Password: "pw", MACIterations: 1, CertIterations: 1, KeyBags: 70, KeyIterations: 1},
	} {
		data, err := p.Build("ec")
		require.NoError(f, err)
		f.Add(data, p.Password)
	}
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		k, err := keys.ReadPKCS12(data, password, now)
		if err != nil {
			return
		}
		require.NotEmpty(t, k.PKCS8, "success without a key")
		key, leaf, chain, err := pkcs12.DecodeChain(data, password)
		require.NotErrorIs(t, err, pkcs12.ErrIncorrectPassword, "ReadPKCS12 accepted a password go-pkcs12 calls incorrect")
		if err != nil {
			return
		}
		mine, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
		require.NoError(t, err, "go-pkcs12 parsed the same key bag")
		theirs, ok := key.(interface{ Equal(crypto.PrivateKey) bool })
		require.True(t, ok, "go-pkcs12 returned a %T", key)
		require.True(t, theirs.Equal(mine), "a different private key")

		pub := mine.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool })
		var want []byte
		for _, c := range append([]*x509.Certificate{leaf}, chain...) {
			if pub.Equal(c.PublicKey) {
				want = c.Raw
				break
			}
		}
		require.Equal(t, want, k.Certificate, "not the first certificate that matches the key")
	})
}
