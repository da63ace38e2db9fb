package batch

import (
	"strings"
	"time"

	"socred/internal/isodate"
)

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

// DateStyle is how the administrator's locale writes dates in a
// spreadsheet's CSV export: which order a date with slashes is read in,
// and the example a date problem gives.
type DateStyle struct {
	// MonthFirst reads 03/04/2027 as 4 March (en-US); otherwise as 3 April.
	MonthFirst bool
	// Slashes is whether a date with slashes is read at all: only a locale
	// says which order it has.
	Slashes bool
	// Example is a date and time as the locale writes it, for messages.
	Example string
}

// DateStyleOf returns the date style of a BCP 47 locale such as "nb-NO",
// "en-US" or "de": the page's language with the browser's region. The
// forms every style reads are listed at readDate.
func DateStyleOf(locale string) DateStyle {
	lang, region, _ := strings.Cut(strings.ReplaceAll(strings.ToLower(locale), "_", "-"), "-")
	if i := strings.IndexByte(region, '-'); i >= 0 {
		region = region[:i] // a script or variant after the region: nb-NO-x
	}
	switch lang {
	case "nb", "nn", "no", "da", "de", "fi":
		return DateStyle{Slashes: true, Example: "31.01.2027 08:00"}
	case "nl":
		return DateStyle{Slashes: true, Example: "31-1-2027 08:00"}
	case "sv":
		return DateStyle{Slashes: true, Example: "2027-01-31 08:00"}
	case "en":
		switch region {
		case "", "us", "ph", "pr", "um", "vi", "as", "gu", "mp":
			return DateStyle{Slashes: true, MonthFirst: true, Example: "1/31/2027 8:00 AM"}
		}
		return DateStyle{Slashes: true, Example: "31/01/2027 08:00"}
	case "fr", "es", "it", "pt":
		return DateStyle{Slashes: true, Example: "31/01/2027 08:00"}
	}
	return DateStyle{Example: "2027-01-31 08:00"}
}

// endOfDay is the time of day a ValidTo written as a date alone means:
// the last whole second of that day, so that "31.01.2027" is valid
// through 31 January (socred sends whole seconds).
var endOfDay = [3]int{23, 59, 59}

// readDate reads a date cell: an ISO 8601 date or date and time
// (isodate.Cell: 2027-01-31, 2027-01-31 08:00, 2027-01-31T08:00:00Z,
// 2027-01-31T08:00+01:00, …), or a date as a spreadsheet of the
// administrator's locale writes it: day.month.year (31.01.2027, 31.1.2027),
// day-month-year (31-01-2027, 31-1-2027), and with slashes the locale's
// order (1/31/2027 in en-US, 31/01/2027 in en-GB); the year in four
// digits; optionally followed by a space and a time h:mm or h:mm:ss, with
// AM or PM after it in the 12-hour clock. Without a zone the time is
// local, through local. A date alone is the start of that day, or with
// through set the end of it (endOfDay). The result is in UTC.
func readDate(s string, st DateStyle, local func(Civil) time.Time, through bool) (time.Time, bool) {
	var c Civil
	hasTime := false
	if v, ok := isodate.Parse(s, isodate.Cell); ok {
		if v.Zoned {
			return v.Time(), true
		}
		c = Civil{Year: v.Year, Month: time.Month(v.Month), Day: v.Day, Hour: v.Hour, Minute: v.Minute, Second: v.Second, Nanosecond: v.Nanosecond}
		hasTime = v.HasTime
	} else if c, hasTime, ok = localDate(s, st); !ok {
		return time.Time{}, false
	}
	if !hasTime && through {
		c.Hour, c.Minute, c.Second = endOfDay[0], endOfDay[1], endOfDay[2]
	}
	return local(c).UTC(), true
}

// localDate reads the locale forms readDate lists.
func localDate(s string, st DateStyle) (c Civil, hasTime, ok bool) {
	date, clock, _ := strings.Cut(s, " ")
	var sep byte
	for _, d := range []byte{'.', '-', '/'} {
		if strings.IndexByte(date, d) > 0 {
			sep = d
			break
		}
	}
	if sep == 0 || sep == '/' && !st.Slashes {
		return Civil{}, false, false
	}
	parts := strings.Split(date, string(sep))
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return Civil{}, false, false
	}
	day, month := parts[0], parts[1]
	if sep == '/' && st.MonthFirst {
		day, month = month, day
	}
	m, ok1 := isodate.Digits(month, 1, 12)
	y, ok2 := isodate.Digits(parts[2], 1, 9999)
	if !ok1 || !ok2 {
		return Civil{}, false, false
	}
	d, ok := isodate.Digits(day, 1, isodate.DaysIn(m, y))
	if !ok {
		return Civil{}, false, false
	}
	c = Civil{Year: y, Month: time.Month(m), Day: d}
	clock = strings.TrimSpace(clock)
	if clock == "" {
		return c, false, true
	}
	h, mi, sec, ok := readClock(clock)
	if !ok {
		return Civil{}, false, false
	}
	c.Hour, c.Minute, c.Second = h, mi, sec
	return c, true, true
}

// readClock reads h:mm or h:mm:ss (the hour in one or two digits), with
// AM or PM (any case, with or without a space before it) in the 12-hour
// clock.
func readClock(s string) (h, m, sec int, ok bool) {
	ampm := ""
	if n := len(s); n > 2 {
		switch strings.ToUpper(s[n-2:]) {
		case "AM", "PM":
			ampm = strings.ToUpper(s[n-2:])
			s = strings.TrimRight(s[:n-2], " ")
		}
	}
	hh, rest, _ := strings.Cut(s, ":")
	mm, ss, hasSec := strings.Cut(rest, ":")
	maxH := 23
	if ampm != "" {
		maxH = 12
	}
	h, ok1 := isodate.Digits(hh, 0, maxH)
	m, ok2 := isodate.Digits(mm, 0, 59)
	ok3 := true
	if hasSec {
		sec, ok3 = isodate.Digits(ss, 0, 59)
		ok3 = ok3 && len(ss) == 2
	}
	if !ok1 || !ok2 || !ok3 || len(hh) > 2 || len(mm) != 2 || ampm != "" && h == 0 {
		return 0, 0, 0, false
	}
	switch {
	case ampm == "AM" && h == 12:
		h = 0
	case ampm == "PM" && h < 12:
		h += 12
	}
	return h, m, sec, true
}
