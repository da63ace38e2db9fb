// Package datetime reads and writes the date and time formats socred's
// messages, signatures and certificates carry, by hand: time.Parse and
// Time.Format are the largest parts of the time package (about 60 KB of the
// browser module's code), and socred needs only these fixed layouts:
// xs:dateTime (package soap's messages, wssec's Timestamp) and X.509's
// UTCTime and GeneralizedTime (package keys). The ISO 8601 reading itself is
// package isodate's, the one date reader that batch shares.
//
// It owns these layouts only; it must not import time's formatting
// (time.Parse, Time.Format) or anything that links it.
//
// References:
//   - XML Schema dateTime: https://www.w3.org/TR/xmlschema-2/#dateTime
//   - X.509 certificate validity: RFC 5280 §4.1.2.5
package datetime

import (
	"time"

	"socred/internal/isodate"
)

// Parse reads an xs:dateTime, YYYY-MM-DDThh:mm:ss[.fraction]
// followed by Z or ±hh:mm (zoned) or by nothing, as time.Parse reads it
// with time.RFC3339Nano or "2006-01-02T15:04:05.999999999": the fields'
// ranges checked (the day against its month), a fraction of any length
// after '.' or ',' (past nanoseconds truncated). A zoned time is returned
// in UTC, the same instant; one without a zone as if it were UTC.
func Parse(s string) (t time.Time, zoned, ok bool) {
	v, ok := isodate.Parse(s, isodate.XSD)
	if !ok {
		return time.Time{}, false, false
	}
	return v.Time(), v.Zoned, true
}

func digits(s string, min, max int) (int, bool) { return isodate.Digits(s, min, max) }

// ParseASN1Time reads an X.509 UTCTime (YYMMDDhhmmss) or GeneralizedTime
// (YYYYMMDDhhmmss), each followed by Z or ±hhmm, as time.Parse reads them
// with "060102150405Z0700" and "20060102150405Z0700" (a fractional second
// allowed after the seconds, as time.Parse allows it) but for one thing:
// a UTCTime's two-digit year YY is 19YY from 50 to 99 and 20YY from 00 to
// 49, as RFC 5280 §4.1.2.5.1 says, where time.Parse's "06" pivots at 69
// (69 to 99 are 19YY).
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
	day, ok := digits(s[2:4], 1, isodate.DaysIn(month, year))
	if !ok {
		return time.Time{}, false
	}
	nsec, rest := isodate.Fraction(s[10:])
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
	return isodate.AppendUTC(b, t, fracDigits)
}
