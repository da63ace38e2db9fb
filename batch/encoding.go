package batch

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The encodings Read tells apart (File.Encoding).
const (
	UTF8        = "UTF-8"
	UTF8BOM     = "UTF-8 with BOM"
	Windows1252 = "Windows-1252"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// windows1252 maps the bytes 0x80 to 0x9F; the others are Latin-1 (the
// byte is the code point). The five bytes the code page leaves undefined
// map to the C1 controls of the same number, as the WHATWG Encoding
// standard (and so every browser) maps them.
var windows1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// decode returns data as UTF-8 and the name of the encoding it was in, or
// a problem when data is not CSV text at all. text is data itself (less a
// BOM) when data is UTF-8; copied reports whether text is a new buffer,
// which the caller zeroes once it is read.
func decode(data []byte) (text []byte, encoding string, copied bool, p *Problem) {
	if kind := binaryKind(data); kind != "" {
		// A ZIP (.xlsx) never gets here: Read reads it as a workbook.
		reason := "is an old Excel workbook (.xls) or a password-protected one; save it as .xlsx without a password, or as CSV"
		if kind == "utf-16" {
			reason = "is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" instead"
		} else if kind == "binary" {
			reason = "is not text: it holds NUL bytes"
		}
		return nil, "", false, newProblem(0, "", ErrNotCSV, CodeNotCSV, "the file "+reason, "kind", kind)
	}
	if bytes.HasPrefix(data, utf8BOM) {
		// A BOM says UTF-8 outright; a bad byte after it is reported in
		// its cell (soap's invalid-utf8).
		return data[len(utf8BOM):], UTF8BOM, false, nil
	}
	if utf8.Valid(data) {
		return data, UTF8, false, nil
	}
	if hasMultiByteUTF8(data) {
		// Valid UTF-8 beside bytes that are not: re-reading it all as
		// Windows-1252 would garble every valid character, so Read
		// refuses it, naming where each kind is (mixedProblems).
		return data, mixedUTF8, false, nil
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, windows1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out, Windows1252, true, nil
}

// mixedUTF8 is decode's name for text that is UTF-8 in places only.
const mixedUTF8 = "mixed"

// hasMultiByteUTF8 reports whether data holds a valid UTF-8 sequence of
// two or more bytes for a character European text has: Latin letters
// with their marks (U+00A0 to U+02FF) or general punctuation and the
// currency signs (U+2000 to U+20CF). Windows-1252 text can hold a valid
// UTF-8 sequence by chance ("Fuß“" is DF 93, U+07D3), but hardly ever
// one of these.
func hasMultiByteUTF8(data []byte) bool {
	for i := 0; i < len(data); {
		if data[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if n > 1 && (r >= 0xA0 && r <= 0x2FF || r >= 0x2000 && r <= 0x20CF) {
			return true
		}
		i += n
	}
	return false
}

// mixedProblems says, for a file that is UTF-8 in places only, where the
// first valid non-ASCII character is and every cell (the first
// maxMixed) that holds bytes that are not UTF-8.
func mixedProblems(f *File) Problems {
	const maxMixed = 20
	where := func(r *Row, i int) string {
		col := "column " + strconv.Itoa(i+1)
		if i < len(f.Header) && strings.TrimSpace(f.Header[i]) != "" {
			col = f.Header[i]
		}
		return "row " + strconv.Itoa(r.Number) + ", " + col
	}
	valid, validChar, validRow, validColumn := "", "", "", ""
	for ri := range f.Rows {
		r := &f.Rows[ri]
		for i, c := range r.Cells {
			if valid == "" && hasMultiByteUTF8([]byte(c)) {
				for _, ch := range c {
					if ch >= 0x80 && ch != utf8.RuneError {
						valid, validChar = strconv.QuoteRune(ch)+" in "+where(r, i), string(ch)
						validRow, validColumn = strconv.Itoa(r.Number), "column "+strconv.Itoa(i+1)
						if i < len(f.Header) && strings.TrimSpace(f.Header[i]) != "" {
							validColumn = f.Header[i]
						}
						break
					}
				}
			}
		}
	}
	var ps Problems
	for ri := range f.Rows {
		r := &f.Rows[ri]
		for i, c := range r.Cells {
			if utf8.ValidString(c) || len(ps) == maxMixed {
				continue
			}
			bad := ""
			for k := 0; k < len(c); {
				ch, n := utf8.DecodeRuneInString(c[k:])
				if ch == utf8.RuneError && n == 1 {
					bad = "0x" + strconv.FormatUint(uint64(c[k]), 16)
					break
				}
				k += n
			}
			col := ""
			if i < len(f.Header) {
				col = f.Header[i]
			}
			ps = append(ps, newProblem(r.Number, col, ErrEncoding, CodeMixedEncoding,
				"has a byte ("+bad+") that is not UTF-8, though the file is UTF-8 elsewhere ("+valid+
					"); reading it all as Windows-1252 would garble the rest: save the file again as \"CSV UTF-8\"",
				"byte", bad, "valid", valid, "char", validChar, "validRow", validRow, "validColumn", validColumn))
		}
	}
	if len(ps) == 0 {
		// The bad bytes are in the header or a row left out.
		ps = append(ps, newProblem(f.HeaderRow, "", ErrEncoding, CodeMixedEncoding,
			"the file holds bytes that are not UTF-8 beside UTF-8 text ("+valid+"); save it again as \"CSV UTF-8\"",
			"byte", "", "valid", valid, "char", validChar, "validRow", validRow, "validColumn", validColumn))
	}
	return ps
}

// binaryKind says what a file that is not CSV text is: "xls" (an OLE2
// file: an .xls, or an .xlsx saved with a password), "workbook" (a ZIP),
// "utf-16" (a UTF-16 BOM, or NUL bytes among the first two), "binary"
// (NUL bytes elsewhere near the start); "" for text.
func binaryKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "xls"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "workbook"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}),
		len(data) >= 2 && (data[0] == 0 || data[1] == 0):
		return "utf-16"
	case bytes.IndexByte(data[:min(len(data), 4096)], 0) >= 0:
		return "binary"
	}
	return ""
}
