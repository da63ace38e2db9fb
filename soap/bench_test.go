package soap

import (
	"testing"
)

// BenchmarkBuild measures building (validation included) each golden request.
func BenchmarkBuild(b *testing.B) {
	for _, tc := range goldenCases() {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Build(tc.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClassify measures reading each kind of response.
func BenchmarkClassify(b *testing.B) {
	cases := []struct {
		name string
		op   Operation
		file string
	}{
		{"get", GetForAssociate, "response-get.xml"},
		{"save", SaveForAssociate, "response-save.xml"},
		{"create-default", CreateDefault, "response-create-default.xml"},
		{"authenticate", AuthenticateUsernamePassword, "response-authenticate.xml"},
		{"get-user", GetUser, "response-get-user.xml"},
		{"get-user-nil", GetUser, "response-get-user-nil.xml"},
		{"exception", SaveForAssociate, "response-exception.xml"},
		{"fault", SaveForAssociate, "fault11-action-not-supported.xml"},
	}
	for _, tc := range cases {
		body := readTestdata(b, tc.file)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				Classify(tc.op, 200, "text/xml", body)
			}
		})
	}
}

// BenchmarkParseRequest measures the local NetServer's strict reader.
func BenchmarkParseRequest(b *testing.B) {
	body := readTestdata(b, "request-save-for-associate.xml")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := ParseRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}
