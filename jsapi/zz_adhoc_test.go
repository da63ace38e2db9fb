package jsapi

import (
	"testing"

	"socred/soap"
)

const benchText = `{"endpoint":"https://crm.example.com/Cust1","applicationToken":"app-token","ticket":"7T:x","associateId":2,"type":"imap",` +
	`"credentials":{"validFrom":"2025-01-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z","comment":"bench","secretValue":"s","publicValue":"p","isActive":true}}`

func BenchmarkAdhoc(b *testing.B) {
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		c, _, _ := ReadJSON("buildEnvelope", benchText, parseTestURL)
		env, _ := soap.Build(c.Request)
		buf, _ = AppendEnvelope(buf[:0], c, env, false)
	}
}
func BenchmarkAdhocRead(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ReadJSON("buildEnvelope", benchText, parseTestURL)
	}
}
func BenchmarkAdhocParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parseJSON(benchText)
	}
}
