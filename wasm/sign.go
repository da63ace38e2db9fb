//go:build js && wasm

package wasm

import (
	"encoding/base64"
	"errors"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"socred/internal/minicrypto"
	"socred/internal/minifmt"
	"socred/keys"
	"socred/soap"
	"socred/wasm/internal/jsv"
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
	// cryptoTimeout bounds one WebCrypto call.
	cryptoTimeout = 30 * time.Second
)

// signatureSpec is a request's signature object as read: exactly one of a
// keyId, a PEM key and certificate, or a PKCS#12 file and its password,
// and the options.
type signatureSpec struct {
	KeyID           string
	KeyPEM, CertPEM []byte
	PKCS12          []byte
	Password        string
	Options         wssec.SignOptions
}

// zero clears the key bytes read from the request.
func (s *signatureSpec) zero() {
	clear(s.KeyPEM)
	clear(s.PKCS12)
	s.KeyPEM, s.PKCS12, s.Password = nil, nil, ""
}

// signature reads the request's signature property: absent is nil.
//
//	{keyId, lifetimeSeconds?, mustUnderstand?}
//	{key, certificate, lifetimeSeconds?, mustUnderstand?}   (PEM strings)
//	{pkcs12, password, lifetimeSeconds?, mustUnderstand?}   (Uint8Array, ArrayBuffer or base64)
func (f *fields) signature() *signatureSpec {
	const field = "signature"
	v := f.get("signature")
	if absent(v) {
		return nil
	}
	if f.fromJSON() {
		f.needObject() // key material is read from the object itself, never from JSON
		return nil
	}
	if v.Type() != jsv.TypeObject {
		f.api(field, ErrWrongType, "must be an object: {keyId}, {key, certificate} or {pkcs12, password}")
		return nil
	}
	sub := &fields{obj: v}
	spec := readKeySource(sub, true)
	lifetime := sub.get("lifetimeSeconds")
	if !absent(lifetime) {
		x, err := lifetime.Float()
		if lifetime.Type() != jsv.TypeNumber || err != nil || math.IsNaN(x) || x < 1 || x > MaxLifetime.Seconds() || x != math.Trunc(x) {
			sub.api(field, soap.ErrOutOfRange, minifmt.Sprintf("lifetimeSeconds must be a whole number of seconds from 1 to %d", int(MaxLifetime.Seconds())))
		} else {
			spec.Options.Lifetime = time.Duration(x) * time.Second
		}
	}
	if mu := sub.get("mustUnderstand"); !absent(mu) {
		if mu.Type() != jsv.TypeBoolean {
			sub.api(field, ErrWrongType, "mustUnderstand must be true or false")
		} else {
			spec.Options.MustUnderstand, _ = mu.Bool()
		}
	}
	if len(sub.errs) > 0 {
		spec.zero()
		e := sub.errs[0]
		f.errs = append(f.errs, &soap.ValidationError{Field: field, Reason: e.Reason, Err: e.Err, Code: e.Code, Params: e.Params})
		return nil
	}
	return spec
}

// readKeySource reads {keyId} (when allowed), {key, certificate} or
// {pkcs12, password} from f; problems are added under "signature".
func readKeySource(f *fields, keyID bool) *signatureSpec {
	const field = "signature"
	spec := &signatureSpec{}
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
			if pw.Type() != jsv.TypeString {
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
	if v.Type() == jsv.TypeString {
		s, _ := v.String()
		return []byte(s)
	}
	if v.Type() != jsv.TypeObject {
		f.api(field, ErrWrongType, key+" must be PEM text or the PEM file's bytes")
		return nil
	}
	jv, ok := v.(jsv.Value)
	if !ok {
		f.needObject()
		return nil
	}
	return f.binary(jv, key, field)
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
	if v.Type() == jsv.TypeString {
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
	jv, ok := v.(jsv.Value)
	if !ok {
		f.needObject()
		return nil
	}
	return f.binary(jv, key, field)
}

// binary copies a Uint8Array or an ArrayBuffer of at most MaxKeyInput bytes.
func (f *fields) binary(v jsv.Value, key, field string) []byte {
	tooLarge := func() []byte {
		f.api(field, soap.ErrOutOfRange, minifmt.Sprintf("%s must be at most %d KiB", key, MaxKeyInput>>10))
		return nil
	}
	if ok, _ := v.InstanceOf(arrayBufferClass); ok {
		var err error
		if v, err = uint8ArrayClass.New(v); err != nil {
			f.api(field, ErrWrongType, key+" could not be read")
			return nil
		}
	}
	if ok, _ := v.InstanceOf(uint8ArrayClass); !ok {
		f.api(field, ErrWrongType, key+" must be a Uint8Array, an ArrayBuffer or base64 text")
		return nil
	}
	n, err := v.Length()
	if err != nil {
		f.api(field, ErrWrongType, key+" could not be read")
		return nil
	}
	if n > MaxKeyInput {
		return tooLarge()
	}
	b := make([]byte, n)
	if _, err := jsv.CopyBytesToGo(b, v); err != nil {
		f.api(field, ErrWrongType, key+" could not be read")
		return nil
	}
	return b
}

var (
	arrayBufferClass = global("ArrayBuffer")
	uint8ArrayClass  = global("Uint8Array")
)

// webCryptoSigner is a wssec.Signer whose private key is a non-extractable
// WebCrypto CryptoKey: the key bytes are gone from Go and JavaScript once
// it is made, and only the browser's crypto can use it.
//
// See https://developer.mozilla.org/docs/Web/API/SubtleCrypto/sign
type webCryptoSigner struct {
	key     jsv.Value // CryptoKey, usages ["sign"], extractable false
	cert    []byte
	alg     string
	subject string
	// The certificate's validity, as seconds and nanoseconds since 1970: a
	// time.Time field here would make the linker keep time's whole
	// formatter (Time.String), since a signer is used as an interface.
	notBefore, notAfter instant
}

// instant is a time.Time as Unix seconds and nanoseconds.
type instant struct {
	sec  int64
	nsec int64
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int64(t.Nanosecond())} }

func (i instant) time() time.Time { return time.Unix(i.sec, i.nsec).UTC() }

func (s *webCryptoSigner) Algorithm() string   { return s.alg }
func (s *webCryptoSigner) Certificate() []byte { return s.cert }

// Sign signs message with crypto.subtle.sign, which hashes it with SHA-256
// itself and returns ECDSA signatures as r||s, as XML-DSig wants. It waits
// for the Promise, so it must run in a goroutine, never in a js.FuncOf
// callback. rand is unused: the browser draws ECDSA's nonce.
func (s *webCryptoSigner) Sign(_ io.Reader, message []byte) ([]byte, error) {
	subtle, err := subtleCrypto()
	if err != nil {
		return nil, err
	}
	params := map[string]any{"name": "RSASSA-PKCS1-v1_5"}
	if s.alg == keys.AlgECDSASHA256 {
		params = map[string]any{"name": "ECDSA", "hash": "SHA-256"}
	}
	data, err := bytesValue(message)
	if err != nil {
		return nil, err
	}
	p, err := subtle.Call("sign", params, s.key, data)
	if err != nil {
		return nil, minifmt.Errorf("wasm: crypto.subtle.sign: %w", err)
	}
	ctx := newDeadline(cryptoTimeout, nil)
	defer ctx.stop()
	buf, err := await(ctx, p)
	if err != nil {
		return nil, minifmt.Errorf("wasm: crypto.subtle.sign: %w", err)
	}
	return bufferBytes(buf, false)
}

// subtleCrypto returns crypto.subtle, which browsers offer only in secure
// contexts (https:// pages, and http:// ones on this computer).
//
// See https://developer.mozilla.org/docs/Web/API/Crypto/subtle
func subtleCrypto() (jsv.Value, error) {
	c, err := jsv.Global().Get("crypto")
	if err == nil && !absent(c) {
		if s, err := c.Get("subtle"); err == nil && !absent(s) {
			return s, nil
		}
	}
	return jsv.Undefined(), minifmt.Errorf("%w: WebCrypto (crypto.subtle) is not available: browsers offer it only on https:// pages or on this computer", ErrWebCrypto)
}

// importKey reads the key material of spec (PEM or PKCS#12) with soap's
// crypto-free readers, checks it against the certificate and the clock,
// imports the private key into WebCrypto as non-extractable and clears every
// copy of the key bytes it made.
func importKey(spec *signatureSpec, now time.Time) (*webCryptoSigner, error) {
	defer spec.zero()
	var km *keys.KeyMaterial
	var err error
	if spec.PKCS12 != nil {
		km, err = keys.ReadPKCS12(spec.PKCS12, spec.Password, now)
	} else {
		km, err = keys.ReadKeyPEM(spec.KeyPEM, spec.CertPEM, now)
	}
	if err != nil {
		return nil, err
	}
	defer km.Zero()
	subject, err := keys.CertificateSubject(km.Certificate)
	if err != nil {
		return nil, err
	}
	subtle, err := subtleCrypto()
	if err != nil {
		return nil, err
	}
	params := map[string]any{"name": "RSASSA-PKCS1-v1_5", "hash": "SHA-256"}
	if km.Algorithm == keys.AlgECDSASHA256 {
		params = map[string]any{"name": "ECDSA", "namedCurve": "P-256"}
	}
	der, err := bytesValue(km.PKCS8)
	if err != nil {
		return nil, err
	}
	defer func() { _, _ = der.Call("fill", 0) }()
	p, err := subtle.Call("importKey", "pkcs8", der, params, false, []any{"sign"})
	if err != nil {
		return nil, minifmt.Errorf("%w: %v", ErrWebCrypto, err)
	}
	ctx := newDeadline(cryptoTimeout, nil)
	defer ctx.stop()
	key, err := await(ctx, p)
	if err != nil {
		return nil, minifmt.Errorf("%w: %v", ErrWebCrypto, err)
	}
	return &webCryptoSigner{
		key: key, cert: km.Certificate, alg: km.Algorithm, subject: subject,
		notBefore: instantOf(km.NotBefore), notAfter: instantOf(km.NotAfter),
	}, nil
}

// keyring holds the keys loadKey made, by keyId. Its lock is never held
// while waiting for JavaScript.
type keyring struct {
	mu   sync.Mutex
	keys map[string]*webCryptoSigner
}

func (k *keyring) add(s *webCryptoSigner) (string, error) {
	var b [12]byte
	if err := randomBytes(b[:]); err != nil {
		return "", err
	}
	id := "key-" + hexString(b[:], false)
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.keys) >= MaxKeys {
		return "", minifmt.Errorf("%w: at most %d; clear one with socred.clearKey(keyId)", ErrTooManyKey, MaxKeys)
	}
	if k.keys == nil {
		k.keys = map[string]*webCryptoSigner{}
	}
	k.keys[id] = s
	return id, nil
}

func (k *keyring) get(id string) (*webCryptoSigner, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.keys[id]
	return s, ok
}

// clear forgets the key id, or every key when id is "", and reports how
// many it forgot.
func (k *keyring) clear(id string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	if id == "" {
		n := len(k.keys)
		clear(k.keys)
		return n
	}
	if _, ok := k.keys[id]; ok {
		delete(k.keys, id)
		return 1
	}
	return 0
}

// signer returns the signer of a request's signature: a loaded key, or one
// imported for this call only.
func (k *keyring) signer(spec *signatureSpec) (*webCryptoSigner, error) {
	if spec.KeyID != "" {
		s, ok := k.get(spec.KeyID)
		if !ok {
			return nil, keyError(minifmt.Errorf("%w: load it again with socred.loadKey", ErrUnknownKey))
		}
		if err := keys.CheckValidity(s.notBefore.time(), s.notAfter.time(), time.Now()); err != nil {
			return nil, keyError(err)
		}
		return s, nil
	}
	s, err := importKey(spec, time.Now())
	if err != nil {
		return nil, keyError(err)
	}
	return s, nil
}

// sign signs env as the request's signature asks and explains the result.
func (k *keyring) sign(env *soap.Envelope, spec *signatureSpec) (*soap.Envelope, *wssec.Explanation, error) {
	s, err := k.signer(spec)
	if err != nil {
		return nil, nil, err
	}
	signed, err := wssec.Sign(env, s, spec.Options)
	if err != nil {
		var je *JSError
		if errors.As(err, &je) {
			return nil, nil, keyError(minifmt.Errorf("%w: %s", ErrWebCrypto, je.Message))
		}
		return nil, nil, keyError(err)
	}
	ex, err := wssec.Explain(signed.XML)
	if err != nil {
		return nil, nil, minifmt.Errorf("wasm: explaining the signature: %w", err)
	}
	return signed, ex, nil
}

// keyError is a key or signing problem as the "signature" field's
// validation error, with a reason people can act on.
func keyError(err error) error {
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

// loadKey reads {key, certificate} or {pkcs12, password}, imports the
// private key into WebCrypto as non-extractable and keeps it under a new
// keyId: {ok, keyId, subject, notBefore, notAfter, algorithm,
// signatureMethod, fingerprint}.
func (a *API) loadKey(v jsv.Value) (any, error) {
	if v.Type() != jsv.TypeObject {
		return nil, &ArgumentError{Method: "loadKey", Reason: "the argument must be {key, certificate} or {pkcs12, password}, not " + v.Type().String()}
	}
	f := &fields{obj: v}
	spec := readKeySource(f, false)
	if len(f.errs) > 0 {
		spec.zero()
		return outcome(soap.ValidationErrors(f.errs))
	}
	s, err := importKey(spec, time.Now())
	if err != nil {
		return outcome(keyError(err))
	}
	id, err := a.keys.add(s)
	if err != nil {
		return outcome(keyError(err))
	}
	return keyInfo(id, s), nil
}

// clearKey forgets a loaded key (every key without an argument) and
// returns whether it forgot any. It is synchronous: nothing waits.
func (a *API) clearKey(args []jsv.Value) any {
	id := ""
	if v := arg(args, 0); v.Type() == jsv.TypeString {
		id, _ = v.String()
		if id == "" {
			return false
		}
	} else if !absent(v) {
		return false
	}
	return a.keys.clear(id) > 0
}

func keyInfo(id string, s *webCryptoSigner) map[string]any {
	sum := minicrypto.SHA256(s.cert)
	hexSum := hexString(sum[:], true)
	var fp strings.Builder
	for i := 0; i < len(hexSum); i += 2 {
		if i > 0 {
			fp.WriteByte(':')
		}
		fp.WriteString(hexSum[i : i+2])
	}
	alg := "RSA-SHA256"
	if s.alg == keys.AlgECDSASHA256 {
		alg = "ECDSA-P256-SHA256"
	}
	return map[string]any{
		"ok":              true,
		"keyId":           id,
		"subject":         s.subject,
		"notBefore":       soap.FormatDateTime(s.notBefore.time()),
		"notAfter":        soap.FormatDateTime(s.notAfter.time()),
		"algorithm":       alg,
		"signatureMethod": s.alg,
		"fingerprint":     fp.String(),
	}
}

// explanationValue is the JavaScript shape of an Explanation: the canonical
// bytes as text (Exclusive C14N output is UTF-8), digests in base64.
func explanationValue(ex *wssec.Explanation) map[string]any {
	refs := make([]any, len(ex.References))
	for i := range ex.References {
		r := &ex.References[i]
		path := make([]string, len(r.Path))
		for j, n := range r.Path {
			path[j] = n.Local
		}
		ref := map[string]any{
			"uri":         r.URI,
			"element":     r.Element,
			"path":        strings.Join(path, "/"),
			"canonical":   string(r.Canonical),
			"digest":      base64.StdEncoding.EncodeToString(r.Digest),
			"digestValue": base64.StdEncoding.EncodeToString(r.DigestValue),
			"match":       r.Match(),
		}
		if r.Err != nil {
			ref["error"] = strings.TrimPrefix(r.Err.Error(), "soap: ")
		}
		refs[i] = ref
	}
	return map[string]any{
		"signatureMethod": ex.SignatureMethod,
		"signedInfo":      string(ex.SignedInfo),
		"references":      refs,
	}
}

// hexString is b in hexadecimal, upper or lower case (encoding/hex would
// link fmt into the module).
func hexString(b []byte, upper bool) string {
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
