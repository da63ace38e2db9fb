package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
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
	cmd.Env = append(os.Environ(), "SOCRED_ADDR=127.0.0.1:0", "SOCRED_DEMO_USER=", "SOCRED_DEMO_PASSWORD=")
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
		"online prints the token": {[]string{"-online"}, map[string]string{"SOCRED_APPLICATION_TOKEN": "tok-1"}, []string{"socred login: demo / pw", "socred token: tok-1"}},
		"a chosen user":           {nil, map[string]string{"SOCRED_DEMO_USER": "admin"}, []string{"socred login: admin / pw"}},
		"proxy mode":              {[]string{"-proxy", "https://sod.superoffice.com/Cust12345"}, nil, []string{"socred proxy: https://sod.superoffice.com/Cust12345"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"SOCRED_ADDR": "127.0.0.1:0", "SOCRED_DEMO_PASSWORD": "pw"}
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
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		env, addr, dir, want string
		fails                bool
	}{
		"the next port by default":           {"", "127.0.0.1:8080", dir, "127.0.0.1:8081", false},
		"a free port when SOCRED_ADDR has 0": {"", "127.0.0.1:0", dir, "127.0.0.1:0", false},
		"as set":                             {"127.0.0.1:9001", "127.0.0.1:8080", dir, "127.0.0.1:9001", false},
		"off":                                {"off", "127.0.0.1:8080", dir, "", false},
		"no folder, no portal":               {"", "127.0.0.1:8080", filepath.Join(dir, "missing"), "", false},
		"set without its folder":             {"127.0.0.1:9001", "127.0.0.1:8080", filepath.Join(dir, "missing"), "", true},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := portalAddress(tc.env, tc.addr, tc.dir)
			if tc.fails {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
