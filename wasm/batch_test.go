//go:build js && wasm && socred_batch

package wasm

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"socred/wasm/internal/jsv"
)

// newBatchAPI is newAPI with socred.batch installed on the same object, as
// the page has it once socred-batch.wasm runs.
func newBatchAPI(t *testing.T) jsv.Value {
	t.Helper()
	obj := newAPI(t)
	b, err := RegisterBatch(obj, "test")
	require.NoError(t, err)
	t.Cleanup(b.Release)
	v, err := obj.Get("batch")
	require.NoError(t, err)
	version, err := v.Get("version")
	require.NoError(t, err)
	s, _ := version.String()
	require.Equal(t, "test", s, "socred.batch.version")
	return obj
}

// batchCall calls socred.batch.<method>(args…): a Promise is awaited.
func batchCall(t *testing.T, obj jsv.Value, method string, args ...any) jsv.Value {
	t.Helper()
	b, err := obj.Get("batch")
	require.NoError(t, err)
	v, err := b.Call(method, args...)
	require.NoError(t, err, "socred.batch.%s", method)
	if ok, _ := v.InstanceOf(promiseClass); ok {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		v, err = await(ctx, v)
		require.NoError(t, err, "socred.batch.%s rejected", method)
	}
	return v
}

func bytesOf(t *testing.T, s string) jsv.Value {
	t.Helper()
	v, err := bytesValue([]byte(s))
	require.NoError(t, err)
	return v
}

// TestBatchOpen reads and checks a file in the browser: its encoding, its
// delimiter, every problem by row and column, and dates without a zone in
// the browser's own time zone.
func TestBatchOpen(t *testing.T) {
	obj := newBatchAPI(t)
	file := "AssociateId;Type;PublicValue;SecretValue;ValidFrom;ValidTo;IsActive\r\n" +
		"3;imap;a@example.com;s1;2025-01-01;2027-01-01;ja\r\n" +
		"x;imap;b@example.com;s2;2025-01-01;2024-01-01;ja\r\n" +
		"3;imap;a@example.com;s3;2025-01-01 08:00;2027-01-01;nei\r\n"
	out := goValue(t, batchCall(t, obj, "open", bytesOf(t, file)))
	require.Equal(t, true, out["ok"], "%v", out)
	assert.Equal(t, "UTF-8", out["encoding"])
	assert.Equal(t, ";", out["delimiter"])
	assert.EqualValues(t, 3, out["rows"])
	assert.EqualValues(t, 0, out["valid"], "the duplicate rows 2 and 4, and row 3")
	problems, _ := out["problems"].([]any)
	var where []string
	for _, p := range problems {
		m := p.(map[string]any)
		assert.NotEmpty(t, m["code"], "%v", m)
		where = append(where, m["column"].(string)+"@"+strings.TrimSuffix(strings.TrimSuffix(m["message"].(string), "."), " "))
	}
	joined := strings.Join(where, "\n")
	assert.Contains(t, joined, "AssociateId@Row 3")
	assert.Contains(t, joined, "ValidTo@Row 3")
	assert.Contains(t, joined, "Row 2", "the duplicate names both rows")
	assert.Contains(t, joined, "Row 4")

	// A file that is not UTF-8: Windows-1252, said so.
	latin := "UserName,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n" + "bj\xf8rn,imap,x,s,2025-01-01T00:00:00Z,2027-01-01T00:00:00Z\n"
	out = goValue(t, batchCall(t, obj, "open", bytesOf(t, latin)))
	assert.Equal(t, "Windows-1252", out["encoding"])
	assert.EqualValues(t, 1, out["valid"], "%v", out["problems"])

	// The template is a file socred reads.
	tpl, err := batchCall(t, obj, "template", ";").String()
	require.NoError(t, err)
	out = goValue(t, batchCall(t, obj, "open", bytesOf(t, tpl)))
	assert.EqualValues(t, 2, out["rows"])
	assert.EqualValues(t, 0, out["problemCount"], "%v", out["problems"])

	// In the page's words, and as an .xlsx (a ZIP's bytes).
	words := map[string]any{"yes": "Ja", "no": "Nei", "examples": []any{"IMAP-passordet", "Pålogging", "SMTP-passordet", "Lokal tid"}}
	tpl, err = batchCall(t, obj, "template", ";", jsValue(t, map[string]any{"words": words})).String()
	require.NoError(t, err)
	assert.Contains(t, tpl, ";IMAP-passordet;")
	assert.Contains(t, tpl, ";Lokal tid;Ja\r\n")
	xlsx := batchCall(t, obj, "template", ";", jsValue(t, map[string]any{"format": "xlsx", "locale": "nb-NO", "words": words}))
	ok, _ := xlsx.InstanceOf(uint8ArrayClass)
	require.True(t, ok, "an .xlsx is a Uint8Array")
	n, err := xlsx.Length()
	require.NoError(t, err)
	b := make([]byte, n)
	_, err = jsv.CopyBytesToGo(b, xlsx)
	require.NoError(t, err)
	assert.Equal(t, "PK\x03\x04", string(b[:4]))
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err, "the .xlsx is a ZIP archive/zip reads")
	var parts strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err, f.Name)
		part, err := io.ReadAll(rc)
		require.NoError(t, err, f.Name)
		parts.Write(part)
	}
	assert.Contains(t, parts.String(), "IMAP-passordet")
	assert.Contains(t, parts.String(), `formatCode="dd.mm.yyyy hh:mm"`)
}

// TestBatchRoundTrip plans, applies and reports a file against the local
// NetServer through the browser's fetch, then audits what it stored.
func TestBatchRoundTrip(t *testing.T) {
	base, user, password := fetchServer(t)
	obj := newBatchAPI(t)
	site := base + "/site"
	login := mustCall(t, obj, "login", jsValue(t, map[string]any{"endpoint": site, "userName": user, "password": password}))
	require.Equal(t, true, login["ok"], "%v", login)
	ticket := login["ticket"].(string)

	file := "UserName,AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo,Comment\n" +
		"kari.nordmann,,imap,batch-a@example.com,Batch-s3cret-1,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z,\"two\nlines\"\n" +
		",5,imap,batch-b@example.com,Batch-s3cret-2,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z,\n" +
		",7,imap,deleted@example.com,Batch-s3cret-3,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z,\n"
	opened := goValue(t, batchCall(t, obj, "open", bytesOf(t, file)))
	require.Equal(t, true, opened["ok"], "%v", opened)
	id := opened["id"].(string)
	require.EqualValues(t, 3, opened["valid"], "%v", opened["problems"])

	conn := map[string]any{"endpoint": site, "ticket": ticket}
	var seen int
	progress, err := jsv.FuncOf(func(_ jsv.Value, _ []jsv.Value) any { seen++; return nil })
	require.NoError(t, err)
	defer progress.Release()
	opts := jsValue(t, conn)
	require.NoError(t, opts.Set("onProgress", progress))
	plan := goValue(t, batchCall(t, obj, "plan", id, opts))
	require.Equal(t, true, plan["ok"], "%v", plan)
	counts := plan["counts"].(map[string]any)
	assert.EqualValues(t, 2, counts["create"], "%v", counts)
	assert.EqualValues(t, 1, counts["refused"], "the deleted associate 7: %v", counts)
	steps := goValue(t, batchCall(t, obj, "steps", id, jsValue(t, map[string]any{"actions": []any{"refused"}})))
	assert.EqualValues(t, 1, steps["total"])
	assert.Contains(t, steps["steps"].([]any)[0].(map[string]any)["code"], "deleted", "%v", steps)

	applied := goValue(t, batchCall(t, obj, "apply", id, opts))
	require.Equal(t, true, applied["ok"], "%v", applied)
	assert.EqualValues(t, 2, applied["counts"].(map[string]any)["created"], "%v", applied)
	assert.Positive(t, seen, "progress was reported")

	report, err := batchCall(t, obj, "report", id).String()
	require.NoError(t, err)
	assert.Contains(t, report, "kari.nordmann")
	assert.Contains(t, report, "created")
	for _, s := range []string{"Batch-s3cret-1", "Batch-s3cret-2", "Batch-s3cret-3", ticket} {
		assert.NotContains(t, report, s, "no secret in the report")
	}
	results := goValue(t, batchCall(t, obj, "results", id, jsValue(t, map[string]any{"outcomes": []any{"created"}})))
	assert.EqualValues(t, 2, results["total"])

	list := mustCall(t, obj, "list", jsValue(t, map[string]any{"endpoint": site, "ticket": ticket, "associateId": 4, "type": "imap"}))
	require.Equal(t, true, list["ok"], "%v", list)
	assert.Contains(t, strings.Join(publicValues(list), " "), "batch-a@example.com", "saved for kari.nordmann, associate 4")

	auditOpts := jsValue(t, map[string]any{"endpoint": site, "ticket": ticket, "fromBatch": id, "types": []any{"imap"}})
	audit := goValue(t, batchCall(t, obj, "audit", auditOpts))
	require.Equal(t, true, audit["ok"], "%v", audit)
	records := goValue(t, batchCall(t, obj, "records", audit["id"].(string)))
	assert.GreaterOrEqual(t, records["total"], float64(2))
	csv, err := batchCall(t, obj, "auditReport", audit["id"].(string), jsValue(t, map[string]any{"delimiter": ","})).String()
	require.NoError(t, err)
	assert.Contains(t, csv, "HasSecret")
	assert.NotContains(t, csv, "Batch-s3cret")

	closed, err := batchCall(t, obj, "close", id).Bool()
	require.NoError(t, err)
	assert.True(t, closed)
	gone := batchCall(t, obj, "report", id)
	assert.True(t, gone.IsNull(), "a closed batch is gone: report answers null")
}

func publicValues(list map[string]any) []string {
	var out []string
	cs, _ := list["credentials"].([]any)
	for _, c := range cs {
		out = append(out, c.(map[string]any)["publicValue"].(string))
	}
	return out
}

// TestBatchOpenSpreadsheets reads files real spreadsheet programs wrote:
// a LibreOffice workbook (its sheet, the ignored column) and CSV dates in
// the locale the page passes, whose problems quote the cell and give the
// locale's example.
func TestBatchOpenSpreadsheets(t *testing.T) {
	obj := newBatchAPI(t)
	read := func(name string) jsv.Value {
		b, err := os.ReadFile(filepath.Join("..", "batch", "testdata", "spreadsheets", name))
		require.NoError(t, err)
		v, err := bytesValue(b)
		require.NoError(t, err)
		return v
	}
	out := goValue(t, batchCall(t, obj, "open", read("libreoffice-nb.xlsx"), jsValue(t, map[string]any{"locale": "nb-NO"})))
	require.Equal(t, true, out["ok"], "%v", out)
	assert.Equal(t, "", out["delimiter"])
	assert.Equal(t, "Ark1", out["sheet"])
	assert.Equal(t, []any{"Avdeling"}, out["ignored"])
	assert.EqualValues(t, 4, out["valid"], "%v", out["problems"])

	out = goValue(t, batchCall(t, obj, "open", read("en-US.csv"), jsValue(t, map[string]any{"locale": "en-US"})))
	assert.EqualValues(t, 4, out["valid"], "%v", out["problems"])
	out = goValue(t, batchCall(t, obj, "open", read("en-US.csv"), jsValue(t, map[string]any{"locale": "nb-NO"})))
	assert.EqualValues(t, 1, out["valid"], "only the row whose dates fit both orders: %v", out["problems"])
	problems := out["problems"].([]any)
	require.NotEmpty(t, problems)
	p := problems[0].(map[string]any)
	assert.Equal(t, "not-date", p["code"])
	params := p["params"].(map[string]any)
	assert.Equal(t, "1/31/2027 8:00 AM", params["text"])
	assert.Equal(t, "31.01.2027 08:00", params["example"])
}
