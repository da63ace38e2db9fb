//go:build js

package wssec

import (
	"io"

	"socred/internal/minicrypto"
)

// The browser build links none of Go's crypto packages: SHA-256 is
// minicrypto's, randomness the page's WebCrypto (minicrypto.Browser, set by
// the wasm package).

var sha256Sum = minicrypto.SHA256

func randomReader() io.Reader { return minicrypto.Random }
