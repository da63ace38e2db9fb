package minicrypto

import "errors"

// ErrNoBrowserCrypto is, in the browser build, a PKCS#12 file read or a
// random ID drawn before the wasm package set Browser. The native build
// never returns it.
var ErrNoBrowserCrypto = errors.New("soap: the browser's crypto is not set up")

// Browser holds what the browser build of packages keys and wssec takes
// from the page's WebCrypto instead of linking Go's crypto (keys/crypto.go
// says why). The wasm package sets both when it starts; until then reading
// a PKCS#12 file and making signature IDs fail with ErrNoBrowserCrypto.
var Browser struct {
	// Random fills b with cryptographically strong random bytes
	// (crypto.getRandomValues).
	Random func(b []byte) error
	// DecryptAESCBC decrypts AES-CBC and removes the PKCS#7 padding
	// (crypto.subtle.decrypt), or fails (a bad padding included).
	DecryptAESCBC func(key, iv, ciphertext []byte) ([]byte, error)
}

// DecryptAESCBC decrypts with Browser.DecryptAESCBC, or returns
// ErrNoBrowserCrypto when it is not set.
func DecryptAESCBC(key, iv, ciphertext []byte) ([]byte, error) {
	if Browser.DecryptAESCBC == nil {
		return nil, ErrNoBrowserCrypto
	}
	return Browser.DecryptAESCBC(key, iv, ciphertext)
}

// Random is a reader of Browser.Random's bytes; it fails with
// ErrNoBrowserCrypto when Browser.Random is not set.
var Random browserRandom

type browserRandom struct{}

func (browserRandom) Read(b []byte) (int, error) {
	if Browser.Random == nil {
		return 0, ErrNoBrowserCrypto
	}
	if err := Browser.Random(b); err != nil {
		return 0, err
	}
	return len(b), nil
}
