// Package datetime reads and writes the date and time formats socred's
// messages, signatures and certificates carry, by hand: time.Parse and
// Time.Format are the largest parts of the time package (about 60 KB of the
// browser module's code), and socred needs only these fixed layouts:
// xs:dateTime (package soap's messages, wssec's Timestamp) and X.509's
// UTCTime and GeneralizedTime (package keys).
//
// It owns these layouts only; it must not import time's formatting
// (time.Parse, Time.Format) or anything that links it.
//
// References:
//   - XML Schema dateTime: https://www.w3.org/TR/xmlschema-2/#dateTime
//   - X.509 certificate validity: RFC 5280 §4.1.2.5
package datetime

import "time"

// Parse reads an xs:dateTime, YYYY-MM-DDThh:mm:ss[.fraction]
// followed by Z or ±hh:mm (zoned) or by nothing, as time.Parse reads it
// with time.RFC3339Nano or "2006-01-02T15:04:05.999999999": the fields'
// ranges checked (the day against its month), a fraction of any length
// after '.' or ',' (past nanoseconds truncated). A zoned time is returned
// in UTC, the same instant; one without a zone as if it were UTC.
func Parse(s string) (t time.Time, zoned, ok bool) {
	if len(s) < len("2006-01-02T15:04:05") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false, false
	}
	year, ok1 := digits(s[0:4], 0, 9999)
	month, ok2 := digits(s[5:7], 1, 12)
	hour, ok3 := digits(s[11:13], 0, 23)
	minute, ok4 := digits(s[14:16], 0, 59)
	sec, ok5 := digits(s[17:19], 0, 59)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return time.Time{}, false, false
	}
	day, ok := digits(s[8:10], 1, daysIn(month, year))
	if !ok {
		return time.Time{}, false, false
	}
	nsec, rest := fraction(s[19:])
	offset := 0
	switch {
	case rest == "":
	case rest == "Z":
		zoned = true
	case len(rest) == len("+07:00") && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		hh, ok1 := digits(rest[1:3], 0, 23)
		mm, ok2 := digits(rest[4:6], 0, 59)
		if !ok1 || !ok2 {
			return time.Time{}, false, false
		}
		offset = (hh*60 + mm) * 60
		if rest[0] == '-' {
			offset = -offset
		}
		zoned = true
	default:
		return time.Time{}, false, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), zoned, true
}

// fraction reads an optional fractional second ('.' or ',' and digits) at
// the start of s, in nanoseconds, and returns what follows it.
func fraction(s string) (int, string) {
	if len(s) < 2 || s[0] != '.' && s[0] != ',' || s[1] < '0' || s[1] > '9' {
		return 0, s
	}
	n, i := 0, 1
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		if i <= 9 {
			n = n*10 + int(s[i]-'0')
		}
	}
	for k := i; k <= 9; k++ {
		n *= 10
	}
	return n, s[i:]
}

// digits reads s, all decimal digits, as a number from min to max.
func digits(s string, min, max int) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= min && n <= max
}

func daysIn(month, year int) int {
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

// ParseASN1Time reads an X.509 UTCTime (YYMMDDhhmmss, 50 and above meaning
// 19YY as RFC 5280 §4.1.2.5.1 says) or GeneralizedTime (YYYYMMDDhhmmss),
// each followed by Z or ±hhmm, as time.Parse reads them with
// "060102150405Z0700" and "20060102150405Z0700" (a fractional second
// allowed after the seconds, as time.Parse allows it).
func ParseASN1Time(s string, generalized bool) (time.Time, bool) {
	var year int
	var ok bool
	if generalized {
		if year, ok = digits(s[:min(4, len(s))], 0, 9999); !ok || len(s) < 4 {
			return time.Time{}, false
		}
		s = s[4:]
	} else {
		if year, ok = digits(s[:min(2, len(s))], 0, 99); !ok || len(s) < 2 {
			return time.Time{}, false
		}
		if year >= 50 {
			year += 1900
		} else {
			year += 2000
		}
		s = s[2:]
	}
	if len(s) < len("0102150405Z") {
		return time.Time{}, false
	}
	month, ok1 := digits(s[0:2], 1, 12)
	hour, ok2 := digits(s[4:6], 0, 23)
	minute, ok3 := digits(s[6:8], 0, 59)
	sec, ok4 := digits(s[8:10], 0, 59)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return time.Time{}, false
	}
	day, ok := digits(s[2:4], 1, daysIn(month, year))
	if !ok {
		return time.Time{}, false
	}
	nsec, rest := fraction(s[10:])
	offset := 0
	switch {
	case rest == "Z":
	case len(rest) == len("+0700") && (rest[0] == '+' || rest[0] == '-'):
		hh, ok1 := digits(rest[1:3], 0, 23)
		mm, ok2 := digits(rest[3:5], 0, 59)
		if !ok1 || !ok2 {
			return time.Time{}, false
		}
		offset = (hh*60 + mm) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

// Append appends t in UTC as YYYY-MM-DDThh:mm:ss, then a fraction
// of fracDigits digits (none for 0; truncated, not rounded), then Z: what
// t.UTC().Format("2006-01-02T15:04:05.000Z") writes for 3 digits.
func Append(b []byte, t time.Time, fracDigits int) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year < 0 {
		b = append(b, '-')
		year = -year
	}
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	if fracDigits > 0 {
		ns := t.Nanosecond()
		for range 9 - fracDigits {
			ns /= 10
		}
		b = append(b, '.')
		b = appendDigits(b, ns, fracDigits)
	}
	return append(b, 'Z')
}

// appendDigits appends n in decimal, zero-padded to width digits. It is
// kept out of line (seven copies of it were 5 KB of code).
//
//go:noinline
func appendDigits(b []byte, n, width int) []byte {
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
