package keys

import (
	"time"

	"socred/internal/datetime"
)

// The dates a certificate carries and a key error states, in the layouts
// of package socred/internal/datetime.

func parseASN1Time(s string, generalized bool) (time.Time, bool) {
	return datetime.ParseASN1Time(s, generalized)
}

func appendDateTime(b []byte, t time.Time, fracDigits int) []byte {
	return datetime.Append(b, t, fracDigits)
}
