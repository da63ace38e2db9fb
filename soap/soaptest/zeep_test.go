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
	Offset  string
	Unknown struct {
		Succeeded     bool
		ExceptionType string `json:"exceptionType"`
	}
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
	assert.Contains(t, r.Offset, "'ValidFrom'", "an offset date is refused, naming the element")
	assert.False(t, r.Unknown.Succeeded)
	assert.Equal(t, TypeUnknownAssociate, r.Unknown.ExceptionType)

	got := s.NetServer.Credentials(3, "imap")
	require.Len(t, got, 1)
	assert.Equal(t, "zeep & <secret>", got[0].SecretValue)
}
