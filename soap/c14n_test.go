//go:build !js

package soap

import (
	"crypto/dsa" //nolint:staticcheck // the Merlin vectors are signed with DSA-SHA1
	"crypto/sha1"
	"encoding/base64"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signingReference returns a file of the shared reference data: from
// $SOCRED_REFERENCE, else ../shared/reference beside the repository. Without
// it the test is skipped, except under CI=true, where it fails.
func signingReference(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("SOCRED_REFERENCE")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "reference")
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("reference data missing under CI: %v", err)
		}
		t.Skipf("reference data not found (%v); set SOCRED_REFERENCE to the shared/reference folder", err)
	}
	return path
}

// TestExcC14NMerlin checks the canonicaliser against Merlin Hughes's
// Exclusive C14N interop vector: each of its four references (with and
// without comments, with and without an InclusiveNamespaces PrefixList) must
// digest to the DigestValue the vector states, and the canonical SignedInfo
// must verify against the vector's DSA signature.
func TestExcC14NMerlin(t *testing.T) {
	path := signingReference(t, filepath.Join("xmldsig-vectors", "merlin-exc-c14n-one", "exc-signature.xml"))
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	ex, err := Explain(data)
	require.NoError(t, err)
	require.Len(t, ex.References, 4)
	want := []struct {
		alg, prefixes string
		comment       bool
	}{
		{AlgExcC14N, "", false},
		{AlgExcC14N, "bar #default", false},
		{AlgExcC14NWithComments, "", true},
		{AlgExcC14NWithComments, "bar #default", true},
	}
	for i, r := range ex.References {
		require.NoError(t, r.Err, "reference %d", i)
		assert.Equal(t, []string{want[i].alg}, r.Transforms, "reference %d", i)
		assert.Equal(t, want[i].prefixes, r.PrefixList, "reference %d", i)
		assert.Equal(t, want[i].comment, strings.Contains(string(r.Canonical), "<!--  comment -->"), "reference %d comments", i)
		assert.Equal(t, want[i].prefixes != "", strings.Contains(string(r.Canonical), `xmlns="urn:foo"`), "reference %d default namespace", i)
		assert.NotContains(t, string(r.Canonical), "xml:space", "exclusive c14n does not inherit xml:* attributes")
		sum := sha1.Sum(r.Canonical)
		assert.Equal(t, base64.StdEncoding.EncodeToString(r.DigestValue), base64.StdEncoding.EncodeToString(sum[:]),
			"reference %d digest; canonical form:\n%s", i, r.Canonical)
	}

	// The SignatureValue is DSA-SHA1 over the canonical SignedInfo, r||s.
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(data))
	num := func(tag string) *big.Int {
		el := doc.FindElement("//dsig:DSAKeyValue/dsig:" + tag)
		require.NotNil(t, el, tag)
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(el.Text()), ""))
		require.NoError(t, err)
		return new(big.Int).SetBytes(b)
	}
	pub := dsa.PublicKey{Parameters: dsa.Parameters{P: num("P"), Q: num("Q"), G: num("G")}, Y: num("Y")}
	sv, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(doc.FindElement("//dsig:SignatureValue").Text()), ""))
	require.NoError(t, err)
	require.Len(t, sv, 40)
	digest := sha1.Sum(ex.SignedInfo)
	assert.True(t, dsa.Verify(&pub, digest[:], new(big.Int).SetBytes(sv[:20]), new(big.Int).SetBytes(sv[20:])),
		"DSA signature over the canonical SignedInfo:\n%s", ex.SignedInfo)
}
