package soap

// The crypto soap uses, behind one seam so that the browser build links
// none of Go's crypto packages (any of them brings the whole FIPS 140
// module, about 100 KB of compressed module): the native build
// (crypto_std.go) uses the standard library; the js build (crypto_js.go)
// uses socred/internal/minicrypto's small SHA-1, SHA-256, HMAC and PBKDF2
// and takes AES and randomness from the browser's WebCrypto through the
// hooks in Browser, which the wasm package sets.
//
// The functions each build provides:
//
//	newSHA1, newSHA256 func() hash.Hash
//	sha256Sum(b []byte) [32]byte
//	newHMAC(h func() hash.Hash, key []byte) hash.Hash
//	equalMAC(a, b []byte) bool                       // in constant time
//	pbkdf2Key(h func() hash.Hash, password, salt []byte, iterations, keyLen int) []byte
//	decryptAESCBC(key, iv, ciphertext []byte) ([]byte, error) // PKCS#7 padding removed; an error for bad padding
//	randomReader() io.Reader                         // for IDs and the Signer

import "errors"

// ErrNoBrowserCrypto is, in the browser build, a PKCS#12 file read or a
// random ID drawn before the wasm package set Browser (crypto_js.go). The
// native build never returns it.
var ErrNoBrowserCrypto = errors.New("soap: the browser's crypto is not set up")

// aesBlockSize is AES's block (and CBC IV) size.
const aesBlockSize = 16
