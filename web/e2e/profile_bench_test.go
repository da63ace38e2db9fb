//go:build bench

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBenchProfile shows where the time of a socred.buildEnvelope call and
// of a socred.save call goes: Chromium's sampling profiler (every 50 µs)
// over 3,000 calls each, summed per function, by self time and by time on
// the stack (each function once per sample). The module is built with its
// name section, so Go's functions have names. The Go runtime's own counts
// (allocations, garbage collections per call) come from wasm's
// BenchmarkBuildEnvelopeCall. It measures; it asserts nothing.
func TestBenchProfile(t *testing.T) {
	static := filepath.Join(repoRoot, "web/static")
	// The module with its name section, so that the profile names Go's
	// functions; the page and everything else as served.
	named := filepath.Join(t.TempDir(), "socred.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-w", "-o", named, "./wasm/cmd/socred")
	cmd.Dir = repoRoot
	cmd.Env = append(nativeEnv(), "GOOS=js", "GOARCH=wasm", "GOWASM=satconv,signext")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	files := http.FileServer(http.Dir(static))
	saveAnswer, err := os.ReadFile(filepath.Join(repoRoot, "soap/testdata/response-save.xml"))
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/Remote/Services88/User.svc" {
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			_, _ = w.Write(saveAnswer)
			return
		}
		if r.URL.Path == "/socred.wasm" {
			w.Header().Set("Content-Type", "application/wasm")
			http.ServeFile(w, r, named)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.URL+"/"))
	for _, c := range []struct{ name, call string }{
		{"socred.clearKey (a call that does next to nothing: the floor)", "socred.clearKey(\"none\")"},
		{"socred.buildEnvelope", "socred.buildEnvelope(req)"},
		{"socred.save (to a server on this computer that answers at once)", "socred.save(req)"},
		{"a bare fetch of the envelope save sends, its answer read (save's baseline)", "bare()"},
	} {
		profileCalls(t, ctx, c.name, c.call)
	}
}

// profileCalls profiles 3,000 calls of call (a JavaScript expression using
// req, the bench's request) and logs where their time went.
func profileCalls(t *testing.T, ctx context.Context, name, call string) {
	const calls = 3000
	loop := `(async () => {
		await socred.ready;
		const req = ` + benchRequest + `;
		` + bareFetch + `
		for (let i = 0; i < ` + fmt.Sprint(calls) + `; i++) await ` + call + `;
		return true;
	})()`
	var ok bool
	run(t, ctx, chromedp.Evaluate(loop, &ok, awaitPromise)) // warm-up
	run(t, ctx, profiler.Enable(), profiler.SetSamplingInterval(50), profiler.Start())
	run(t, ctx, chromedp.Evaluate(loop, &ok, awaitPromise))
	var prof *profiler.Profile
	run(t, ctx, chromedp.ActionFunc(func(ctx2 context.Context) error {
		var err error
		prof, err = profiler.Stop().Do(ctx2)
		return err
	}))

	parent := map[int64]int64{}
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	label := func(n *profiler.ProfileNode) string {
		f := n.CallFrame.FunctionName
		if f == "" {
			f = "(anonymous)"
		}
		if u := n.CallFrame.URL; u != "" && !strings.HasPrefix(f, "(") {
			f += " [" + filepath.Base(u) + "]"
		}
		return f
	}
	self, total := map[string]float64{}, map[string]float64{}
	var all float64
	for i, id := range prof.Samples {
		dt := float64(0)
		if i+1 < len(prof.TimeDeltas) {
			dt = float64(prof.TimeDeltas[i+1])
		}
		all += dt
		self[label(byID[id])] += dt
		seen := map[string]bool{}
		for n, ok := id, true; ok; n, ok = parent[n] {
			s := label(byID[n])
			if !seen[s] {
				seen[s] = true
				total[s] += dt
			}
		}
	}
	top := func(m map[string]float64, k int) string {
		keys := make([]string, 0, len(m))
		for s := range m {
			keys = append(keys, s)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
		var b strings.Builder
		for _, s := range keys[:min(k, len(keys))] {
			fmt.Fprintf(&b, "  %6.1f µs/call %5.1f%%  %s\n", m[s]/calls, 100*m[s]/all, s)
		}
		return b.String()
	}
	t.Logf("profile of %d calls of %s: %.1f µs/call sampled\nby self time:\n%sby time on the stack:\n%s",
		calls, name, all/calls, top(self, 30), top(total, 40))
}
