package keys

import (
	"bytes"
	"errors"
	"hash"
	"time"
	"unicode/utf16"

	"socred/internal/minifmt"
)

// Object identifiers of PKCS#12 (RFC 7292), PKCS#5 (RFC 8018) and PKCS#7.
var (
	oidData           = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01}
	oidEncryptedData  = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06}
	oidKeyBag         = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x01}
	oidShroudedKeyBag = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02}
	oidCertBag        = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03}
	oidX509Cert       = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01}
	oidPBES2          = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d}
	oidPBKDF2         = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c}
	oidHMACSHA1       = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07}
	oidHMACSHA256     = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09}
	oidSHA1           = []byte{0x2b, 0x0e, 0x03, 0x02, 0x1a}
	oidSHA256         = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}
	oidAESCBC         = []byte{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01} // + .2, .22, .42
)

// ReadPKCS12 reads a PKCS#12 (.p12/.pfx) file with its password, as
// keys.ParsePKCS12 does but without Go's x509 and PKCS#12 packages (for the
// browser's size budget), and returns the same KeyMaterial and checks as
// ReadKeyPEM.
//
// It reads what current tools write: OpenSSL 3's default, Windows' "AES256-
// SHA256" export and go-pkcs12's Modern encoder, that is PBES2 (PBKDF2 with
// HMAC-SHA-1 or SHA-256, AES-CBC) with an HMAC-SHA-1 or SHA-256 MAC, in DER.
// Legacy files (RC2 or 3DES encryption, BER encoding) get ErrPKCS12 with the
// reason; keys.ParsePKCS12 reads those.
func ReadPKCS12(data []byte, password string, now time.Time) (*KeyMaterial, error) {
	bad := func(format string, args ...any) error {
		return minifmt.Errorf("%w: "+format, append([]any{ErrPKCS12}, args...)...)
	}
	// PFX ::= SEQUENCE { version, authSafe ContentInfo, macData OPTIONAL }
	pfx, rest, ok := derNext(data, 0x30)
	if !ok || len(rest) != 0 {
		return nil, bad("not a DER PFX (BER-encoded files are not read here)")
	}
	_, pfx, ok = derNext(pfx, 0x02)
	authSafe, pfx, ok1 := derNext(pfx, 0x30)
	if !ok || !ok1 {
		return nil, bad("malformed PFX")
	}
	ctype, content, _ := derNext(authSafe, 0x06)
	content, _, ok = derNext(content, 0xa0)
	safes, _, ok1 := derNext(content, 0x04)
	if !bytes.Equal(ctype, oidData) || !ok || !ok1 {
		return nil, bad("the authenticated safe is not password-integrity data")
	}
	macData, _, ok := derNext(pfx, 0x30)
	if !ok {
		return nil, bad("no MAC: the password cannot be checked")
	}
	if err := checkPKCS12MAC(macData, safes, password); err != nil {
		return nil, err
	}

	// AuthenticatedSafe ::= SEQUENCE OF ContentInfo, each data or
	// password-encrypted data holding SafeContents.
	var keys, certs [][]byte
	seq, _, ok := derNext(safes, 0x30)
	if !ok {
		return nil, bad("malformed authenticated safe")
	}
	for len(seq) > 0 {
		var ci []byte
		if ci, seq, ok = derNext(seq, 0x30); !ok {
			return nil, bad("malformed content info")
		}
		ctype, content, _ := derNext(ci, 0x06)
		content, _, _ = derNext(content, 0xa0)
		var bags []byte
		switch {
		case bytes.Equal(ctype, oidData):
			if bags, _, ok = derNext(content, 0x04); !ok {
				return nil, bad("malformed data")
			}
		case bytes.Equal(ctype, oidEncryptedData):
			var err error
			if bags, err = decryptEncryptedData(content, password); err != nil {
				return nil, err
			}
		default:
			return nil, bad("unsupported content type (public-key privacy mode?)")
		}
		k, c, err := readSafeBags(bags, password)
		if err != nil {
			return nil, err
		}
		keys, certs = append(keys, k...), append(certs, c...)
	}
	if len(keys) == 0 {
		return nil, ErrNoKey
	}
	if len(certs) == 0 {
		return nil, ErrNoCertificate
	}
	priv, err := readPKCS8(keys[0])
	if err != nil {
		return nil, err
	}
	// The signer's certificate is the one that matches the key; a file may
	// carry CA certificates too, in any order.
	var firstErr error
	for _, der := range certs {
		k := &KeyMaterial{Certificate: der}
		pub, err := k.readCertificate()
		if err == nil && priv.alg != pub.alg {
			err = ErrKeyMismatch
		}
		if err == nil {
			err = priv.matches(pub)
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if err := CheckValidity(k.NotBefore, k.NotAfter, now); err != nil {
			return nil, err
		}
		k.PKCS8, k.Algorithm = priv.pkcs8, priv.alg
		return k, nil
	}
	return nil, firstErr
}

// checkPKCS12MAC verifies MacData ::= SEQUENCE { mac DigestInfo, macSalt,
// iterations }: an HMAC keyed by the PKCS#12 KDF (RFC 7292 Appendix B) of
// the password. A mismatch is a wrong password.
func checkPKCS12MAC(macData, message []byte, password string) error {
	digestInfo, rest, ok := derNext(macData, 0x30)
	salt, rest, ok1 := derNext(rest, 0x04)
	iter, _, _ := derNext(rest, 0x02)
	alg, di, ok2 := derNext(digestInfo, 0x30)
	want, _, ok3 := derNext(di, 0x04)
	if !ok || !ok1 || !ok2 || !ok3 {
		return minifmt.Errorf("%w: malformed MAC", ErrPKCS12)
	}
	oid, _, _ := derNext(alg, 0x06)
	var h func() hash.Hash
	switch {
	case bytes.Equal(oid, oidSHA256):
		h = newSHA256
	case bytes.Equal(oid, oidSHA1):
		h = newSHA1
	default:
		return minifmt.Errorf("%w: MAC digest is neither SHA-1 nor SHA-256", ErrPKCS12)
	}
	iterations := 1
	if iter != nil {
		if iterations = derInt(iter); iterations < 1 || iterations > 1_000_000 {
			return minifmt.Errorf("%w: MAC iteration count %d", ErrPKCS12, iterations)
		}
	}
	// An empty password is written either as nothing or as a lone NUL;
	// accept both, as OpenSSL does.
	candidates := [][]byte{bmpPassword(password)}
	if password == "" {
		candidates = append(candidates, nil)
	}
	for _, pw := range candidates {
		mac := newHMAC(h, pkcs12KDF(h, pw, salt, 3, iterations))
		mac.Write(message)
		if equalMAC(mac.Sum(nil), want) {
			return nil
		}
	}
	return ErrWrongPassword
}

// pkcs12KDF derives one hash-sized key with the PKCS#12 KDF for the given
// purpose (1 key, 2 IV, 3 MAC); socred only needs the MAC key, which is
// exactly one block long.
func pkcs12KDF(h func() hash.Hash, password, salt []byte, id byte, iterations int) []byte {
	const v = 64 // the block size of SHA-1 and SHA-256
	fill := func(b []byte) []byte {
		if len(b) == 0 {
			return nil
		}
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	d := bytes.Repeat([]byte{id}, v)
	input := append(append(d, fill(salt)...), fill(password)...)
	a := input
	for range iterations {
		hh := h()
		hh.Write(a)
		a = hh.Sum(nil)
	}
	return a
}

// bmpPassword is the password as PKCS#12 MACs use it: UTF-16BE, with a
// terminating NUL.
func bmpPassword(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return append(b, 0, 0)
}

// decryptEncryptedData decrypts EncryptedData ::= SEQUENCE { version,
// EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT content } }.
func decryptEncryptedData(content []byte, password string) ([]byte, error) {
	ed, _, ok := derNext(content, 0x30)
	_, ed, ok1 := derNext(ed, 0x02)
	eci, _, ok2 := derNext(ed, 0x30)
	_, eci, ok3 := derNext(eci, 0x06)
	alg, eci, ok4 := derNext(eci, 0x30)
	ciphertext, _, ok5 := derNext(eci, 0x80)
	if !ok || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return nil, minifmt.Errorf("%w: malformed encrypted data (constructed BER content is not read here)", ErrPKCS12)
	}
	return pbes2Decrypt(alg, ciphertext, password)
}

// pbes2Decrypt decrypts with PBES2 (RFC 8018 §6.2): PBKDF2 with HMAC-SHA-1
// or SHA-256, then AES-CBC with PKCS#7 padding. The password is used as its
// UTF-8 bytes, as OpenSSL does for PBES2 inside PKCS#12.
func pbes2Decrypt(alg, ciphertext []byte, password string) ([]byte, error) {
	unsupported := minifmt.Errorf("%w: encryption other than PBES2 with AES-CBC (a legacy RC2 or 3DES file? re-export it with AES-256)", ErrPKCS12)
	oid, params, _ := derNext(alg, 0x06)
	if !bytes.Equal(oid, oidPBES2) {
		return nil, unsupported
	}
	params, _, _ = derNext(params, 0x30)
	kdf, params, ok := derNext(params, 0x30)
	enc, _, ok1 := derNext(params, 0x30)
	kdfOID, kdfParams, _ := derNext(kdf, 0x06)
	encOID, iv, _ := derNext(enc, 0x06)
	iv, _, ok2 := derNext(iv, 0x04)
	if !ok || !ok1 || !ok2 || !bytes.Equal(kdfOID, oidPBKDF2) || len(iv) != aesBlockSize {
		return nil, unsupported
	}
	var keyLen int
	switch {
	case bytes.Equal(encOID, append(oidAESCBC[:len(oidAESCBC):len(oidAESCBC)], 0x02)):
		keyLen = 16
	case bytes.Equal(encOID, append(oidAESCBC[:len(oidAESCBC):len(oidAESCBC)], 0x16)):
		keyLen = 24
	case bytes.Equal(encOID, append(oidAESCBC[:len(oidAESCBC):len(oidAESCBC)], 0x2a)):
		keyLen = 32
	default:
		return nil, unsupported
	}
	// PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount,
	// keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }
	kp, _, _ := derNext(kdfParams, 0x30)
	salt, kp, ok := derNext(kp, 0x04)
	iter, kp, ok1 := derNext(kp, 0x02)
	if !ok || !ok1 {
		return nil, unsupported
	}
	if _, after, ok := derNext(kp, 0x02); ok {
		kp = after
	}
	h := newSHA1
	if prf, _, ok := derNext(kp, 0x30); ok {
		prfOID, _, _ := derNext(prf, 0x06)
		switch {
		case bytes.Equal(prfOID, oidHMACSHA256):
			h = newSHA256
		case bytes.Equal(prfOID, oidHMACSHA1):
		default:
			return nil, unsupported
		}
	}
	iterations := derInt(iter)
	if iterations < 1 || iterations > 1_000_000 {
		return nil, minifmt.Errorf("%w: PBKDF2 iteration count %d", ErrPKCS12, iterations)
	}
	if len(ciphertext) == 0 || len(ciphertext)%aesBlockSize != 0 {
		return nil, minifmt.Errorf("%w: malformed ciphertext", ErrPKCS12)
	}
	plain, err := decryptAESCBC(pbkdf2Key(h, []byte(password), salt, iterations, keyLen), iv, ciphertext)
	if errors.Is(err, ErrNoBrowserCrypto) {
		return nil, minifmt.Errorf("%w: %w", ErrPKCS12, err)
	}
	if err != nil {
		// The MAC passed, so this is not a wrong password but a damaged file
		// or a different password for the encryption (some tools allow it).
		return nil, minifmt.Errorf("%w: %w: decryption failed", ErrWrongPassword, ErrPKCS12)
	}
	return plain, nil
}

// readSafeBags returns the PKCS#8 keys and certificate DERs of SafeContents
// ::= SEQUENCE OF SafeBag { bagId, [0] bagValue, attributes OPTIONAL }.
func readSafeBags(der []byte, password string) (keys, certs [][]byte, err error) {
	bags, _, ok := derNext(der, 0x30)
	if !ok {
		return nil, nil, minifmt.Errorf("%w: malformed safe contents", ErrPKCS12)
	}
	for len(bags) > 0 {
		var bag []byte
		if bag, bags, ok = derNext(bags, 0x30); !ok {
			return nil, nil, minifmt.Errorf("%w: malformed safe bag", ErrPKCS12)
		}
		id, value, _ := derNext(bag, 0x06)
		value, _, _ = derNext(value, 0xa0)
		switch {
		case bytes.Equal(id, oidKeyBag):
			keys = append(keys, value) // a PrivateKeyInfo
		case bytes.Equal(id, oidShroudedKeyBag):
			// EncryptedPrivateKeyInfo ::= SEQUENCE { algorithm, encryptedData }
			epki, _, ok := derNext(value, 0x30)
			alg, epki, ok1 := derNext(epki, 0x30)
			ciphertext, _, ok2 := derNext(epki, 0x04)
			if !ok || !ok1 || !ok2 {
				return nil, nil, minifmt.Errorf("%w: malformed shrouded key", ErrPKCS12)
			}
			plain, err := pbes2Decrypt(alg, ciphertext, password)
			if err != nil {
				return nil, nil, err
			}
			keys = append(keys, plain)
		case bytes.Equal(id, oidCertBag):
			cb, _, _ := derNext(value, 0x30)
			certType, cv, _ := derNext(cb, 0x06)
			cv, _, _ = derNext(cv, 0xa0)
			cert, _, ok := derNext(cv, 0x04)
			if bytes.Equal(certType, oidX509Cert) && ok {
				certs = append(certs, cert)
			}
		}
	}
	return keys, certs, nil
}

// derInt reads a small non-negative INTEGER's content; -1 if too large.
func derInt(b []byte) int {
	if len(b) == 0 || len(b) > 4 || b[0]&0x80 != 0 {
		return -1
	}
	n := 0
	for _, c := range b {
		n = n<<8 | int(c)
	}
	return n
}
