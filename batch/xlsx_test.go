package batch

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// escapes are SpreadsheetML's _xHHHH_ escapes, as a reader decodes them.
var escapes = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// FuzzXLSXText's aim: any text in a cell makes a well-formed worksheet
// (encoding/xml parses it) whose cell, its _xHHHH_ escapes decoded, is the
// text again (invalid UTF-8 aside, which becomes U+FFFD byte by byte).
func FuzzXLSXText(f *testing.F) {
	for _, s := range []string{"", "plain", "bjørn.ås", "_x0041_", "a\r\nb\rc", "\x00\x01\x1f", "<&>\"'", "\xff\xfe", "\uFFFE\uFFFF", " lead", "trail "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh := newSheet("S", []string{"A"})
		sh.add(text(s))
		dec := xml.NewDecoder(bytes.NewReader(sh.sheetXML()))
		var texts []string
		var in bool
		var cur strings.Builder
		for {
			tok, err := dec.Token()
			if err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("the sheet for %q is not well-formed XML: %v", s, err)
			}
			switch e := tok.(type) {
			case xml.StartElement:
				if e.Name.Local == "t" {
					in = true
					cur.Reset()
				}
			case xml.CharData:
				if in {
					cur.Write(e)
				}
			case xml.EndElement:
				if e.Name.Local == "t" {
					in = false
					texts = append(texts, cur.String())
				}
			}
		}
		want := validRunes(s)
		if want == "" {
			if len(texts) != 1 {
				t.Fatalf("an empty cell has text: %q", texts)
			}
			return
		}
		if len(texts) != 2 {
			t.Fatalf("want the header's and the cell's text, got %q", texts)
		}
		got := escapes.ReplaceAllStringFunc(texts[1], func(m string) string {
			n, _ := strconv.ParseUint(m[2:6], 16, 32)
			return string(rune(n))
		})
		if got != want {
			t.Fatalf("cell %q reads back as %q", want, got)
		}
	})
}

// validRunes is s with each invalid byte as U+FFFD.
func validRunes(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

// unzipText is every part of the archive b, unpacked with archive/zip,
// one after another: what a check for a text must search, since the
// parts are deflated.
func unzipText(t *testing.T, b []byte) string {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	require.NotEmpty(t, r.File, "an empty archive: the check would check nothing")
	var all strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		require.NoError(t, err, f.Name)
		part, err := io.ReadAll(rc)
		require.NoError(t, err, "%s (its CRC-32 and sizes are checked as it is read)", f.Name)
		all.Write(part)
	}
	return all.String()
}

// TestZipStored reads the archive zipWriter writes with archive/zip,
// which checks each entry's CRC-32 and sizes as it reads: a small part
// stored, a larger one deflated.
func TestZipStored(t *testing.T) {
	big := strings.Repeat("<row><c t=\"inlineStr\"><is><t>bjørn.ås</t></is></c></row>", 200)
	var b bytes.Buffer
	z := &zipWriter{w: &b}
	z.add("a.txt", []byte("hello, ø"))
	z.add("b/c.xml", nil)
	z.add("xl/worksheets/sheet1.xml", []byte(big))
	require.NoError(t, z.close())
	assert.Less(t, b.Len(), len(big)/4, "the big part is deflated")
	r, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	require.NoError(t, err)
	require.Len(t, r.File, 3)
	for i, want := range []struct {
		name, body string
		method     uint16
	}{{"a.txt", "hello, ø", zip.Store}, {"b/c.xml", "", zip.Store}, {"xl/worksheets/sheet1.xml", big, zip.Deflate}} {
		assert.Equal(t, want.name, r.File[i].Name)
		assert.Equal(t, want.method, r.File[i].Method, "%s", want.name)
		f, err := r.File[i].Open()
		require.NoError(t, err)
		got, err := io.ReadAll(f)
		require.NoError(t, err, "%s", want.name)
		assert.Equal(t, want.body, string(got))
	}
}
