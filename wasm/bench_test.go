//go:build js && wasm

package wasm

import (
	_ "embed"
	"testing"
	"time"

	"socred/soap"
)

// responseGet is a GetUntrustedCredentialsForAssociate answer with three
// records, as the local NetServer writes it.
//
//go:embed testdata/response-get.xml
var responseGet []byte

// BenchmarkBuild is the in-browser time to validate and build a save
// envelope (make bench runs it under wasmbrowsertest).
func BenchmarkBuild(b *testing.B) {
	r := soap.Request{
		Operation: soap.SaveForAssociate, Ticket: "7T:dGVzdA==", AssociateID: 2, Type: "imap",
		Credentials: soap.UntrustedCredentials{
			ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Comment: "bench", SecretValue: "secret", PublicValue: "imap.example.com", IsActive: true,
		},
	}
	for b.Loop() {
		if _, err := soap.Build(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassify is the in-browser time to parse and classify an answer.
func BenchmarkClassify(b *testing.B) {
	for b.Loop() {
		resp, err := soap.Classify(soap.GetForAssociate, 200, "text/xml; charset=utf-8", responseGet)
		if err != nil || len(resp.Credentials) == 0 {
			b.Fatal(err)
		}
	}
}
