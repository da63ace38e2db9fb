package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCurlCommand takes the "Copy as curl" command that the real module
// builds in the page and runs it under bash and sh with a fake curl on PATH,
// which records its arguments and standard input: the envelope must arrive
// byte for byte, and nothing a field holds may run as a command (a Comment
// with a line like a here-document's end marker, quotes, $(…), backticks).
func TestCurlCommand(t *testing.T) {
	srv := startServer(t)
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	// The fake curl writes its arguments NUL-separated, then its stdin.
	require.NoError(t, os.WriteFile(filepath.Join(bin, "curl"),
		[]byte("#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$CURL_OUT.args\"\ncat > \"$CURL_OUT.stdin\"\n"), 0o755))
	// The attack names its file relative to the shell's folder (dir), so the
	// Comment is the same text whatever TMPDIR is (an absolute path made it
	// longer than the 255 characters a Comment may have under a long TMPDIR).
	pwned := filepath.Join(dir, "pwned")
	const attack = "touch pwned"
	comment := "note\nSOCRED_ENVELOPE\n" + attack + "\n'; " + attack + "; '\n$(" + attack + ")`" + attack + "`"
	// The detector works: the attack, run as a command there, leaves the file.
	probe := exec.Command("sh", "-c", attack)
	probe.Dir = dir
	b, err := probe.CombinedOutput()
	require.NoError(t, err, "%s", b)
	require.FileExists(t, pwned)
	require.NoError(t, os.Remove(pwned))

	for _, tc := range []struct {
		name     string
		masked   bool
		endpoint string
	}{
		{"secrets shown", false, srv.Site},
		{"secrets masked", true, srv.Site},
		{"a quote in the site URL", false, srv.Site + "/it's$(id)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				OK    bool                `json:"ok"`
				XML   string              `json:"xml"`
				URL   string              `json:"url"`
				Curl  string              `json:"curl"`
				Heads []map[string]string `json:"headers"`
				Error map[string]any      `json:"error"`
			}
			req := `{endpoint: ` + quote(tc.endpoint) + `, ticket: "7T:a'b$(id)` + "`id`" + `", applicationToken: "tok'en",
				associateId: 2, type: "imap", maskSecrets: ` + map[bool]string{true: "true", false: "false"}[tc.masked] + `,
				credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2026-01-01T00:00:00Z", comment: ` + quote(comment) + `,
				secretValue: "s'$(id)", publicValue: "it's {a,b} *", isActive: true}}`
			run(t, ctx, chromedp.Evaluate(`socred.buildEnvelope(`+req+`)`, &out, awaitPromise))
			require.True(t, out.OK, "buildEnvelope failed: %v", out.Error)
			require.Contains(t, out.XML, "SOCRED_ENVELOPE", "the Comment is in the envelope")

			for _, shell := range []string{"bash", "sh"} {
				rec := filepath.Join(dir, tc.name+"-"+shell)
				cmd := exec.Command(shell, "-c", out.Curl)
				// A locale every Debian has (a machine's LC_ALL naming one
				// not installed makes bash print a warning).
				cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "CURL_OUT="+rec, "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "LANGUAGE=")
				cmd.Dir = dir
				b, err := cmd.CombinedOutput()
				_, serr := os.Stat(pwned)
				assert.True(t, os.IsNotExist(serr), "%s: a field's text ran as a command", shell)
				_ = os.Remove(pwned)
				require.NoError(t, err, "%s: %s", shell, b)
				assert.Empty(t, string(b), "%s printed something", shell)

				stdin, err := os.ReadFile(rec + ".stdin")
				require.NoError(t, err, "%s: curl was not run", shell)
				assert.Equal(t, out.XML, string(stdin), "%s: curl's stdin is the envelope, byte for byte", shell)

				args, err := os.ReadFile(rec + ".args")
				require.NoError(t, err)
				want := []string{"--silent", "--show-error", "--request", "POST", out.URL}
				for _, h := range out.Heads {
					want = append(want, "--header", h["name"]+": "+h["value"])
				}
				want = append(want, "--data-binary", "@-")
				assert.Equal(t, want, strings.Split(strings.TrimSuffix(string(args), "\x00"), "\x00"), "%s: curl's arguments", shell)
			}
		})
	}
	assert.NotContains(t, strings.Join(console, "\n"), "7T:a'b", "nothing logged")
}
