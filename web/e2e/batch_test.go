package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/netserver"
)

// latin1 is s in Windows-1252 (s holds only Latin-1 letters here).
func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

// batchPage is the page, logged in, with a file input to upload to.
type batchPage struct {
	*formPage
	srv server
	dir string
}

func newBatchPage(t *testing.T, srv server) *batchPage {
	t.Helper()
	p := &batchPage{formPage: newFormPage(t, srv), srv: srv, dir: t.TempDir()}
	p.login(t)
	return p
}

func (p *batchPage) login(t *testing.T) {
	t.Helper()
	p.set(t, "UserName", p.srv.User)
	p.set(t, "Password", p.srv.Password)
	// Signed in again, the line may show already: wait for the new ticket.
	run(t, p.ctx, chromedp.Evaluate(`window.socredTestTicket = document.getElementById("Ticket").value`, nil))
	p.click(t, "#login")
	waitFor(t, p.ctx, `!document.getElementById("signed-in").hidden && document.getElementById("Ticket").value !== window.socredTestTicket ||
		document.getElementById("login-alert").textContent !== ""`)
	require.Contains(t, p.text(t, "#signed-in"), "Signed in", p.text(t, "#login-alert"))
}

// upload chooses a file with content as the Batch file and presses Check.
func (p *batchPage) upload(t *testing.T, name string, content []byte) {
	t.Helper()
	path := filepath.Join(p.dir, name)
	require.NoError(t, os.WriteFile(path, content, 0o600))
	run(t, p.ctx, chromedp.SetUploadFiles("#BatchFile", []string{path}, chromedp.ByQuery))
	p.check(t)
}

// check presses Check and waits until the file is checked (and planned,
// when it can be).
func (p *batchPage) check(t *testing.T) {
	t.Helper()
	run(t, p.ctx, chromedp.Evaluate(`document.getElementById("batch-status").textContent = ""; document.getElementById("batch-alert").textContent = ""`, nil))
	p.click(t, "#batch-check")
	waitFor(t, p.ctx, `document.getElementById("batch-alert").textContent !== "" || document.getElementById("batch-status").textContent !== ""`)
	waitFor(t, p.ctx, `document.getElementById("batch").getAttribute("aria-busy") !== "true"`)
}

// apply presses Apply, confirms the rows the single form would ask about
// (TestBatchPlanMarks tests that question) if it asks, and waits for the
// run to end.
func (p *batchPage) apply(t *testing.T) {
	t.Helper()
	p.click(t, "#batch-apply")
	run(t, p.ctx, chromedp.Poll(`document.getElementById("confirm-remove").open ||
		(!document.getElementById("batch-done").hidden && document.getElementById("batch").getAttribute("aria-busy") !== "true")`,
		nil, chromedp.WithPollingTimeout(60*time.Second)))
	if p.js(t, `document.getElementById("confirm-remove").open`) {
		require.Contains(t, p.text(t, "#confirm-h"), "the form would ask about")
		p.click(t, "#confirm-ok")
	}
	p.waitDone(t)
}

func (p *batchPage) waitDone(t *testing.T) {
	t.Helper()
	run(t, p.ctx, chromedp.Poll(`!document.getElementById("batch-done").hidden && document.getElementById("batch").getAttribute("aria-busy") !== "true"`,
		nil, chromedp.WithPollingTimeout(60*time.Second)))
}

// progress is the page's last progress snapshot, read from the module.
func (p *batchPage) progress(t *testing.T) map[string]any {
	t.Helper()
	var out map[string]any
	run(t, p.ctx, chromedp.Evaluate(`(async () => { for (let i = 50; i > 0; i--) { const p = await socred.batch.progress("batch-" + i); if (p) return p; }
		return null; })()`, &out, awaitPromise))
	return out
}

// zeepReadback lists what is stored for each "associate/type" through
// zeep, from the real WSDL.
func zeepReadback(t *testing.T, srv server, keys ...string) map[string][]map[string]any {
	t.Helper()
	ref := testenv.ReferenceDir(t)
	python := testenv.PythonWith(t, "zeep")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{filepath.Join("testdata", "zeep_readback.py"), ref, srv.Site, srv.User, srv.Password}, keys...)
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err)
	var got map[string][]map[string]any
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)
	return got
}

// spreadsheetCells reads a CSV as Python's csv module does.
func spreadsheetCells(t *testing.T, dir, text, delimiter string) [][]string {
	t.Helper()
	path := filepath.Join(dir, "report.csv")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	out, err := exec.Command(testenv.Python, filepath.Join("testdata", "csv_cells.py"), path, delimiter).Output()
	require.NoError(t, err)
	var rows [][]string
	require.NoError(t, json.Unmarshal(out, &rows))
	return rows
}

// TestBatchImport drives the Batch section in Chromium against make run's
// local NetServer: a semicolon Windows-1252 file with æøå and an invalid
// row, then a UTF-8-with-BOM comma file with quoted multi-line comments and
// CRLF; the plan, the run, the results and the report; every valid row
// stored exactly, read back through zeep from the real WSDL.
func TestBatchImport(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)

	first := latin1("AssociateId;UserName;Type;PublicValue;SecretValue;ValidFrom;ValidTo;Comment;IsActive\r\n" +
		";ola.nordmann;imap;imap.example.no ola;Pässwørd-1;2025-01-01T08:00:00Z;2030-01-01T08:00:00Z;Kontor i Tromsø, æøå;ja\r\n" +
		"4;;imap;imap.example.no kari;Pässwørd-2;2025-01-01;2030-01-01;;nei\r\n" +
		";bjørn.ås;smtp;smtp.example.no:587;Pässwørd-3;2025-01-01T00:00:00Z;2030-01-01T00:00:00Z;Åpen;1\r\n" +
		"5;;imap;bad-dates;x;2030-01-01;2025-01-01;;ja\r\n")

	t.Run("a semicolon Windows-1252 file: problems by row and column", func(t *testing.T) {
		p.upload(t, "avdeling.csv", first)
		info := p.text(t, "#batch-file-info")
		assert.Contains(t, info, "avdeling.csv: 4 rows, 3 valid")
		assert.Contains(t, info, "semicolon")
		assert.Contains(t, info, "Windows-1252")
		alert := p.text(t, "#batch-alert")
		assert.Contains(t, alert, "Row 5: Valid to must not be before Valid from", alert)
		assert.True(t, p.js(t, `document.getElementById("batch-plan").hidden`), "nothing planned while a row is invalid")
		assert.True(t, p.js(t, `document.getElementById("batch-apply").disabled`))
		assert.Contains(t, p.text(t, "#batch-zone"), "your time zone")
		checkAccessibility(t, p.ctx, "batch: invalid rows")
		screenshot(t, p.ctx, "20-batch-problems")
	})

	t.Run("go on with the valid rows: the plan", func(t *testing.T) {
		run(t, p.ctx, chromedp.Click("#batch-skip-invalid", chromedp.ByQuery))
		p.check(t)
		waitFor(t, p.ctx, `!document.getElementById("batch-plan").hidden`)
		assert.Contains(t, p.text(t, "#batch-counts"), "3 to create")
		assert.Contains(t, p.text(t, "#batch-counts"), "1 refused")
		rows := p.text(t, "#batch-steps tbody")
		assert.Contains(t, rows, "Ola Nordmann (associate 3)", "the user name was resolved")
		assert.Contains(t, rows, "Bjørn Ås (associate 6)")
		assert.Contains(t, rows, "Refused")
		assert.False(t, p.js(t, `document.getElementById("batch-apply").disabled`))
		checkAccessibility(t, p.ctx, "batch: plan")
		screenshot(t, p.ctx, "21-batch-plan")
	})

	t.Run("apply: every valid row stored exactly", func(t *testing.T) {
		p.apply(t)
		assert.Contains(t, p.text(t, "#batch-outcomes"), "3 created")
		assert.Contains(t, p.text(t, "#batch-outcomes"), "1 not sent")
		assert.Equal(t, "100", func() string {
			var s string
			eval(t, p.ctx, `document.getElementById("batch-progress").getAttribute("aria-valuenow")`, &s)
			return s
		}())
		got := zeepReadback(t, srv, "3/imap", "4/imap", "6/smtp")
		assert.Equal(t, []map[string]any{{"publicValue": "imap.example.no ola", "secretValue": "Pässwørd-1", "comment": "Kontor i Tromsø, æøå",
			"validFrom": "2025-01-01T08:00:00Z", "validTo": "2030-01-01T08:00:00Z", "isActive": true}}, got["3/imap"])
		require.Len(t, got["4/imap"], 1)
		assert.Equal(t, "Pässwørd-2", got["4/imap"][0]["secretValue"])
		assert.Equal(t, false, got["4/imap"][0]["isActive"], "nei is false")
		// A date alone is the whole day in the browser's zone (UTC: the harness
		// sets it, whatever the machine's): from its start in ValidFrom,
		// through its last second in ValidTo.
		assert.Equal(t, "2025-01-01T00:00:00Z", got["4/imap"][0]["validFrom"])
		assert.Equal(t, "2030-01-01T23:59:59Z", got["4/imap"][0]["validTo"])
		require.Len(t, got["6/smtp"], 1)
		assert.Equal(t, "Åpen", got["6/smtp"][0]["comment"])
		checkAccessibility(t, p.ctx, "batch: results")
		screenshot(t, p.ctx, "22-batch-results")
	})

	t.Run("a UTF-8 file with a BOM, commas, CRLF and multi-line comments updates", func(t *testing.T) {
		second := "\ufeffUserName,Type,PublicValue,SecretValue,ValidFrom,ValidTo,Comment,IsActive\r\n" +
			"ola.nordmann,imap,imap.example.no ola,Pässwørd-1,2025-01-01T08:00:00Z,2031-01-01T08:00:00Z,\"Kontor i Tromsø,\r\nandre etasje\",yes\r\n" +
			"kari.nordmann,imap,imap.example.no kari,Pässwørd-2,2025-01-01T00:00:00Z,2030-01-01T23:59:59Z,,no\r\n" +
			"sam.support,imap,\"=HYPERLINK(\"\"https://evil.example\"\")\",S3,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z,+cmd|' /C calc'!A0,true\r\n"
		p.upload(t, "second.csv", []byte(second))
		require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
		info := p.text(t, "#batch-file-info")
		assert.Contains(t, info, "comma")
		assert.Contains(t, info, "UTF-8 with a byte order mark")
		counts := p.text(t, "#batch-counts")
		assert.Contains(t, counts, "1 to create")
		assert.Contains(t, counts, "1 to update")
		assert.Contains(t, counts, "1 unchanged")
		assert.Contains(t, p.text(t, "#batch-steps tbody"), "Update: Valid to and Comment")
		p.apply(t)
		got := zeepReadback(t, srv, "3/imap", "5/imap")
		require.Len(t, got["3/imap"], 1)
		// A line break inside a quoted cell is one line feed, as a
		// spreadsheet cell holds it (Alt+Enter), whatever ends the lines.
		assert.Equal(t, "Kontor i Tromsø,\nandre etasje", got["3/imap"][0]["comment"], "the quoted line break survives")
		assert.Equal(t, "2031-01-01T08:00:00Z", got["3/imap"][0]["validTo"])
		assert.Equal(t, "=HYPERLINK(\"https://evil.example\")", got["5/imap"][0]["publicValue"], "stored as typed")
	})

	t.Run("the report: every row, no secret, no live formula", func(t *testing.T) {
		var report string
		run(t, p.ctx, chromedp.Evaluate(`(async () => { for (let i = 50; i > 0; i--) { const r = await socred.batch.report("batch-" + i); if (r) return r; } return ""; })()`, &report, awaitPromise))
		require.NotEmpty(t, report)
		var href, download string
		eval(t, p.ctx, `document.getElementById("batch-report").href`, &href)
		eval(t, p.ctx, `document.getElementById("batch-report").download`, &download)
		assert.True(t, strings.HasPrefix(href, "blob:"), "the report downloads from the page itself")
		assert.Regexp(t, `^socred-report-\d{4}-\d{2}-\d{2}-\d{4}\.csv$`, download)
		rows := spreadsheetCells(t, p.dir, report, ",")
		require.GreaterOrEqual(t, len(rows), 4)
		assert.Equal(t, []string{"Row", "AssociateId", "UserName", "FullName", "Type", "PublicValue", "Outcome", "Message"}, rows[0])
		for _, row := range rows {
			for _, cell := range row {
				for _, secret := range []string{"Pässwørd", "S3", srv.Password} {
					if secret == "S3" {
						continue // too short to mean anything in a report; the others are real
					}
					assert.NotContains(t, cell, secret, "no secret in the report")
				}
				if cell != "" {
					assert.NotContains(t, "=+-@\t\r", cell[:1], "a cell that a spreadsheet would run: %q", cell)
				}
			}
		}
		assert.Contains(t, report, "'=HYPERLINK", "the formula is neutralised, not dropped")
	})
}

// TestBatchTicketPause: a ticket that expires mid-run pauses the whole run
// and asks for a new one; logged in again, Resume goes on with the row
// that failed, and nothing is lost or sent twice.
//
// The ticket expires on cue, not by the wall clock: the socred server runs
// in proxy mode in front of a local NetServer whose clock the test holds,
// and moves that clock past the ticket's lifetime when the 21st save
// arrives, as batch's TestNetServerTicketExpires does natively.
func TestBatchTicketPause(t *testing.T) {
	const rows, expireAt = 60, 21
	clock := &offsetClock{}
	var mu sync.Mutex
	saves := 0
	srv := proxiedNetServer(t, func(cfg *netserver.Config) {
		cfg.TicketTTL = time.Hour
		cfg.Latency = 100 * time.Millisecond // a few saves in flight at once
		cfg.Now = clock.now
	}, func(r *http.Request) {
		if isSave(r) {
			mu.Lock()
			saves++
			if saves == expireAt {
				clock.add(2 * time.Hour) // every ticket issued so far is past its TTL from now on
			}
			mu.Unlock()
		}
	})

	p := newBatchPage(t, srv)
	var b strings.Builder
	b.WriteString("AssociateId;Type;PublicValue;SecretValue;ValidFrom;ValidTo\n")
	for i := 0; i < rows; i++ {
		b.WriteString("3;pause;row-" + itoa(i) + ";s-" + itoa(i) + ";2025-01-01T00:00:00Z;2030-01-01T00:00:00Z\n")
	}
	p.upload(t, "pause.csv", []byte(b.String()))
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))

	pauses := 0
	p.click(t, "#batch-apply")
	for !p.js(t, `!document.getElementById("batch-done").hidden && document.getElementById("batch").getAttribute("aria-busy") !== "true"`) {
		run(t, p.ctx, chromedp.Poll(`document.getElementById("batch-alert").textContent.includes("refused the ticket") ||
			(!document.getElementById("batch-done").hidden && document.getElementById("batch").getAttribute("aria-busy") !== "true")`,
			nil, chromedp.WithPollingTimeout(60*time.Second)))
		var paused bool
		eval(t, p.ctx, `document.getElementById("batch-alert").textContent.includes("refused the ticket")`, &paused)
		if !paused {
			continue
		}
		pauses++
		require.Equal(t, 1, pauses, "the run paused again after a new ticket: %s", p.text(t, "#batch-alert"))
		checkAccessibility(t, p.ctx, "batch: paused for a ticket")
		screenshot(t, p.ctx, "23-batch-ticket")
		p.login(t)
		p.click(t, "#batch-pause") // Resume
	}
	assert.Equal(t, 1, pauses, "the run paused once, when the ticket expired")
	mu.Lock()
	assert.Greater(t, saves, rows, "the saves refused for the expired ticket were sent again")
	mu.Unlock()
	assert.Contains(t, p.text(t, "#batch-outcomes"), itoa(rows)+" created", "nothing lost")
	stored := zeepReadback(t, srv, "3/pause")["3/pause"]
	assert.Len(t, stored, rows, "every row stored once")
	seen := map[string]bool{}
	for _, r := range stored {
		assert.False(t, seen[r["publicValue"].(string)], "stored twice: %v", r["publicValue"])
		seen[r["publicValue"].(string)] = true
	}
}

// proxiedNetServer runs a local NetServer in the test (its Config set by
// configure), with before called on each request before it is served, and
// the socred server in proxy mode in front of it, as in production: the
// test holds the NetServer's clock and sees its calls as they arrive.
func proxiedNetServer(t *testing.T, configure func(*netserver.Config), before func(*http.Request)) server {
	t.Helper()
	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	password := "e2e-" + hex.EncodeToString(pw)
	cfg := netserver.Demo(netserver.DemoUser, password)
	configure(&cfg)
	ns, err := netserver.New(cfg)
	require.NoError(t, err)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		before(r)
		ns.ServeHTTP(w, r)
	}))
	t.Cleanup(site.Close)
	proxy := startProxy(t, site.URL, nil)
	return server{Page: proxy.Page, Site: site.URL, User: netserver.DemoUser, Password: password}
}

// isSave tells a SaveUntrustedCredentialsForAssociate call.
func isSave(r *http.Request) bool {
	return strings.Contains(r.Header.Get("SOAPAction"), "/SaveUntrustedCredentialsForAssociate")
}

// offsetClock is the wall clock moved on by the test (add), never back.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) add(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// TestBatchRetriesAndCancel: with a NetServer that answers 30 % of calls
// with HTTP 503, every row still gets through (the run repeats them); with
// a slow one, Cancel finishes the calls in flight and sends nothing new.
func TestBatchRetriesAndCancel(t *testing.T) {
	t.Run("HTTP 503 is retried", func(t *testing.T) {
		srv := startServer(t, "-fail-rate", "0.3")
		p := newBatchPage(t, srv)
		var b strings.Builder
		b.WriteString("AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n")
		for i := 0; i < 30; i++ {
			b.WriteString("4,retry,row-" + itoa(i) + ",s,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z\n")
		}
		p.upload(t, "retry.csv", []byte(b.String()))
		for range 5 { // the plan's own reads fail too, sometimes for good
			if !p.js(t, `document.getElementById("batch-plan").hidden`) {
				break
			}
			p.check(t)
		}
		require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), p.text(t, "#batch-alert"))
		p.apply(t)
		// 30 % of 30 saves fail at first: the first run repeats some (the
		// chance it repeats none is 0.7^30, about 2 in 100,000).
		assert.Contains(t, p.text(t, "#batch-progress-label"), "repeated", "the progress says calls were repeated")
		for range 5 { // a row that failed four times: Retry failed rows
			if p.js(t, `document.getElementById("batch-retry").hidden`) {
				break
			}
			p.click(t, "#batch-retry")
			p.waitDone(t)
		}
		stored := zeepReadback(t, srv, "4/retry")["4/retry"]
		assert.Len(t, stored, 30, "every row got through")
	})

	t.Run("Cancel sends nothing new", func(t *testing.T) {
		// The second save waits at NetServer until Cancel has been pressed:
		// then one save is done, one in flight, and nothing else may go out.
		var mu sync.Mutex
		saves := 0
		held, release := make(chan struct{}), make(chan struct{})
		srv := proxiedNetServer(t, func(*netserver.Config) {}, func(r *http.Request) {
			if !isSave(r) {
				return
			}
			mu.Lock()
			saves++
			n := saves
			mu.Unlock()
			if n == 2 {
				close(held)
				<-release
			}
		})
		var once sync.Once
		t.Cleanup(func() { once.Do(func() { close(release) }) })
		p := newBatchPage(t, srv)
		var b strings.Builder
		b.WriteString("AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n")
		for i := 0; i < 20; i++ {
			b.WriteString("4,cancel,row-" + itoa(i) + ",s,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z\n")
		}
		p.upload(t, "cancel.csv", []byte(b.String()))
		waitFor(t, p.ctx, `!document.getElementById("batch-plan").hidden`)
		run(t, p.ctx, chromedp.SetValue("#batch-concurrency", "1", chromedp.ByQuery))
		p.click(t, "#batch-apply")
		select {
		case <-held:
		case <-time.After(60 * time.Second):
			t.Fatalf("the second save did not reach NetServer: %s", p.text(t, "#batch-alert"))
		}
		p.click(t, "#batch-cancel")
		waitFor(t, p.ctx, `document.getElementById("batch-cancel").disabled`) // the page took the Cancel
		once.Do(func() { close(release) })
		p.waitDone(t)
		mu.Lock()
		assert.Equal(t, 2, saves, "after Cancel only the call in flight went out")
		mu.Unlock()
		assert.Contains(t, p.text(t, "#batch-outcomes"), "not sent")
		stored := zeepReadback(t, srv, "4/cancel")["4/cancel"]
		assert.Len(t, stored, 2, "the save done and the one in flight are stored, the rest was not sent")
		assert.Contains(t, p.text(t, "#batch-status"), "Cancelled")
	})
}

// TestBatchTemplate: "Download a template" downloads the template (the
// header and two example rows) each time it is clicked, also when it is
// clicked before the batch module has started (the page loads the module
// first), and the file reads back in a spreadsheet reader with every
// column the importer accepts.
func TestBatchTemplate(t *testing.T) {
	srv := startServer(t)
	// 600 px high, the Batch section (about 1,260 px down at 1280 px wide)
	// is below the view, so nothing starts the module before the click.
	var console []string
	p := &formPage{ctx: browserWith(t, &console, chromedp.WindowSize(1280, 600))}
	run(t, p.ctx, chromedp.Navigate(srv.Page))
	waitFor(t, p.ctx, `document.body.dataset.ready === "true"`)
	var below float64 // how far the Batch section is below the view
	eval(t, p.ctx, `document.getElementById("batch").getBoundingClientRect().top - innerHeight`, &below)
	require.Positive(t, below, "the Batch section is in view: the page starts the module by itself")
	dir := t.TempDir()
	done := make(chan string, 4)
	chromedp.ListenTarget(p.ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			done <- e.GUID
		}
	})
	run(t, p.ctx, cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).
		WithDownloadPath(dir).WithEventsEnabled(true))
	require.False(t, p.js(t, `socred.batch.version`), "the batch module has not started yet")

	download := func(t *testing.T) [][]string {
		t.Helper()
		// A click from script: chromedp.Click would scroll the link into
		// view, which starts the module before the click.
		run(t, p.ctx, chromedp.Evaluate(`document.getElementById("batch-template").click()`, nil))
		var guid string
		select {
		case guid = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("no download within 20 s; the Batch section says %q", p.text(t, "#batch-alert"))
		}
		b, err := os.ReadFile(filepath.Join(dir, guid))
		require.NoError(t, err)
		return spreadsheetCells(t, t.TempDir(), string(b), ",")
	}
	first := download(t)
	require.Len(t, first, 3, "the header and two example rows: %q", first)
	assert.Equal(t, []string{"AssociateId", "UserName", "Type", "PublicValue", "SecretValue", "ValidFrom", "ValidTo", "Comment", "IsActive"}, first[0])
	assert.True(t, p.js(t, `socred.batch.version`), "the click started the batch module")
	assert.Equal(t, first, download(t), "a second click downloads the same file")
}

// TestBatchPlanMarks: the plan marks the rows the single form would ask
// about (an inactive record, a ValidTo already past, a Type that differs
// from a suggested one only in letter case); Apply asks once for all of
// them, with the counts; Cancel sends nothing, OK applies every row.
func TestBatchPlanMarks(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)
	file := "AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo,IsActive\n" +
		"4,marks,plain,s,2025-01-01T00:00:00Z,2099-01-01T00:00:00Z,true\n" +
		"4,marks,inactive,s,2025-01-01T00:00:00Z,2099-01-01T00:00:00Z,false\n" +
		"4,marks,expired,s,2020-01-01T00:00:00Z,2021-01-01T00:00:00Z,true\n" +
		"4,IMAP,typecase,s,2025-01-01T00:00:00Z,2099-01-01T00:00:00Z,true\n"
	p.upload(t, "marks.csv", []byte(file))
	waitFor(t, p.ctx, `!document.getElementById("batch-plan").hidden`)
	var marks []string
	eval(t, p.ctx, `Array.from(document.querySelectorAll("#batch-steps tbody tr"), (tr) => tr.dataset.marks || "")`, &marks)
	assert.Equal(t, []string{"", "inactive", "expired", "type-case"}, marks)
	assert.Contains(t, p.text(t, "#batch-steps"), "saved inactive")

	p.click(t, "#batch-apply")
	waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
	text := p.text(t, "#confirm-text")
	for _, want := range []string{"saved inactive (1)", "Valid to already past (1)", "letter case (1)"} {
		assert.Contains(t, text, want)
	}
	p.click(t, "#confirm-cancel")
	waitFor(t, p.ctx, `!document.getElementById("confirm-remove").open`)
	// The batch module runs in a worker, whose requests the page's network
	// events do not show: what NetServer stores says what was sent.
	assert.Empty(t, zeepReadback(t, p.srv, "4/marks")["4/marks"], "Cancel sends nothing")
	assert.True(t, p.js(t, `document.getElementById("batch-done").hidden && !document.getElementById("batch-apply").disabled`))

	run(t, p.ctx, chromedp.SetValue("#batch-rate", "5", chromedp.ByQuery)) // Apply keeps to the limit chosen
	p.click(t, "#batch-apply")
	waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
	p.click(t, "#confirm-ok")
	p.waitDone(t)
	stored := zeepReadback(t, p.srv, "4/marks", "4/IMAP")
	assert.Len(t, stored["4/marks"], 3, "OK applies every row")
	assert.Len(t, stored["4/IMAP"], 1, "OK applies every row")
	assert.Contains(t, p.text(t, "#batch-outcomes"), "4 created")
	assert.EqualValues(t, 5, p.progress(t)["rateLimit"], "the run kept to 5 calls a second")
}
