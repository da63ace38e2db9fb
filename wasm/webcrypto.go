//go:build js && wasm

package wasm

import (
	"errors"

	"socred/internal/minicrypto"
	"socred/jsapi"
	"socred/wasm/internal/jsv"
)

// The module links none of Go's crypto packages (soap/crypto.go says why):
// random numbers and AES come from the browser's WebCrypto, set up here for
// soap when the package starts.
func init() {
	minicrypto.Browser.Random = randomBytes
	minicrypto.Browser.DecryptAESCBC = decryptAESCBC
}

// maxRandomChunk is the most crypto.getRandomValues fills in one call.
const maxRandomChunk = 65536

// randomBytes fills b from crypto.getRandomValues.
//
// See https://developer.mozilla.org/docs/Web/API/Crypto/getRandomValues
func randomBytes(b []byte) error {
	c, err := jsv.Global().Get("crypto")
	if err != nil || absent(c) {
		return errors.New("wasm: crypto.getRandomValues is not available")
	}
	for len(b) > 0 {
		n := min(len(b), maxRandomChunk)
		buf, err := uint8ArrayClass.New(n)
		if err != nil {
			return err
		}
		if _, err := c.Call("getRandomValues", buf); err != nil {
			return err
		}
		if _, err := jsv.CopyBytesToGo(b[:n], buf); err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// decryptAESCBC decrypts AES-CBC with PKCS#7 padding through
// crypto.subtle.decrypt, which removes the padding and fails on a bad one.
// It waits for the Promise, so it runs only in a goroutine (loadKey's and
// the signing calls'), never in a js.FuncOf callback. The key is imported
// non-extractable for this one call; the copies made of it are cleared.
//
// See https://developer.mozilla.org/docs/Web/API/SubtleCrypto/decrypt
func decryptAESCBC(key, iv, ciphertext []byte) ([]byte, error) {
	subtle, err := subtleCrypto()
	if err != nil {
		return nil, err
	}
	jsKey, err := bytesValue(key)
	if err != nil {
		return nil, err
	}
	defer func() { _, _ = jsKey.Call("fill", 0) }()
	ctx := jsapi.NewDeadline(cryptoTimeout, nil)
	defer ctx.Stop()
	p, err := subtle.Call("importKey", "raw", jsKey, "AES-CBC", false, []any{"decrypt"})
	if err != nil {
		return nil, err
	}
	k, err := await(ctx, p)
	if err != nil {
		return nil, err
	}
	jsIV, err := bytesValue(iv)
	if err != nil {
		return nil, err
	}
	data, err := bytesValue(ciphertext)
	if err != nil {
		return nil, err
	}
	params, err := jsv.ValueOf(map[string]any{"name": "AES-CBC"})
	if err == nil {
		err = params.Set("iv", jsIV)
	}
	if err != nil {
		return nil, err
	}
	if p, err = subtle.Call("decrypt", params, k, data); err != nil {
		return nil, err
	}
	buf, err := await(ctx, p)
	if err != nil {
		return nil, err
	}
	return bufferBytes(buf, true)
}

// bufferBytes copies an ArrayBuffer (a WebCrypto result) into Go; with
// clear, the browser's copy is zeroed afterwards (a decrypted key).
func bufferBytes(buf jsv.Value, clear bool) ([]byte, error) {
	view, err := uint8ArrayClass.New(buf)
	if err != nil {
		return nil, err
	}
	if clear {
		defer func() { _, _ = view.Call("fill", 0) }()
	}
	n, err := view.Length()
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	if _, err := jsv.CopyBytesToGo(out, view); err != nil {
		return nil, err
	}
	return out, nil
}

// bytesValue copies b into a new Uint8Array.
func bytesValue(b []byte) (jsv.Value, error) {
	v, err := uint8ArrayClass.New(len(b))
	if err != nil {
		return jsv.Undefined(), err
	}
	if _, err := jsv.CopyBytesToJS(v, b); err != nil {
		return jsv.Undefined(), err
	}
	return v, nil
}
