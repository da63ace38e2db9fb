package soap

import "socred/internal/xmltree"

import "strings"

// ExceptionInfo is NetServer's business error: the ExceptionInfo response
// header of a call that came back with HTTP 200 and Succeeded=false.
type ExceptionInfo struct {
	Message        string
	StackTrace     string
	FriendlyText   string
	ExceptionType  string
	Source         string
	InnerException *ExceptionInfo
	Parameters     []KeyValue
}

// Text is what to show people: FriendlyText, else Message.
func (e *ExceptionInfo) Text() string {
	if t := strings.TrimSpace(e.FriendlyText); t != "" {
		return t
	}
	if t := strings.TrimSpace(e.Message); t != "" {
		return t
	}
	if e.ExceptionType != "" {
		return e.ExceptionType
	}
	return "NetServer reported a failure without a message"
}

// Chain is Text of e and of each InnerException below it, outermost first,
// with repeats left out.
func (e *ExceptionInfo) Chain() []string {
	var out []string
	for x := e; x != nil; x = x.InnerException {
		t := x.Text()
		if len(out) == 0 || out[len(out)-1] != t {
			out = append(out, t)
		}
		if len(out) >= MaxDepth {
			break
		}
	}
	return out
}

func (e *ExceptionInfo) Error() string {
	return "soap: netserver: " + strings.Join(e.Chain(), ": ")
}

// Unwrap returns the inner exception, so errors.As can reach it.
func (e *ExceptionInfo) Unwrap() error {
	if e.InnerException == nil {
		return nil
	}
	return e.InnerException
}

// readExceptionInfo reads an SoExceptionInfo element; nil for xsi:nil.
func readExceptionInfo(n *xmltree.Node) *ExceptionInfo {
	if n == nil || n.IsNil() {
		return nil
	}
	e := &ExceptionInfo{}
	for _, c := range n.Children {
		if c.Name.Space != NS {
			continue
		}
		switch c.Name.Local {
		case "Message":
			e.Message = c.Text
		case "StackTrace":
			e.StackTrace = c.Text
		case "FriendlyText":
			e.FriendlyText = c.Text
		case "ExceptionType":
			e.ExceptionType = c.Text
		case "Source":
			e.Source = c.Text
		case "InnerException":
			e.InnerException = readExceptionInfo(c)
		case "Parameters":
			e.Parameters = readDictionary(c)
		}
	}
	return e
}

// readDictionary reads a WCF dictionary: children each holding Key and Value.
func readDictionary(n *xmltree.Node) []KeyValue {
	if n == nil || n.IsNil() {
		return nil
	}
	var out []KeyValue
	for _, pair := range n.Children {
		k, v := pair.Child(NS, "Key"), pair.Child(NS, "Value")
		if k == nil {
			continue
		}
		kv := KeyValue{Key: k.Text}
		if v != nil {
			kv.Value = v.Text
		}
		out = append(out, kv)
	}
	return out
}

// DuplicateKey reports whether e (or an exception inside it) is the
// database refusing a second row under a unique index, as SQL Server words
// it ("Cannot insert duplicate key row in object 'dbo.credentials' with
// unique index '…'. The duplicate key value is (imap, imap.example.com).").
// For SaveUntrustedCredentials that is a Type and PublicValue stored for
// another associate: SuperOffice's database reference gives the
// Credentials table a unique index on (credentialType, searchName). The
// wording is an inference from SQL Server's error 2601, not seen from a
// live NetServer. values are the parts of the duplicate key value, split at
// the first ", " (a Type has no comma), or nil when the message gives none.
func (e *ExceptionInfo) DuplicateKey() (values []string, ok bool) {
	for x, depth := e, 0; x != nil && depth < MaxDepth; x, depth = x.InnerException, depth+1 {
		for _, m := range []string{x.Message, x.FriendlyText} {
			if !strings.Contains(m, "Cannot insert duplicate key row") {
				continue
			}
			const lead = "The duplicate key value is ("
			if i := strings.Index(m, lead); i >= 0 {
				v := m[i+len(lead):]
				if j := strings.LastIndex(v, ")"); j >= 0 {
					typ, pub, _ := strings.Cut(v[:j], ", ")
					return []string{typ, pub}, true
				}
			}
			return nil, true
		}
	}
	return nil, false
}
