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

// TestAuditRoundTrip: audit → export → import plans every row as
// unchanged; edited, a row whose secret NetServer returned resends it,
// one whose secret it did not asks for one, and a UserName that is not
// the AssociateId's refuses the row.
func TestAuditRoundTrip(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	f := newFake()
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{
		{ValidFrom: jan1, ValidTo: now.AddDate(0, 0, 10), PublicValue: "=soon@example.com", Comment: "Ann;=HYPERLINK(\"x\")", SecretValue: "pw", IsActive: true},
		{ValidFrom: jan1, ValidTo: now.AddDate(0, 0, -2), PublicValue: "old@example.com", IsActive: true}, // its secret is not returned
	}
	f.records[recordKey(4, "smtp")] = []soap.UntrustedCredentials{{ValidFrom: jan1, ValidTo: jan2, PublicValue: "kari@example.com", Comment: "bjørn.ås", SecretValue: "x", IsActive: false}}
	refs, err := ParseAssociates("3-4")
	require.NoError(t, err)
	audit, err := NewAuditor(f, refs, []string{"imap", "smtp"}, AuditOptions{JobOptions: JobOptions{Now: func() time.Time { return now }}}).Run(context.Background())
	require.NoError(t, err)
	require.Len(t, audit.Records, 3)
	var export bytes.Buffer
	require.NoError(t, WriteAudit(&export, audit.Records, ';'))

	planOf := func(t *testing.T, data string) *Plan {
		opt := Options{Location: oslo(t), Locale: "nb-NO"}
		file, err := Read([]byte(data), opt)
		require.NoError(t, err)
		assert.Subset(t, file.Ignored, []string{"FullName", "HasSecret", "Status", "Days"})
		checked := Check(file, opt)
		require.NoError(t, checked.Err())
		return plan(t, f, checked, PlanOptions{})
	}
	t.Run("unchanged", func(t *testing.T) {
		p := planOf(t, export.String())
		require.Len(t, p.Steps, 3)
		for _, s := range p.Steps {
			assert.Equal(t, ActionUnchanged, s.Action, "row %d: %s", s.Row, s)
		}
	})
	t.Run("edited", func(t *testing.T) {
		lines := strings.Split(export.String(), "\r\n")
		require.Contains(t, lines[1], "soon@example.com")
		require.Contains(t, lines[2], "old@example.com")
		require.Contains(t, lines[3], "kari@example.com")
		lines[1] = strings.Replace(lines[1], "2025-06-25T12:00:00Z", "31.12.2027", 1)
		lines[2] = strings.Replace(lines[2], "2025-06-13T12:00:00Z", "31.12.2027", 1)
		lines[3] = strings.Replace(lines[3], "kari.nordmann", "ola.nordmann", 1)
		p := planOf(t, strings.Join(lines, "\r\n"))
		require.Len(t, p.Steps, 3)
		assert.Equal(t, ActionUpdate, p.Steps[0].Action, "%s", p.Steps[0])
		assert.True(t, p.Steps[0].SecretResent)
		assert.Equal(t, "pw", p.Steps[0].credentials().SecretValue)
		assert.Equal(t, "Ann;=HYPERLINK(\"x\")", p.Steps[0].credentials().Comment, "the export's neutralisation undone")
		assert.Equal(t, ActionRefused, p.Steps[1].Action)
		assert.Equal(t, CodeSecretUnknown, p.Steps[1].Code)
		assert.Equal(t, ActionRefused, p.Steps[2].Action)
		assert.Equal(t, CodeNameMismatch, p.Steps[2].Code)
		assert.Equal(t, "ola.nordmann", p.Steps[2].Params["given"])
		assert.Equal(t, "kari.nordmann", p.Steps[2].Params["userName"])
	})
}
