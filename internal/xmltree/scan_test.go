package xmltree

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scanEvents is what scanXML reports, one line per event, or its error.
func scanEvents(body []byte) (string, error) {
	var b strings.Builder
	err := scanXML(body, xmlHandlers{
		start: func(n Name, attr []Attr, begin, end int) {
			b.WriteString("start " + n.Space + ":" + n.Local + " " + strconv.Itoa(begin) + "-" + strconv.Itoa(end))
			for _, a := range attr {
				b.WriteString(" " + a.Name.Space + ":" + a.Name.Local + "=" + strconv.Quote(a.Value))
			}
			b.WriteString("\n")
		},
		end:  func() { b.WriteString("end\n") },
		text: func(t []byte) { b.WriteString("text " + strconv.Quote(string(t)) + "\n") },
		other: func(kind byte, text, inst string) {
			b.WriteString("other " + strconv.Itoa(int(kind)) + " " + strconv.Quote(text) + " " + strconv.Quote(inst) + "\n")
		},
	})
	return b.String(), err
}

// stdEvents reads body as scanXML did before it had its own tokenizer:
// encoding/xml's RawToken with Strict set, and the same checks. It is the
// reference the tokenizer is compared with.
func stdEvents(body []byte) (string, error) {
	if len(body) > MaxBody {
		return "", ErrTooLarge
	}
	var b strings.Builder
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, errors.New("not UTF-8")
	}
	var open []xml.Name
	sawRoot := false
	count, tokens := 0, 0
	for {
		begin := int(d.InputOffset())
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", errors.Join(ErrNotXML, err)
		}
		if tokens++; tokens > MaxTokens {
			return "", ErrTooMany
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if sawRoot && len(open) == 0 {
				return "", ErrNotXML
			}
			if count++; count > MaxElements {
				return "", ErrTooMany
			}
			if len(open) >= MaxDepth {
				return "", ErrTooDeep
			}
			for _, a := range t.Attr {
				if IsNSDecl(Attr{Name: Name{Space: a.Name.Space, Local: a.Name.Local}}) && len(a.Value) > MaxNamespaceURI {
					return "", ErrLongNamespace
				}
			}
			for i, a := range t.Attr {
				for _, c := range t.Attr[:i] {
					if a.Name == c.Name {
						return "", ErrNotXML
					}
				}
			}
			sawRoot = true
			open = append(open, t.Name)
			b.WriteString("start " + t.Name.Space + ":" + t.Name.Local + " " + strconv.Itoa(begin) + "-" + strconv.Itoa(int(d.InputOffset())))
			for _, a := range t.Attr {
				b.WriteString(" " + a.Name.Space + ":" + a.Name.Local + "=" + strconv.Quote(a.Value))
			}
			b.WriteString("\n")
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				return "", ErrNotXML
			}
			open = open[:len(open)-1]
			b.WriteString("end\n")
		case xml.CharData:
			switch {
			case len(open) > 0:
				b.WriteString("text " + strconv.Quote(string(t)) + "\n")
			case len(bytes.TrimSpace(t)) > 0:
				return "", ErrNotXML
			}
		case xml.Comment:
			if len(open) > 0 {
				b.WriteString("other " + strconv.Itoa(ItemComment) + " " + strconv.Quote(string(t)) + " \"\"\n")
			}
		case xml.ProcInst:
			if len(open) > 0 {
				b.WriteString("other " + strconv.Itoa(ItemProcInst) + " " + strconv.Quote(t.Target) + " " + strconv.Quote(string(t.Inst)) + "\n")
			}
		case xml.Directive:
			return "", ErrDTD
		}
	}
	if !sawRoot || len(open) > 0 {
		return "", ErrNotXML
	}
	return b.String(), nil
}

// sentinel is the package error err carries, for comparing outcomes.
func sentinel(err error) error {
	for _, s := range []error{ErrTooLarge, ErrDTD, ErrTooDeep, ErrTooMany, ErrLongNamespace, ErrNotXML} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
}

// compareWithEncodingXML checks that scanXML reports what encoding/xml
// does, within the documented differences: a <!…> that is neither a
// comment nor CDATA is a DTD for scanXML whether or not it is complete, and
// names outside ASCII follow XML 1.0's fifth edition.
func compareWithEncodingXML(t *testing.T, body []byte) {
	t.Helper()
	got, gotErr := scanEvents(body)
	want, wantErr := stdEvents(body)
	if errors.Is(gotErr, ErrDTD) && wantErr != nil {
		return
	}
	if hasNonASCIIName(body) {
		return
	}
	if wantErr != nil || gotErr != nil {
		assert.Equal(t, sentinel(wantErr), sentinel(gotErr), "%q: encoding/xml: %v; scanXML: %v", body, wantErr, gotErr)
		return
	}
	assert.Equal(t, want, got, "%q", body)
}

// hasNonASCIIName reports whether a byte outside ASCII follows '<' or a
// name character: the name tables differ there.
func hasNonASCIIName(body []byte) bool {
	for i := 1; i < len(body); i++ {
		if body[i] >= utf8.RuneSelf && (body[i-1] == '<' || body[i-1] == '/' || body[i-1] == '&' || body[i-1] == '?' || isNameByte(body[i-1])) {
			return true
		}
	}
	return false
}

// scanCases are documents that exercise every path of the tokenizer.
var scanCases = []string{
	`<a/>`, `<a></a>`, `<a>text</a>`, ` <a b="1" c='2'/> `, `<p:a xmlns:p="urn:x" p:b="&lt;&amp;&gt;&quot;&apos;"/>`,
	`<a>&#65;&#x42;&#x1F600;</a>`, `<a>&#0;</a>`, `<a>&#xD800;</a>`, `<a>&#99999999;</a>`, `<a>&#;</a>`, `<a>&#x;</a>`,
	`<a>&unknown;</a>`, `<a>& b</a>`, `<a>&lt</a>`, `<a>a]]>b</a>`, `<a><![CDATA[<x>&amp;]]]]></a>`, `<a><![CDAT[x]]></a>`,
	`<a><!-- c --></a>`, `<a><!-- a -- b --></a>`, `<a><!---></a>`, `<a><!----></a>`, `<a><?pi some data?></a>`, `<a><?pi?></a>`,
	`<?xml version="1.0" encoding="UTF-8"?><a/>`, `<?xml version="1.1"?><a/>`, `<?xml version='1.0' encoding='latin1'?><a/>`,
	`<!DOCTYPE a><a/>`, `<a>line\r\nbreak\rcr</a>`, `<a b="x\r\ny"/>`, `<a b=x/>`, `<a b/>`, `<a b="<"/>`, `<a b="1" b="2"/>`,
	`<a:b:c/>`, `<:a/>`, `<a:/>`, `</a>`, `<a></b>`, `<a>`, `<a><b></a></b>`, `<a/><b/>`, `text<a/>`, `<a/>text`, ``, `   `,
	`<a`, `<a b="1`, `<a b=`, `<`, `<!`, `<!-`, `<![`, `<?`, `<? a?>`, `<a>\x00</a>`, `<a>\xff</a>`, `<a b="\xff"/>`, `<a>é😀</a>`,
	`<a ></a >`, `<a></a b>`, `<1a/>`, `<a.b-c_d/>`, `<a>\t\n</a>`, `<a/>\n<!-- after -->\n<?pi after?>`, `<a><![CDATA[x`,
	`<a>]]></a>`, `<a>]]</a>`, `<a><b/><b/></a>`, "<a>\ufeff</a>", "\ufeff<a/>",
}

// TestScanMatchesEncodingXML compares the tokenizer with encoding/xml on
// the cases above and on every document in soap/testdata and
// wssec/testdata (the SOAP messages the tokenizer exists to read).
func TestScanMatchesEncodingXML(t *testing.T) {
	for _, c := range scanCases {
		compareWithEncodingXML(t, []byte(c))
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "soap", "testdata", "*.xml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	signed, err := filepath.Glob(filepath.Join("..", "..", "wssec", "testdata", "*.xml"))
	require.NoError(t, err)
	require.NotEmpty(t, signed)
	files = append(files, signed...)
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		compareWithEncodingXML(t, body)
	}
}

// TestScanLimits checks the limits scanXML enforces on its own.
func TestScanLimits(t *testing.T) {
	_, err := scanEvents([]byte(strings.Repeat("<a>", MaxDepth+1)))
	assert.ErrorIs(t, err, ErrTooDeep)
	_, err = scanEvents([]byte("<r>" + strings.Repeat("<a/>", MaxElements) + "</r>"))
	assert.ErrorIs(t, err, ErrTooMany)
	_, err = scanEvents([]byte(`<a xmlns:p="` + strings.Repeat("u", MaxNamespaceURI+1) + `"/>`))
	assert.ErrorIs(t, err, ErrLongNamespace)
	_, err = scanEvents([]byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	assert.ErrorIs(t, err, ErrDTD)
	_, err = scanEvents([]byte(`<a>` + "\n\n" + `<b></c></a>`))
	assert.ErrorIs(t, err, ErrNotXML)
	_, err = scanEvents([]byte("<a>\n\n&bad;</a>"))
	assert.ErrorContains(t, err, "line 3: invalid character entity &bad;", "syntax errors say their line, as encoding/xml's do")
}

// FuzzScanXML's aim: scanXML reports what encoding/xml's tokenizer does
// (within the documented differences), and never panics or hangs.
func FuzzScanXML(f *testing.F) {
	for _, c := range scanCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		compareWithEncodingXML(t, body)
	})
}
