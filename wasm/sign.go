//go:build js && wasm

package wasm

import (
	"io"
	"sync"
	"time"

	"socred/internal/minifmt"
	"socred/jsapi"
	"socred/keys"
	"socred/soap"
	"socred/wasm/internal/jsv"
	"socred/wssec"
)

// cryptoTimeout bounds one WebCrypto call.
const cryptoTimeout = 30 * time.Second

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

// timeAt is a function, not a method of instant: a method returning a
// time.Time would keep the formatter all the same (a signer's methods'
// types are kept, and theirs, down to Time.String).
func timeAt(i instant) time.Time { return time.Unix(i.sec, i.nsec).UTC() }

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
	ctx := jsapi.NewDeadline(cryptoTimeout, nil)
	defer ctx.Stop()
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
	return jsv.Undefined(), minifmt.Errorf("%w: WebCrypto (crypto.subtle) is not available: browsers offer it only on https:// pages or on this computer", jsapi.ErrWebCrypto)
}

// importKey reads the key material of spec (PEM or PKCS#12) with soap's
// crypto-free readers, checks it against the certificate and the clock,
// imports the private key into WebCrypto as non-extractable and clears every
// copy of the key bytes it made.
func importKey(spec *jsapi.SignatureSpec, now time.Time) (*webCryptoSigner, error) {
	defer spec.Zero()
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
		return nil, minifmt.Errorf("%w: %v", jsapi.ErrWebCrypto, err)
	}
	ctx := jsapi.NewDeadline(cryptoTimeout, nil)
	defer ctx.Stop()
	key, err := await(ctx, p)
	if err != nil {
		return nil, minifmt.Errorf("%w: %v", jsapi.ErrWebCrypto, err)
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
	id := "key-" + jsapi.HexString(b[:], false)
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.keys) >= jsapi.MaxKeys {
		return "", minifmt.Errorf("%w: at most %d; clear one with socred.clearKey(keyId)", jsapi.ErrTooManyKey, jsapi.MaxKeys)
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
func (k *keyring) signer(spec *jsapi.SignatureSpec) (*webCryptoSigner, error) {
	if spec.KeyID != "" {
		s, ok := k.get(spec.KeyID)
		if !ok {
			return nil, jsapi.KeyError(minifmt.Errorf("%w: load it again with socred.loadKey", jsapi.ErrUnknownKey))
		}
		if err := keys.CheckValidity(timeAt(s.notBefore), timeAt(s.notAfter), time.Now()); err != nil {
			return nil, jsapi.KeyError(err)
		}
		return s, nil
	}
	s, err := importKey(spec, time.Now())
	if err != nil {
		return nil, jsapi.KeyError(err)
	}
	return s, nil
}

// sign signs env as the request's signature asks and explains the result.
func (k *keyring) sign(env *soap.Envelope, spec *jsapi.SignatureSpec) (*soap.Envelope, *wssec.Explanation, error) {
	s, err := k.signer(spec)
	if err != nil {
		return nil, nil, err
	}
	signed, err := wssec.Sign(env, s, spec.Options)
	if err != nil {
		var je *jsapi.JSError
		if jsapi.As(err, &je) {
			return nil, nil, jsapi.KeyError(minifmt.Errorf("%w: %s", jsapi.ErrWebCrypto, je.Message))
		}
		return nil, nil, jsapi.KeyError(err)
	}
	ex, err := wssec.Explain(signed.XML)
	if err != nil {
		return nil, nil, minifmt.Errorf("wasm: explaining the signature: %w", err)
	}
	return signed, ex, nil
}

// loadKey reads {key, certificate} or {pkcs12, password}, imports the
// private key into WebCrypto as non-extractable and keeps it under a new
// keyId: {ok, keyId, subject, notBefore, notAfter, algorithm,
// signatureMethod, fingerprint}.
func (a *API) loadKey(v jsv.Value) (any, error) {
	spec, err := jsapi.ReadKey(object{v})
	if err != nil {
		return jsapi.Outcome(err)
	}
	s, err := importKey(spec, time.Now())
	if err != nil {
		return jsapi.Outcome(jsapi.KeyError(err))
	}
	id, err := a.keys.add(s)
	if err != nil {
		return jsapi.Outcome(jsapi.KeyError(err))
	}
	return jsapi.KeyInfo(id, s.subject, s.cert, s.alg, timeAt(s.notBefore), timeAt(s.notAfter)), nil
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
