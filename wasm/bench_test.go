//go:build js && wasm

package wasm

import (
	_ "embed"
	"runtime"
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

// BenchmarkBuildEnvelopeCall is socred.buildEnvelope called from
// JavaScript, as the page calls it: the request read, validated, built and
// turned into the result object, with the Go runtime's allocations
// (allocs/op, B/op) and garbage collections per call.
func BenchmarkBuildEnvelopeCall(b *testing.B) {
	obj, err := objectClass.New()
	if err != nil {
		b.Fatal(err)
	}
	api, err := Register(obj, "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer api.Release()
	fn, err := global("Function").New("return {endpoint: 'https://crm.example.com/Cust1', applicationToken: 'app-token', ticket: '7T:x', associateId: 2, type: 'imap'," +
		" credentials: {validFrom: '2025-01-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z', comment: 'bench', secretValue: 's', publicValue: 'p', isActive: true}};")
	if err != nil {
		b.Fatal(err)
	}
	req, err := fn.Invoke()
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := obj.Call("buildEnvelope", req); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.NumGC-before.NumGC)/float64(b.N), "GCs/op")
}
