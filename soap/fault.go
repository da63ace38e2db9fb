package soap

import (
	"socred/internal/xmltree"

	"strings"
)

// Fault is a SOAP fault, from a SOAP 1.1 or 1.2 envelope. Code and Subcodes
// are QNames resolved to their namespaces: WCF's "a:ActionNotSupported" comes
// back as {http://schemas.microsoft.com/ws/2005/05/addressing/none,
// ActionNotSupported}.
type Fault struct {
	Version  Version
	Status   int    // the HTTP status it came with (normally 500)
	Code     Name   // faultcode (1.1) or Code/Value (1.2)
	Subcodes []Name // SOAP 1.2 Subcode values, outermost first
	String   string // faultstring (1.1) or the first Reason/Text (1.2)
	Actor    string // faultactor (1.1) or Role (1.2)
	Detail   string // the text of detail/Detail, whitespace folded
}

func (f *Fault) Error() string {
	code := f.Code.Local
	if len(f.Subcodes) > 0 {
		code = f.Subcodes[len(f.Subcodes)-1].Local
	}
	return "soap: fault " + code + ": " + f.String
}

// readFault reads a Fault element of either version.
func readFault(n *xmltree.Node, v Version, status int) *Fault {
	f := &Fault{Version: v, Status: status}
	if v == SOAP11 {
		// SOAP 1.1 fault children are unqualified.
		for _, c := range n.Children {
			switch c.Name.Local {
			case "faultcode":
				f.Code = c.QName(c.Text)
			case "faultstring":
				f.String = strings.TrimSpace(c.Text)
			case "faultactor":
				f.Actor = strings.TrimSpace(c.Text)
			case "detail":
				f.Detail = c.InnerText()
			}
		}
		return f
	}
	ns := NSEnvelope12
	if code := n.Child(ns, "Code"); code != nil {
		if val := code.Child(ns, "Value"); val != nil {
			f.Code = val.QName(val.Text)
		}
		for sub := code.Child(ns, "Subcode"); sub != nil; sub = sub.Child(ns, "Subcode") {
			if val := sub.Child(ns, "Value"); val != nil {
				f.Subcodes = append(f.Subcodes, val.QName(val.Text))
			}
		}
	}
	if reason := n.Child(ns, "Reason"); reason != nil {
		if text := reason.Child(ns, "Text"); text != nil {
			f.String = strings.TrimSpace(text.Text)
		}
	}
	if role := n.Child(ns, "Role"); role != nil {
		f.Actor = strings.TrimSpace(role.Text)
	}
	if detail := n.Child(ns, "Detail"); detail != nil {
		f.Detail = detail.InnerText()
	}
	return f
}
