//go:build bench

package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"socred/batch"
	"socred/soap"
)

// TestBenchBatchBrowser measures, for `make bench`, the batch module as an
// administrator meets it: starting it (socred.batch.load, a cold fetch of
// socred-batch.wasm), reading and checking a file of 1,000 and of 100,000
// rows (CSV and .xlsx), and planning and applying 240 new records against
// the local NetServer answering each call after 20 ms (a NetServer on the
// same LAN), at concurrency 1, 4 and 8, with the longest main-thread task
// the browser reports (longtask entries, over 50 ms) while each runs. It
// measures both ways the module runs in the same run: in its dedicated
// Worker (socred.batch.mode "worker", the page's way) against in the page
// (mode "page", as before the worker and where no worker can start:
// Worker is taken away before load), the two taking turns. Figures are
// printed, never asserted.
func TestBenchBatchBrowser(t *testing.T) {
	srv := startServer(t, "-latency", "20ms")
	var console []string
	ctx := browser(t, &console)
	modes := []string{"page", "worker"}
	// fresh opens a new page, the batch module not started (the page starts
	// it only when its Batch section comes into view, which it is not at
	// the top), and, for "page", without Worker.
	fresh := func(mode string) {
		run(t, ctx, chromedp.Navigate(srv.Page))
		waitFor(t, ctx, `document.body.dataset.ready === "true"`)
		if mode == "page" {
			run(t, ctx, chromedp.Evaluate(`delete window.Worker; window.Worker = undefined; true`, nil))
		}
	}
	var table benchTable
	load := map[string][]float64{}
	for i := 0; i < 5; i++ {
		for k := range modes {
			mode := modes[(i+k)%len(modes)] // each goes first in turn
			fresh(mode)
			var out struct {
				Ms   float64
				Mode string
			}
			run(t, ctx, chromedp.Evaluate(`(async () => {
				if (socred.batch.version) throw new Error("the batch module already runs");
				const t0 = performance.now();
				await socred.batch.load();
				return {ms: performance.now() - t0, mode: socred.batch.mode};
			})()`, &out, awaitPromise))
			require.Equal(t, mode, out.Mode, "socred.batch.mode")
			load[mode] = append(load[mode], out.Ms)
		}
	}
	table.add("socred.batch.load() on a fresh page (fetch, compile, start), in a worker, median of 5", median(load["worker"])*1000, median(load["page"])*1000, "µs", "in the page", "")

	// Reading and checking the same rows as CSV and as .xlsx, both
	// written natively by batch.Export (the audit export, which imports
	// back), the runs of the two formats alternating; in the page, then in
	// the worker, each on a fresh page.
	for _, n := range []int{1000, 100000} {
		runs := 7
		if n > 1000 {
			runs = 3
		}
		csv, xlsx := benchFiles(t, n)
		out := map[string]map[string]openResult{}
		for _, mode := range modes {
			fresh(mode)
			out[mode] = openFileTimes(t, ctx, map[string][]byte{"csv": csv, "xlsx": xlsx}, n, runs)
		}
		goal := map[int]string{1000: "≤ 20 ms"}[n]
		for _, f := range []struct{ key, name string }{{"csv", fmt.Sprintf("CSV (%s B)", thousands(int64(len(csv))))}, {"xlsx", fmt.Sprintf(".xlsx (%s B)", thousands(int64(len(xlsx))))}} {
			w, pg := out["worker"][f.key], out["page"][f.key]
			table.add(fmt.Sprintf("socred.batch.open: read and check %s rows, %s, in a worker, median of %d", thousands(int64(n)), f.name, runs), median(w.Times)*1000, median(pg.Times)*1000, "µs", "in the page", goal)
			table.add(fmt.Sprintf("open %s rows, %s: longest main-thread task (0: none over 50 ms), in a worker", thousands(int64(n)), f.name), w.Longest*1000, pg.Longest*1000, "µs", "in the page", "≤ 50 ms")
		}
	}
	table.add("socred-batch.wasm, brotli -q 11 (as make wasm wrote it)", float64(batchModuleBrotli(t)), math.NaN(), "B", "", "")

	const rows = 240
	type applyResult struct {
		PlanMs, ApplyMs, LongestTaskMs float64
		Counts                         map[string]int
	}
	applied := map[string][]applyResult{}
	for i, c := range []int{1, 4, 8} {
		for m := range modes {
			mode := modes[(i+m)%len(modes)] // each goes first in turn
			fresh(mode)
			var login struct {
				OK     bool
				Ticket string
				Error  any
			}
			run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`socred.login({endpoint: %q, userName: %q, password: %q})`, srv.Site, srv.User, srv.Password), &login, awaitPromise))
			if !login.OK {
				t.Fatalf("socred.login: %v", login.Error)
			}
			var out applyResult
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
				const done = await socred.batch.apply(r.id, {concurrency: %d, onProgress: () => {}});
				const applyMs = performance.now() - t0;
				await new Promise(resolve => setTimeout(resolve, 0)); // the observer's last entries
				obs.disconnect();
				await socred.batch.close(r.id);
				if (!done.ok) throw new Error("apply: " + JSON.stringify(done.error));
				return {planMs, applyMs, longestTaskMs: longest, counts: done.counts};
			})()`, srv.Site, login.Ticket, batchCSV, rows, i*2+m, c, rows, c)
			run(t, ctx, chromedp.Evaluate(script, &out, awaitPromise))
			if out.Counts["created"] != rows {
				t.Fatalf("%s, concurrency %d: not every row was created: %v", mode, c, out.Counts)
			}
			applied[mode] = append(applied[mode], out)
		}
	}
	for i, c := range []int{1, 4, 8} {
		w, pg := applied["worker"][i], applied["page"][i]
		table.add(fmt.Sprintf("plan %d rows (4 associates × 2 Types read), concurrency %d, in a worker", rows, c), w.PlanMs*1000, pg.PlanMs*1000, "µs", "in the page", "")
		table.add(fmt.Sprintf("apply %d creates, 20 ms per call, concurrency %d, in a worker: saves per second", rows, c), float64(rows)/(w.ApplyMs/1000), float64(rows)/(pg.ApplyMs/1000), "/s", "in the page", "")
		table.add(fmt.Sprintf("apply at concurrency %d: longest main-thread task (0: none over 50 ms), in a worker", c), w.LongestTaskMs*1000, pg.LongestTaskMs*1000, "µs", "in the page", "≤ 50 ms")
	}
	table.note(fmt.Sprintf("measured %s", time.Now().UTC().Format(time.RFC3339)))
	table.print(t)
}

// benchRecords are n stored records as an audit reads them: numeric
// associate ids with their user names, two Types, dates, IsActive both
// ways, ø and å in the comments.
func benchRecords(n int) []batch.AuditRecord {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2030, 12, 31, 23, 0, 0, 0, time.UTC)
	recs := make([]batch.AuditRecord, n)
	for i := range recs {
		id := int32(2 + i%4)
		c := soap.UntrustedCredentials{PublicValue: fmt.Sprintf("bench%d@example.com", i), ValidFrom: from, ValidTo: to,
			Comment: fmt.Sprintf("Innboks for Bjørn Åsen, rad %d", i), IsActive: i%10 != 9}
		status := batch.Status{Kind: batch.StatusActive, At: to, Days: 2000}
		if !c.IsActive {
			status = batch.Status{Kind: batch.StatusInactive}
		}
		recs[i] = batch.AuditRecord{AssociateID: id, UserName: fmt.Sprintf("user%d", id), FullName: "Bjørn Åsen",
			Type: []string{"smtp", "imap"}[i%2], Credentials: c, HasSecret: true, Status: status}
	}
	return recs
}

// benchFiles writes benchRecords(n) as the page's audit export does, in
// Norwegian, as CSV and as .xlsx. The export stores its parts
// uncompressed; the workbook is zipped again with deflate, as Excel and
// LibreOffice save one, so that reading it inflates as a real file does.
func benchFiles(t *testing.T, n int) (csv, xlsx []byte) {
	t.Helper()
	recs := benchRecords(n)
	e := batch.Export{Delimiter: ';', Locale: "nb-NO", Location: time.UTC, Words: batch.Words{Yes: "ja", No: "nei"}}
	var c, x bytes.Buffer
	require.NoError(t, e.Audit(&c, recs, batch.CSV))
	require.NoError(t, e.Audit(&x, recs, batch.XLSX))
	return c.Bytes(), deflated(t, x.Bytes())
}

// deflated is the ZIP archive b with every part compressed by deflate.
func deflated(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		r, err := f.Open()
		require.NoError(t, err)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		require.NoError(t, err)
		_, err = io.Copy(w, r)
		require.NoError(t, err)
		require.NoError(t, r.Close())
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

// batchModuleBrotli is the size of the socred-batch.wasm.br make wasm
// wrote, which must be no older than the module.
func batchModuleBrotli(t *testing.T) int64 {
	t.Helper()
	mod, err := os.Stat(filepath.Join(repoRoot, "web", "static", "socred-batch.wasm"))
	require.NoError(t, err)
	br, err := os.Stat(filepath.Join(repoRoot, "web", "static", "socred-batch.wasm.br"))
	require.NoError(t, err, "run make wasm")
	if br.ModTime().Before(mod.ModTime()) {
		t.Fatalf("socred-batch.wasm.br is older than socred-batch.wasm: run make wasm")
	}
	return br.Size()
}

// putBytes hands data to the page as window.benchFiles[name], a
// Uint8Array, in base64 pieces of at most 1 MiB per evaluation.
func putBytes(t *testing.T, ctx context.Context, name string, data []byte) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate(`(window.benchFiles ||= {}, window.benchParts = [], true)`, nil))
	const piece = 3 << 18 // a multiple of 3: every piece is whole base64
	for i := 0; i < len(data); i += piece {
		b64 := base64.StdEncoding.EncodeToString(data[i:min(i+piece, len(data))])
		run(t, ctx, chromedp.Evaluate(`(() => {
			const s = atob("`+b64+`");
			const b = new Uint8Array(s.length);
			for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
			window.benchParts.push(b);
			return true;
		})()`, nil))
	}
	var got int
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(() => {
		const parts = window.benchParts;
		const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
		let at = 0;
		for (const p of parts) { all.set(p, at); at += p.length; }
		window.benchFiles[%q] = all;
		window.benchParts = [];
		return all.length;
	})()`, name), &got))
	if got != len(data) {
		t.Fatalf("the page holds %d bytes of %s, not %d", got, name, len(data))
	}
}

// openFileTimes times socred.batch.open reading and checking each of files
// (each of rows valid rows), runs times each, the files taking turns (ms), with the
// longest main-thread task that began during each one's runs. Each run
// opens its own copy of the bytes, zeroes it afterwards as the page does,
// and closes the session before the next.
func openFileTimes(t *testing.T, ctx context.Context, files map[string][]byte, rows, runs int) map[string]openResult {
	t.Helper()
	var names []string
	for name, data := range files {
		putBytes(t, ctx, name, data)
		names = append(names, name)
	}
	slices.Sort(names)
	js, err := json.Marshal(names)
	require.NoError(t, err)
	out := map[string]openResult{}
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => {
		await socred.batch.load();
		const names = %s, out = {}, spans = [], tasks = [];
		for (const name of names) out[name] = {times: [], longest: 0};
		const obs = new PerformanceObserver(list => { tasks.push(...list.getEntries()); });
		obs.observe({type: "longtask"});
		for (let i = 0; i < %d; i++) {
			for (const name of names) {
				const bytes = window.benchFiles[name].slice(); // as file.arrayBuffer() gives it
				const t0 = performance.now();
				const r = await socred.batch.open(bytes, {locale: "nb-NO"});
				const t1 = performance.now();
				bytes.fill(0);
				if (!r.ok || r.rows !== %[3]d || r.valid !== %[3]d) throw new Error(name + ": socred.batch.open: " + JSON.stringify(r.error || r.problems || r));
				await socred.batch.close(r.id);
				spans.push({name, t0, t1});
				out[name].times.push(t1 - t0);
			}
		}
		await new Promise(resolve => setTimeout(resolve, 0)); // the observer's last entries
		tasks.push(...obs.takeRecords());
		obs.disconnect();
		delete window.benchFiles;
		for (const e of tasks) {
			const s = spans.find(s => e.startTime >= s.t0 && e.startTime < s.t1);
			if (s) out[s.name].longest = Math.max(out[s.name].longest, e.duration);
		}
		return out;
	})()`, js, runs, rows), &out, awaitPromise))
	return out
}

type openResult struct {
	Times   []float64
	Longest float64
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
