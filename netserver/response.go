package netserver

import (
	"net/http"
	"strconv"

	"socred/soap"
)

// writeResponse writes an operation's answer as WCF does: HTTP 200, the four
// response headers always present (null ones as xsi:nil), Succeeded=false
// with an ExceptionInfo for a business error.
func writeResponse(w http.ResponseWriter, v soap.Version, op soap.Operation, a answer) {
	var b xmlBuilder
	env := soap.NSEnvelope11
	if v == soap.SOAP12 {
		env = soap.NSEnvelope12
	}
	const h = ` xmlns:h="` + soap.NS + `"`
	const i = ` xmlns:i="` + soap.NSInstance + `"`
	b.raw(`<s:Envelope xmlns:s="` + env + `"><s:Header>`)
	if a.exc == nil {
		b.raw(`<h:ExceptionInfo i:nil="true"` + h + i + `/>`)
	} else {
		b.raw(`<h:ExceptionInfo` + h + ` xmlns="` + soap.NS + `"` + i + `>`)
		writeException(&b, a.exc, 0)
		b.raw(`</h:ExceptionInfo>`)
	}
	b.raw(`<h:ExtraInfo i:nil="true"` + h + i + `/>`)
	b.raw(`<h:Succeeded` + h + `>` + strconv.FormatBool(a.exc == nil) + `</h:Succeeded>`)
	b.raw(`<h:TimeZone i:nil="true"` + h + i + `/>`)
	b.raw(`</s:Header><s:Body>`)
	b.raw(`<` + op.ResponseElement() + ` xmlns="` + soap.NS + `"` + i + `>`)
	if a.exc == nil && a.body != nil {
		a.body(&b)
	}
	b.raw(`</` + op.ResponseElement() + `></s:Body></s:Envelope>`)
	w.Header().Set("Content-Type", contentType(v))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
}

// writeException writes the children of an SoExceptionInfo, in schema order.
func writeException(b *xmlBuilder, e *soap.ExceptionInfo, depth int) {
	str := func(name, s string) {
		if s == "" {
			b.raw(`<` + name + ` i:nil="true"/>`)
			return
		}
		b.raw(`<` + name + `>`)
		b.text(s)
		b.raw(`</` + name + `>`)
	}
	str("Message", e.Message)
	str("StackTrace", e.StackTrace)
	str("FriendlyText", e.FriendlyText)
	str("ExceptionType", e.ExceptionType)
	str("Source", e.Source)
	if e.InnerException != nil && depth < 8 {
		b.raw(`<InnerException>`)
		writeException(b, e.InnerException, depth+1)
		b.raw(`</InnerException>`)
	} else {
		b.raw(`<InnerException i:nil="true"/>`)
	}
	if len(e.Parameters) == 0 {
		b.raw(`<Parameters i:nil="true"/>`)
		return
	}
	b.raw(`<Parameters>`)
	for _, p := range e.Parameters {
		b.raw(`<SoExceptionInfoParametersKeyValuePair><Key>`)
		b.text(p.Key)
		b.raw(`</Key><Value>`)
		b.text(p.Value)
		b.raw(`</Value></SoExceptionInfoParametersKeyValuePair>`)
	}
	b.raw(`</Parameters>`)
}

// writeCredentials writes an UntrustedCredentials element named name.
func writeCredentials(b *xmlBuilder, name string, c *soap.UntrustedCredentials) {
	b.raw(`<` + name + `><TableRight i:nil="true"/><FieldProperties i:nil="true"/>`)
	b.raw(`<ValidFrom>` + soap.FormatDateTime(c.ValidFrom) + `</ValidFrom>`)
	b.raw(`<ValidTo>` + soap.FormatDateTime(c.ValidTo) + `</ValidTo>`)
	for _, f := range [][2]string{{"Comment", c.Comment}, {"SecretValue", c.SecretValue}, {"PublicValue", c.PublicValue}} {
		b.raw(`<` + f[0] + `>`)
		b.text(f[1])
		b.raw(`</` + f[0] + `>`)
	}
	b.raw(`<IsActive>` + strconv.FormatBool(c.IsActive) + `</IsActive></` + name + `>`)
}
