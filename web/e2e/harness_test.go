package e2e

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// repoRoot is the module root, relative to this package.
const repoRoot = "../.."

// server is one running socred server, as its start-up lines describe it.
type server struct {
	Page, Site, User, Password string
	Portal                     string // the example portal, if the server printed it
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// TestMain removes the server binary built for the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}

// socredCommand builds ./web/cmd/socred once per test run, or returns
// SOCRED_E2E_SERVER (a command line, run from the repository root, of any
// program that prints the same start-up lines).
func socredCommand(t *testing.T) []string {
	t.Helper()
	if c := strings.Fields(os.Getenv("SOCRED_E2E_SERVER")); len(c) > 0 {
		return c
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "socred-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "socred")
		cmd := exec.Command("go", "build", "-o", binary, "./web/cmd/socred")
		cmd.Dir = repoRoot
		cmd.Env = nativeEnv()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./web/cmd/socred: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return []string{binary}
}

func nativeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOOS=") || strings.HasPrefix(kv, "GOARCH=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

var (
	pageLine   = regexp.MustCompile(`^socred page:\s+(\S+)`)
	siteLine   = regexp.MustCompile(`^socred site:\s+(\S+)`)
	loginLine  = regexp.MustCompile(`^socred login:\s+(\S+) / (\S+)`)
	portalLine = regexp.MustCompile(`^socred portal:\s+(\S+)`)
)

// startServer runs the socred server on a free loopback port with a fresh
// demo password and waits for its start-up lines; it is stopped when the
// test ends.
func startServer(t *testing.T, args ...string) server {
	t.Helper()
	_, err := os.Stat(filepath.Join(repoRoot, "web/static/socred.wasm"))
	require.NoError(t, err, "web/static/socred.wasm is missing: run `make wasm` first")

	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	command := append(socredCommand(t), args...)
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Dir = repoRoot
	cmd.Env = append(nativeEnv(), "SOCRED_ADDR=127.0.0.1:0", "SOCRED_DEMO_PASSWORD=e2e-"+hex.EncodeToString(pw))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	_, err = os.Stat(filepath.Join(repoRoot, "web/portal/index.html"))
	hasPortal := err == nil && os.Getenv("SOCRED_E2E_SERVER") == ""
	found := make(chan server, 1)
	go func() {
		var s server
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			if m := pageLine.FindStringSubmatch(line); m != nil {
				s.Page = m[1]
			}
			if m := siteLine.FindStringSubmatch(line); m != nil {
				s.Site = m[1]
			}
			if m := loginLine.FindStringSubmatch(line); m != nil {
				s.User, s.Password = m[1], m[2]
			}
			if m := portalLine.FindStringSubmatch(line); m != nil {
				s.Portal = m[1]
			}
			// The portal line, when there is one, comes last.
			if !sent && s.Page != "" && s.Site != "" && s.Password != "" && (s.Portal != "" || !hasPortal) {
				found <- s
				sent = true
			}
		}
	}()
	select {
	case s := <-found:
		return s
	case <-time.After(60 * time.Second):
		t.Fatal("the socred server printed no page, site and login lines within 60 s")
	}
	return server{}
}

// browser starts one headless Chromium for the whole test and returns a tab
// context, with the console messages the page logs collected in *console.
func browser(t *testing.T, console *[]string) context.Context {
	t.Helper()
	return browserWith(t, console)
}

// browserWith is browser with more Chromium options (a language, say).
func browserWith(t *testing.T, console *[]string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	// Chromium may still write to its profile as it exits, so the folder is
	// removed after the browser is gone, ignoring a late straggler.
	// Its name is short: Chromium's singleton socket,
	// TMPDIR/<profile>/org.chromium.Chromium.XXXXXX/SingletonSocket, must fit
	// the 107 bytes of a Unix socket's path, so a TMPDIR of up to ~45
	// characters still works.
	profile, err := os.MkdirTemp("", "cr")
	require.NoError(t, err)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.UserDataDir(profile),
		// Chromium puts its own org.chromium.Chromium.* folders in TMPDIR;
		// inside the profile they go when the profile does.
		chromedp.Env("TMPDIR="+profile),
		// The browser's time zone and language are the tests', not the
		// machine's: UTC (a date alone in a batch file is midnight UTC, as
		// the tests expect) and English (a test that wants another passes
		// --lang and --accept-lang).
		chromedp.Env("TZ=UTC", "LANG=C.UTF-8", "LANGUAGE=", "LC_ALL="),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	opts = append(opts, extra...)
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		opts = append(opts, chromedp.ExecPath("/usr/bin/chromium"))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		// cdproto predates some events of the installed Chromium; they are harmless.
		if !strings.HasPrefix(format, "unhandled") {
			t.Logf("chromedp: "+format, args...)
		}
	}))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		for range 10 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	var mu sync.Mutex
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			mu.Lock()
			for _, a := range e.Args {
				*console = append(*console, string(a.Value)+" "+a.Description)
			}
			mu.Unlock()
		case *runtime.EventExceptionThrown:
			mu.Lock()
			text := e.ExceptionDetails.Text
			if x := e.ExceptionDetails.Exception; x != nil && x.Description != "" {
				text += " " + x.Description
			}
			*console = append(*console, "exception: "+text)
			mu.Unlock()
		}
	})
	require.NoError(t, chromedp.Run(ctx))
	// A failed test says what the page said (cleanups run last first: this
	// one before the browser is gone).
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			defer mu.Unlock()
			if len(*console) == 0 {
				t.Log("the browser's console: (nothing)")
				return
			}
			t.Logf("the browser's console:\n\t%s", strings.Join(*console, "\n\t"))
		}
	})
	return ctx
}

// run runs actions with a time limit, failing the test on error.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Run(ctx, actions...))
}

// screenshot saves a full-page PNG under screenshots/ at the repository root.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	run(t, ctx, chromedp.FullScreenshot(&png, 100))
	dir := filepath.Join(repoRoot, "screenshots")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// waitFor polls a JavaScript condition.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	run(t, ctx, chromedp.Poll(cond, nil, chromedp.WithPollingTimeout(20*time.Second)))
}

// eval evaluates expr and decodes its JSON value into out.
func eval(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate(expr, out))
}

// violation is one axe-core rule broken on the page.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAccessibility runs axe-core (node_modules, pinned in
// package-lock.json) in the page and fails on serious or critical
// violations. The script is injected through DevTools, so the page's CSP
// needs no exception.
func checkAccessibility(t *testing.T, ctx context.Context, state string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, "node_modules/axe-core/axe.min.js"))
	if err != nil {
		msg := "axe-core is not installed (run `npm ci`): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Log(msg)
		return
	}
	var loaded bool
	run(t, ctx, chromedp.Evaluate(`typeof axe === "object"`, &loaded))
	if !loaded {
		run(t, ctx, chromedp.Evaluate(string(src)+"\n;true", &loaded))
	}
	var vs []violation
	run(t, ctx, chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`,
		&vs, awaitPromise))
	t.Logf("%s: axe-core found %d violation(s)", state, len(vs))
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			b, _ := json.Marshal(v)
			t.Errorf("%s: axe %s violation: %s", state, v.Impact, b)
		} else {
			t.Logf("%s: axe %s: %s (%s)", state, v.Impact, v.ID, v.Help)
		}
	}
}

// awaitPromise makes chromedp.Evaluate wait for the Promise it gets.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams {
	return p.WithAwaitPromise(true)
}
