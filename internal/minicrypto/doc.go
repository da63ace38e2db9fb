// Package minicrypto holds the few hash-based primitives socred's browser
// build needs — SHA-1 and SHA-256 (FIPS 180-4), HMAC (RFC 2104) and PBKDF2
// (RFC 8018) — written small, so the module links none of Go's crypto
// packages: any one of those brings the whole FIPS 140 module with it
// (AES, SHA-3, SHA-512, HMAC, a DRBG and its self-tests): leaving them
// out saved 47 KB of the brotli-compressed module (docs/performance.md).
//
// Only the js builds of keys and wssec use it (keys/crypto_js.go,
// wssec/crypto_js.go); the native builds use the standard library, and
// this package's tests check every function against it. Browser holds the
// hooks through which those builds take AES and random numbers from the
// page's WebCrypto; the wasm package sets them. Everything here hashes data that is public or that the
// caller already holds (envelopes, certificates, a password the user
// typed): there are no secret-dependent table lookups or branches to leak
// timing, as in any straightforward SHA implementation.
package minicrypto
