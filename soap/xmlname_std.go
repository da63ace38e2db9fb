//go:build !js

package soap

import "encoding/xml"

// Name is a namespace-qualified XML name. In the native build it is
// encoding/xml's Name itself, so native callers (soaptest, tests) may pass
// and compare xml.Names; the browser build, which links no encoding/xml,
// has an identical struct (xmlname_js.go).
type Name = xml.Name

// Attr is an attribute: its name and value. Like Name, it is
// encoding/xml's Attr in the native build.
type Attr = xml.Attr
