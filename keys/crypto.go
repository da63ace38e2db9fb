package keys

// The crypto keys uses, behind one seam so that the browser build links
// none of Go's crypto packages (any of them brings the whole FIPS 140
// module, about 100 KB of compressed module): the native build
// (crypto_std.go) uses the standard library; the js build (crypto_js.go)
// uses socred/internal/minicrypto's small SHA-1, SHA-256, HMAC and PBKDF2
// and takes AES from the browser's WebCrypto through the hooks in
// minicrypto.Browser, which the wasm package sets.
//
// The functions each build provides:
//
//	newSHA1, newSHA256 func() hash.Hash
//	newHMAC(h func() hash.Hash, key []byte) hash.Hash
//	equalMAC(a, b []byte) bool                       // in constant time
//	pbkdf2Key(h func() hash.Hash, password, salt []byte, iterations, keyLen int) []byte
//	decryptAESCBC(key, iv, ciphertext []byte) ([]byte, error) // PKCS#7 padding removed; an error for bad padding

import "socred/internal/minicrypto"

// ErrNoBrowserCrypto is, in the browser build, a PKCS#12 file read before
// the wasm package set minicrypto.Browser. The native build never returns
// it.
var ErrNoBrowserCrypto = minicrypto.ErrNoBrowserCrypto

// aesBlockSize is AES's block (and CBC IV) size.
const aesBlockSize = 16
