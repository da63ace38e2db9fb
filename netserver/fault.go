package netserver

import (
	"fmt"
	"net/http"
	"strings"

	"socred/soap"
)

// Namespaces of WCF's fault codes.
const (
	// NSAddressingNone qualifies ActionNotSupported on a binding without
	// WS-Addressing (BasicHttpBinding).
	NSAddressingNone = "http://schemas.microsoft.com/ws/2005/05/addressing/none"
	// NSDispatcher qualifies DeserializationFailed and InternalServiceFault.
	NSDispatcher = "http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher"
	// NSRequestError holds the detail of the faults socred's NetServer adds
	// where WCF would silently drop data.
	NSRequestError = "urn:socred:soaptest"
)

// fault is one SOAP fault to write. Code is a QName in Space; for the
// envelope's own codes Space is "" and Local is a SOAP 1.1 code (Client,
// Server, MustUnderstand), mapped to SOAP 1.2's Sender/Receiver.
type fault struct {
	Status  int
	Space   string // namespace of Code, "" for the envelope's own codes
	Code    string
	Text    string
	Element string // RequestError's element, written as detail
	Reason  string
}

func actionNotSupported(action string) *fault {
	return &fault{
		Status: http.StatusInternalServerError, Space: NSAddressingNone, Code: "ActionNotSupported",
		Text: "The message with Action '" + action + "' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher. This may be because of either a contract mismatch (mismatched Actions between sender and receiver) or a binding/security mismatch between the sender and the receiver.  Check that sender and receiver have the same contract and the same binding (including security requirements, e.g. Message, Transport, None).",
	}
}

func deserializationFailed(op soap.Operation, found, foundNS string) *fault {
	text := "The formatter threw an exception while trying to deserialize the message: Error in deserializing body of request message for operation '" + string(op) + "'. OperationFormatter encountered an invalid Message body. Expected to find node type 'Element' with name '" + string(op) + "' and namespace '" + soap.NS + "'. "
	if found == "" {
		text += "Found node type 'EndElement' with name 'Body' and namespace '" + soap.NSEnvelope11 + "'"
	} else {
		text += "Found node type 'Element' with name '" + found + "' and namespace '" + foundNS + "'"
	}
	return &fault{Status: http.StatusInternalServerError, Space: NSDispatcher, Code: "DeserializationFailed", Text: text}
}

func mustUnderstand(local, space string) *fault {
	return &fault{
		Status: http.StatusInternalServerError, Code: "MustUnderstand",
		Text: "The header '" + local + "' from the namespace '" + space + "' was not understood by the recipient of this message, causing the message to not be processed.  This error typically indicates that the sender of this message has enabled a communication protocol that the receiver cannot process.  Please ensure that the configuration of the client's binding is consistent with the service's binding. ",
	}
}

// contractViolation is socred's stricter answer where WCF would silently
// skip an element: a Client fault that names it.
func contractViolation(e *soap.RequestError) *fault {
	return &fault{
		Status: http.StatusInternalServerError, Code: "Client",
		Text: "The request does not follow the Services88 contract: element '" + e.Element + "' " + e.Reason +
			". (WCF would silently skip it and leave the field at its default; socred's local NetServer refuses it.)",
		Element: e.Element, Reason: e.Reason,
	}
}

// badRequest is an HTTP 400 for a message WCF's encoder cannot read.
func badRequest(text string) *fault {
	return &fault{Status: http.StatusBadRequest, Code: "Client", Text: text}
}

func envelopeMismatch(got, want soap.Version) *fault {
	name := func(v soap.Version) string {
		if v == soap.SOAP12 {
			return "Soap12 (" + soap.NSEnvelope12 + ")"
		}
		return "Soap11 (" + soap.NSEnvelope11 + ")"
	}
	return badRequest("The envelope version of the incoming message (" + name(got) + ") does not match that of the encoder (" + name(want) + "). Make sure the binding is configured with the same version as the expected messages.")
}

func internalFault() *fault {
	return &fault{
		Status: http.StatusInternalServerError, Space: NSDispatcher, Code: "InternalServiceFault",
		Text: "The server was unable to process the request due to an internal error.",
	}
}

// writeFault writes f as a SOAP envelope of version v.
func writeFault(w http.ResponseWriter, v soap.Version, f *fault) {
	var b xmlBuilder
	if v == soap.SOAP12 {
		b.raw(`<s:Envelope xmlns:s="` + soap.NSEnvelope12 + `"><s:Body><s:Fault><s:Code><s:Value>`)
		switch {
		case f.Space != "":
			b.raw(`s:Sender</s:Value><s:Subcode><s:Value xmlns:a="`)
			b.text(f.Space)
			b.raw(`">a:` + f.Code + `</s:Value></s:Subcode>`)
		case f.Code == "Client":
			b.raw(`s:Sender</s:Value>`)
		case f.Code == "Server":
			b.raw(`s:Receiver</s:Value>`)
		default:
			b.raw(`s:` + f.Code + `</s:Value>`)
		}
		b.raw(`</s:Code><s:Reason><s:Text xml:lang="en-US">`)
		b.text(f.Text)
		b.raw(`</s:Text></s:Reason>`)
		if f.Element != "" {
			b.raw(`<s:Detail>`)
			requestErrorDetail(&b, f)
			b.raw(`</s:Detail>`)
		}
		b.raw(`</s:Fault></s:Body></s:Envelope>`)
	} else {
		b.raw(`<s:Envelope xmlns:s="` + soap.NSEnvelope11 + `"><s:Body><s:Fault>`)
		if f.Space != "" {
			b.raw(`<faultcode xmlns:a="`)
			b.text(f.Space)
			b.raw(`">a:` + f.Code + `</faultcode>`)
		} else {
			b.raw(`<faultcode>s:` + f.Code + `</faultcode>`)
		}
		b.raw(`<faultstring xml:lang="en-US">`)
		b.text(f.Text)
		b.raw(`</faultstring>`)
		if f.Element != "" {
			b.raw(`<detail>`)
			requestErrorDetail(&b, f)
			b.raw(`</detail>`)
		}
		b.raw(`</s:Fault></s:Body></s:Envelope>`)
	}
	w.Header().Set("Content-Type", contentType(v))
	w.WriteHeader(f.Status)
	_, _ = w.Write(b.Bytes())
}

func requestErrorDetail(b *xmlBuilder, f *fault) {
	b.raw(`<RequestError xmlns="` + NSRequestError + `"><Element>`)
	b.text(f.Element)
	b.raw(`</Element><Reason>`)
	b.text(f.Reason)
	b.raw(`</Reason></RequestError>`)
}

func contentType(v soap.Version) string {
	if v == soap.SOAP12 {
		return "application/soap+xml; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

// writePlain writes a short text answer for statuses WCF answers without an
// envelope (405, 413, 415).
func writePlain(w http.ResponseWriter, status int, format string, args ...any) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, format+"\n", args...)
}

// xmlBuilder writes XML by hand, escaping text as WCF does (carriage return
// as &#xD;).
type xmlBuilder struct{ strings.Builder }

func (b *xmlBuilder) raw(s string) { b.WriteString(s) }

func (b *xmlBuilder) Bytes() []byte { return []byte(b.String()) }

func (b *xmlBuilder) text(s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '\t' || r == '\n' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		default:
			// Not an XML character (or invalid UTF-8, decoded as U+FFFD
			// above): only reachable from HTTP headers, never from a
			// parsed envelope.
			b.WriteRune('\uFFFD')
		}
	}
}
