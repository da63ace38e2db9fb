package soap

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzBuild's aim: for any input, Build returns either a ValidationErrors or
// well-formed XML that ParseRequest reads back to the same values. Text is
// never silently dropped or altered.
func FuzzBuild(f *testing.F) {
	f.Add(uint8(0), "7T:abc", "tok", int64(12), "imap", int64(1700000000), int64(1800000000), "comment <&>", "secret", "public", true, false, false, "user", "pw")
	f.Add(uint8(1), "", "", int64(-1), "", int64(0), int64(0), "", "", "", false, true, true, "", "")
	f.Add(uint8(2), "7T:\r\n", "\x00", int64(1<<31), "日本語😀", int64(-62135596800), int64(253402300799), "]]>", "\"'", "\ufffe", true, true, false, "a", "")
	f.Add(uint8(7), "", "t", int64(0), "", int64(0), int64(0), "", "", "", false, false, true, "admin", "p<a>ss")
	f.Add(uint8(8), "7T:abc", "", int64(2147483647), "", int64(0), int64(0), "", "", "", false, true, true, "", "")
	f.Add(uint8(9), "7T:abc", "tok", int64(-1), "", int64(0), int64(0), "", "", "", false, false, false, "bjørn.ås <&>", "")
	f.Fuzz(func(t *testing.T, op uint8, ticket, token string, associate int64, typ string, from, to int64,
		comment, secret, public string, active, soap12, xsi bool, user, password string) {
		r := Request{
			Operation: Operations[int(op)%len(Operations)], Ticket: ticket, ApplicationToken: token,
			AssociateID: associate, Type: typ, PublicValue: public, UserName: user, Password: password,
			Credentials: UntrustedCredentials{
				ValidFrom: time.Unix(from, 0), ValidTo: time.Unix(to, 0),
				Comment: comment, SecretValue: secret, PublicValue: public, IsActive: active,
			},
			XSIType: xsi,
		}
		if soap12 {
			r.Version = SOAP12
		}
		env, err := Build(r)
		if err != nil {
			var problems ValidationErrors
			require.True(t, errors.As(err, &problems), "not a ValidationErrors: %v", err)
			require.NotEmpty(t, problems)
			for _, p := range problems {
				require.NotEmpty(t, p.Field)
			}
			return
		}
		back, err := ParseRequest(env.XML)
		require.NoError(t, err, "%s", env.XML)
		assert.Equal(t, normalise(r), *back)
	})
}

// FuzzClassify's aim: errors are fine; panics, hangs and unbounded memory
// are not. Every error is one of the documented types. The seeds are every
// file in testdata (the response-*.xml answers of each operation, the user
// lookups' among them, faults, hostile bodies), each tried as the answer
// of every operation.
func FuzzClassify(f *testing.F) {
	seedFromTestdata(f, func(b []byte) { f.Add(200, b) })
	f.Add(500, []byte("<s:Envelope xmlns:s='"+NSEnvelope12+"'><s:Body><s:Fault><s:Code><s:Subcode/></s:Code></s:Fault></s:Body></s:Envelope>"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, op := range Operations {
			resp, err := Classify(op, status, "text/xml", body)
			if err == nil {
				require.NotNil(t, resp)
				continue
			}
			var (
				fault *Fault
				exc   *ExceptionInfo
				he    *HTTPError
			)
			known := errors.As(err, &fault) || errors.As(err, &exc) || errors.As(err, &he) ||
				errors.Is(err, ErrMalformed) || errors.Is(err, ErrAuthenticationFailed)
			require.True(t, known, "undocumented error %T: %v", err, err)
			_ = err.Error()
		}
	})
}

// FuzzParseRequest's aim: the local NetServer's reader never panics; what
// it accepts can be built again and read back the same.
func FuzzParseRequest(f *testing.F) {
	seedFromTestdata(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseRequest(body)
		if err != nil {
			return
		}
		if r.Validate() != nil {
			return
		}
		again, err := ParseRequest(marshal(r).XML)
		require.NoError(t, err)
		assert.Equal(t, normalise(*r), *again)
	})
}

// seedFromTestdata adds every file of testdata and the signed envelopes of
// wssec/testdata (requests with a Security header).
func seedFromTestdata(f *testing.F, add func([]byte)) {
	for _, pattern := range []string{filepath.Join("testdata", "*.*"), filepath.Join("..", "wssec", "testdata", "*.xml")} {
		paths, err := filepath.Glob(pattern)
		require.NoError(f, err)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			require.NoError(f, err)
			add(b)
		}
	}
}
