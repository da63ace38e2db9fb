package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// fakeNetServer is a loopback server that answers the page's SOAP calls
// with answer, for answers the local NetServer never gives (a call that
// hangs, a text that echoes what was sent). It answers CORS preflights
// from any origin, since the page runs on another one.
func fakeNetServer(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, body []byte)) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "POST")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, SOAPAction")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		answer(w, r, body)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}
