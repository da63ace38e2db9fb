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

// TestCheckKeyClash: two rows that give one Type and PublicValue (without
// regard to letter case) to different associates are both refused, each
// naming the other's row; the same associate again is a duplicate, not a
// clash; rows named by id and by name are left to the planner; an empty
// PublicValue is left alone.
func TestCheckKeyClash(t *testing.T) {
	file := "AssociateId,UserName,Type,ValidFrom,ValidTo,PublicValue\n" +
		"3,,imap,2025-01-01,2026-01-01,imap.example.com\n" + // row 2
		"4,,IMAP,2025-01-01,2026-01-01,Imap.Example.com\n" + // row 3: clashes with 2
		"5,,imap,2025-01-01,2026-01-01,other.example.com\n" + // row 4
		",ann,smtp,2025-01-01,2026-01-01,smtp.example.com\n" + // row 5
		",ANN,smtp,2025-01-01,2026-01-01,smtp.example.com\n" + // row 6: the same associate: a duplicate
		",bob,smtp,2025-01-01,2026-01-01,smtp.example.com\n" + // row 7: clashes with 5
		"6,,smtp,2025-01-01,2026-01-01,smtp.example.com\n" + // row 8: by id: not told apart yet
		"3,,ldap,2025-01-01,2026-01-01,\n" + // row 9
		"4,,ldap,2025-01-01,2026-01-01,\n" // row 10: empty PublicValue
	opt := Options{Location: oslo(t)}
	f, err := Read([]byte(file), opt)
	require.NoError(t, err)
	c := Check(f, opt)
	got := map[int][]string{}
	for _, e := range c.Entries {
		for _, p := range e.Problems {
			got[e.Row] = append(got[e.Row], p.Code+" "+p.Params["row"])
			if p.Code == CodeKeyClash {
				assert.ErrorIs(t, p, ErrKeyClash)
				assert.Equal(t, e.Type, p.Params["type"])
				assert.Equal(t, e.Credentials.PublicValue, p.Params["publicValue"])
			}
		}
	}
	assert.Equal(t, map[int][]string{
		2: {"key-clash 3"},
		3: {"key-clash 2"},
		5: {"duplicate 6", "key-clash 7"},
		6: {"duplicate 5", "key-clash 7"},
		7: {"key-clash 5"},
	}, got)
	p := c.Entries[0].Problems[0]
	assert.Equal(t, `Row 2: gives Type "imap" and PublicValue "imap.example.com" to another associate than row 3 does; a Type and PublicValue belong to one associate only`, p.Message())
}
