package isodate

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		mode Mode
		want string // RFC 3339 in UTC; "" for refused
		time bool
	}{
		{"2025-01-31T08:00:00Z", XSD, "2025-01-31T08:00:00Z", true},
		{"2025-01-31T08:00:00.5+01:00", XSD, "2025-01-31T07:00:00.5Z", true},
		{"2025-01-31T08:00:00,25", XSD, "2025-01-31T08:00:00.25Z", true},
		{"2024-02-29T00:00:00Z", XSD, "2024-02-29T00:00:00Z", true},
		{"2025-02-29T00:00:00Z", XSD, "", false},
		{"2025-01-31", XSD, "", false},
		{"2025-01-31T08:00Z", XSD, "", false},
		{"2025-01-31 08:00:00Z", XSD, "", false},
		{"2025-01-31T08:00:00+0100", XSD, "", false},
		{"2025-01-31T24:00:00Z", XSD, "", false},
		{"2025-01-31", Cell, "2025-01-31T00:00:00Z", false},
		{"2025-01-31 08:00", Cell, "2025-01-31T08:00:00Z", true},
		{"2025-01-31t08:00:00z", Cell, "2025-01-31T08:00:00Z", true},
		{"2025-01-31T08:00+0130", Cell, "2025-01-31T06:30:00Z", true},
		{"2025-01-31T08:00-02", Cell, "2025-01-31T10:00:00Z", true},
		{"2025-01-31T08:00+24", Cell, "", false},
		{"2025-1-31", Cell, "", false},
		{"31.01.2025", Cell, "", false},
	} {
		v, ok := Parse(tc.in, tc.mode)
		if tc.want == "" {
			assert.False(t, ok, "%q", tc.in)
			continue
		}
		if assert.True(t, ok, "%q", tc.in) {
			assert.Equal(t, tc.want, v.Time().Format(time.RFC3339Nano), "%q", tc.in)
			assert.Equal(t, tc.time, v.HasTime, "%q", tc.in)
		}
	}
}

// layouts are what time.Parse reads for each form Parse takes: zoned ones
// first.
var xsdLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}

var cellLayouts = []string{
	"2006-01-02", "2006-01-02T15:04", "2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07", "2006-01-02T15:04:05.999999999Z07",
}

// reference reads s with time.Parse as Parse's documentation says it
// should, after the normalisations the package comment writes down.
func reference(s string, m Mode) (time.Time, bool) {
	if len(s) > 11 && (len(s) < 14 || s[13] != ':') {
		return time.Time{}, false // a one-digit hour: see the package comment
	}
	layouts := xsdLayouts
	if m == Cell {
		layouts = cellLayouts
		if len(s) > 10 && (s[10] == 't' || s[10] == ' ') {
			s = s[:10] + "T" + s[11:]
		}
		if strings.HasSuffix(s, "z") {
			s = s[:len(s)-1] + "Z"
		}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// FuzzParse holds Parse to time.Parse: the same instant for what both
// read; where only one reads s, the difference must be one the package
// comment writes down.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2025-01-31T08:00:00Z", "2025-01-31T08:00:00.123456789123+01:00", "2025-01-31",
		"2025-01-31 08:00", "2025-01-31T08:00+0130", "0000-01-01T00:00:00Z", "2024-02-29T23:59:59,5-23:59",
		"2025-01-31T08:00:00+24:00", "+2025-01-31T08:00:00Z", "2025-01-31T8:00:00Z", "2025-01-31T08:00:00."} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, cell bool) {
		m := XSD
		if cell {
			m = Cell
		}
		v, ok := Parse(s, m)
		want, wok := reference(s, m)
		if ok && wok {
			require.True(t, want.Equal(v.Time()), "%q: Parse %v, time.Parse %v", s, v.Time(), want)
			return
		}
		if ok != wok {
			// Allowed: time.Parse takes a zone offset of 24 hours or more,
			// or of 60 minutes or more (Parse refuses it, as RFC 3339 does).
			if wok && badOffset(s) {
				return
			}
			t.Fatalf("%q (mode %d): Parse ok=%v, time.Parse ok=%v (%v)", s, m, ok, wok, want)
		}
	})
}

// badOffset reports whether s ends in an offset whose hours are over 23
// or minutes over 59.
func badOffset(s string) bool {
	i := strings.LastIndexAny(s, "+-")
	if i < 10 {
		return false
	}
	z := strings.ReplaceAll(s[i+1:], ":", "")
	if len(z) != 2 && len(z) != 4 {
		return false
	}
	hh, ok := Digits(z[:2], 0, 99)
	mm := 0
	if len(z) == 4 {
		mm, _ = Digits(z[2:], 0, 99)
	}
	return ok && (hh > 23 || mm > 59)
}

func TestAppendUTC(t *testing.T) {
	tm := time.Date(2025, 1, 31, 8, 5, 9, 123456789, time.FixedZone("x", 3600))
	assert.Equal(t, tm.UTC().Format("2006-01-02T15:04:05.000Z"), string(AppendUTC(nil, tm, 3)))
	assert.Equal(t, tm.UTC().Format("2006-01-02T15:04:05Z"), string(AppendUTC(nil, tm, 0)))
}

// FuzzAppendUTC holds AppendUTC to Time.Format for every instant of years
// 0 to 9999 and every number of fraction digits.
func FuzzAppendUTC(f *testing.F) {
	f.Add(int64(0), int64(0), uint8(3))
	f.Add(int64(253402300799), int64(999999999), uint8(9))
	f.Add(int64(-62167219200), int64(1), uint8(0))
	f.Fuzz(func(t *testing.T, sec, nsec int64, digits uint8) {
		const first, last = -62167219200, 253402300799 // 0000-01-01 and 9999-12-31T23:59:59, UTC
		if sec < first || sec > last || nsec < 0 || nsec > 999999999 {
			return
		}
		d := int(digits % 10)
		tm := time.Unix(sec, nsec)
		layout := "2006-01-02T15:04:05Z"
		if d > 0 {
			layout = "2006-01-02T15:04:05." + strings.Repeat("0", d) + "Z"
		}
		require.Equal(t, tm.UTC().Format(layout), string(AppendUTC(nil, tm, d)))
	})
}
