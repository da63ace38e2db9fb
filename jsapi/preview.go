package jsapi

import (
	"strings"
	"unsafe"

	"socred/soap"
)

// Placeholders that stand for the secrets in a masked preview. They are
// plain text that passes soap's validation, so the masked envelope is built
// by the same code as the real one.
const (
	PlaceholderTicket           = "{Ticket}"
	PlaceholderApplicationToken = "{ApplicationToken}"
	PlaceholderSecretValue      = "{SecretValue}"
	PlaceholderPassword         = "{Password}"
)

// Masked returns a copy of r with each secret that is set replaced by its
// placeholder. Masking the structured request, not the XML, means no secret
// can survive in an unexpected spelling (escaped, split, or repeated).
func Masked(r soap.Request) soap.Request {
	if r.Ticket != "" {
		r.Ticket = PlaceholderTicket
	}
	if r.ApplicationToken != "" {
		r.ApplicationToken = PlaceholderApplicationToken
	}
	if r.Credentials.SecretValue != "" {
		r.Credentials.SecretValue = PlaceholderSecretValue
	}
	if r.Password != "" {
		r.Password = PlaceholderPassword
	}
	return r
}

// CurlCommand is a POSIX shell command that sends env to target with curl.
// Every value in it is single-quoted (shellQuote), the envelope too: printf
// writes it byte for byte to curl's standard input. A here-document would
// need an end marker, and a Comment holding a line equal to that marker
// would end it early and run the lines after it as commands.
func CurlCommand(target string, env *soap.Envelope) string {
	headers := env.Headers()
	var b strings.Builder
	b.Grow(len(env.XML) + len(target) + 128 + 64*len(headers))
	b.WriteString("printf '%s' ")
	writeShellQuoted(&b, unsafe.String(unsafe.SliceData(env.XML), len(env.XML))) // read only, not kept
	b.WriteString(" |\ncurl --silent --show-error --request POST ")
	writeShellQuoted(&b, target)
	for _, h := range headers {
		b.WriteString(" \\\n  --header ")
		writeShellQuoted(&b, h.Key+": "+h.Value)
	}
	b.WriteString(" \\\n  --data-binary @-\n")
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	var b strings.Builder
	writeShellQuoted(&b, s)
	return b.String()
}

// writeShellQuoted writes s single-quoted for a POSIX shell, each quote
// in it closing the quoted text, written escaped, and opening it again
// (into b, without the copies strings.ReplaceAll and concatenation made of
// an envelope for every preview).
func writeShellQuoted(b *strings.Builder, s string) {
	b.WriteByte('\'')
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(`'\''`)
		s = s[i+1:]
	}
	b.WriteString(s)
	b.WriteByte('\'')
}
