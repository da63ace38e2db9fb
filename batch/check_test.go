package batch

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckGolden reads and checks each sample file, in Oslo time, and
// compares what was understood with its golden file.
func TestCheckGolden(t *testing.T) {
	for _, name := range []string{"semicolon-windows-1252.csv", "comma-utf8-bom-crlf.csv", "tab.tsv", "problems.csv"} {
		t.Run(name, func(t *testing.T) {
			opt := Options{Location: oslo(t)}
			f, err := Read(readTestdata(t, name), opt)
			require.NoError(t, err)
			c := Check(f, opt)
			golden(t, strings.TrimSuffix(strings.TrimSuffix(name, ".csv"), ".tsv")+".checked", []byte(describe(c)))
			for _, e := range c.Entries {
				for _, p := range e.Problems {
					assert.NotEmpty(t, p.Code, "%s", p.Message())
					assert.Equal(t, e.Row, p.Row, "%s", p.Message())
				}
			}
		})
	}
}
