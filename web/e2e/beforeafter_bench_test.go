//go:build bench

package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBenchBeforeAfter compares this tree's page and module with another
// build of them in one browser, interleaved, so that a shared machine's
// load falls on both alike: SOCRED_BENCH_BEFORE names the other tree's
// web/static (with its socred.wasm and wasm_exec.js built), e.g. of the
// commit before a change. Without it, it says so and measures nothing.
func TestBenchBeforeAfter(t *testing.T) {
	before := os.Getenv("SOCRED_BENCH_BEFORE")
	if before == "" {
		t.Log("SOCRED_BENCH_BEFORE is not set: no before/after comparison (set it to another build's web/static)")
		return
	}
	_, err := os.Stat(filepath.Join(before, "socred.wasm"))
	require.NoError(t, err, "SOCRED_BENCH_BEFORE must hold a built socred.wasm")
	static := filepath.Join(repoRoot, "web/static")
	hello := helloPage(t, static)
	saveAnswer, err := os.ReadFile(filepath.Join(repoRoot, "soap/testdata/response-save.xml"))
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/hello/", http.StripPrefix("/hello/", http.FileServer(http.Dir(hello))))
	mux.Handle("/before/", http.StripPrefix("/before/", http.FileServer(http.Dir(before))))
	mux.Handle("/after/", http.StripPrefix("/after/", http.FileServer(http.Dir(static))))
	answer := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write(saveAnswer)
	}
	mux.HandleFunc("POST /before/Remote/Services88/User.svc", answer)
	mux.HandleFunc("POST /after/Remote/Services88/User.svc", answer)
	srv := isolated(mux)
	defer srv.Close()

	var console []string
	ctx := browser(t, &console)
	run(t, ctx, network.Enable(), network.SetCacheDisabled(true))
	pages := []string{"hello", "before", "after"}
	ready := map[string][]float64{}
	for i := range benchRuns {
		for k := range pages {
			p := pages[(i+k)%len(pages)] // each goes first in turn
			ready[p] = append(ready[p], readyAt(t, ctx, srv.URL+"/"+p+"/"))
		}
	}
	run(t, ctx, network.Disable())

	// Calls: the two pages take turns in the tab (a second tab would be in
	// the background, where the browser throttles the timers Go's
	// scheduler uses).
	type times struct{ build, save, fetch []float64 }
	measure := map[string]*times{"before": {}, "after": {}}
	const rounds = 8
	for range rounds {
		for _, p := range []string{"before", "after"} {
			var res struct {
				Build []float64 `json:"build"`
				Save  []float64 `json:"save"`
				Fetch []float64 `json:"fetch"`
			}
			run(t, ctx, chromedp.Navigate(srv.URL+"/"+p+"/"))
			run(t, ctx, chromedp.Evaluate(`(async () => {
				await socred.ready;
				const req = {...`+benchRequest+`, endpoint: location.origin + "/`+p+`"};
				`+bareFetch+`
				const warm = 200;
				for (let i = 0; i < warm; i++) await socred.buildEnvelope(req);
				const build = [], save = [], fetchT = [];
				for (let i = 0; i < 100; i++) {
					const t0 = performance.now();
					await socred.buildEnvelope(req);
					build.push((performance.now() - t0) * 1000);
				}
				for (let i = 0; i < 30; i++) {
					let t0 = performance.now();
					await socred.save(req);
					save.push((performance.now() - t0) * 1000);
					t0 = performance.now();
					await bare();
					fetchT.push((performance.now() - t0) * 1000);
				}
				return {build, save, fetch: fetchT};
			})()`, &res, awaitPromise))
			m := measure[p]
			m.build, m.save, m.fetch = append(m.build, res.Build...), append(m.save, res.Save...), append(m.fetch, res.Fetch...)
		}
	}
	zeep := zeepBuild(t)
	var b []byte
	row := func(name, unit string, before, after, base float64, baseName string) {
		b = fmt.Appendf(b, "| %s | %.1f %s | %.1f %s | %.2f× | %s %.1f %s |\n", name, before, unit, after, unit, before/after, baseName, base, unit)
	}
	b = append(b, "\n| measure | before | after | before ÷ after | baseline, same run |\n|---|---:|---:|---:|---|\n"...)
	row("socred.buildEnvelope, median", "µs", median(measure["before"].build), median(measure["after"].build), zeep.Median, "zeep")
	row("socred.buildEnvelope, p90", "µs", pct(measure["before"].build, 90), pct(measure["after"].build, 90), zeep.P90, "zeep p90")
	row("socred.save less a bare fetch, median", "µs",
		median(measure["before"].save)-median(measure["before"].fetch), median(measure["after"].save)-median(measure["after"].fetch),
		median(measure["after"].fetch), "bare fetch")
	row("navigation to socred.ready, median", "ms", median(ready["before"]), median(ready["after"]), median(ready["hello"]), "hello page")
	b = fmt.Appendf(b, "- ready ÷ hello: before %.2f, after %.2f (median of %d interleaved cold loads each)\n",
		median(ready["before"])/median(ready["hello"]), median(ready["after"])/median(ready["hello"]), benchRuns)
	b = fmt.Appendf(b, "- buildEnvelope ÷ zeep: before %.2f, after %.2f; %d calls each, in %d rounds taking turns\n",
		median(measure["before"].build)/zeep.Median, median(measure["after"].build)/zeep.Median, len(measure["after"].build), rounds)
	t.Log(string(b))
}
