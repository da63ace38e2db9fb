package soap

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// HTTPError is a response that is not a SOAP answer socred can read: a
// non-SOAP body (an HTML error page, a proxy's message), a truncated one, or
// a SOAP envelope with an unexpected status. Excerpt is the start of the body,
// made safe to show as text.
type HTTPError struct {
	Status      int
	ContentType string
	Excerpt     string
	Err         error // why the body could not be read as SOAP, if it could not
}

func (e *HTTPError) Error() string {
	msg := "soap: HTTP " + strconv.Itoa(e.Status)
	if e.Err != nil {
		msg += ": " + strings.TrimPrefix(e.Err.Error(), "soap: ")
	}
	if e.Excerpt != "" {
		msg += ": " + strconv.Quote(e.Excerpt)
	}
	return msg
}

func (e *HTTPError) Unwrap() error { return e.Err }

// excerptLen is how many characters of a body an HTTPError keeps.
const excerptLen = 200

// excerpt returns the start of body as one line of printable text.
func excerpt(body []byte) string {
	var b strings.Builder
	space := false
	n := 0
	for i := 0; i < len(body) && n < excerptLen; {
		r, size := utf8.DecodeRune(body[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			r = '\uFFFD'
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case !unicode.IsPrint(r):
			r = '\uFFFD'
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	s := b.String()
	if n >= excerptLen {
		s += "…"
	}
	return s
}
