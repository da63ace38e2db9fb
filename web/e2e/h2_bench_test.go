//go:build bench

package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"socred/batch"
	webserver "socred/web/server"
)

// applyRows is how many creates each timed apply sends, and applyRuns how
// many times each protocol and concurrency is timed.
const (
	applyRows = 240
	applyRuns = 5
)

// TestBenchApplyHTTP2 measures, for `make bench`, batch apply's throughput
// over HTTP/2 and over HTTP/1.1, both over TLS with a self-signed
// certificate made here, against the local NetServer answering each call
// after 20 ms: socred.batch.apply of applyRows creates at concurrency 1, 4,
// 8 and 16, each beside the same number of Saves sent by a tiny plain-JS
// fetch loop at the same concurrency, median of applyRuns; and at 16 over
// HTTP/2 against a NetServer answering at once (each save's own cost).
// Every run measures every protocol, concurrency and sender in turn (the
// order rotating from run to run), so that a busy spell of the shared
// machine falls on all of them alike. The protocol really used is checked
// (PerformanceResourceTiming.nextHopProtocol of the page's own NetServer
// calls), and the server counts how many calls it held at once. Figures
// are printed, never asserted.
func TestBenchApplyHTTP2(t *testing.T) {
	cert, spki := selfSigned(t)
	password := make([]byte, 12)
	_, err := rand.Read(password)
	require.NoError(t, err)
	user, pw := "demo", "h2-"+hex.EncodeToString(password)

	// Chromium trusts exactly this key (and no other invalid certificate).
	ctx := browserWith(t, new([]string), chromedp.Flag("ignore-certificate-errors-spki-list", spki))

	// The third target answers at once: at concurrency 16 over HTTP/2 it
	// shows what each save costs the browser (and the local NetServer)
	// apart from the wait, the ceiling the other figures run into.
	type target struct {
		proto, name, site, ticket string
		latency                   time.Duration
		concurrencies             []int
		counter                   *inFlight
	}
	var targets []*target
	for _, tg := range []*target{
		{proto: "h2", name: "HTTP/2", latency: 20 * time.Millisecond, concurrencies: []int{1, 4, 8, 16}},
		{proto: "http/1.1", name: "HTTP/1.1", latency: 20 * time.Millisecond, concurrencies: []int{1, 4, 8, 16}},
		{proto: "h2", name: "HTTP/2", concurrencies: []int{16}},
	} {
		tg.site, tg.counter = startTLS(t, cert, tg.proto == "h2", tg.latency, user, pw, nil)
		targets = append(targets, tg)
	}
	// open navigates to tg's page, logs in the first time, checks the
	// protocol of that call and starts the batch module.
	open := func(tg *target) {
		run(t, ctx, chromedp.Navigate(strings.TrimSuffix(tg.site, webserver.SitePath)+"/"))
		waitFor(t, ctx, `document.body.dataset.ready === "true"`)
		var login struct {
			OK       bool
			Ticket   string
			Error    any
			Protocol string
		}
		run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => {
			performance.clearResourceTimings();
			const r = await socred.login({endpoint: %q, userName: %q, password: %q});
			const e = performance.getEntriesByType("resource").filter(e => e.name.includes("/Remote/Services88/"));
			return {...r, protocol: e.length ? e[e.length - 1].nextHopProtocol : "(no resource timing)"};
		})()`, tg.site, user, pw), &login, awaitPromise))
		if !login.OK {
			t.Fatalf("%s: socred.login: %v", tg.name, login.Error)
		}
		if login.Protocol != tg.proto {
			t.Fatalf("the page's NetServer call went over %q, not %q", login.Protocol, tg.proto)
		}
		tg.ticket = login.Ticket
		run(t, ctx, chromedp.Evaluate(`socred.batch.load().then(() => true)`, nil, awaitPromise))
	}

	type key struct {
		tg *target
		c  int
	}
	socred, bare := map[key][]float64{}, map[key][]float64{}
	mostSocred, mostBare := map[key]int{}, map[key]int{}
	load := loadAverage()
	for i := range applyRuns {
		for j := range targets {
			tg := targets[(i+j)%len(targets)]
			open(tg)
			for k := range tg.concurrencies {
				c := tg.concurrencies[(i+k)%len(tg.concurrencies)]
				kk := key{tg, c}
				tag := fmt.Sprintf("%s-%d-%d-%d", strings.ReplaceAll(tg.proto, "/", ""), tg.latency.Milliseconds(), c, i)
				for turn := range 2 {
					if (turn+i)%2 == 0 {
						socred[kk] = append(socred[kk], applySaves(t, ctx, tg.counter, tg.site, tg.ticket, tag, c))
						mostSocred[kk] = max(mostSocred[kk], tg.counter.most())
						continue
					}
					tg.counter.reset()
					ms, got := bareSaves(t, ctx, tg.site, tg.ticket, tag, c)
					if got != tg.proto {
						t.Fatalf("%s: the plain-JS loop's calls went over %q", tg.name, got)
					}
					bare[kk] = append(bare[kk], ms)
					mostBare[kk] = max(mostBare[kk], tg.counter.most())
				}
			}
		}
	}
	rate := func(ms float64) float64 { return applyRows / (ms / 1000) }
	var table benchTable
	for _, tg := range targets {
		wait := fmt.Sprintf("%d ms per call", tg.latency.Milliseconds())
		if tg.latency == 0 {
			wait = "answered at once"
		}
		for _, c := range tg.concurrencies {
			kk := key{tg, c}
			table.add(fmt.Sprintf("%s: apply %d creates, %s, concurrency %d: saves per second, median of %d", tg.name, applyRows, wait, c, applyRuns),
				rate(median(socred[kk])), rate(median(bare[kk])), "/s", "plain-JS fetch loop", "")
			table.note(fmt.Sprintf("%s, %s, concurrency %d: socred %.0f–%.0f/s, plain JS %.0f–%.0f/s; most calls the NetServer held at once: socred %d, plain JS %d",
				tg.name, wait, c, rate(slices.Max(socred[kk])), rate(slices.Min(socred[kk])), rate(slices.Max(bare[kk])), rate(slices.Min(bare[kk])), mostSocred[kk], mostBare[kk]))
		}
	}
	table.note(fmt.Sprintf("socred's concurrency is capped at batch.MaxConcurrency = %d", batch.MaxConcurrency))
	table.note(fmt.Sprintf("the machine's load average (1 min) before %s, after %s", load, loadAverage()))
	table.note(fmt.Sprintf("measured %s", time.Now().UTC().Format(time.RFC3339)))
	table.print(t)
}

// loadAverage is the 1-minute load average (Linux), which says how busy
// the shared machine was: these figures are CPU-bound from about 250 saves
// a second.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// applySaves opens applyRows new rows (their PublicValues carry tag),
// plans them, then resets counter and times socred.batch.apply at
// concurrency c (ms).
func applySaves(t *testing.T, ctx context.Context, counter *inFlight, site, ticket, tag string, c int) float64 {
	t.Helper()
	var id string
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => {
		const text = %s(%d).replaceAll("@example.com", "@socred-%s.example.com");
		const r = await socred.batch.open(new TextEncoder().encode(text));
		if (!r.ok || r.invalid !== 0) throw new Error("socred.batch.open: " + JSON.stringify(r.error || r.problems));
		const plan = await socred.batch.plan(r.id, {endpoint: %q, ticket: %q, timeoutMs: 30000, concurrency: 8});
		if (!plan.ok) throw new Error("plan: " + JSON.stringify(plan.error));
		if (plan.counts.create !== %[2]d) throw new Error("plan: not all creates: " + JSON.stringify(plan.counts));
		return r.id;
	})()`, batchCSV, applyRows, tag, site, ticket), &id, awaitPromise))
	counter.reset()
	var out struct {
		ApplyMs float64
		Counts  map[string]int
	}
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => {
		const t0 = performance.now();
		const done = await socred.batch.apply(%q, {concurrency: %d});
		const applyMs = performance.now() - t0;
		await socred.batch.close(%[1]q);
		if (!done.ok) throw new Error("apply: " + JSON.stringify(done.error));
		return {applyMs, counts: done.counts};
	})()`, id, c), &out, awaitPromise))
	if out.Counts["created"] != applyRows {
		t.Fatalf("%s: not every row was created: %v", tag, out.Counts)
	}
	return out.ApplyMs
}

// bareSaves builds applyRows Saves of new records (their PublicValues carry
// tag) with socred.buildEnvelope, then times sending them with plain fetch
// at concurrency c, every answer read and checked (ms), and says which
// protocol the last of them went over.
func bareSaves(t *testing.T, ctx context.Context, site, ticket, tag string, c int) (float64, string) {
	t.Helper()
	var out struct {
		Ms       float64
		Protocol string
	}
	run(t, ctx, chromedp.Evaluate(fmt.Sprintf(`(async () => {
		const calls = [];
		for (let i = 0; i < %d; i++) {
			const env = await socred.buildEnvelope({endpoint: %q, ticket: %q, associateId: 2 + i %% 4, type: i %% 2 ? "imap" : "smtp",
				credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2030-12-31T23:00:00Z", comment: "bench row " + i,
					secretValue: "secret-" + i, publicValue: "bench" + i + "@bare-%s.example.com", isActive: true}});
			if (!env.ok) throw new Error("buildEnvelope: " + JSON.stringify(env.error));
			const headers = {};
			for (const h of env.headers) headers[h.name] = h.value;
			calls.push({url: env.url, headers, body: new TextEncoder().encode(env.xml)});
		}
		performance.clearResourceTimings();
		let next = 0;
		const worker = async () => {
			while (next < calls.length) {
				const call = calls[next++];
				const resp = await fetch(call.url, {method: "POST", mode: "cors", credentials: "omit", cache: "no-store",
					referrerPolicy: "no-referrer", redirect: "manual", headers: call.headers, body: call.body});
				const text = await resp.text();
				if (resp.status !== 200 || !/Succeeded[^>]*>true</.test(text)) throw new Error("Save: HTTP " + resp.status + ": " + text.slice(0, 500));
			}
		};
		const t0 = performance.now();
		await Promise.all(Array.from({length: %d}, worker));
		const ms = performance.now() - t0;
		const e = performance.getEntriesByType("resource").filter(e => e.name.includes("/Remote/Services88/"));
		return {ms, protocol: e.length ? e[e.length - 1].nextHopProtocol : "(no resource timing)"};
	})()`, applyRows, site, ticket, tag, c), &out, awaitPromise))
	return out.Ms, out.Protocol
}
