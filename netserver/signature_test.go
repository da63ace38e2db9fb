package netserver

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/keys"
	"socred/keys/gokeys"
	testkeys "socred/keys/testdata"
	"socred/soap"
	"socred/wssec"
)

func testKey(t *testing.T, name string) []byte {
	t.Helper()
	b, err := testkeys.FS.ReadFile(name)
	require.NoError(t, err)
	return b
}

func testSigner(t *testing.T, kind string, now time.Time) *gokeys.Signer {
	t.Helper()
	s, err := gokeys.ParsePEM(testKey(t, kind+".key.pem"), testKey(t, kind+".crt.pem"), now)
	require.NoError(t, err)
	return s
}

// signingServer is the demo NetServer requiring signatures by the RSA test
// certificate, on a settable clock, and a ticket for the demo user.
func signingServer(t *testing.T) (*testServer, *clock, string) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	trusted, err := ReadCertificatesPEM(testKey(t, "rsa.crt.pem"))
	require.NoError(t, err)
	cfg := Demo("", testPassword)
	cfg.TrustedSigners = trusted
	cfg.Now = clk.now
	cfg.SOAP12 = true
	s := newTestServer(t, cfg)
	ticket, err := s.NetServer.Ticket(DemoUser, testPassword)
	require.NoError(t, err)
	return s, clk, ticket
}

func saveRequest(ticket, public string) soap.Request {
	return soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap", Credentials: creds(public, "pw")}
}

// sendXML posts envelope bytes with env's headers and classifies the answer.
func sendXML(t *testing.T, site string, env *soap.Envelope, xml []byte) (*soap.Response, error) {
	t.Helper()
	h := http.Header{}
	for _, kv := range env.Headers() {
		h.Set(kv.Key, kv.Value)
	}
	resp := post(t, site, env.Operation, h, xml)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return soap.Classify(env.Operation, resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

func signed(t *testing.T, r soap.Request, s wssec.Signer, o wssec.SignOptions) *soap.Envelope {
	t.Helper()
	env, err := soap.Build(r)
	require.NoError(t, err)
	out, err := wssec.Sign(env, s, o)
	require.NoError(t, err)
	return out
}

// wantSecurityFault checks for a WS-Security fault with the code.
func wantSecurityFault(t *testing.T, err error, code string) {
	t.Helper()
	var f *soap.Fault
	require.ErrorAs(t, err, &f)
	got := f.Code
	if len(f.Subcodes) > 0 {
		got = f.Subcodes[len(f.Subcodes)-1]
	}
	assert.Equal(t, wssec.NSWSSE, got.Space, "fault %v: %s", got, f.String)
	assert.Equal(t, code, got.Local, "fault text: %s", f.String)
	assert.Equal(t, http.StatusInternalServerError, f.Status)
}

// element returns the one <soap:Body …>…</soap:Body> of a signed envelope.
func bodyElement(t *testing.T, xml string) string {
	t.Helper()
	i := strings.Index(xml, "<soap:Body")
	j := strings.Index(xml, "</soap:Body>")
	require.True(t, i >= 0 && j > i, "no Body in\n%s", xml)
	return xml[i : j+len("</soap:Body>")]
}

func TestSignatureRequired(t *testing.T) {
	s, clk, ticket := signingServer(t)
	rsaSigner := testSigner(t, "rsa", clk.t)
	opts := wssec.SignOptions{Now: clk.now}

	t.Run("a valid signature is accepted", func(t *testing.T) {
		for _, v := range []soap.Version{soap.SOAP11, soap.SOAP12} {
			for _, mu := range []bool{false, true} {
				r := saveRequest(ticket, "signed.example.com")
				r.Version = v
				env := signed(t, r, rsaSigner, wssec.SignOptions{Now: clk.now, MustUnderstand: mu})
				_, err := sendXML(t, s.SiteURL, env, env.XML)
				require.NoError(t, err, "mustUnderstand %v", mu)
			}
		}
		assert.Len(t, s.NetServer.Credentials(3, "imap"), 1, "saved four times, under one public value")
	})

	t.Run("an unsigned request is refused", func(t *testing.T) {
		env, err := soap.Build(saveRequest(ticket, "unsigned.example.com"))
		require.NoError(t, err)
		_, err = sendXML(t, s.SiteURL, env, env.XML)
		wantSecurityFault(t, err, CodeInvalidSecurity)
	})

	t.Run("a changed Body is refused", func(t *testing.T) {
		env := signed(t, saveRequest(ticket, "tampered.example.com"), rsaSigner, opts)
		xml := strings.Replace(string(env.XML), "tampered.example.com", "tampered.example.con", 1)
		_, err := sendXML(t, s.SiteURL, env, []byte(xml))
		wantSecurityFault(t, err, CodeFailedCheck)
	})

	t.Run("a changed SignatureValue is refused", func(t *testing.T) {
		env := signed(t, saveRequest(ticket, "sv.example.com"), rsaSigner, opts)
		xml := string(env.XML)
		i := strings.Index(xml, "<ds:SignatureValue>") + len("<ds:SignatureValue>")
		c := "A"
		if xml[i] == 'A' {
			c = "B"
		}
		_, err := sendXML(t, s.SiteURL, env, []byte(xml[:i]+c+xml[i+1:]))
		wantSecurityFault(t, err, CodeFailedCheck)
	})

	t.Run("an expired Timestamp is refused", func(t *testing.T) {
		old := func() time.Time { return clk.t.Add(-10 * time.Minute) }
		env := signed(t, saveRequest(ticket, "late.example.com"), rsaSigner, wssec.SignOptions{Now: old})
		_, err := sendXML(t, s.SiteURL, env, env.XML)
		wantSecurityFault(t, err, CodeMessageExpired)
	})

	t.Run("a Timestamp from the future is refused", func(t *testing.T) {
		future := func() time.Time { return clk.t.Add(10 * time.Minute) }
		env := signed(t, saveRequest(ticket, "early.example.com"), rsaSigner, wssec.SignOptions{Now: future})
		_, err := sendXML(t, s.SiteURL, env, env.XML)
		wantSecurityFault(t, err, CodeInvalidSecurity)
	})

	t.Run("an untrusted certificate is refused", func(t *testing.T) {
		env := signed(t, saveRequest(ticket, "ec.example.com"), testSigner(t, "ec", clk.t), opts)
		_, err := sendXML(t, s.SiteURL, env, env.XML)
		wantSecurityFault(t, err, CodeInvalidSecurityToken)
	})

	t.Run("another algorithm is refused", func(t *testing.T) {
		env := signed(t, saveRequest(ticket, "sha1.example.com"), rsaSigner, opts)
		xml := strings.Replace(string(env.XML), keys.AlgRSASHA256, "http://www.w3.org/2000/09/xmldsig#rsa-sha1", 1)
		_, err := sendXML(t, s.SiteURL, env, []byte(xml))
		wantSecurityFault(t, err, CodeUnsupportedAlgorithm)
	})

	// Signature wrapping: the signed Body moves aside (its digest still
	// matches) and a forged Body takes its place.
	forged := func(t *testing.T, withID bool) (env *soap.Envelope, original, fake string) {
		env = signed(t, saveRequest(ticket, "genuine.example.com"), rsaSigner, opts)
		original = bodyElement(t, string(env.XML))
		forgedEnv, err := soap.Build(saveRequest(ticket, "attacker.example.com"))
		require.NoError(t, err)
		fake = bodyElement(t, string(forgedEnv.XML))
		if withID {
			id := original[strings.Index(original, "wsu:Id="):strings.Index(original, ">")]
			fake = strings.Replace(fake, "<soap:Body", `<soap:Body xmlns:wsu="`+wssec.NSWSU+`" `+id, 1)
		}
		return env, original, fake
	}
	for _, c := range []struct {
		name   string
		withID bool
		where  string // what the moved Body is put before
		code   string
	}{
		{"signed Body moved into a header wrapper", false, "</soap:Header>", CodeInvalidSecurity},
		{"signed Body moved into the Security header", false, "</wsse:Security>", CodeInvalidSecurity},
		{"forged Body with the signed Body's ID", true, "</soap:Header>", CodeFailedCheck},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, original, fake := forged(t, c.withID)
			xml := strings.Replace(string(env.XML), original, fake, 1)
			xml = strings.Replace(xml, c.where, `<w:Wrapper xmlns:w="urn:attacker">`+original+`</w:Wrapper>`+c.where, 1)
			_, err := sendXML(t, s.SiteURL, env, []byte(xml))
			wantSecurityFault(t, err, c.code)
			for _, rec := range s.NetServer.Credentials(3, "imap") {
				assert.NotEqual(t, "attacker.example.com", rec.PublicValue, "the forged Body was stored")
			}
		})
	}
}

// TestSignatureChain accepts a certificate issued by a trusted one.
func TestSignatureChain(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "socred test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "socred test administrator"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
	}, caCert, &leafKey.PublicKey, caKey)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(leafDER)
	require.NoError(t, err)
	signer, err := gokeys.NewSigner(leafKey, leaf)
	require.NoError(t, err)

	trusted, err := ReadCertificatesPEM(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	require.NoError(t, err)
	cfg := Demo("", testPassword)
	cfg.TrustedSigners = trusted
	cfg.Now = func() time.Time { return now }
	s := newTestServer(t, cfg)
	ticket, err := s.NetServer.Ticket(DemoUser, testPassword)
	require.NoError(t, err)
	env := signed(t, saveRequest(ticket, "chain.example.com"), signer, wssec.SignOptions{Now: cfg.Now})
	_, err = sendXML(t, s.SiteURL, env, env.XML)
	assert.NoError(t, err)
}

// TestSecurityHeaderWithoutRequirement keeps WCF's behaviour when no
// signature is required: mustUnderstand="0" is ignored, "1" is a
// MustUnderstand fault.
func TestSecurityHeaderWithoutRequirement(t *testing.T) {
	s := demoServer(t)
	ticket := login(t, s.SiteURL, DemoUser, testPassword)
	now := time.Now()
	signer := testSigner(t, "rsa", now)
	env := signed(t, saveRequest(ticket, "ignored.example.com"), signer, wssec.SignOptions{})
	_, err := sendXML(t, s.SiteURL, env, env.XML)
	require.NoError(t, err)

	env = signed(t, saveRequest(ticket, "refused.example.com"), signer, wssec.SignOptions{MustUnderstand: true})
	_, err = sendXML(t, s.SiteURL, env, env.XML)
	var f *soap.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, "MustUnderstand", f.Code.Local)
	assert.Contains(t, f.String, "Security")
}

func TestReadCertificatesPEM(t *testing.T) {
	got, err := ReadCertificatesPEM(append(testKey(t, "rsa.crt.pem"), testKey(t, "ec.crt.pem")...))
	require.NoError(t, err)
	assert.Len(t, got, 2)
	_, err = ReadCertificatesPEM(testKey(t, "rsa.key.pem"))
	assert.Error(t, err)
	_, err = New(Config{TrustedSigners: [][]byte{[]byte("not DER")}})
	assert.Error(t, err)
}

// TestSignatureCanonicalBound sends the security review's request (issue
// 16) and its variants to a NetServer that requires signatures: a message
// signed by a trusted key whose Body then gains siblings in a namespace
// declared on the Envelope, outside the signed Body, with a long URI. Each
// is refused with bounded memory (counted in bytes allocated, not seconds);
// before the bounds the review's 1 MB request took 9.65 s and 2 GB.
func TestSignatureCanonicalBound(t *testing.T) {
	s, clk, ticket := signingServer(t)
	env := signed(t, saveRequest(ticket, "bound.example.com"), testSigner(t, "rsa", clk.t), wssec.SignOptions{Now: clk.now})
	// bomb declares x (uriLen bytes) on the Envelope and adds siblings x:a
	// to the Body. Neither touches SignedInfo, so the SignatureValue still
	// verifies unless breakValue changes it.
	bomb := func(uriLen, siblings int, breakValue bool) []byte {
		xml := string(env.XML)
		xml = strings.Replace(xml, "<soap:Envelope ", `<soap:Envelope xmlns:x="urn:`+strings.Repeat("x", uriLen-4)+`" `, 1)
		xml = strings.Replace(xml, "</soap:Body>", strings.Repeat("<x:a/>", siblings)+"</soap:Body>", 1)
		if breakValue {
			xml = strings.Replace(xml, "<ds:SignatureValue>", "<ds:SignatureValue>AAAA", 1)
		}
		return []byte(xml)
	}
	// serve posts body to the handler itself, in this goroutine, so that
	// what it allocates can be counted.
	serve := func(body []byte) (error, uint64) {
		req := httptest.NewRequest(http.MethodPost, sitePath+"/"+env.Operation.Path(), bytes.NewReader(body))
		for _, kv := range env.Headers() {
			req.Header.Set(kv.Key, kv.Value)
		}
		rec := httptest.NewRecorder()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s.NetServer.ServeHTTP(rec, req)
		runtime.ReadMemStats(&after)
		_, err := soap.Classify(env.Operation, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
		return err, after.TotalAlloc - before.TotalAlloc
	}
	const bound = 64 << 20

	t.Run("the review's request, a 1 MB URI used by 1,000 siblings, is refused when read", func(t *testing.T) {
		body := bomb(1<<20, 1000, false)
		err, allocated := serve(body)
		var f *soap.Fault
		require.ErrorAs(t, err, &f)
		assert.Equal(t, http.StatusBadRequest, f.Status)
		assert.Contains(t, f.String, "namespace URI longer than 4 KiB")
		assert.Less(t, allocated, uint64(bound), "refusing %d bytes allocated %d bytes", len(body), allocated)
		t.Logf("refusing %d bytes allocated %d bytes", len(body), allocated)
	})
	t.Run("a signed Body that canonicalises past 16 MiB is refused", func(t *testing.T) {
		body := bomb(soap.MaxNamespaceURI, 5000, false) // 20 MB canonical
		err, allocated := serve(body)
		wantSecurityFault(t, err, CodeFailedCheck)
		var f *soap.Fault
		require.ErrorAs(t, err, &f)
		assert.Contains(t, f.String, "canonical XML of the signature larger than 16 MiB")
		assert.Less(t, allocated, uint64(bound), "refusing %d bytes allocated %d bytes", len(body), allocated)
		t.Logf("refusing %d bytes allocated %d bytes", len(body), allocated)
	})
	t.Run("without the key, nothing past SignedInfo is canonicalised", func(t *testing.T) {
		body := bomb(soap.MaxNamespaceURI, 5000, true)
		err, allocated := serve(body)
		wantSecurityFault(t, err, CodeFailedCheck)
		var f *soap.Fault
		require.ErrorAs(t, err, &f)
		assert.Contains(t, f.String, "the SignatureValue does not verify")
		// Following the Body reference would have grown a canonical
		// buffer to MaxCanonical, allocating twice that on the way.
		assert.Less(t, allocated, uint64(wssec.MaxCanonical), "refusing %d bytes allocated %d bytes", len(body), allocated)
		t.Logf("refusing %d bytes allocated %d bytes", len(body), allocated)
	})
	assert.Empty(t, s.NetServer.Credentials(3, "imap"), "a refused request was stored")
}
