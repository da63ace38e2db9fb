package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordWorkerMessages is an init script that keeps every message the page
// receives from any Worker, as JSON text (each Uint8Array in it as base64
// beside it), in window.socredWorkerMessages.
const recordWorkerMessages = `(() => {
	const W = window.Worker;
	const seen = (window.socredWorkerMessages = []);
	const b64 = (u8) => {
		let s = "";
		for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
		return btoa(s);
	};
	window.Worker = class extends W {
		constructor(...args) {
			super(...args);
			this.addEventListener("message", (e) => {
				const bytes = [];
				const json = JSON.stringify(e.data, (k, v) => {
					if (v instanceof Uint8Array) { bytes.push(b64(v)); return "<bytes " + (bytes.length - 1) + ">"; }
					return v;
				});
				seen.push({ json, bytes });
			});
		}
	};
})()`

// workerMessage is one message the page received from the worker.
type workerMessage struct {
	JSON  string   `json:"json"`
	Bytes []string `json:"bytes"`
}

// texts are the message's JSON text and the text of each of its byte
// arrays (every part of a zip, such as an .xlsx, unpacked).
func (m workerMessage) texts(t *testing.T) []string {
	t.Helper()
	out := []string{m.JSON}
	for _, s := range m.Bytes {
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		out = append(out, string(b))
		if !bytes.HasPrefix(b, []byte("PK")) {
			continue
		}
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		require.NoError(t, err, "a zip from the worker")
		for _, f := range z.File {
			r, err := f.Open()
			require.NoError(t, err)
			part, err := io.ReadAll(r)
			require.NoError(t, err)
			out = append(out, string(part))
		}
	}
	return out
}

// TestBatchWorkerKeepsSecrets: the batch module runs in a worker, and
// nothing the page receives from it while a file with known secrets is
// opened, planned, applied, reported and audited (CSV and .xlsx) carries a
// SecretValue, the ticket or the application token.
func TestBatchWorkerKeepsSecrets(t *testing.T) {
	srv := startServer(t)
	fp := newFormPage(t, srv)
	_ = chromedp.Run(fp.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(recordWorkerMessages).Do(ctx)
		return err
	}))
	run(t, fp.ctx, chromedp.Reload())
	waitFor(t, fp.ctx, `document.body.dataset.ready === "true"`)
	p := &batchPage{formPage: fp, srv: srv, dir: t.TempDir()}
	const token = "app-token-Zq8vW3"
	p.set(t, "ApplicationToken", token)
	p.login(t)
	var ticket string
	eval(t, p.ctx, `document.getElementById("Ticket").value`, &ticket)
	require.NotEmpty(t, ticket)

	secrets := []string{"Hemmelig-Qx71", "Hemmelig-Wv52", "Hemmelig-Kp39"}
	p.upload(t, "secrets.csv", []byte("AssociateId;Type;PublicValue;SecretValue;ValidFrom;ValidTo;Comment;IsActive\r\n"+
		"3;imap;worker one;"+secrets[0]+";2025-01-01T00:00:00Z;2099-01-01T00:00:00Z;;ja\r\n"+
		"4;imap;worker two;"+secrets[1]+";2025-01-01T00:00:00Z;2099-01-01T00:00:00Z;;nei\r\n"+
		"6;smtp;worker three;"+secrets[2]+";2020-01-01T00:00:00Z;2021-01-01T00:00:00Z;;ja\r\n"))
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
	var mode string
	eval(t, p.ctx, `socred.batch.mode`, &mode)
	require.Equal(t, "worker", mode, "the batch module runs in a worker")
	p.apply(t)
	require.Contains(t, p.text(t, "#batch-outcomes"), "3 created")
	waitFor(t, p.ctx, `document.getElementById("batch-report-xlsx").href.startsWith("blob:")`)

	run(t, p.ctx, chromedp.Click("#audit-from-import", chromedp.ByQuery))
	p.set(t, "audit-types", "imap, smtp")
	p.click(t, "#audit-run")
	waitFor(t, p.ctx, `!document.getElementById("audit-result").hidden || document.getElementById("audit-alert").textContent !== ""`)
	waitFor(t, p.ctx, `document.getElementById("audit").getAttribute("aria-busy") !== "true"`)
	require.Empty(t, p.text(t, "#audit-alert"))
	waitFor(t, p.ctx, `document.getElementById("audit-export-xlsx").href.startsWith("blob:")`)

	var got []workerMessage
	eval(t, p.ctx, `window.socredWorkerMessages`, &got)
	var progress, xlsx int
	for _, m := range got {
		if strings.Contains(m.JSON, `"progress":{`) {
			progress++
		}
		for _, text := range m.texts(t) {
			if strings.Contains(text, "[Content_Types].xml") || strings.Contains(text, "<worksheet") {
				xlsx++
			}
			for _, s := range append(secrets, ticket, token) {
				assert.NotContains(t, text, s, "a message from the worker carries a secret: %.300s", m.JSON)
			}
		}
	}
	t.Logf("%d messages from the worker, %d of them progress, %d .xlsx parts", len(got), progress, xlsx)
	require.Greater(t, progress, 0, "the recorder saw the jobs' progress")
	require.Greater(t, xlsx, 0, "the recorder saw the .xlsx exports")
	require.Greater(t, len(got), 10)
}
