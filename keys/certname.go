package keys

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"socred/internal/minifmt"
)

// CertificateSubject returns the subject of a DER X.509 certificate as an
// RFC 4514 string ("CN=socred test RSA,O=Example"), read without Go's x509
// package, so that the page can say which certificate a loaded key signs
// with. Attribute types socred does not name are written as dotted OIDs;
// values are the strings as stored, with RFC 4514's special characters
// escaped.
func CertificateSubject(der []byte) (string, error) {
	bad := func(what string) error {
		return minifmt.Errorf("%w: malformed certificate (%s)", ErrNoCertificate, what)
	}
	cert, _, ok := derNext(der, 0x30)
	if !ok {
		return "", bad("outer sequence")
	}
	tbs, _, ok := derNext(cert, 0x30)
	if !ok {
		return "", bad("tbsCertificate")
	}
	if len(tbs) > 0 && tbs[0] == 0xa0 {
		_, tbs, _ = derNext(tbs, 0xa0)
	}
	// serial, signature algorithm, issuer, validity, then the subject.
	for _, tag := range []byte{0x02, 0x30, 0x30, 0x30} {
		if _, tbs, ok = derNext(tbs, tag); !ok {
			return "", bad("fields before the subject")
		}
	}
	name, _, ok := derNext(tbs, 0x30)
	if !ok {
		return "", bad("subject")
	}
	// Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF
	// AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }).
	var rdns []string
	for len(name) > 0 {
		var set []byte
		if set, name, ok = derNext(name, 0x31); !ok {
			return "", bad("relative distinguished name")
		}
		var parts []string
		for len(set) > 0 {
			var atv []byte
			if atv, set, ok = derNext(set, 0x30); !ok {
				return "", bad("attribute")
			}
			oid, rest, ok := derNext(atv, 0x06)
			if !ok || len(rest) < 2 {
				return "", bad("attribute type")
			}
			tag := rest[0]
			value, _, ok := derNext(rest, tag)
			if !ok {
				return "", bad("attribute value")
			}
			parts = append(parts, attributeName(oid)+"="+escapeDN(decodeDirectoryString(tag, value)))
		}
		rdns = append(rdns, strings.Join(parts, "+"))
	}
	// RFC 4514 §2.1: the last RDN of the sequence comes first.
	for i, j := 0, len(rdns)-1; i < j; i, j = i+1, j-1 {
		rdns[i], rdns[j] = rdns[j], rdns[i]
	}
	return strings.Join(rdns, ","), nil
}

// attributeNames are the short names of RFC 4514 §3 and the e-mail address
// that certificates commonly carry.
var attributeNames = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.5":                    "SERIALNUMBER",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.9":                    "STREET",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"0.9.2342.19200300.100.1.1":  "UID",
	"0.9.2342.19200300.100.1.25": "DC",
	"1.2.840.113549.1.9.1":       "emailAddress",
}

func attributeName(oid []byte) string {
	dotted := oidString(oid)
	if n, ok := attributeNames[dotted]; ok {
		return n
	}
	return dotted
}

// oidString writes an OBJECT IDENTIFIER's content in dotted form.
func oidString(b []byte) string {
	if len(b) == 0 {
		return "?"
	}
	var parts []string
	v := 0
	first := true
	for _, c := range b {
		v = v<<7 | int(c&0x7f)
		if c&0x80 != 0 {
			if v > 1<<24 {
				return "?"
			}
			continue
		}
		if first {
			a := min(v/40, 2)
			parts = append(parts, strconv.Itoa(a), strconv.Itoa(v-40*a))
			first = false
		} else {
			parts = append(parts, strconv.Itoa(v))
		}
		v = 0
	}
	return strings.Join(parts, ".")
}

// decodeDirectoryString reads the string types names use: UTF8String,
// PrintableString, IA5String, TeletexString (as Latin-1) and BMPString.
func decodeDirectoryString(tag byte, b []byte) string {
	switch tag {
	case 0x1e: // BMPString: UTF-16BE
		u := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case 0x14: // TeletexString, read as Latin-1 as most tools do
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// escapeDN escapes a value as RFC 4514 §2.4 asks, and control characters
// as \XX so that nothing invisible reaches the page.
func escapeDN(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case strings.ContainsRune(`"+,;<>\`, r),
			r == '#' && i == 0,
			r == ' ' && (i == 0 || i == len(s)-1):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			b.WriteString(minifmt.Sprintf("\\%02X", r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
