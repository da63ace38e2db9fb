package jsapi

import (
	"encoding/base64"
	"errors"
	"math"
	"strings"
	"time"

	"socred/internal/minicrypto"
	"socred/internal/minifmt"
	"socred/keys"
	"socred/soap"
	"socred/wssec"
)

// Signing sentinels, wrapped by the *soap.ValidationError (field
// "signature") that a key or signing problem becomes.
var (
	ErrUnknownKey = errors.New("no key loaded under this keyId")
	ErrWebCrypto  = errors.New("the browser's WebCrypto refused the key")
	ErrTooManyKey = errors.New("too many keys loaded")
)

// Limits on what a signature request may carry.
const (
	// MaxKeyInput bounds each of key, certificate and pkcs12.
	MaxKeyInput = 64 << 10
	// MaxKeys is how many keys loadKey keeps at once.
	MaxKeys = 16
	// MaxLifetime bounds lifetimeSeconds.
	MaxLifetime = 24 * time.Hour
)

// SignatureSpec is a request's signature object as read: exactly one of a
// keyId, a PEM key and certificate, or a PKCS#12 file and its password,
// and the options.
type SignatureSpec struct {
	KeyID           string
	KeyPEM, CertPEM []byte
	PKCS12          []byte
	Password        string
	Options         wssec.SignOptions
}

// Zero clears the key bytes read from the request.
func (s *SignatureSpec) Zero() {
	clear(s.KeyPEM)
	clear(s.PKCS12)
	s.KeyPEM, s.PKCS12, s.Password = nil, nil, ""
}

// signature reads the request's signature property: absent is nil.
//
//	{keyId, lifetimeSeconds?, mustUnderstand?}
//	{key, certificate, lifetimeSeconds?, mustUnderstand?}   (PEM strings)
//	{pkcs12, password, lifetimeSeconds?, mustUnderstand?}   (Uint8Array, ArrayBuffer or base64)
func (f *fields) signature() *SignatureSpec {
	const field = "signature"
	v := f.get("signature")
	if absent(v) {
		return nil
	}
	if f.fromJSON() {
		f.needObject() // key material is read from the object itself, never from JSON
		return nil
	}
	if v.Type() != TypeObject {
		f.api(field, ErrWrongType, "must be an object: {keyId}, {key, certificate} or {pkcs12, password}")
		return nil
	}
	sub := &fields{obj: v}
	spec := readKeySource(sub, true)
	lifetime := sub.get("lifetimeSeconds")
	if !absent(lifetime) {
		x, err := lifetime.Float()
		if lifetime.Type() != TypeNumber || err != nil || math.IsNaN(x) || x < 1 || x > MaxLifetime.Seconds() || x != math.Trunc(x) {
			sub.api(field, soap.ErrOutOfRange, minifmt.Sprintf("lifetimeSeconds must be a whole number of seconds from 1 to %d", int(MaxLifetime.Seconds())))
		} else {
			spec.Options.Lifetime = time.Duration(x) * time.Second
		}
	}
	if mu := sub.get("mustUnderstand"); !absent(mu) {
		if mu.Type() != TypeBoolean {
			sub.api(field, ErrWrongType, "mustUnderstand must be true or false")
		} else {
			spec.Options.MustUnderstand, _ = mu.Bool()
		}
	}
	if len(sub.errs) > 0 {
		spec.Zero()
		e := sub.errs[0]
		f.errs = append(f.errs, &soap.ValidationError{Field: field, Reason: e.Reason, Err: e.Err, Code: e.Code, Params: e.Params})
		return nil
	}
	return spec
}

// readKeySource reads {keyId} (when allowed), {key, certificate} or
// {pkcs12, password} from f; problems are added under "signature".
func readKeySource(f *fields, keyID bool) *SignatureSpec {
	const field = "signature"
	spec := &SignatureSpec{}
	has := func(k string) bool { return !absent(f.get(k)) }
	forms := 0
	for _, set := range [][]string{{"keyId"}, {"key", "certificate"}, {"pkcs12", "password"}} {
		for _, k := range set {
			if has(k) {
				forms++
				break
			}
		}
	}
	switch {
	case forms == 0:
		f.add(field, soap.ErrRequired, CodeNoKeyFile, "is missing: choose a key file (a PEM key with its certificate, or a .pfx/.p12 file with its password)")
	case forms != 1 || has("keyId") && !keyID:
		want := "{key, certificate} (PEM text) or {pkcs12, password}"
		if keyID {
			want = "{keyId}, " + want
		}
		f.api(field, ErrFormat, "must hold exactly one of "+want)
	case has("keyId"):
		spec.KeyID = f.str("keyId", field)
		if spec.KeyID == "" {
			f.api(field, ErrFormat, "keyId must be the keyId loadKey returned")
		}
	case has("key") || has("certificate"):
		spec.KeyPEM = f.pemText("key", field)
		spec.CertPEM = f.pemText("certificate", field)
		switch {
		case len(spec.KeyPEM) == 0:
			f.api(field, soap.ErrRequired, "key is required with certificate: the private key's PEM text")
		case len(spec.CertPEM) == 0:
			f.api(field, soap.ErrRequired, "certificate is required with key: the certificate's PEM text")
		case len(spec.KeyPEM) > MaxKeyInput || len(spec.CertPEM) > MaxKeyInput:
			f.api(field, soap.ErrOutOfRange, minifmt.Sprintf("key and certificate must each be at most %d KiB", MaxKeyInput>>10))
		}
	default:
		spec.PKCS12 = f.bytes("pkcs12", field)
		if pw := f.get("password"); !absent(pw) {
			if pw.Type() != TypeString {
				f.api(field, ErrWrongType, "password must be text")
			}
			spec.Password, _ = pw.String()
		}
		if len(spec.PKCS12) == 0 && !f.errs.has(field) {
			f.api(field, soap.ErrRequired, "pkcs12 is required: the .pfx/.p12 file's bytes")
		}
	}
	return spec
}

// pemText reads PEM given as text, or as a file's bytes (Uint8Array or
// ArrayBuffer, which the caller can clear afterwards; a string cannot be).
func (f *fields) pemText(key, field string) []byte {
	v := f.get(key)
	if absent(v) {
		return nil
	}
	if v.Type() == TypeString {
		s, _ := v.String()
		return []byte(s)
	}
	if v.Type() != TypeObject {
		f.api(field, ErrWrongType, key+" must be PEM text or the PEM file's bytes")
		return nil
	}
	bv, ok := v.(BytesValue)
	if !ok {
		f.needObject()
		return nil
	}
	return f.binary(bv, key, field)
}

// bytes reads a Uint8Array, an ArrayBuffer or a base64 string, at most
// MaxKeyInput bytes.
func (f *fields) bytes(key, field string) []byte {
	v := f.get(key)
	if absent(v) {
		return nil
	}
	tooLarge := func() []byte {
		f.api(field, soap.ErrOutOfRange, minifmt.Sprintf("%s must be at most %d KiB", key, MaxKeyInput>>10))
		return nil
	}
	if v.Type() == TypeString {
		s, _ := v.String()
		s = strings.Join(strings.Fields(s), "")
		if base64.StdEncoding.DecodedLen(len(s)) > MaxKeyInput {
			return tooLarge()
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			f.api(field, ErrFormat, key+" must be the file's bytes (Uint8Array or ArrayBuffer) or base64 text")
			return nil
		}
		return b
	}
	bv, ok := v.(BytesValue)
	if !ok {
		f.needObject()
		return nil
	}
	return f.binary(bv, key, field)
}

// binary copies a Uint8Array or an ArrayBuffer of at most MaxKeyInput bytes.
func (f *fields) binary(v BytesValue, key, field string) []byte {
	b, err := v.Bytes(MaxKeyInput)
	switch {
	case errors.Is(err, ErrBytesTooLarge):
		f.api(field, soap.ErrOutOfRange, minifmt.Sprintf("%s must be at most %d KiB", key, MaxKeyInput>>10))
		return nil
	case errors.Is(err, ErrNotBytes):
		f.api(field, ErrWrongType, key+" must be a Uint8Array, an ArrayBuffer or base64 text")
		return nil
	case err != nil:
		f.api(field, ErrWrongType, key+" could not be read")
		return nil
	}
	return b
}

// ReadKey reads loadKey's argument, {key, certificate} or {pkcs12,
// password}: the key's source, or its problems as soap.ValidationErrors
// (field "signature").
func ReadKey(v Value) (*SignatureSpec, error) {
	if v.Type() != TypeObject {
		return nil, &ArgumentError{Method: "loadKey", Reason: "the argument must be {key, certificate} or {pkcs12, password}, not " + v.Type().String()}
	}
	f := &fields{obj: v}
	spec := readKeySource(f, false)
	if len(f.errs) > 0 {
		spec.Zero()
		return nil, soap.ValidationErrors(f.errs)
	}
	return spec, nil
}

// KeyError is a key or signing problem as the "signature" field's
// validation error, with a reason people can act on.
func KeyError(err error) error {
	reason := "cannot be used: " + strings.TrimPrefix(err.Error(), "soap: ")
	switch {
	case errors.Is(err, keys.ErrWrongPassword):
		reason = "cannot be opened: the password is wrong for this .pfx/.p12 file"
	case errors.Is(err, keys.ErrKeyMismatch):
		reason = "does not fit together: the private key does not match the certificate"
	case errors.Is(err, keys.ErrExpired), errors.Is(err, keys.ErrNotYetValid):
		reason = "cannot sign now: the " + strings.TrimPrefix(err.Error(), "soap: ")
	case errors.Is(err, keys.ErrUnsupportedKey):
		reason = "uses a key socred cannot sign with (" + strings.TrimPrefix(err.Error(), "soap: unsupported key ") + ")"
	case errors.Is(err, keys.ErrEncryptedPEM):
		reason = "is an encrypted PEM key, which socred does not read: export a .pfx/.p12 file with a password instead"
	case errors.Is(err, keys.ErrNoKey):
		reason = "has no private key: " + strings.TrimPrefix(err.Error(), "soap: ")
	case errors.Is(err, keys.ErrNoCertificate):
		reason = "has no usable certificate: " + strings.TrimPrefix(err.Error(), "soap: ")
	case errors.Is(err, keys.ErrPKCS12):
		reason = "cannot be read: " + strings.TrimPrefix(err.Error(), "soap: ")
	case errors.Is(err, ErrUnknownKey), errors.Is(err, ErrTooManyKey), errors.Is(err, ErrWebCrypto):
		reason = "cannot be used: " + err.Error()
	}
	detail := strings.TrimPrefix(err.Error(), "soap: ")
	return soap.ValidationErrors{soap.NewValidationError("signature", err, keyErrorCode(err), reason, "detail", detail)}
}

// CodeNoKeyFile is a signature asked for without a key.
const CodeNoKeyFile = "no-key-file"

// keyErrorCodes name the key problems for programs (error.fields[].code).
var keyErrorCodes = []struct {
	err  error
	code string
}{
	{keys.ErrWrongPassword, "wrong-password"},
	{keys.ErrKeyMismatch, "key-mismatch"},
	{keys.ErrExpired, "expired"},
	{keys.ErrNotYetValid, "not-yet-valid"},
	{keys.ErrUnsupportedKey, "unsupported-key"},
	{keys.ErrEncryptedPEM, "encrypted-pem"},
	{keys.ErrNoKey, "no-key"},
	{keys.ErrNoCertificate, "no-certificate"},
	{keys.ErrPKCS12, "unreadable-pkcs12"},
	{ErrUnknownKey, "unknown-key"},
	{ErrTooManyKey, "too-many-keys"},
	{ErrWebCrypto, "webcrypto"},
}

// keyErrorCode returns the code of a key problem, "" for anything else.
func keyErrorCode(err error) string {
	for _, c := range keyErrorCodes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return ""
}

// KeyInfo is loadKey's result for the key loaded under id: {ok, keyId,
// subject, notBefore, notAfter, algorithm, signatureMethod, fingerprint}.
// cert is the certificate's DER, method the signature method's URI.
func KeyInfo(id, subject string, cert []byte, method string, notBefore, notAfter time.Time) map[string]any {
	sum := minicrypto.SHA256(cert)
	hexSum := HexString(sum[:], true)
	var fp strings.Builder
	for i := 0; i < len(hexSum); i += 2 {
		if i > 0 {
			fp.WriteByte(':')
		}
		fp.WriteString(hexSum[i : i+2])
	}
	alg := "RSA-SHA256"
	if method == keys.AlgECDSASHA256 {
		alg = "ECDSA-P256-SHA256"
	}
	return obj(
		kv{"ok", true},
		kv{"keyId", id},
		kv{"subject", subject},
		kv{"notBefore", soap.FormatDateTime(notBefore)},
		kv{"notAfter", soap.FormatDateTime(notAfter)},
		kv{"algorithm", alg},
		kv{"signatureMethod", method},
		kv{"fingerprint", fp.String()},
	)
}

// ExplanationValue is the JavaScript shape of an Explanation: the canonical
// bytes as text (Exclusive C14N output is UTF-8), digests in base64.
func ExplanationValue(ex *wssec.Explanation) map[string]any {
	refs := make([]any, len(ex.References))
	for i := range ex.References {
		r := &ex.References[i]
		path := make([]string, len(r.Path))
		for j, n := range r.Path {
			path[j] = n.Local
		}
		ref := obj(
			kv{"uri", r.URI},
			kv{"element", r.Element},
			kv{"path", strings.Join(path, "/")},
			kv{"canonical", string(r.Canonical)},
			kv{"digest", base64.StdEncoding.EncodeToString(r.Digest)},
			kv{"digestValue", base64.StdEncoding.EncodeToString(r.DigestValue)},
			kv{"match", r.Match()},
		)
		if r.Err != nil {
			ref["error"] = strings.TrimPrefix(r.Err.Error(), "soap: ")
		}
		refs[i] = ref
	}
	return obj(
		kv{"signatureMethod", ex.SignatureMethod},
		kv{"signedInfo", string(ex.SignedInfo)},
		kv{"references", refs},
	)
}

// HexString is b in hexadecimal, upper or lower case (encoding/hex would
// link fmt into the module).
func HexString(b []byte, upper bool) string {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}
