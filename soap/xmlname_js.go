//go:build js

package soap

// Name is a namespace-qualified XML name: the same struct as encoding/xml's
// Name, which the native build uses (xmlname_std.go). The browser build
// links no encoding/xml: importing it brings fmt, reflect and os with it.
type Name struct {
	Space, Local string
}

// Attr is an attribute: its name and value, as encoding/xml's Attr.
type Attr struct {
	Name  Name
	Value string
}
