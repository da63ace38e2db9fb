//go:build bench

package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestBenchSend times socred.save against a NetServer that answers at
// once: the exported path (the request read, checked and built through
// the module's exports, then sent by sendPrepared) beside the syscall/js
// function every save took before (Symbol.for("socred.callbacks").save)
// and a bare fetch of the same envelope, interleaved in turns in one page,
// so that the three share the machine's state; then a request that fails
// validation (nothing sent) on both paths and through buildEnvelope, in
// turns too.
func TestBenchSend(t *testing.T) {
	static := filepath.Join(repoRoot, "web/static")
	saveAnswer, err := os.ReadFile(filepath.Join(repoRoot, "soap/testdata/response-save.xml"))
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(static)))
	mux.HandleFunc("POST /Remote/Services88/User.svc", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write(saveAnswer)
	})
	srv := isolated(mux)
	defer srv.Close()
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.URL+"/"))

	const runs = 600
	var res struct {
		Export, Callback, Bare, InvalidExport, InvalidCallback, InvalidBuild []float64
		Isolated                                                             bool
	}
	run(t, ctx, chromedp.Evaluate(`(async () => {
		await socred.ready;
		const req = `+benchRequest+`;
		const invalid = {...req, associateId: "abc", type: ""};
		const cb = socred[Symbol.for("socred.callbacks")];
		`+bareFetch+`
		const out = {Export: [], Callback: [], Bare: [], InvalidExport: [], InvalidCallback: [], InvalidBuild: [], Isolated: crossOriginIsolated};
		const timed = async (list, fn, want) => {
			const t0 = performance.now();
			const r = await fn();
			const t1 = performance.now();
			if (want !== undefined && r.ok !== want) throw new Error("unexpected result: " + JSON.stringify(r));
			if (list) list.push((t1 - t0) * 1000);
		};
		const round = async (keep, i) => {
			// Each round in another order, so that none always follows another.
			const steps = [
				() => timed(keep && out.Export, () => socred.save(req), true),
				() => timed(keep && out.Callback, () => cb.save(req), true),
				() => timed(keep && out.Bare, bare),
			];
			for (let k = 0; k < 3; k++) await steps[(i + k) % 3]();
		};
		// Calls that send nothing, apart: right after a fetch, what Go
		// still does for it (its goroutine ending) lands in their time.
		const invalidRound = async (keep, i) => {
			const steps = [
				() => timed(keep && out.InvalidExport, () => socred.save(invalid), false),
				() => timed(keep && out.InvalidCallback, () => cb.save(invalid), false),
				() => timed(keep && out.InvalidBuild, () => socred.buildEnvelope(invalid), false),
			];
			for (let k = 0; k < 3; k++) await steps[(i + k) % 3]();
		};
		for (let i = 0; i < 60; i++) await round(false, i);
		for (let i = 0; i < `+strconv.Itoa(runs)+`; i++) await round(true, i);
		for (let i = 0; i < 60; i++) await invalidRound(false, i);
		for (let i = 0; i < `+strconv.Itoa(runs)+`; i++) await invalidRound(true, i);
		return out;
	})()`, &res, awaitPromise))

	var table benchTable
	table.add("socred.save, exported path, median", median(res.Export), median(res.Callback), "µs", "syscall/js path (before)", "")
	table.add("socred.save, exported path, p90", pct(res.Export, 90), pct(res.Callback, 90), "µs", "syscall/js path, p90", "")
	table.add("socred.save's own work (less the bare fetch), exported", median(res.Export)-median(res.Bare), median(res.Callback)-median(res.Bare), "µs", "syscall/js path", "")
	table.add("bare fetch of the same envelope, median", median(res.Bare), median(res.Export), "µs", "exported save", "")
	table.add("socred.save of an invalid request, exported, median", median(res.InvalidExport), median(res.InvalidCallback), "µs", "syscall/js path", "")
	table.add("socred.save of an invalid request, exported, p90", pct(res.InvalidExport, 90), pct(res.InvalidCallback, 90), "µs", "syscall/js path, p90", "")
	table.add("socred.buildEnvelope of the same invalid request, median", median(res.InvalidBuild), median(res.InvalidExport), "µs", "save, exported", "")
	table.note(fmt.Sprintf("%d rounds after 60 untimed of the three saves in turns (the order rotating), then as many of the invalid request on each path and through buildEnvelope; a NetServer answering at once on loopback", runs))
	if !res.Isolated {
		table.note("the page is not cross-origin isolated: performance.now() is coarsened to 100 µs")
	}
	table.print(t)
}
