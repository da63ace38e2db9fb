package batch

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// TestAuditExportReimportsUnchanged: the audit exported as CSV and as .xlsx,
// in every locale the page writes, read back by socred's own import, plans
// every row as unchanged (nothing would be sent) — formula-looking cells,
// line breaks, ø and å, an expired record and an inactive one included;
// and the .xlsx template checks clean in each locale.
func TestAuditExportReimportsUnchanged(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	f := newFake()
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{
		{ValidFrom: jan1, ValidTo: now.AddDate(0, 0, 10), PublicValue: "=soon@example.com", Comment: "Ann;=HYPERLINK(\"x\")\n-2", SecretValue: "pw", IsActive: true},
		{ValidFrom: jan1, ValidTo: now.AddDate(0, 0, -2), PublicValue: "old@example.com", IsActive: true},
	}
	f.records[recordKey(4, "smtp")] = []soap.UntrustedCredentials{{ValidFrom: jan1, ValidTo: jan2, PublicValue: "kari@example.com", Comment: "bjørn.ås", SecretValue: "x", IsActive: false}}
	refs, _ := ParseAssociates("3-4")
	audit, err := NewAuditor(f, refs, []string{"imap", "smtp"}, AuditOptions{JobOptions: JobOptions{Now: func() time.Time { return now }}}).Run(context.Background())
	require.NoError(t, err)
	for _, locale := range []string{"nb-NO", "en-US", "de-DE", "nl-NL", "sv-SE", "en-GB", "da-DK"} {
		for _, format := range []Format{CSV, XLSX} {
			e := &Export{Delimiter: ';', Locale: locale, Location: oslo(t), Words: Words{Yes: "ja", No: "nei"}}
			var b bytes.Buffer
			require.NoError(t, e.Audit(&b, audit.Records, format))
			opt := Options{Location: oslo(t), Locale: locale}
			file, err := Read(b.Bytes(), opt)
			require.NoError(t, err, "%s format %d", locale, format)
			checked := Check(file, opt)
			require.NoError(t, checked.Err(), "%s %d\n%s", locale, format, strings.ReplaceAll(b.String()[:min(600, b.Len())], "\r", ""))
			p := plan(t, f, checked, PlanOptions{})
			for _, s := range p.Steps {
				assert.Equal(t, ActionUnchanged, s.Action, "%s %d row %d: %s %v", locale, format, s.Row, s, s.Changes)
			}
		}
		var tb bytes.Buffer
		e := &Export{Delimiter: ';', Locale: locale, Location: oslo(t)}
		require.NoError(t, e.Template(&tb, XLSX))
		file, err := Read(tb.Bytes(), Options{Location: oslo(t), Locale: locale})
		require.NoError(t, err)
		assert.NoError(t, Check(file, Options{Location: oslo(t), Locale: locale}).Err(), "template %s", locale)
	}
}
