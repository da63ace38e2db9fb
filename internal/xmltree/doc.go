// Package xmltree is socred's XML reader: one tokenizer (scan.go) and the
// two trees built on it, so that both refuse the same documents within the
// same limits (MaxBody, MaxDepth, MaxElements, MaxTokens, MaxNamespaceURI;
// no DTD, UTF-8 only, no attribute twice on one element).
//
//   - Parse returns Nodes: names resolved to their namespaces, the text
//     inside each element. Package soap reads messages with them.
//   - ParseRaw returns Elements: the document as written (prefixes,
//     namespace declarations in order, comments, processing instructions,
//     byte offsets of start tags). Package wssec canonicalises, signs and
//     explains signatures with them.
//
// Name and Attr are the one XML name and attribute type of every package,
// natively and in the browser.
//
// It owns reading XML and nothing about what the XML means: it must not
// know SOAP, WS-Security or NetServer's contract, and, like every package
// the browser module links, must not import encoding/xml (which brings fmt,
// reflect and os: 94 KB of the compressed module, docs/performance.md) or
// syscall/js.
// scan_test.go checks natively that it reads what encoding/xml reads.
//
// References:
//   - XML 1.0 (Fifth Edition): https://www.w3.org/TR/xml/
//   - Namespaces in XML 1.0: https://www.w3.org/TR/xml-names/
package xmltree
