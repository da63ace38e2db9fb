//go:build js && wasm

package wasm

import (
	"testing"

	"socred/jsapi"
	"socred/soap"
)

// benchText is the bench's Save as JSON.stringify writes it.
const benchText = `{"endpoint":"https://crm.example.com/Cust1","applicationToken":"app-token","ticket":"7T:x","associateId":2,"type":"imap",` +
	`"credentials":{"validFrom":"2025-01-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z","comment":"bench","secretValue":"s","publicValue":"p","isActive":true}}`

// BenchmarkExportCall is buildEnvelope's Go side on the export path: the
// request text read, validated, built and written as the result's text.
func BenchmarkExportCall(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		RequestBuffer(int32(len(benchText)))
		n := copy(exportBuffers.req, benchText)
		if s := Call(OpBuildEnvelope, int32(n)); s <= 0 {
			b.Fatal(s, string(exportBuffers.res))
		}
	}
}

func BenchmarkExportParts(b *testing.B) {
	c, _, _ := jsapi.ReadJSON("buildEnvelope", benchText, parseURL)
	env, _ := soap.Build(c.Request)
	b.Run("ReadJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jsapi.ReadJSON("buildEnvelope", benchText, parseURL)
		}
	})
	b.Run("Build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			soap.Build(c.Request)
		}
	})
	b.Run("AppendEnvelope", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = jsapi.AppendEnvelope(buf[:0], c, env, nil, false, false)
		}
	})
}
