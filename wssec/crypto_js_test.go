//go:build js

package wssec

import (
	"crypto/rand"

	"socred/internal/minicrypto"
)

// In the browser the wasm package gives wssec WebCrypto's random numbers
// (crypto_js.go); wssec's own tests, which have no wasm package, use Go's
// (a test binary's size does not matter).
func init() {
	minicrypto.Browser.Random = func(b []byte) error {
		_, err := rand.Read(b)
		return err
	}
}
