package netserver

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"socred/soap"
)

// FuzzHandler sends arbitrary bodies, with each SOAPAction and Content-Type
// choice, to the handler. Its aim: errors are fine; panics, hangs and
// answers outside the statuses WCF gives are not, and every SOAP answer is
// one socred's client can classify.
func FuzzHandler(f *testing.F) {
	for _, op := range soap.Operations {
		for _, v := range []soap.Version{soap.SOAP11, soap.SOAP12} {
			env, err := soap.Build(soap.Request{
				Operation: op, Ticket: "7T:abc", AssociateID: 3, Type: "imap", Credentials: creds("p", "s"),
				PublicValue: "p", UserName: DemoUser, Password: testPassword, Version: v, XSIType: v == soap.SOAP12,
			})
			if err != nil {
				f.Fatal(err)
			}
			f.Add(env.XML, uint8(0), uint8(len(soap.Operations)))
		}
	}
	seeds, _ := filepath.Glob(filepath.Join("..", "soap", "testdata", "*.xml"))
	signed, _ := filepath.Glob(filepath.Join("..", "wssec", "testdata", "*.xml"))
	seeds = append(seeds, signed...)
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, uint8(1), uint8(0))
		}
	}
	cfg := Demo("", testPassword)
	cfg.SOAP12 = true
	ns, err := New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	ticket, err := ns.Ticket(DemoUser, testPassword)
	if err != nil {
		f.Fatal(err)
	}
	contentTypes := []string{"text/xml; charset=utf-8", "application/soap+xml; charset=utf-8; action=\"" + soap.GetForAssociate.Action() + "\"", "text/plain", ""}
	allowed := map[int]bool{200: true, 400: true, 404: true, 413: true, 415: true, 500: true}
	f.Fuzz(func(t *testing.T, body []byte, ctChoice, opChoice uint8) {
		body = bytes.ReplaceAll(body, []byte("7T:abc"), []byte(ticket))
		op := soap.Operations[int(opChoice)%len(soap.Operations)]
		req := httptest.NewRequest(http.MethodPost, "/site/"+op.Path(), bytes.NewReader(body))
		req.Header.Set("Content-Type", contentTypes[int(ctChoice)%len(contentTypes)])
		if int(opChoice) < len(soap.Operations) {
			req.Header.Set("SOAPAction", `"`+op.Action()+`"`)
		}
		rec := httptest.NewRecorder()
		ns.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if rec.Code == 200 || rec.Code == 500 || rec.Code == 400 {
			_, err := soap.Classify(op, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
			if err != nil && rec.Code == 200 {
				if _, ok := err.(*soap.ExceptionInfo); !ok && err != soap.ErrAuthenticationFailed {
					t.Fatalf("a 200 answer socred cannot read: %v\n%s", err, rec.Body.Bytes())
				}
			}
		}
	})
}
