//go:build js && wasm

package wasm

import (
	"strings"

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

// masked returns a copy of r with each secret that is set replaced by its
// placeholder. Masking the structured request, not the XML, means no secret
// can survive in an unexpected spelling (escaped, split, or repeated).
func masked(r soap.Request) soap.Request {
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

// curlCommand is a POSIX shell command that sends env to target with curl.
// Every value in it is single-quoted (shellQuote), the envelope too: printf
// writes it byte for byte to curl's standard input. A here-document would
// need an end marker, and a Comment holding a line equal to that marker
// would end it early and run the lines after it as commands.
func curlCommand(target string, env *soap.Envelope) string {
	var b strings.Builder
	b.WriteString("printf '%s' " + shellQuote(string(env.XML)) + " |\n")
	b.WriteString("curl --silent --show-error --request POST " + shellQuote(target))
	for _, h := range env.Headers() {
		b.WriteString(" \\\n  --header " + shellQuote(h.Key+": "+h.Value))
	}
	b.WriteString(" \\\n  --data-binary @-\n")
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
