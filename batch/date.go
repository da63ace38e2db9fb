package batch

import "time"

// Civil is a date and time of day written without a zone: what Options.Local
// turns into an instant.
type Civil struct {
	Year                                  int
	Month                                 time.Month
	Day, Hour, Minute, Second, Nanosecond int
}

// In returns the instant c names in loc. Where loc skips or repeats the
// time (a daylight-saving change), the time package's rule applies.
func (c Civil) In(loc *time.Location) time.Time {
	return time.Date(c.Year, c.Month, c.Day, c.Hour, c.Minute, c.Second, c.Nanosecond, loc)
}

// local returns the Options' conversion of zone-less dates.
func (o *Options) local() func(Civil) time.Time {
	if o.Local != nil {
		return o.Local
	}
	loc := o.Location
	if loc == nil {
		loc = time.Local
	}
	return func(c Civil) time.Time { return c.In(loc) }
}

// parseDateTime reads an ISO 8601 date, or date and time, as a cell holds
// it: YYYY-MM-DD, optionally followed by T (or t, or a space) and hh:mm,
// hh:mm:ss or hh:mm:ss.fraction (a comma also starts the fraction), then
// optionally a zone: Z, ±hh:mm, ±hhmm or ±hh. Without a zone the time is
// local, through local; a date alone is the start of that day. The
// result is in UTC.
func parseDateTime(s string, local func(Civil) time.Time) (time.Time, bool) {
	var c Civil
	var ok bool
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	if c.Year, ok = digits(s[0:4]); !ok {
		return time.Time{}, false
	}
	month, ok1 := digits(s[5:7])
	day, ok2 := digits(s[8:10])
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), c.Year) {
		return time.Time{}, false
	}
	c.Month, c.Day = time.Month(month), day
	s = s[10:]
	if s == "" {
		return local(c).UTC(), true
	}
	if s[0] != 'T' && s[0] != 't' && s[0] != ' ' {
		return time.Time{}, false
	}
	s = s[1:]
	if len(s) < 5 || s[2] != ':' {
		return time.Time{}, false
	}
	c.Hour, ok1 = digits(s[0:2])
	c.Minute, ok2 = digits(s[3:5])
	if !ok1 || !ok2 || c.Hour > 23 || c.Minute > 59 {
		return time.Time{}, false
	}
	s = s[5:]
	if len(s) >= 3 && s[0] == ':' {
		if c.Second, ok = digits(s[1:3]); !ok || c.Second > 59 {
			return time.Time{}, false
		}
		s = s[3:]
		if len(s) >= 2 && (s[0] == '.' || s[0] == ',') && isDigit(s[1]) {
			s = s[1:]
			scale := 100_000_000
			for len(s) > 0 && isDigit(s[0]) {
				c.Nanosecond += int(s[0]-'0') * scale
				scale /= 10
				s = s[1:]
			}
		}
	}
	if s == "" {
		return local(c).UTC(), true
	}
	offset := 0
	switch s[0] {
	case 'Z', 'z':
		if len(s) != 1 {
			return time.Time{}, false
		}
	case '+', '-':
		z := s[1:]
		var hh, mm int
		switch {
		case len(z) == 2:
			hh, ok = digits(z)
		case len(z) == 4:
			hh, ok1 = digits(z[0:2])
			mm, ok2 = digits(z[2:4])
			ok = ok1 && ok2
		case len(z) == 5 && z[2] == ':':
			hh, ok1 = digits(z[0:2])
			mm, ok2 = digits(z[3:5])
			ok = ok1 && ok2
		}
		if !ok || hh > 23 || mm > 59 {
			return time.Time{}, false
		}
		offset = hh*3600 + mm*60
		if s[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(c.Year, c.Month, c.Day, c.Hour, c.Minute, c.Second, c.Nanosecond, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// digits reads a fixed-width run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, len(s) > 0
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
