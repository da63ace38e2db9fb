//go:build js

package soap

import (
	"io"

	"socred/internal/minicrypto"
)

// Browser holds what soap's browser build takes from the page's WebCrypto
// instead of linking Go's crypto (see crypto.go). The wasm package sets
// both when it starts; until then reading a PKCS#12 file and making
// signature IDs fail with ErrNoBrowserCrypto.
var Browser struct {
	// Random fills b with cryptographically strong random bytes
	// (crypto.getRandomValues).
	Random func(b []byte) error
	// DecryptAESCBC decrypts AES-CBC and removes the PKCS#7 padding
	// (crypto.subtle.decrypt), or fails (a bad padding included).
	DecryptAESCBC func(key, iv, ciphertext []byte) ([]byte, error)
}

var (
	newSHA1   = minicrypto.NewSHA1
	newSHA256 = minicrypto.NewSHA256
	sha256Sum = minicrypto.SHA256
	newHMAC   = minicrypto.NewHMAC
	equalMAC  = minicrypto.Equal
	pbkdf2Key = minicrypto.PBKDF2
)

func decryptAESCBC(key, iv, ciphertext []byte) ([]byte, error) {
	if Browser.DecryptAESCBC == nil {
		return nil, ErrNoBrowserCrypto
	}
	return Browser.DecryptAESCBC(key, iv, ciphertext)
}

func randomReader() io.Reader { return browserRandom{} }

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
