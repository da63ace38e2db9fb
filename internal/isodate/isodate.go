// Package isodate is socred's one reader of ISO 8601 dates and times: the
// xs:dateTime values soap reads from NetServer and the date cells batch
// reads from a spreadsheet. It is written by hand because time.Parse and
// Time.Format are the largest parts of the time package (about 60 KB of a
// browser module's code) and socred needs only these fixed layouts.
//
// Parse reads what time.Parse reads with the matching layouts (the fuzz
// test holds it to that), with these stricter choices, written down:
//   - the year has exactly four digits, 0000 to 9999 (time.Parse takes the
//     same; a sign or a fifth digit is refused by both);
//   - a zone offset's hours are 00 to 23 and its minutes 00 to 59;
//   - the hour has two digits (time.Parse's "15" also takes one);
//   - only an upper-case T separates date and time in XSD mode, as
//     xs:dateTime says; Cell mode also takes t and a space.
//
// References: ISO 8601 as RFC 3339 §5.6 profiles it
// (https://www.rfc-editor.org/rfc/rfc3339#section-5.6); XML Schema 1.1
// Part 2, dateTime (https://www.w3.org/TR/xmlschema11-2/#dateTime).
package isodate

import "time"

// Mode is which forms Parse accepts.
type Mode uint8

const (
	// XSD is xs:dateTime: YYYY-MM-DDThh:mm:ss, an optional fraction ('.'
	// or ',' and digits), then Z, ±hh:mm or nothing. time.Parse reads the
	// same with time.RFC3339Nano (zoned) or "2006-01-02T15:04:05.999999999".
	XSD Mode = iota
	// Cell is what a spreadsheet cell may hold: YYYY-MM-DD alone, or
	// followed by T, t or a space and hh:mm, hh:mm:ss or hh:mm:ss.fraction,
	// then optionally Z (or z), ±hh:mm, ±hhmm or ±hh.
	Cell
)

// Value is a date and time as written.
type Value struct {
	Year, Month, Day                 int
	Hour, Minute, Second, Nanosecond int
	HasTime                          bool // a time of day was written
	Zoned                            bool // a zone was written
	Offset                           int  // the zone's offset east of UTC, in seconds
}

// Time returns the instant v names, in UTC: for a value without a zone,
// as if it were UTC.
func (v Value) Time() time.Time {
	t := time.Date(v.Year, time.Month(v.Month), v.Day, v.Hour, v.Minute, v.Second, v.Nanosecond, time.UTC)
	return t.Add(-time.Duration(v.Offset) * time.Second)
}

// Parse reads s in mode m; ok is false if s is not such a date.
func Parse(s string, m Mode) (v Value, ok bool) {
	if len(s) < len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return Value{}, false
	}
	var ok1, ok2 bool
	v.Year, ok = Digits(s[0:4], 0, 9999)
	v.Month, ok1 = Digits(s[5:7], 1, 12)
	if !ok || !ok1 {
		return Value{}, false
	}
	if v.Day, ok = Digits(s[8:10], 1, DaysIn(v.Month, v.Year)); !ok {
		return Value{}, false
	}
	s = s[10:]
	if s == "" {
		return v, m == Cell
	}
	switch {
	case s[0] == 'T', m == Cell && (s[0] == 't' || s[0] == ' '):
	default:
		return Value{}, false
	}
	s = s[1:]
	if len(s) < len("15:04") || s[2] != ':' {
		return Value{}, false
	}
	v.HasTime = true
	v.Hour, ok1 = Digits(s[0:2], 0, 23)
	v.Minute, ok2 = Digits(s[3:5], 0, 59)
	if !ok1 || !ok2 {
		return Value{}, false
	}
	s = s[5:]
	switch {
	case len(s) >= 3 && s[0] == ':':
		if v.Second, ok = Digits(s[1:3], 0, 59); !ok {
			return Value{}, false
		}
		v.Nanosecond, s = Fraction(s[3:])
	case m == XSD:
		return Value{}, false // xs:dateTime has seconds
	}
	switch {
	case s == "":
		return v, true
	case s == "Z" || m == Cell && s == "z":
		v.Zoned = true
		return v, true
	case s[0] != '+' && s[0] != '-':
		return Value{}, false
	}
	z := s[1:]
	var hh, mm int
	ok1, ok2 = false, false
	switch {
	case len(z) == 5 && z[2] == ':':
		hh, ok1 = Digits(z[0:2], 0, 23)
		mm, ok2 = Digits(z[3:5], 0, 59)
	case m == Cell && len(z) == 4:
		hh, ok1 = Digits(z[0:2], 0, 23)
		mm, ok2 = Digits(z[2:4], 0, 59)
	case m == Cell && len(z) == 2:
		hh, ok1 = Digits(z, 0, 23)
		ok2 = true
	}
	if !ok1 || !ok2 {
		return Value{}, false
	}
	v.Zoned, v.Offset = true, (hh*60+mm)*60
	if s[0] == '-' {
		v.Offset = -v.Offset
	}
	return v, true
}

// Fraction reads an optional fractional second ('.' or ',' and at least
// one digit) at the start of s, in nanoseconds (digits past the ninth are
// read and dropped: truncated, as time.Parse does), and returns what
// follows it.
func Fraction(s string) (int, string) {
	if len(s) < 2 || s[0] != '.' && s[0] != ',' || !isDigit(s[1]) {
		return 0, s
	}
	n, i := 0, 1
	for ; i < len(s) && isDigit(s[i]); i++ {
		if i <= 9 {
			n = n*10 + int(s[i]-'0')
		}
	}
	for k := i; k <= 9; k++ {
		n *= 10
	}
	return n, s[i:]
}

// Digits reads s, one or more decimal digits and nothing else, as a
// number from min to max.
func Digits(s string, min, max int) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		if n > max {
			return 0, false // and no overflow however long s is
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, s != "" && n >= min && n <= max
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// DaysIn is the number of days of a month (1 to 12) in a year of the
// proleptic Gregorian calendar.
func DaysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// AppendDigits appends n (not negative) in decimal, zero-padded to width
// digits. It is kept out of line (seven copies of it were 5 KB of code).
//
//go:noinline
func AppendDigits(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n >= 10 || width > 1 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		width--
	}
	i--
	buf[i] = byte('0' + n)
	return append(b, buf[i:]...)
}

// AppendUTC appends t in UTC as YYYY-MM-DDThh:mm:ss, then a fraction of
// fracDigits digits (none for 0; truncated, not rounded), then Z: what
// t.UTC().Format("2006-01-02T15:04:05.000Z") writes for 3 digits.
func AppendUTC(b []byte, t time.Time, fracDigits int) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 {
		b = append(b, '-')
		year = -year
	}
	b = AppendDigits(b, year, 4)
	b = append(b, '-')
	b = AppendDigits(b, int(month), 2)
	b = append(b, '-')
	b = AppendDigits(b, day, 2)
	b = append(b, 'T')
	b = AppendDigits(b, hour, 2)
	b = append(b, ':')
	b = AppendDigits(b, minute, 2)
	b = append(b, ':')
	b = AppendDigits(b, sec, 2)
	if fracDigits > 0 {
		ns := t.Nanosecond()
		for range 9 - fracDigits {
			ns /= 10
		}
		b = append(b, '.')
		b = AppendDigits(b, ns, fracDigits)
	}
	return append(b, 'Z')
}
