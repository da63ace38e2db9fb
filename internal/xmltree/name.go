package xmltree

// Name is a namespace-qualified XML name: the same struct as encoding/xml's
// Name, natively and in the browser (convert with Name(n) and xml.Name(n)).
// It is not encoding/xml's own type because the browser build
// links no encoding/xml: importing it brings fmt, reflect and os with it.
type Name struct {
	Space, Local string
}

// Attr is an attribute: its name and value, as encoding/xml's Attr.
type Attr struct {
	Name  Name
	Value string
}
