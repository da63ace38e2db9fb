package wssec

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExplain explains a signed envelope: the canonicaliser's cost for
// the SignedInfo and both references.
func BenchmarkExplain(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join("testdata", "signed-rsa-soap11.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Explain(doc); err != nil {
			b.Fatal(err)
		}
	}
}
