package soap

import (
	"errors"

	"socred/internal/xmltree"
)

// Name is a namespace-qualified XML name, the one type that socred's XML
// reader (package socred/internal/xmltree) uses everywhere, natively and in
// the browser: a struct like encoding/xml's Name (convert with Name(n)),
// because the browser build links no encoding/xml.
type Name = xmltree.Name

// Attr is an attribute: its name and value, as encoding/xml's Attr.
type Attr = xmltree.Attr

// Limits on what socred will read (package socred/internal/xmltree enforces
// them). They bound time and memory whatever the server (or anything in its
// place) sends.
const (
	MaxBody         = xmltree.MaxBody         // bytes of a response or request body
	MaxDepth        = xmltree.MaxDepth        // element nesting
	MaxElements     = xmltree.MaxElements     // elements in one document
	MaxTokens       = xmltree.MaxTokens       // tokens (tags, text runs, comments, …) in one document
	MaxNamespaceURI = xmltree.MaxNamespaceURI // bytes of a namespace URI a document declares
)

// Parsing sentinels, wrapped by the errors the parsers return. The first
// six are the XML reader's own.
var (
	ErrTooLarge      = xmltree.ErrTooLarge
	ErrDTD           = xmltree.ErrDTD
	ErrTooDeep       = xmltree.ErrTooDeep
	ErrTooMany       = xmltree.ErrTooMany
	ErrLongNamespace = xmltree.ErrLongNamespace
	ErrNotXML        = xmltree.ErrNotXML
	ErrNotSOAP       = errors.New("soap: not a SOAP envelope")
	ErrMalformed     = errors.New("soap: response does not match the contract")
)
