//go:build ignore

// generate writes the test keys and certificates of keys/testdata. It
// was run once and its output committed; run it again only to replace them:
//
//	go run ./keys/testdata/generate.go
//
// Every certificate is self-signed and valid from 2024 to 2099, except
// expired.crt.pem (2000–2001). The PKCS#12 files' password is "socred-test".
// The two *-openssl.p12 files come from an independent writer, OpenSSL 3.0
// (its defaults: PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC):
//
//	openssl pkcs12 -export -inkey rsa.key.pem -in rsa.crt.pem -passout pass:socred-test -out rsa-openssl.p12
//	openssl pkcs12 -export -inkey ec.key.pem -in ec.crt.pem -passout pass:socred-test -out ec-openssl.p12
//
// These keys sign test envelopes only; they protect nothing.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

const password = "socred-test"

var dir = filepath.Join("keys", "testdata")

func main() {
	rsaKey := must(rsa.GenerateKey(rand.Reader, 2048))
	ecKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	otherKey := must(rsa.GenerateKey(rand.Reader, 2048))
	p384Key := must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
	_, edKey := must2(ed25519.GenerateKey(rand.Reader))

	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC)

	rsaCert := cert(1, "socred test RSA", rsaKey, from, until)
	ecCert := cert(2, "socred test EC P-256", ecKey, from, until)

	writeKey("rsa.key.pem", "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(rsaKey)))
	writeKey("rsa.pkcs1.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))
	writeCert("rsa.crt.pem", rsaCert)
	writeKey("ec.key.pem", "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(ecKey)))
	writeKey("ec.sec1.pem", "EC PRIVATE KEY", must(x509.MarshalECPrivateKey(ecKey)))
	writeCert("ec.crt.pem", ecCert)

	write("rsa.p12", must(pkcs12.Modern.Encode(rsaKey, rsaCert, nil, password)))
	write("ec.p12", must(pkcs12.Modern.Encode(ecKey, ecCert, nil, password)))
	write("rsa-legacy.p12", must(pkcs12.LegacyDES.Encode(rsaKey, rsaCert, nil, password)))

	// The RSA key's certificate, long expired.
	writeCert("expired.crt.pem", cert(3, "socred test RSA (expired)", rsaKey,
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)))
	// A certificate for another RSA key: it matches neither rsa.key.pem nor ec.key.pem.
	writeCert("other.crt.pem", cert(4, "socred test other RSA", otherKey, from, until))
	// Keys socred refuses, with their certificates.
	p384Cert := cert(5, "socred test EC P-384", p384Key, from, until)
	writeKey("p384.key.pem", "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(p384Key)))
	writeCert("p384.crt.pem", p384Cert)
	write("p384.p12", must(pkcs12.Modern.Encode(p384Key, p384Cert, nil, password)))
	writeKey("ed25519.key.pem", "PRIVATE KEY", must(x509.MarshalPKCS8PrivateKey(edKey)))
	writeCert("ed25519.crt.pem", cert(6, "socred test Ed25519", edKey, from, until))
}

func cert(serial int64, cn string, key crypto.Signer, from, until time.Time) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"socred tests"}},
		NotBefore:             from,
		NotAfter:              until,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key))
	return must(x509.ParseCertificate(der))
}

func writeKey(name, typ string, der []byte) {
	write(name, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func writeCert(name string, c *x509.Certificate) {
	write(name, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
}

func write(name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		log.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}

func must2[T, U any](a T, b U, err error) (T, U) {
	if err != nil {
		log.Fatal(err)
	}
	return a, b
}
