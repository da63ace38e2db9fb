//go:build bench

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBenchProfile shows where a socred.buildEnvelope call's time goes:
// Chromium's sampling profiler (every 50 µs) over 3,000 calls, summed per
// function, by self time and by time on the stack (each function once per
// sample), with the Go runtime's own count of garbage collections and heap
// allocated over the same calls. It measures; it asserts nothing.
func TestBenchProfile(t *testing.T) {
	static := filepath.Join(repoRoot, "web/static")
	// The module with its name section, so that the profile names Go's
	// functions; the page and everything else as served.
	named := filepath.Join(t.TempDir(), "socred.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-w", "-o", named, "./wasm/cmd/socred")
	cmd.Dir = repoRoot
	cmd.Env = append(nativeEnv(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	files := http.FileServer(http.Dir(static))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	const calls = 3000
	loop := `(async () => {
		await socred.ready;
		const req = ` + benchRequest + `;
		for (let i = 0; i < ` + fmt.Sprint(calls) + `; i++) await socred.buildEnvelope(req);
		return true;
	})()`
	var ok bool
	run(t, ctx, chromedp.Evaluate(loop, &ok, awaitPromise)) // warm-up
	var memBefore, memAfter map[string]float64
	memStats := `(globalThis.socredMemStats ? globalThis.socredMemStats() : {})`
	run(t, ctx, chromedp.Evaluate(memStats, &memBefore))
	run(t, ctx, profiler.Enable(), profiler.SetSamplingInterval(50), profiler.Start())
	run(t, ctx, chromedp.Evaluate(loop, &ok, awaitPromise))
	var prof *profiler.Profile
	run(t, ctx, chromedp.ActionFunc(func(ctx2 context.Context) error {
		var err error
		prof, err = profiler.Stop().Do(ctx2)
		return err
	}))
	run(t, ctx, chromedp.Evaluate(memStats, &memAfter))

	parent := map[int64]int64{}
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	name := func(n *profiler.ProfileNode) string {
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
		self[name(byID[id])] += dt
		seen := map[string]bool{}
		for n, ok := id, true; ok; n, ok = parent[n] {
			s := name(byID[n])
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
	t.Logf("profile of %d socred.buildEnvelope calls: %.1f µs/call sampled\nby self time:\n%sby time on the stack:\n%s",
		calls, all/calls, top(self, 30), top(total, 40))
	if len(memBefore) > 0 {
		t.Logf("Go runtime over the %d calls: %.0f GCs, %.0f bytes allocated per call, %.1f mallocs per call",
			calls, memAfter["numGC"]-memBefore["numGC"], (memAfter["totalAlloc"]-memBefore["totalAlloc"])/calls,
			(memAfter["mallocs"]-memBefore["mallocs"])/calls)
	}
}
