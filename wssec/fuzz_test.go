package wssec

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/xmltree"
)

// FuzzExplain's aim: errors are fine; panics, hangs and unbounded output
// are not. The canonical bytes Explain returns come to at most MaxCanonical
// in all, a reference without Err has been followed, and ExplainSignedInfo
// states the same SignedInfo and references without following any.
func FuzzExplain(f *testing.F) {
	seedFromTestdata(f, func(b []byte) { f.Add(b) })
	f.Add(namespaceBomb(f, 1<<20, 1000, 0)) // the security review's request
	f.Add(namespaceBomb(f, xmltree.MaxNamespaceURI, 5000, 3))
	f.Fuzz(func(t *testing.T, doc []byte) {
		ex, err := Explain(doc)
		if err != nil {
			return
		}
		total := len(ex.SignedInfo)
		for i, r := range ex.References {
			total += len(r.Canonical)
			if r.Err == nil {
				require.NotNil(t, r.Canonical, "reference %d has no error and was not followed", i)
			}
		}
		require.LessOrEqual(t, total, MaxCanonical)

		stated, err := ExplainSignedInfo(doc)
		require.NoError(t, err, "Explain read the signature, ExplainSignedInfo did not")
		require.Equal(t, ex.SignedInfo, stated.SignedInfo)
		require.Len(t, stated.References, len(ex.References))
		for i, r := range stated.References {
			assert.Equal(t, ex.References[i].URI, r.URI, "reference %d", i)
			assert.Equal(t, ex.References[i].DigestValue, r.DigestValue, "reference %d", i)
			assert.Nil(t, r.Canonical, "reference %d was followed", i)
		}
	})
}

// namespaceBomb is the request of the security review (issue 16): the
// signed envelope of testdata with a namespace of uriLen bytes declared on
// the Envelope, outside the signed Body, and siblings elements in that
// namespace at the end of the Body, each of which Exclusive C14N writes with
// the whole declaration; extraRefs more copies of the Body's Reference in
// SignedInfo make a verifier canonicalise the Body again for each.
func namespaceBomb(t testing.TB, uriLen, siblings, extraRefs int) []byte {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("testdata", "signed-rsa-soap11.xml"))
	require.NoError(t, err)
	uri := "urn:" + strings.Repeat("x", uriLen-len("urn:"))
	doc = bytes.Replace(doc, []byte("<soap:Envelope "), []byte(`<soap:Envelope xmlns:x="`+uri+`" `), 1)
	doc = bytes.Replace(doc, []byte("</soap:Body>"), []byte(strings.Repeat("<x:a/>", siblings)+"</soap:Body>"), 1)
	ref := `<ds:Reference URI="#Body-1">`
	at := bytes.Index(doc, []byte(ref))
	end := bytes.Index(doc[at:], []byte("</ds:Reference>")) + at + len("</ds:Reference>")
	require.True(t, at > 0 && end > at, "no Body reference in the signed testdata")
	return slices.Insert(doc, end, bytes.Repeat(doc[at:end], extraRefs)...)
}

// seedFromTestdata adds every file of testdata and of soap/testdata (the
// messages that signatures cover).
func seedFromTestdata(f *testing.F, add func([]byte)) {
	for _, dir := range []string{"testdata", filepath.Join("..", "soap", "testdata")} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.*"))
		require.NoError(f, err)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			require.NoError(f, err)
			add(b)
		}
	}
}
