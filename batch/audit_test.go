package batch

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

func TestParseAssociates(t *testing.T) {
	t.Run("ids, ranges and user names, each once, in order", func(t *testing.T) {
		refs, err := ParseAssociates("1-3, 305;ola.nordmann\nbjørn.ås\t2 - 4, OLA.NORDMANN, 305")
		require.NoError(t, err)
		assert.Equal(t, []AssociateRef{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 305}, {UserName: "ola.nordmann"}, {UserName: "bjørn.ås"}, {ID: 4}}, refs)
	})
	for name, tc := range map[string]struct {
		list  string
		codes []string
	}{
		"a range backwards":             {"200-1", []string{CodeRangeOrder}},
		"a range beyond the limit":      {"1-10001", []string{CodeTooManyAssociates}},
		"too many in all":               {"1-6000, 6001-12000", []string{CodeTooManyAssociates}},
		"an id beyond 32 bits":          {"4294967296", []string{soap.CodeOutOfRange}},
		"a control character in a name": {"ola\x01", []string{soap.CodeControlChar}},
		"nothing at all":                {" , ;\n", []string{CodeNoAssociates}},
		"every problem at once":         {"9-1, 5-2", []string{CodeRangeOrder, CodeRangeOrder}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseAssociates(tc.list)
			var ps Problems
			require.ErrorAs(t, err, &ps)
			var codes []string
			for _, p := range ps {
				codes = append(codes, p.Code)
				assert.NotEmpty(t, p.Message())
			}
			assert.Equal(t, tc.codes, codes, "%v", err)
		})
	}
	t.Run("the limit itself is allowed", func(t *testing.T) {
		refs, err := ParseAssociates("1-10000")
		require.NoError(t, err)
		assert.Len(t, refs, MaxAuditAssociates)
	})
}

func TestStatusOf(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	rec := func(from, to time.Time, active bool) soap.UntrustedCredentials {
		return soap.UntrustedCredentials{ValidFrom: from, ValidTo: to, IsActive: active}
	}
	for name, tc := range map[string]struct {
		c    soap.UntrustedCredentials
		want Status
	}{
		"inactive, whatever the dates": {rec(now.Add(-day), now.Add(-day), false), Status{Kind: StatusInactive}},
		"expired 3 days ago":           {rec(now.Add(-400*day), now.Add(-3*day-time.Hour), true), Status{StatusExpired, now.Add(-3*day - time.Hour), 3}},
		"expired this very moment":     {rec(now.Add(-day), now, true), Status{StatusExpired, now, 0}},
		"not valid for 2 more days":    {rec(now.Add(2*day+time.Hour), now.Add(400*day), true), Status{StatusNotYetValid, now.Add(2*day + time.Hour), 2}},
		"expires in 0 days (today)":    {rec(now.Add(-day), now.Add(5*time.Hour), true), Status{StatusExpiring, now.Add(5 * time.Hour), 0}},
		"expires at the window's end":  {rec(now.Add(-day), now.Add(30*day), true), Status{StatusExpiring, now.Add(30 * day), 30}},
		"active beyond the window":     {rec(now.Add(-day), now.Add(30*day+time.Second), true), Status{StatusActive, now.Add(30*day + time.Second), 30}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, StatusOf(tc.c, now, DefaultWindow))
		})
	}
}

func TestFilter(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	mk := func(to time.Duration, active, secret bool) AuditRecord {
		return AuditRecord{Credentials: soap.UntrustedCredentials{ValidFrom: now.Add(-100 * day), ValidTo: now.Add(to), IsActive: active}, HasSecret: secret}
	}
	expired, soon, later, off, bare := mk(-day, true, true), mk(5*day, true, true), mk(90*day, true, true), mk(90*day, false, true), mk(90*day, true, false)
	a := &Audit{At: now, Records: []AuditRecord{expired, soon, later, off, bare}}
	for name, tc := range map[string]struct {
		f    Filter
		want []AuditRecord
	}{
		"no filter: all":                   {Filter{}, a.Records},
		"expired":                          {Filter{Expired: true}, []AuditRecord{expired}},
		"expiring within 7 days":           {Filter{ExpiringWithin: 7 * day}, []AuditRecord{soon}},
		"inactive":                         {Filter{Inactive: true}, []AuditRecord{off}},
		"without a secret":                 {Filter{WithoutSecret: true}, []AuditRecord{bare}},
		"expired or expiring: any of them": {Filter{Expired: true, ExpiringWithin: 7 * day}, []AuditRecord{expired, soon}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, a.Filter(tc.f))
		})
	}
}

func TestAuditor(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	f := newFake()
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{
		{ValidFrom: jan1, ValidTo: now.AddDate(0, 0, 10), PublicValue: "=soon@example.com", SecretValue: "pw", IsActive: true},
		{ValidFrom: jan1, ValidTo: now.AddDate(0, 0, -2), PublicValue: "old@example.com", IsActive: true},
	}
	f.records[recordKey(4, "smtp")] = []soap.UntrustedCredentials{{ValidFrom: jan1, ValidTo: jan2, PublicValue: "kari@example.com", SecretValue: "x", IsActive: false}}
	f.hook = func(_ context.Context, call string) error {
		if call == "list 1/smtp" {
			return &soap.ExceptionInfo{FriendlyText: "No right", ExceptionType: "SuperOffice.CRM.Security.SoAccessDeniedException"}
		}
		return nil
	}
	refs, err := ParseAssociates("1, 3-4, kari.nordmann, 99")
	require.NoError(t, err)
	log := newProgressLog()
	a := NewAuditor(f, refs, []string{"imap", " smtp", "imap"}, AuditOptions{JobOptions: JobOptions{Now: func() time.Time { return now }, OnProgress: log.add}})
	audit, err := a.Run(context.Background())
	require.NoError(t, err)

	require.Len(t, audit.Records, 3, "%+v", audit.Records)
	assert.Equal(t, StatusExpiring, audit.Records[0].Status.Kind)
	assert.Equal(t, 10, audit.Records[0].Status.Days)
	assert.True(t, audit.Records[0].HasSecret)
	assert.Empty(t, audit.Records[0].Credentials.SecretValue, "no secret is kept")
	assert.Equal(t, StatusExpired, audit.Records[1].Status.Kind)
	assert.Equal(t, StatusInactive, audit.Records[2].Status.Kind)
	assert.Equal(t, "Kari Nordmann", audit.Records[2].FullName)
	assert.Equal(t, 3, audit.Associates, "1, 3 and 4 (kari.nordmann is 4: read once)")
	assert.Equal(t, []AssociateRef{{ID: 99}}, audit.Missing)
	require.Len(t, audit.Failed, 1)
	assert.Equal(t, "No right", audit.Failed[0].Message)
	assert.Equal(t, "smtp", audit.Failed[0].Type)

	count := map[string]int{}
	for _, c := range f.calls() {
		count[c]++
	}
	assert.Equal(t, 1, count["list 4/imap"], "kari.nordmann and 4 are one associate, read once")
	p := a.Progress()
	assert.Equal(t, StateDone, p.State)
	assert.Zero(t, p.Remaining(), "%v", p)

	var b bytes.Buffer
	require.NoError(t, WriteAudit(&b, audit.Records, ';'))
	golden(t, "audit.csv", b.Bytes())
	checkSpreadsheetSafe(t, b.Bytes(), ';', len(AuditHeader))
	assert.NotContains(t, b.String(), "pw")

	t.Run("an audit needs a Type", func(t *testing.T) {
		_, err := NewAuditor(f, refs, []string{" "}, AuditOptions{}).Run(context.Background())
		assert.True(t, errors.Is(err, ErrList), "%v", err)
	})
}
