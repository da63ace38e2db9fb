// Package minicrypto holds the few hash-based primitives socred's browser
// build needs — SHA-1 and SHA-256 (FIPS 180-4), HMAC (RFC 2104) and PBKDF2
// (RFC 8018) — written small, so the module links none of Go's crypto
// packages: any one of those brings the whole FIPS 140 module with it
// (AES, SHA-3, SHA-512, HMAC, a DRBG and its self-tests), about 100 KB of
// brotli-compressed module for a SHA-256.
//
// Only soap's js build uses it (soap/crypto_js.go); the native build uses
// the standard library, and this package's tests check every function
// against it. Everything here hashes data that is public or that the
// caller already holds (envelopes, certificates, a password the user
// typed): there are no secret-dependent table lookups or branches to leak
// timing, as in any straightforward SHA implementation. Browsers provide
// AES, random numbers and signing through WebCrypto, which the wasm
// package uses for those.
package minicrypto
