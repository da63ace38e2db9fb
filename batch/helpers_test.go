package batch

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Oslo wherever the tests run

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./batch -update")
	require.Equal(t, string(want), string(got), "%s differs; run go test ./batch -update if the change is meant", path)
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func oslo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	require.NoError(t, err)
	return loc
}

// describe renders a checked file for golden files. Secrets are shown by
// length only.
func describe(c *Checked) string {
	var b strings.Builder
	f := c.File
	b.WriteString("encoding: " + f.Encoding + "\n")
	b.WriteString("delimiter: " + strconv.QuoteRune(f.Delimiter) + "\n")
	b.WriteString("header (row " + strconv.Itoa(f.HeaderRow) + "):")
	for i, h := range f.Header {
		b.WriteString(" " + strconv.Quote(h) + "=" + f.Columns[i].String())
	}
	b.WriteString("\n")
	for _, e := range c.Entries {
		b.WriteString("row " + strconv.Itoa(e.Row) + ": ")
		if e.UserName != "" {
			b.WriteString("user=" + strconv.Quote(e.UserName))
		} else {
			b.WriteString("id=" + strconv.Itoa(int(e.AssociateID)))
		}
		cr := e.Credentials
		b.WriteString(" type=" + strconv.Quote(e.Type) +
			" from=" + fmtTime(cr.ValidFrom) + " to=" + fmtTime(cr.ValidTo) +
			" public=" + strconv.Quote(cr.PublicValue) +
			" secret=" + strconv.Itoa(len([]rune(cr.SecretValue))) + "chars" +
			" active=" + strconv.FormatBool(cr.IsActive) +
			" comment=" + strconv.Quote(cr.Comment))
		if e.KeepSecret {
			b.WriteString(" keep-secret")
		}
		b.WriteString("\n")
		for _, p := range e.Problems {
			b.WriteString("  " + p.Message() + "  [" + p.Code + params(p.Params) + "]\n")
		}
	}
	return b.String()
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339Nano)
}

func params(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(" " + k + "=" + strconv.Quote(m[k]))
	}
	return b.String()
}
