package keys_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/keys"
)

// TestCertificateSubject compares the x509-free reader with crypto/x509's
// RFC 4514 writer, on the test certificates and on names with several
// attributes, special characters and non-ASCII text.
func TestCertificateSubject(t *testing.T) {
	for _, name := range []string{"rsa", "ec", "other", "expired", "p384"} {
		t.Run(name, func(t *testing.T) {
			b, _ := pem.Decode(testFile(t, ""+name+".crt.pem"))
			require.NotNil(t, b)
			want, err := x509.ParseCertificate(b.Bytes)
			require.NoError(t, err)
			got, err := keys.CertificateSubject(b.Bytes)
			require.NoError(t, err)
			assert.Equal(t, want.Subject.String(), got)
		})
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	// Written in the certificate's order, reversed (RFC 4514 §2.1); Go
	// writes unnamed types as #hex and reorders e-mail addresses, so these
	// are spelled out.
	for _, c := range []struct {
		subject pkix.Name
		want    string
	}{
		{pkix.Name{CommonName: "Ada Lovelace", Organization: []string{"Analytical, Engines"}, OrganizationalUnit: []string{"R&D"}, Country: []string{"GB"}},
			`CN=Ada Lovelace,OU=R&D,O=Analytical\, Engines,C=GB`},
		{pkix.Name{CommonName: " leading and trailing ", Locality: []string{"Tromsø"}, Province: []string{"#hash"}},
			`CN=\ leading and trailing\ ,L=Tromsø,ST=\#hash`},
		{pkix.Name{CommonName: "a+b<c>d;e\"f\\g\x01", ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, Value: "ada@example.com"}}},
			`emailAddress=ada@example.com,CN=a\+b\<c\>d\;e\"f\\g\01`},
		{pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3}, Value: "NO"}}},
			`1.3.6.1.4.1.311.60.2.1.3=NO`},
	} {
		t.Run(c.want, func(t *testing.T) {
			tmpl := &x509.Certificate{
				SerialNumber: big.NewInt(7), Subject: c.subject,
				NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
			require.NoError(t, err)
			got, err := keys.CertificateSubject(der)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}

	for name, der := range map[string][]byte{"empty": nil, "truncated": {0x30, 0x82, 0x01}, "not a sequence": {0x04, 0x00}} {
		_, err := keys.CertificateSubject(der)
		assert.True(t, errors.Is(err, keys.ErrNoCertificate), "%s: %v", name, err)
	}
}
