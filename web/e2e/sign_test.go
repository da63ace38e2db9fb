package e2e

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// keysDir holds the test keys, relative to the repository root (where the
// server runs) and to this package.
const keysDir = "keys/testdata"

const (
	nsEnvelope11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsEnvelope12 = "http://www.w3.org/2003/05/soap-envelope"
	nsWSU        = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
)

func keyPath(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(repoRoot, keysDir, name))
	require.NoError(t, err)
	return p
}

func readKey(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(keyPath(t, name))
	require.NoError(t, err)
	return b
}

// TestSignInBrowser signs envelopes in the real page with the browser's
// WebCrypto (RSA and EC, PEM and PKCS#12, SOAP 1.1 and 1.2) and verifies
// each with xmlsec1; one character changed in the signed Body must make
// xmlsec1 refuse it.
func TestSignInBrowser(t *testing.T) {
	srv := startServer(t)
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	for _, kind := range []string{"rsa", "ec"} {
		for _, form := range []string{"pem", "p12"} {
			for _, version := range []string{"1.1", "1.2"} {
				t.Run(kind+" "+form+" SOAP "+version, func(t *testing.T) {
					sig := `{key: ` + quote(string(readKey(t, kind+".key.pem"))) + `, certificate: ` + quote(string(readKey(t, kind+".crt.pem"))) + `}`
					if form == "p12" {
						sig = `{pkcs12: ` + quote(base64.StdEncoding.EncodeToString(readKey(t, kind+".p12"))) + `, password: "socred-test"}`
					}
					var out struct {
						OK          bool            `json:"ok"`
						XML         string          `json:"xml"`
						Error       json.RawMessage `json:"error"`
						Explanation struct {
							References []struct {
								Match bool `json:"match"`
							} `json:"references"`
						} `json:"explanation"`
					}
					run(t, ctx, chromedp.Evaluate(`socred.buildEnvelope({associateId: 3, type: "imap", ticket: "7T:e2e", soapVersion: `+quote(version)+`,
						credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2030-01-01T00:00:00Z", comment: "e2e <&> \"signed\"",
						secretValue: "pässword", publicValue: "imap.example.com", isActive: true}, signature: `+sig+`})`, &out, awaitPromise))
					require.True(t, out.OK, "buildEnvelope: %s", out.Error)
					require.Len(t, out.Explanation.References, 2)
					for i, r := range out.Explanation.References {
						assert.True(t, r.Match, "reference %d", i)
					}
					envNS := nsEnvelope11
					if version == "1.2" {
						envNS = nsEnvelope12
					}
					cert := keyPath(t, kind+".crt.pem")
					res, err := testenv.XMLSec1Verify(t, []byte(out.XML), cert, envNS)
					require.NoError(t, err, "xmlsec1 refused the browser's signature:\n%s\n%s", res, out.XML)
					assert.Contains(t, res, "SignedInfo References (ok/all): 2/2")

					require.Equal(t, 1, strings.Count(out.XML, "imap.example.com"))
					tampered := strings.Replace(out.XML, "imap.example.com", "imap.example.con", 1)
					res, err = testenv.XMLSec1Verify(t, []byte(tampered), cert, envNS)
					assert.Error(t, err, "xmlsec1 accepted a changed Body:\n%s", res)
				})
			}
		}
	}
	assert.Empty(t, console, "the page logged nothing")
}

// TestSignPage is an administrator's session with signing: keys chosen with
// the file pickers, refusals shown on the page naming the field, a signed
// save accepted by a local NetServer that requires signatures (an unsigned
// one refused), the signature explained in the preview, and the key
// forgotten with Clear key.
func TestSignPage(t *testing.T) {
	srv := startServer(t, "-require-signature", filepath.Join(keysDir, "rsa.crt.pem"))
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	text := func(t *testing.T, sel string) string {
		t.Helper()
		var s string
		eval(t, ctx, `(document.querySelector(`+quote(sel)+`) || {}).textContent || ""`, &s)
		return s
	}
	set := func(t *testing.T, id, value string) {
		t.Helper()
		var ok bool
		eval(t, ctx, `(() => { const e = document.getElementById(`+quote(id)+`); if (!e) return false;
			e.value = `+quote(value)+`; e.dispatchEvent(new Event("input", {bubbles: true}));
			e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, &ok)
		require.True(t, ok, "no input #%s", id)
	}
	click := func(t *testing.T, sel string) {
		t.Helper()
		run(t, ctx, chromedp.Click(sel, chromedp.ByQuery))
	}
	choose := func(t *testing.T, id string, names ...string) {
		t.Helper()
		var files []string
		for _, n := range names {
			files = append(files, keyPath(t, n))
		}
		run(t, ctx, chromedp.SetUploadFiles("#"+id, files, chromedp.ByQuery))
	}
	loadKey := func(t *testing.T) {
		t.Helper()
		run(t, ctx, chromedp.Evaluate(`document.querySelector("#sign-summary").textContent = ""; document.querySelector("#sign-alert").textContent = ""`, nil))
		click(t, "#sign-load")
		waitFor(t, ctx, `document.querySelector("#sign-summary").textContent !== "" || document.querySelector("#sign-alert").textContent !== ""`)
	}
	clearResult := `document.querySelector("#status").textContent = ""; document.querySelector("#alert").textContent = ""`
	result := func(t *testing.T) {
		t.Helper()
		waitFor(t, ctx, `document.querySelector("#status").textContent !== "" || document.querySelector("#alert").textContent !== ""`)
	}

	t.Run("off by default", func(t *testing.T) {
		var state struct {
			Visible bool `json:"visible"`
			Checked bool `json:"checked"`
			Open    bool `json:"open"`
		}
		eval(t, ctx, `({visible: !document.getElementById("sign").hidden, checked: document.getElementById("sign-on").checked,
			open: !document.getElementById("sign-body").hidden})`, &state)
		assert.True(t, state.Visible, "the Sign section is on the page")
		assert.False(t, state.Checked, "signing is off")
		assert.False(t, state.Open, "its fields are collapsed")
		click(t, "#sign-on")
		waitFor(t, ctx, `!document.getElementById("sign-body").hidden`)
	})

	t.Run("refusals name the field", func(t *testing.T) {
		for _, c := range []struct {
			name      string
			key, cert string
			password  string
			says      string
			invalid   string
		}{
			{"wrong password", "rsa.p12", "", "wrong", "password is wrong", "sign-password"},
			{"key and certificate do not match", "rsa.key.pem", "other.crt.pem", "", "does not match", "sign-cert"},
			{"expired certificate", "rsa.key.pem", "expired.crt.pem", "", "2001-01-01", "sign-cert"},
			{"unsupported key", "p384.key.pem", "p384.crt.pem", "", "P-256", "sign-key"},
		} {
			t.Run(c.name, func(t *testing.T) {
				choose(t, "sign-key", c.key)
				if c.cert != "" {
					choose(t, "sign-cert", c.cert)
				}
				set(t, "sign-password", c.password)
				loadKey(t)
				msg := text(t, "#sign-alert")
				assert.Contains(t, msg, "Signing key", "the message names the field")
				assert.Contains(t, msg, c.says)
				var invalid string
				eval(t, ctx, `(document.querySelector("#sign [aria-invalid=true]") || {}).id || ""`, &invalid)
				assert.Equal(t, c.invalid, invalid)
				if c.name == "expired certificate" {
					screenshot(t, ctx, "10-sign-expired")
				}
				click(t, "#sign-clear")
			})
		}
	})

	t.Run("a loaded key signs the login and the save", func(t *testing.T) {
		choose(t, "sign-key", "rsa.p12")
		set(t, "sign-password", "socred-test")
		loadKey(t)
		require.Contains(t, text(t, "#sign-summary"), "Key loaded: CN=socred test RSA", text(t, "#sign-alert"))
		assert.Contains(t, text(t, "#sign-summary"), "RSA-SHA256")
		var pw string
		eval(t, ctx, `document.getElementById("sign-password").value`, &pw)
		assert.Empty(t, pw, "the password is cleared once the key is loaded")

		set(t, "UserName", srv.User)
		set(t, "Password", srv.Password)
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#login")
		// The login answers beside its button.
		waitFor(t, ctx, `!document.getElementById("signed-in").hidden || document.getElementById("login-alert").textContent !== ""`)
		require.Contains(t, text(t, "#signed-in"), "Signed in as", text(t, "#login-alert"))

		set(t, "AssociateId", "3")
		set(t, "Type", "imap")
		set(t, "PublicValue", "signed.example.com")
		set(t, "SecretValue", "signed-secret")
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#save")
		result(t)
		assert.Contains(t, text(t, "#status"), "Saved", text(t, "#alert"))
	})

	t.Run("an unsigned save is refused by the gateway", func(t *testing.T) {
		click(t, "#sign-on")
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#save")
		result(t)
		assert.Contains(t, text(t, "#alert"), "not signed")
		assert.Contains(t, text(t, "#alert"), "InvalidSecurity")
		click(t, "#sign-on")
	})

	t.Run("the preview explains the signature", func(t *testing.T) {
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#preview")
		waitFor(t, ctx, `!document.getElementById("explain").hidden`)
		assert.Contains(t, text(t, "#preview-xml"), "<wsse:Security")
		refs := text(t, "#explain-refs")
		assert.Equal(t, 2, strings.Count(refs, "Digest matches"), refs)
		assert.Contains(t, refs, "Envelope/Body")
		assert.Contains(t, refs, "Envelope/Header/Security/Timestamp")
		assert.Contains(t, text(t, "#explain-signedinfo"), "<ds:SignedInfo")
		run(t, ctx, chromedp.ScrollIntoView("#explain", chromedp.ByQuery))
		screenshot(t, ctx, "11-sign-explain")
		checkAccessibility(t, ctx, "signed preview")
	})

	t.Run("a signed preview is not offered as a curl template", func(t *testing.T) {
		// Masked (the default), the signed Body holds {SecretValue}: filled
		// in, the digest breaks, so Copy as curl is off and the note says why.
		require.Contains(t, text(t, "#preview-xml"), "{SecretValue}")
		waitFor(t, ctx, `!document.getElementById("preview-note").hidden`)
		note := text(t, "#preview-note")
		assert.Contains(t, note, "Show secrets")
		assert.Contains(t, note, "Timestamp expires")
		var disabled bool
		eval(t, ctx, `document.getElementById("copy-curl").disabled`, &disabled)
		assert.True(t, disabled, "no Copy as curl of a signed template")

		click(t, "#show-secrets")
		waitFor(t, ctx, `!document.getElementById("preview-xml").textContent.includes("{SecretValue}")`)
		waitFor(t, ctx, `!document.getElementById("copy-curl").disabled`)
		note = text(t, "#preview-note")
		assert.Contains(t, note, "Timestamp expires", "shown secrets: still a warning that it expires")
		assert.NotContains(t, note, "Show secrets")
		click(t, "#show-secrets")
		waitFor(t, ctx, `document.getElementById("copy-curl").disabled`)
	})

	t.Run("Clear key forgets everything", func(t *testing.T) {
		var keyID string
		click(t, "#sign-clear")
		var state struct {
			Files   int    `json:"files"`
			Certs   int    `json:"certs"`
			Pass    string `json:"pass"`
			Summary string `json:"summary"`
		}
		eval(t, ctx, `({files: document.getElementById("sign-key").files.length, certs: document.getElementById("sign-cert").files.length,
			pass: document.getElementById("sign-password").value, summary: document.getElementById("sign-summary").textContent})`, &state)
		assert.Zero(t, state.Files)
		assert.Zero(t, state.Certs)
		assert.Empty(t, state.Pass)
		assert.Contains(t, state.Summary, "Key cleared")
		_ = keyID

		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#save")
		result(t)
		assert.Contains(t, text(t, "#alert"), "Signing key is missing")
		var invalid bool
		eval(t, ctx, `document.getElementById("sign-key").getAttribute("aria-invalid") === "true"`, &invalid)
		assert.True(t, invalid, "the key picker is marked")
	})

	t.Run("no key material in storage, the URL or the console", func(t *testing.T) {
		var where string
		eval(t, ctx, `JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href + document.cookie`, &where)
		for _, s := range []string{"socred-test", "PRIVATE KEY", "key-"} {
			assert.NotContains(t, where, s)
		}
		for _, line := range console {
			assert.NotContains(t, line, "PRIVATE KEY")
			assert.NotContains(t, line, "socred-test")
		}
	})
}
