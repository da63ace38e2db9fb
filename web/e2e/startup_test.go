package e2e

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
)

// TestStartupFailureIsExplained serves the page under a CSP without
// 'wasm-unsafe-eval': the module cannot compile, and the page must say why
// instead of staying blank.
func TestStartupFailureIsExplained(t *testing.T) {
	files := http.FileServer(http.Dir(filepath.Join(repoRoot, "web/static")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.URL+"/"))
	// Wait for the page's own signal: #startup-error exists only once
	// form.html is in place, so polling it directly raced the page's start.
	waitFor(t, ctx, `document.body.dataset.state === "failed"`)
	var msg string
	var disabled bool
	eval(t, ctx, `document.querySelector("#startup-error").textContent`, &msg)
	eval(t, ctx, `document.querySelector("#save").disabled`, &disabled)
	var hidden bool
	eval(t, ctx, `document.querySelector("#startup-error").hidden`, &hidden)
	assert.False(t, hidden, "the start-up error is shown")
	assert.Contains(t, msg, "wasm-unsafe-eval")
	assert.True(t, disabled, "nothing can be sent without the module")
	screenshot(t, ctx, "09-startup-error")
}
