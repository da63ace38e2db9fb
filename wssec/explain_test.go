package wssec

import (
	"socred/internal/xmltree"

	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExplainCost checks that explaining stays linear however the
// namespaces are declared: a root declaring many prefixes, each of many
// children declaring one more, a signature over the root whose PrefixList
// names every prefix, and a text of many runs. Copying the scope for each
// element made a 0.9 MB document take 30 s. Counted in bytes allocated,
// not seconds.
func TestExplainCost(t *testing.T) {
	const n = 20_000
	var b strings.Builder
	b.WriteString(`<r xmlns:ds="` + NSDSig + `" xmlns:ec="` + NSExcNS + `" Id="all"`)
	var prefixes []string
	for i := range n {
		b.WriteString(` xmlns:p` + strconv.Itoa(i) + `="urn:p` + strconv.Itoa(i) + `"`)
		prefixes = append(prefixes, "p"+strconv.Itoa(i))
	}
	b.WriteString(`><ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + AlgExcC14N + `"/>` +
		`<ds:Reference URI="#all"><ds:Transforms><ds:Transform Algorithm="` + AlgExcC14N + `">` +
		`<ec:InclusiveNamespaces PrefixList="` + strings.Join(prefixes, " ") + `"/></ds:Transform></ds:Transforms>` +
		`<ds:DigestValue>` + strings.Repeat("AA<!---->", n) + `</ds:DigestValue></ds:Reference></ds:SignedInfo></ds:Signature>`)
	for i := range n {
		b.WriteString(`<p` + strconv.Itoa(i) + `:c xmlns:q="urn:q" q:Id="x"/>`)
	}
	b.WriteString(`</r>`)
	doc := []byte(b.String())

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ex, err := Explain(doc)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Len(t, ex.References, 1)
	require.NoError(t, ex.References[0].Err)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(100*len(doc)), "explaining %d bytes allocated %d bytes", len(doc), allocated)
}

func TestReadXMLRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		doc  string
		want error
	}{
		"duplicate attribute":    {`<a x="1" x="2"/>`, xmltree.ErrNotXML},
		"duplicate declaration":  {`<a xmlns:p="u" xmlns:p="v"/>`, xmltree.ErrNotXML},
		"DTD":                    {`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, xmltree.ErrDTD},
		"two roots":              {`<a/><b/>`, xmltree.ErrNotXML},
		"text outside":           {`<a/>x`, xmltree.ErrNotXML},
		"mismatched end tag":     {`<a></b>`, xmltree.ErrNotXML},
		"truncated":              {`<a><b>`, xmltree.ErrNotXML},
		"other encoding":         {`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, xmltree.ErrNotXML},
		"too deep":               {strings.Repeat("<a>", xmltree.MaxDepth+1) + strings.Repeat("</a>", xmltree.MaxDepth+1), xmltree.ErrTooDeep},
		"too large":              {"<a>" + strings.Repeat(" ", xmltree.MaxBody) + "</a>", xmltree.ErrTooLarge},
		"long namespace URI":     {`<a><b xmlns:p="` + strings.Repeat("u", xmltree.MaxNamespaceURI+1) + `"/></a>`, xmltree.ErrLongNamespace},
		"long default namespace": {`<a xmlns="` + strings.Repeat("u", xmltree.MaxNamespaceURI+1) + `"/>`, xmltree.ErrLongNamespace},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := xmltree.ParseRaw([]byte(tc.doc))
			assert.ErrorIs(t, err, tc.want)
			_, err = Explain([]byte(tc.doc))
			assert.ErrorIs(t, err, tc.want)
		})
	}
}
