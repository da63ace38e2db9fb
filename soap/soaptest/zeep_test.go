package soaptest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
)

// zeepReport is what testdata/zeep_client.py prints.
type zeepReport struct {
	Login struct {
		Succeeded, Authenticated bool
		AssociateID              int32 `json:"associateId"`
		Ticket                   string
	}
	Saves   []bool
	Listed  []zeepRecord
	Removed bool
	After   []zeepRecord
	Zones   struct {
		Sent map[string]zeepInstant
		Got  map[string]zeepInstant
	}
	Naive   string
	Unknown struct {
		Succeeded     bool
		ExceptionType string `json:"exceptionType"`
	}
}

// zeepInstant is a record's dates as UTC instants, as zeep read them.
type zeepInstant struct {
	ValidFrom string `json:"validFrom"`
	ValidTo   string `json:"validTo"`
}

type zeepRecord struct {
	PublicValue string `json:"publicValue"`
	SecretValue string `json:"secretValue"`
	Comment     string
	ValidFrom   string `json:"validFrom"`
	ValidTo     string `json:"validTo"`
	IsActive    bool   `json:"isActive"`
}

// TestZeepClient has an independent SOAP stack, python3-zeep reading the
// vendor's WSDLs, log in, save, list and remove against the local NetServer.
func TestZeepClient(t *testing.T) {
	testenv.ReferenceFile(t, "Services88-User.WcfUser-8.8.wsdl")
	ref := testenv.ReferenceDir(t)
	python := testenv.PythonWith(t, "zeep")
	s := demoServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "zeep_client.py"), ref, s.SiteURL, DemoUser, testPassword)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err)
	var r zeepReport
	require.NoError(t, json.Unmarshal(out, &r), "%s", out)

	assert.True(t, r.Login.Succeeded)
	assert.True(t, r.Login.Authenticated)
	assert.Equal(t, DemoAssociateID, r.Login.AssociateID)
	assert.Regexp(t, `^7T:`, r.Login.Ticket)
	assert.Equal(t, []bool{true, true}, r.Saves)
	want := zeepRecord{PublicValue: "imap.example.com/zeep", SecretValue: "zeep & <secret>", Comment: "saved by zeep",
		ValidFrom: "2025-01-02T03:04:05+00:00", ValidTo: "2026-01-02T03:04:05+00:00", IsActive: true}
	second := want
	second.PublicValue, second.SecretValue = "smtp.example.com/zeep", "second"
	assert.Equal(t, []zeepRecord{want, second}, r.Listed)
	assert.True(t, r.Removed)
	assert.Equal(t, []zeepRecord{want}, r.After)
	require.Len(t, r.Zones.Sent, 3, "zeep saved one record per zone")
	assert.Equal(t, r.Zones.Sent, r.Zones.Got, "each aware datetime comes back as the instant it named")
	assert.Contains(t, r.Naive, "'ValidFrom'", "a date without a zone is refused, naming the element")
	assert.Contains(t, r.Naive, "no time zone", "and says why")
	stored := map[string]string{}
	for _, c := range s.NetServer.Credentials(4, "zones") {
		stored[c.PublicValue] = soap.FormatDateTime(c.ValidFrom)
		assert.Equal(t, time.UTC, c.ValidFrom.Location(), "%s is stored in UTC", c.PublicValue)
	}
	assert.Equal(t, map[string]string{"utc": "2025-06-01T12:30:15Z", "plus2": "2025-06-01T10:30:15Z", "minus530": "2025-06-01T18:00:15Z"}, stored,
		"the local NetServer stores each offset as its UTC instant")
	assert.False(t, r.Unknown.Succeeded)
	assert.Equal(t, TypeUnknownAssociate, r.Unknown.ExceptionType)

	got := s.NetServer.Credentials(3, "imap")
	require.Len(t, got, 1)
	assert.Equal(t, "zeep & <secret>", got[0].SecretValue)
}
