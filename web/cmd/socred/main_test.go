package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
	"socred/web/server"
)

var (
	pageLine  = regexp.MustCompile(`^socred page:  (http://127\.0\.0\.1:\d+/)$`)
	siteLine  = regexp.MustCompile(`^socred site:  (http://127\.0\.0\.1:\d+/demo)$`)
	loginLine = regexp.MustCompile(`^socred login: (\S+) / (\S+)$`)
)

// syncBuffer is a bytes.Buffer that the child's stderr copier and the
// test can use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// build compiles the command into a temporary folder, as `make run` would
// run it.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "socred")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// TestRun starts the real binary as `make run` does, with SOCRED_ADDR on a
// free port and a tiny page, reads the printed URLs, uses them, and stops it
// with SIGINT.
func TestRun(t *testing.T) {
	bin := build(t)
	static := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(static, "index.html"), []byte("<!doctype html><title>fake page</title>"), 0o644))
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{1, 2, 3}, 1000)...)
	require.NoError(t, os.WriteFile(filepath.Join(static, "socred.wasm"), wasm, 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-static", static)
	cmd.Env = append(os.Environ(), "SOCRED_ADDR=127.0.0.1:0", "SOCRED_DEMO_USER=", "SOCRED_DEMO_PASSWORD=", "SOCRED_PORTAL_ADDR=off")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	sc := bufio.NewScanner(stdout)
	var lines []string
	for len(lines) < 3 && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.Len(t, lines, 3, "stderr: %s", stderr.String())
	page := pageLine.FindStringSubmatch(lines[0])
	site := siteLine.FindStringSubmatch(lines[1])
	login := loginLine.FindStringSubmatch(lines[2])
	require.NotNil(t, page, lines[0])
	require.NotNil(t, site, lines[1])
	require.NotNil(t, login, lines[2])
	assert.Equal(t, page[1]+"demo", site[1])
	assert.Equal(t, "demo", login[1])
	assert.Len(t, login[2], 16, "a generated password")

	resp, err := http.Get(page[1])
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "fake page")
	assert.Equal(t, server.CSP, resp.Header.Get("Content-Security-Policy"))
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "'wasm-unsafe-eval'")

	resp, err = http.Get(page[1] + "socred.wasm")
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body) // net/http asked for gzip and undid it
	resp.Body.Close()
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	assert.Equal(t, wasm, got)

	resp, err = http.Get(page[1] + "config.json")
	require.NoError(t, err)
	var c struct{ Endpoint string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	resp.Body.Close()
	assert.Equal(t, site[1], page[1]+strings.TrimPrefix(c.Endpoint, "/"), "a path that, on the page's origin, is the printed site URL")

	env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: login[1], Password: login[2]})
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodPost, site[1]+"/"+soap.AuthenticateUsernamePassword.Path(), bytes.NewReader(env.XML))
	for _, kv := range env.Headers() {
		req.Header.Set(kv.Key, kv.Value)
	}
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r, err := soap.Classify(soap.AuthenticateUsernamePassword, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	require.NoError(t, err, "the printed login works")
	assert.True(t, strings.HasPrefix(r.Authentication.Ticket, "7T:"))

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	require.NoError(t, cmd.Wait(), "a clean stop on Ctrl-C; stderr: %s", stderr.String())
	assert.Contains(t, stderr.String(), "socred: stopped")
	assert.NotContains(t, stderr.String(), login[2], "the password is not logged")
}

func TestRunRefusals(t *testing.T) {
	getenv := func(env map[string]string) func(string) string {
		return func(k string) string { return env[k] }
	}
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
	}{
		"a public address without -public":    {map[string]string{"SOCRED_ADDR": "0.0.0.0:0"}, nil},
		"a LAN address without -public":       {map[string]string{"SOCRED_ADDR": "192.0.2.1:0"}, nil},
		"plain http proxy to another host":    {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-proxy", "http://netserver.example.com/site"}},
		"a bad data key":                      {map[string]string{"SOCRED_ADDR": "127.0.0.1:0", "SOCRED_DATA_KEY": "not base64!"}, []string{"-data", filepath.Join(t.TempDir(), "d.json")}},
		"a wildcard CORS origin":              {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-cors-origin", "*"}},
		"a wildcard embed origin":             {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-embed-origin", "https://*.example.com"}},
		"an embed origin with a path":         {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-embed-origin", "https://intranet.example.com/portal"}},
		"an unknown flag":                     {nil, []string{"-nope"}},
		"a fail rate above one":               {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-fail-rate", "1.5"}},
		"a negative latency":                  {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-latency", "-1s"}},
		"a signer file without a certificate": {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-require-signature", filepath.Join("..", "..", "..", "soap", "testdata", "keys", "rsa.key.pem")}},
		"a missing signer file":               {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-require-signature", filepath.Join(t.TempDir(), "none.pem")}},
		"-public without -allowed-host":       {map[string]string{"SOCRED_ADDR": "0.0.0.0:0"}, []string{"-public"}},
		"an allowed host with a scheme":       {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-allowed-host", "https://socred.example.com"}},
		"a wildcard allowed host":             {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-allowed-host", "*.example.com"}},
		"an endpoint origin with a path":      {map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}, []string{"-endpoint-origin", "https://sod.superoffice.com/Cust12345"}},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"-static", t.TempDir()}, tc.args...), getenv(tc.env), &out, &errb)
			assert.NotZero(t, code)
			assert.Empty(t, out.String(), "nothing printed as if it were listening")
			assert.NotEmpty(t, errb.String())
		})
	}
}

// TestRunModes runs the command in-process for the optional modes and
// checks what it prints.
func TestRunModes(t *testing.T) {
	static := t.TempDir()
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
		want []string
	}{
		"online prints the token":            {[]string{"-online"}, map[string]string{"SOCRED_APPLICATION_TOKEN": "tok-1"}, []string{"socred login: demo / pw", "socred token: tok-1", "socred note:  the demo records live in memory only: stopping socred forgets them (-data FILE keeps them)", "socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), example portal off"}},
		"a chosen user":                      {nil, map[string]string{"SOCRED_DEMO_USER": "admin"}, []string{"socred login: admin / pw", "socred note:  the demo records live in memory only: stopping socred forgets them (-data FILE keeps them)", "socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), example portal off"}},
		"-demo, the default said explicitly": {[]string{"-demo"}, nil, []string{"socred login: demo / pw", "socred note:  the demo records live in memory only: stopping socred forgets them (-data FILE keeps them)", "socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), example portal off"}},
		"proxy mode": {[]string{"-proxy", "https://sod.superoffice.com/Cust12345"}, nil, []string{
			"socred proxy: https://sod.superoffice.com/Cust12345",
			"socred mode:  proxy (no local NetServer), example portal off (SOCRED_PORTAL_ADDR=HOST:PORT starts it)"}},
		"-data keeps the records: no note": {[]string{"-data", filepath.Join(t.TempDir(), "creds.json")}, nil, []string{"socred login: demo / pw",
			"socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), example portal off"}},
		"public": {[]string{"-public", "-allowed-host", "socred.example.com"}, nil, []string{"socred login: demo / pw",
			"socred note:  the demo records live in memory only: stopping socred forgets them (-data FILE keeps them)",
			"socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), public (answers Host socred.example.com and loopback), example portal off (SOCRED_PORTAL_ADDR=HOST:PORT starts it)"}},
	} {
		t.Run(name, func(t *testing.T) {
			// The built-in example portal would start in demo mode.
			env := map[string]string{"SOCRED_ADDR": "127.0.0.1:0", "SOCRED_DEMO_PASSWORD": "pw", "SOCRED_PORTAL_ADDR": "off"}
			for k, v := range tc.env {
				env[k] = v
			}
			ctx, cancel := context.WithCancel(context.Background())
			pr, pw := io.Pipe()
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, append([]string{"-static", static}, tc.args...), func(k string) string { return env[k] }, pw, io.Discard)
				pw.Close()
			}()
			sc := bufio.NewScanner(pr)
			var lines []string
			for sc.Scan() {
				lines = append(lines, sc.Text())
				if len(lines) == 2+len(tc.want) {
					break
				}
			}
			cancel()
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			assert.Equal(t, 0, <-done)
			require.GreaterOrEqual(t, len(lines), 2)
			assert.Regexp(t, pageLine, lines[0])
			if strings.Contains(name, "proxy") {
				assert.Regexp(t, `^socred site:  http://127\.0\.0\.1:\d+/$`, lines[1], "the page's own origin")
			} else {
				assert.Regexp(t, siteLine, lines[1])
			}
			assert.Equal(t, tc.want, lines[2:])
		})
	}
}

func TestPortalAddress(t *testing.T) {
	for name, tc := range map[string]struct {
		env, addr, want string
		have            bool // a portal to serve: built in, or a -portal folder that exists
		production      bool // -proxy or -public
		fails           bool
	}{
		"the next port by default":            {"", "127.0.0.1:8080", "127.0.0.1:8081", true, false, false},
		"a free port when SOCRED_ADDR has 0":  {"", "127.0.0.1:0", "127.0.0.1:0", true, false, false},
		"as set":                              {"127.0.0.1:9001", "127.0.0.1:8080", "127.0.0.1:9001", true, false, false},
		"off":                                 {"off", "127.0.0.1:8080", "", true, false, false},
		"no folder, no portal":                {"", "127.0.0.1:8080", "", false, false, false},
		"set without its folder":              {"127.0.0.1:9001", "127.0.0.1:8080", "", false, false, true},
		"none in production unless asked for": {"", "127.0.0.1:8080", "", true, true, false},
		"in production when asked for":        {"127.0.0.1:9001", "127.0.0.1:8080", "127.0.0.1:9001", true, true, false},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := portalAddress(tc.env, tc.addr, tc.have, !tc.production)
			if tc.fails {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// started runs the command in-process until it has printed its mode line
// (and the portal line when the portal runs) and returns what it printed;
// it is stopped when the test ends, and must stop cleanly.
func started(t *testing.T, args []string, env map[string]string) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, func(k string) string { return env[k] }, pw, stderr)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if strings.HasPrefix(line, "socred mode:") && !strings.HasSuffix(line, "portal on") || strings.HasPrefix(line, "socred portal:") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, 0, <-done, "stderr: %s", stderr.String())
	})
	require.NotEmpty(t, lines, "stderr: %s", stderr.String())
	require.Regexp(t, pageLine, lines[0], "stderr: %s", stderr.String())
	return lines
}

// pageConfig fetches config.json from the page URL of lines, with host as
// the Host header ("" for the URL's own), and returns the page's headers.
func pageConfig(t *testing.T, lines []string, host string) (*http.Response, map[string]any) {
	t.Helper()
	page := pageLine.FindStringSubmatch(lines[0])[1]
	req, err := http.NewRequest(http.MethodGet, page+"config.json", nil)
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var c map[string]any
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	}
	return resp, c
}

// TestProductionModes: with -proxy or -public the example portal does not
// start unless SOCRED_PORTAL_ADDR asks for it, so its loopback origins are
// no embed origins of a production page (issue 16).
func TestProductionModes(t *testing.T) {
	portal := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(portal, "index.html"), []byte(`<title>portal</title>`), 0o644))
	static := t.TempDir()
	base := []string{"-static", static, "-portal", portal}
	env := map[string]string{"SOCRED_ADDR": "127.0.0.1:0", "SOCRED_DEMO_PASSWORD": "pw"}
	proxy := append(append([]string{}, base...), "-proxy", "https://sod.superoffice.com/Cust12345")

	t.Run("demo mode runs the portal and lets it embed the page", func(t *testing.T) {
		lines := started(t, base, env)
		assert.Contains(t, lines, "socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), example portal on")
		assert.Regexp(t, `^socred portal: http://127\.0\.0\.1:\d+/$`, lines[len(lines)-1])
		resp, c := pageConfig(t, lines, "")
		assert.Len(t, c["embedOrigins"], 2, "the portal as 127.0.0.1 and localhost")
		assert.NotContains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	})
	for name, args := range map[string][]string{
		"proxy mode":  proxy,
		"public mode": append(append([]string{}, base...), "-public", "-allowed-host", "socred.example.com"),
	} {
		t.Run(name+" runs no portal and cannot be framed", func(t *testing.T) {
			lines := started(t, args, env)
			for _, l := range lines {
				assert.NotRegexp(t, `^socred portal:`, l)
			}
			assert.Regexp(t, `^socred mode:  .*example portal off \(SOCRED_PORTAL_ADDR=HOST:PORT starts it\)$`, lines[len(lines)-1])
			resp, c := pageConfig(t, lines, "")
			assert.Equal(t, []any{}, c["embedOrigins"])
			assert.Equal(t, []any{}, c["endpointOrigins"])
			assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
			assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Opener-Policy"))
		})
	}
	t.Run("proxy mode runs the portal when SOCRED_PORTAL_ADDR asks", func(t *testing.T) {
		asked := map[string]string{"SOCRED_ADDR": "127.0.0.1:0", "SOCRED_PORTAL_ADDR": "127.0.0.1:0"}
		lines := started(t, proxy, asked)
		assert.Contains(t, lines, "socred mode:  proxy (no local NetServer), example portal on")
		_, c := pageConfig(t, lines, "")
		assert.Len(t, c["embedOrigins"], 2)
	})
	t.Run("proxy mode with -embed-origin and -endpoint-origin", func(t *testing.T) {
		lines := started(t, append(append([]string{}, proxy...), "-embed-origin", "https://intranet.example.com",
			"-endpoint-origin", "https://sod.superoffice.com", "-endpoint-origin", "https://sod2.superoffice.com"), env)
		resp, c := pageConfig(t, lines, "")
		assert.Equal(t, []any{"https://intranet.example.com"}, c["embedOrigins"])
		assert.Equal(t, []any{"https://sod.superoffice.com", "https://sod2.superoffice.com"}, c["endpointOrigins"])
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors https://intranet.example.com;")
	})
}

// TestAllowedHosts: the Host allow-list is always on; -allowed-host adds
// names to the loopback ones, and -public needs it.
func TestAllowedHosts(t *testing.T) {
	lines := started(t, []string{"-static", t.TempDir(), "-public", "-allowed-host", "socred.example.com", "-allowed-host", "Socred.Example.COM:8443"},
		map[string]string{"SOCRED_ADDR": "127.0.0.1:0", "SOCRED_DEMO_PASSWORD": "pw"})
	for host, want := range map[string]int{
		"":                        http.StatusOK, // 127.0.0.1:PORT, as printed
		"socred.example.com":      http.StatusOK,
		"socred.example.com:8443": http.StatusOK, // given in capitals, compared in lower case
		"socred.example.com:8080": http.StatusMisdirectedRequest,
		"evil.example.com":        http.StatusMisdirectedRequest, // a DNS-rebound page
		"example.com":             http.StatusMisdirectedRequest,
	} {
		resp, _ := pageConfig(t, lines, host)
		assert.Equal(t, want, resp.StatusCode, "Host %q", host)
	}

	t.Run("-public without -allowed-host refuses to start, naming the flag", func(t *testing.T) {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"-static", t.TempDir(), "-public"}, func(k string) string {
			return map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}[k]
		}, &out, &errb)
		assert.Equal(t, 2, code)
		assert.Empty(t, out.String())
		assert.Contains(t, errb.String(), "-public needs -allowed-host")
	})
}

func TestVersion(t *testing.T) {
	t.Run("-version prints it and stops", func(t *testing.T) {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"-version"}, func(string) string { return "" }, &out, &errb)
		assert.Equal(t, 0, code, "stderr: %s", errb.String())
		assert.Equal(t, "socred "+versionString()+"\n", out.String())
		assert.Regexp(t, `^devel(\+[0-9a-f]{12}(-dirty)?)?$`, versionString(), "a plain go build")
	})
	t.Run("make sets it at link time", func(t *testing.T) {
		bin := filepath.Join(t.TempDir(), "socred")
		cmd := exec.Command("go", "build", "-ldflags=-X main.version=1.2.3+abc", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		out, err = exec.Command(bin, "-version").CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Equal(t, "socred 1.2.3+abc\n", string(out))
	})
}

// TestBuiltInPage: a binary built before `make wasm` has no module among
// its files and must refuse to serve a page that cannot start.
func TestBuiltInPage(t *testing.T) {
	t.Run("without the module it refuses, saying how to build it", func(t *testing.T) {
		_, err := pageFiles("", fstest.MapFS{"index.html": {Data: []byte("<title>page</title>")}})
		require.ErrorIs(t, err, errNoModule)
		assert.Contains(t, err.Error(), "make dist")
		assert.Contains(t, err.Error(), "socred.wasm, socred-batch.wasm, wasm_exec.js")
	})
	t.Run("with the module it serves the built-in files", func(t *testing.T) {
		built := fstest.MapFS{"index.html": {}, "socred.wasm": {}, "socred-batch.wasm": {}, "wasm_exec.js": {}, "js/page.bundle.js": {}}
		got, err := pageFiles("", built)
		require.NoError(t, err)
		assert.Equal(t, fs.FS(built), got)
	})
	t.Run("-static serves the folder, and says when it has no module", func(t *testing.T) {
		dir := t.TempDir()
		got, err := pageFiles(dir, fstest.MapFS{})
		require.NoError(t, err)
		assert.Nil(t, got, "the server opens the folder itself")
		assert.Contains(t, versionLine(dir), "it has no socred.wasm, socred-batch.wasm, wasm_exec.js or js/page.bundle.js (run `make wasm`)")
		require.NoError(t, os.WriteFile(filepath.Join(dir, "socred.wasm"), []byte("\x00asm"), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "wasm_exec.js"), []byte("//"), 0o644))
		require.NoError(t, os.Mkdir(filepath.Join(dir, "js"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "js", "page.bundle.js"), []byte("//"), 0o644))
		assert.Contains(t, versionLine(dir), "it has no socred-batch.wasm (run `make wasm`): the page will say its Batch and Audit cannot start", "the batch module is part of the page")
		require.NoError(t, os.WriteFile(filepath.Join(dir, "socred-batch.wasm"), []byte("\x00asm"), 0o644))
		assert.Equal(t, versionString()+" (page from the folder "+dir+")", versionLine(dir))
	})
	t.Run("-demo and -proxy exclude each other", func(t *testing.T) {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"-static", t.TempDir(), "-demo", "-proxy", "https://sod.superoffice.com/Cust12345"},
			func(k string) string { return map[string]string{"SOCRED_ADDR": "127.0.0.1:0"}[k] }, &out, &errb)
		assert.Equal(t, 2, code)
		assert.Empty(t, out.String())
		assert.Contains(t, errb.String(), "-demo and -proxy exclude each other")
	})
}
