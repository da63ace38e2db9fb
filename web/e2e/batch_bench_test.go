//go:build bench

package e2e

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBenchBatchBrowser measures, for `make bench`, the batch module in the
// page as an administrator meets it: starting it (socred.batch.load, a cold
// fetch of socred-batch.wasm), reading and checking a file of 1,000 and of
// 100,000 rows, and planning and applying 240 new records against the local
// NetServer answering each call after 20 ms (a NetServer on the same LAN),
// at concurrency 1, 4 and 8, with the longest main-thread task the browser
// reports while it runs. Figures are printed, never asserted.
func TestBenchBatchBrowser(t *testing.T) {
	srv := startServer(t, "-latency", "20ms")
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	var table benchTable
	var load []float64
	for i := 0; i < 5; i++ {
		// A fresh page each time, so that every load is a cold start of the
		// batch module (the page itself starts it only when its Batch
		// section comes into view, which it is not at the top).
		run(t, ctx, chromedp.Navigate(srv.Page))
		waitFor(t, ctx, `document.body.dataset.ready === "true"`)
		var ms float64
		run(t, ctx, chromedp.Evaluate(`(async () => {
			if (socred.batch.version) throw new Error("the batch module already runs");
			const t0 = performance.now();
			await socred.batch.load();
			return performance.now() - t0;
		})()`, &ms, awaitPromise))
		load = append(load, ms)
	}
	table.add("socred.batch.load() on a fresh page (fetch, compile, start), median of 5", median(load)*1000, math.NaN(), "µs", "", "")

	for _, n := range []int{1000, 100000} {
		runs := 10
		if n > 1000 {
			runs = 3
		}
		out := openTimes(t, ctx, n, runs)
		table.add(fmt.Sprintf("socred.batch.open: read and check %d rows, median of %d", n, runs), median(out.Times)*1000, math.NaN(), "µs", "", map[int]string{1000: "≤ 20 ms"}[n])
		table.note(fmt.Sprintf("open %d rows: longest main-thread task %.0f ms (0: none over 50 ms)", n, out.Longest))
	}

	var login struct {
		OK     bool
		Ticket string
		Error  any
	}
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`socred.login({endpoint: %q, userName: %q, password: %q})`, srv.Site, srv.User, srv.Password), &login, awaitPromise))
	if !login.OK {
		t.Fatalf("socred.login: %v", login.Error)
	}
	const rows = 240
	for i, c := range []int{1, 4, 8} {
		var out struct {
			PlanMs, ApplyMs, LongestTaskMs float64
			Counts                         map[string]int
		}
		// Each run writes new PublicValues (the CSV is renamed per run), so
		// every row is a create.
		script := fmt.Sprintf(`(async () => {
			const req = {endpoint: %q, ticket: %q, timeoutMs: 30000};
			const text = %s(%d).replaceAll("@example.com", "@run%d.example.com");
			const r = await socred.batch.open(new TextEncoder().encode(text));
			if (!r.ok || r.invalid !== 0) throw new Error("socred.batch.open: " + JSON.stringify(r.error || r.problems));
			let t0 = performance.now();
			const plan = await socred.batch.plan(r.id, {...req, concurrency: %d});
			const planMs = performance.now() - t0;
			if (!plan.ok) throw new Error("plan: " + JSON.stringify(plan.error));
			if (plan.counts.create !== %d) throw new Error("plan: not all creates: " + JSON.stringify(plan.counts));
			let longest = 0;
			const obs = new PerformanceObserver(list => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration); });
			obs.observe({type: "longtask"});
			t0 = performance.now();
			const done = await socred.batch.apply(r.id, {concurrency: %d});
			const applyMs = performance.now() - t0;
			await new Promise(resolve => setTimeout(resolve, 0)); // the observer's last entries
			obs.disconnect();
			socred.batch.close(r.id);
			if (!done.ok) throw new Error("apply: " + JSON.stringify(done.error));
			return {planMs, applyMs, longestTaskMs: longest, counts: done.counts};
		})()`, srv.Site, login.Ticket, batchCSV, rows, i, c, rows, c)
		run(t, ctx, chromedp.Evaluate(script, &out, awaitPromise))
		if out.Counts["created"] != rows {
			t.Fatalf("concurrency %d: not every row was created: %v", c, out.Counts)
		}
		table.add(fmt.Sprintf("plan %d rows (4 associates × 2 Types read), concurrency %d", rows, c), out.PlanMs*1000, math.NaN(), "µs", "", "")
		table.add(fmt.Sprintf("apply %d creates, 20 ms per call, concurrency %d: saves per second", rows, c), float64(rows)/(out.ApplyMs/1000), math.NaN(), "/s", "", "")
		table.note(fmt.Sprintf("concurrency %d: longest main-thread task during apply %.0f ms (0: none over 50 ms)", c, out.LongestTaskMs))
	}
	table.note(fmt.Sprintf("measured %s", time.Now().UTC().Format(time.RFC3339)))
	table.print(t)
}

// openTimes times socred.batch.open reading and checking a valid file of n
// rows, runs times (ms), with the longest main-thread task meanwhile.
func openTimes(t *testing.T, ctx context.Context, n, runs int) (out struct {
	Times   []float64
	Longest float64
}) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => {
		await socred.batch.load();
		const text = %s(%d);
		const times = [];
		let longest = 0;
		const obs = new PerformanceObserver(list => { for (const e of list.getEntries()) longest = Math.max(longest, e.duration); });
		obs.observe({type: "longtask"});
		for (let i = 0; i < %d; i++) {
			const bytes = new TextEncoder().encode(text);
			const t0 = performance.now();
			const r = await socred.batch.open(bytes);
			const ms = performance.now() - t0;
			if (!r.ok || r.invalid !== 0) throw new Error("socred.batch.open: " + JSON.stringify(r.error || r.problems));
			socred.batch.close(r.id);
			times.push(ms);
		}
		await new Promise(resolve => setTimeout(resolve, 0)); // the observer's last entries
		obs.disconnect();
		return {times, longest};
	})()`, batchCSV, n, runs), &out, awaitPromise))
	return out
}
