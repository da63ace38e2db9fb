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

// MaxPKCS12Iterations is how many iterations of key derivation ReadPKCS12
// allows one file in all: the MAC's, the encrypted safes' and the shrouded
// key bags' together (a PBKDF2 key longer than its hash counts once per
// block, as PBKDF2 runs the iterations once per block). A normal export
// asks for about 10,000 (OpenSSL 3 and Windows: one key bag, one
// certificate safe and the MAC of 2,000 to 10,000 each); a file that asks
// for more is refused with ErrPKCS12Budget before any key is derived, so
// that a hostile file cannot keep the browser's only thread busy.
const MaxPKCS12Iterations = 2_000_000

// MaxPKCS12Derivations is how many keys ReadPKCS12 allows one file to ask
// it to derive (a normal export asks for three: MAC, certificate safe, key).
const MaxPKCS12Derivations = 64

// ErrPKCS12Budget is a PKCS#12 file that asks for more key derivation than
// MaxPKCS12Iterations or MaxPKCS12Derivations allow. Its errors are
// ErrPKCS12 errors too.
var ErrPKCS12Budget = errors.New("soap: the PKCS#12 file asks for too much key derivation")

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
//
// Its work is bounded: it reads every parameter the file shows before it
// derives any key, refuses a file over MaxPKCS12Iterations or
// MaxPKCS12Derivations in all (ErrPKCS12Budget), counts the key bags inside
// an encrypted safe once that safe is open, before it derives theirs, and
// stops at the first key bag that pairs with a certificate.
func ReadPKCS12(data []byte, password string, now time.Time) (*KeyMaterial, error) {
	return readPKCS12(data, password, now, &pkcs12Work{maxIterations: MaxPKCS12Iterations, maxDerivations: MaxPKCS12Derivations})
}

// pkcs12Work is the key-derivation budget of one PKCS#12 read: what the
// file asks for is added up (ask) and checked (check) before anything is
// derived, and what is derived is counted (derive), for the tests.
type pkcs12Work struct {
	maxIterations, maxDerivations int
	// askedIterations and askedDerivations are what the file's parameters
	// ask for, so far as the reader has seen them.
	askedIterations, askedDerivations int
	// iterations and derivations are what was derived.
	iterations, derivations int
}

func (w *pkcs12Work) ask(iterations int) {
	w.askedIterations += iterations
	w.askedDerivations++
}

func (w *pkcs12Work) check() error {
	if w.askedIterations > w.maxIterations || w.askedDerivations > w.maxDerivations {
		return &budgetError{*w}
	}
	return nil
}

func (w *pkcs12Work) derive(iterations int) {
	w.iterations += iterations
	w.derivations++
}

// budgetError is ErrPKCS12Budget with the figures; it is an ErrPKCS12 too.
type budgetError struct{ w pkcs12Work }

func (e *budgetError) Error() string {
	w := &e.w
	if w.askedIterations > w.maxIterations {
		return minifmt.Sprintf("soap: not a readable PKCS#12 file: it asks for %d iterations of key derivation in all, more than the %d allowed (a normal export asks for about 10000)",
			w.askedIterations, w.maxIterations)
	}
	return minifmt.Sprintf("soap: not a readable PKCS#12 file: it asks for %d key derivations, more than the %d allowed (a normal export asks for 3)",
		w.askedDerivations, w.maxDerivations)
}

func (e *budgetError) Unwrap() []error { return []error{ErrPKCS12, ErrPKCS12Budget} }

// pkcs12Bag is a certificate bag (cert is set) or a key bag, read but not
// yet decrypted.
type pkcs12Bag struct {
	cert     []byte       // a certificate bag's DER
	key      []byte       // a key bag's PrivateKeyInfo, or a shrouded one's ciphertext
	shrouded *pbes2Params // a shrouded key bag's encryption
}

// pkcs12Safe is one ContentInfo of the authenticated safe: its bags, or
// while it is still encrypted, its ciphertext and encryption.
type pkcs12Safe struct {
	bags       []pkcs12Bag
	ciphertext []byte
	encrypted  *pbes2Params
}

func readPKCS12(data []byte, password string, now time.Time, w *pkcs12Work) (*KeyMaterial, error) {
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
	safesDER, _, ok1 := derNext(content, 0x04)
	if !bytes.Equal(ctype, oidData) || !ok || !ok1 {
		return nil, bad("the authenticated safe is not password-integrity data")
	}
	macData, _, ok := derNext(pfx, 0x30)
	if !ok {
		return nil, bad("no MAC: the password cannot be checked")
	}
	mac, err := readPKCS12MAC(macData, password)
	if err != nil {
		return nil, err
	}
	for range mac.candidates {
		w.ask(mac.iterations)
	}

	// AuthenticatedSafe ::= SEQUENCE OF ContentInfo, each data or
	// password-encrypted data holding SafeContents. Every parameter is
	// read, and the work it asks for counted, before any key is derived.
	seq, _, ok := derNext(safesDER, 0x30)
	if !ok {
		return nil, bad("malformed authenticated safe")
	}
	var safes []pkcs12Safe
	for len(seq) > 0 {
		var ci []byte
		if ci, seq, ok = derNext(seq, 0x30); !ok {
			return nil, bad("malformed content info")
		}
		ctype, content, _ := derNext(ci, 0x06)
		content, _, _ = derNext(content, 0xa0)
		var safe pkcs12Safe
		switch {
		case bytes.Equal(ctype, oidData):
			der, _, ok := derNext(content, 0x04)
			if !ok {
				return nil, bad("malformed data")
			}
			if safe.bags, err = readSafeBags(der, w); err != nil {
				return nil, err
			}
		case bytes.Equal(ctype, oidEncryptedData):
			if safe.encrypted, safe.ciphertext, err = readEncryptedData(content); err != nil {
				return nil, err
			}
			w.ask(safe.encrypted.cost())
		default:
			return nil, bad("unsupported content type (public-key privacy mode?)")
		}
		safes = append(safes, safe)
	}
	if err := w.check(); err != nil {
		return nil, err
	}
	if err := mac.verify(safesDER, w); err != nil {
		return nil, err
	}

	// The encrypted safes are opened first (they usually hold the
	// certificates), and the bags inside counted before any is decrypted.
	for i := range safes {
		s := &safes[i]
		if s.encrypted == nil {
			continue
		}
		der, err := s.encrypted.decrypt(s.ciphertext, password, w)
		if err != nil {
			return nil, err
		}
		if s.bags, err = readSafeBags(der, w); err != nil {
			return nil, err
		}
		if err := w.check(); err != nil {
			return nil, err
		}
	}
	var certs [][]byte
	hasKey := false
	for _, s := range safes {
		for _, b := range s.bags {
			if b.cert != nil {
				certs = append(certs, b.cert)
			} else {
				hasKey = true
			}
		}
	}
	if !hasKey {
		return nil, ErrNoKey
	}
	if len(certs) == 0 {
		return nil, ErrNoCertificate
	}

	// The first key bag that pairs with a certificate is the signer's.
	var firstErr error
	for _, s := range safes {
		for _, b := range s.bags {
			if b.cert != nil {
				continue
			}
			k, err := pairPKCS12Key(b, certs, password, now, w)
			if err == nil {
				return k, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	return nil, firstErr
}

// pairPKCS12Key decrypts a key bag if it is shrouded and returns it with the
// certificate that matches it (a file may carry CA certificates too, in any
// order), checked at now.
func pairPKCS12Key(b pkcs12Bag, certs [][]byte, password string, now time.Time, w *pkcs12Work) (*KeyMaterial, error) {
	der := b.key
	if b.shrouded != nil {
		var err error
		if der, err = b.shrouded.decrypt(b.key, password, w); err != nil {
			return nil, err
		}
	}
	priv, err := readPKCS8(der)
	if err != nil {
		return nil, err
	}
	var firstErr error
	for _, cert := range certs {
		k := &KeyMaterial{Certificate: cert}
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

// pkcs12MAC is MacData ::= SEQUENCE { mac DigestInfo, macSalt, iterations }:
// an HMAC keyed by the PKCS#12 KDF (RFC 7292 Appendix B) of the password.
type pkcs12MAC struct {
	h          func() hash.Hash
	salt, want []byte
	iterations int
	// candidates are the encodings of the password to try: an empty
	// password is written either as nothing or as a lone NUL; both are
	// accepted, as OpenSSL does.
	candidates [][]byte
}

func readPKCS12MAC(macData []byte, password string) (*pkcs12MAC, error) {
	digestInfo, rest, ok := derNext(macData, 0x30)
	salt, rest, ok1 := derNext(rest, 0x04)
	iter, _, _ := derNext(rest, 0x02)
	alg, di, ok2 := derNext(digestInfo, 0x30)
	want, _, ok3 := derNext(di, 0x04)
	if !ok || !ok1 || !ok2 || !ok3 {
		return nil, minifmt.Errorf("%w: malformed MAC", ErrPKCS12)
	}
	m := &pkcs12MAC{salt: salt, want: want, iterations: 1, candidates: [][]byte{bmpPassword(password)}}
	oid, _, _ := derNext(alg, 0x06)
	switch {
	case bytes.Equal(oid, oidSHA256):
		m.h = newSHA256
	case bytes.Equal(oid, oidSHA1):
		m.h = newSHA1
	default:
		return nil, minifmt.Errorf("%w: MAC digest is neither SHA-1 nor SHA-256", ErrPKCS12)
	}
	if iter != nil {
		if m.iterations = derInt(iter); m.iterations < 1 {
			return nil, minifmt.Errorf("%w: MAC iteration count %d", ErrPKCS12, m.iterations)
		}
	}
	if password == "" {
		m.candidates = append(m.candidates, nil)
	}
	return m, nil
}

// verify checks the MAC of message; a mismatch is a wrong password.
func (m *pkcs12MAC) verify(message []byte, w *pkcs12Work) error {
	for _, pw := range m.candidates {
		w.derive(m.iterations)
		mac := newHMAC(m.h, pkcs12KDF(m.h, pw, m.salt, 3, m.iterations))
		mac.Write(message)
		if equalMAC(mac.Sum(nil), m.want) {
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

// readEncryptedData reads EncryptedData ::= SEQUENCE { version,
// EncryptedContentInfo { contentType, algorithm, [0] IMPLICIT content } }.
func readEncryptedData(content []byte) (*pbes2Params, []byte, error) {
	ed, _, ok := derNext(content, 0x30)
	_, ed, ok1 := derNext(ed, 0x02)
	eci, _, ok2 := derNext(ed, 0x30)
	_, eci, ok3 := derNext(eci, 0x06)
	alg, eci, ok4 := derNext(eci, 0x30)
	ciphertext, _, ok5 := derNext(eci, 0x80)
	if !ok || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return nil, nil, minifmt.Errorf("%w: malformed encrypted data (constructed BER content is not read here)", ErrPKCS12)
	}
	p, err := readPBES2(alg, ciphertext)
	return p, ciphertext, err
}

// pbes2Params is a PBES2 encryption (RFC 8018 §6.2): PBKDF2 with HMAC-SHA-1
// or SHA-256, then AES-CBC with PKCS#7 padding.
type pbes2Params struct {
	h                  func() hash.Hash
	salt, iv           []byte
	iterations, keyLen int
	blocks             int // PBKDF2 runs the iterations once per hash-sized block of key
}

// cost is the iterations the key derivation takes.
func (p *pbes2Params) cost() int { return p.iterations * p.blocks }

// readPBES2 reads a PBES2 AlgorithmIdentifier; ciphertext is only checked
// for its length.
func readPBES2(alg, ciphertext []byte) (*pbes2Params, error) {
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
	p := &pbes2Params{h: newSHA1, iv: iv}
	hashLen := 20
	switch {
	case bytes.Equal(encOID, append(oidAESCBC[:len(oidAESCBC):len(oidAESCBC)], 0x02)):
		p.keyLen = 16
	case bytes.Equal(encOID, append(oidAESCBC[:len(oidAESCBC):len(oidAESCBC)], 0x16)):
		p.keyLen = 24
	case bytes.Equal(encOID, append(oidAESCBC[:len(oidAESCBC):len(oidAESCBC)], 0x2a)):
		p.keyLen = 32
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
	p.salt = salt
	if _, after, ok := derNext(kp, 0x02); ok {
		kp = after
	}
	if prf, _, ok := derNext(kp, 0x30); ok {
		prfOID, _, _ := derNext(prf, 0x06)
		switch {
		case bytes.Equal(prfOID, oidHMACSHA256):
			p.h, hashLen = newSHA256, 32
		case bytes.Equal(prfOID, oidHMACSHA1):
		default:
			return nil, unsupported
		}
	}
	if p.iterations = derInt(iter); p.iterations < 1 {
		return nil, minifmt.Errorf("%w: PBKDF2 iteration count %d", ErrPKCS12, p.iterations)
	}
	p.blocks = (p.keyLen + hashLen - 1) / hashLen
	if len(ciphertext) == 0 || len(ciphertext)%aesBlockSize != 0 {
		return nil, minifmt.Errorf("%w: malformed ciphertext", ErrPKCS12)
	}
	return p, nil
}

// decrypt derives the key and decrypts ciphertext. The password is used as
// its UTF-8 bytes, as OpenSSL does for PBES2 inside PKCS#12.
func (p *pbes2Params) decrypt(ciphertext []byte, password string, w *pkcs12Work) ([]byte, error) {
	w.derive(p.cost())
	plain, err := decryptAESCBC(pbkdf2Key(p.h, []byte(password), p.salt, p.iterations, p.keyLen), p.iv, ciphertext)
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

// readSafeBags reads SafeContents ::= SEQUENCE OF SafeBag { bagId, [0]
// bagValue, attributes OPTIONAL }: key bags, shrouded key bags (whose work
// it asks w for) and X.509 certificate bags; it derives nothing.
func readSafeBags(der []byte, w *pkcs12Work) ([]pkcs12Bag, error) {
	seq, _, ok := derNext(der, 0x30)
	if !ok {
		return nil, minifmt.Errorf("%w: malformed safe contents", ErrPKCS12)
	}
	var bags []pkcs12Bag
	for len(seq) > 0 {
		var bag []byte
		if bag, seq, ok = derNext(seq, 0x30); !ok {
			return nil, minifmt.Errorf("%w: malformed safe bag", ErrPKCS12)
		}
		id, value, _ := derNext(bag, 0x06)
		value, _, _ = derNext(value, 0xa0)
		switch {
		case bytes.Equal(id, oidKeyBag):
			bags = append(bags, pkcs12Bag{key: value}) // a PrivateKeyInfo
		case bytes.Equal(id, oidShroudedKeyBag):
			// EncryptedPrivateKeyInfo ::= SEQUENCE { algorithm, encryptedData }
			epki, _, ok := derNext(value, 0x30)
			alg, epki, ok1 := derNext(epki, 0x30)
			ciphertext, _, ok2 := derNext(epki, 0x04)
			if !ok || !ok1 || !ok2 {
				return nil, minifmt.Errorf("%w: malformed shrouded key", ErrPKCS12)
			}
			p, err := readPBES2(alg, ciphertext)
			if err != nil {
				return nil, err
			}
			w.ask(p.cost())
			bags = append(bags, pkcs12Bag{key: ciphertext, shrouded: p})
		case bytes.Equal(id, oidCertBag):
			cb, _, _ := derNext(value, 0x30)
			certType, cv, _ := derNext(cb, 0x06)
			cv, _, _ = derNext(cv, 0xa0)
			cert, _, ok := derNext(cv, 0x04)
			if bytes.Equal(certType, oidX509Cert) && ok {
				bags = append(bags, pkcs12Bag{cert: cert})
			}
		}
	}
	return bags, nil
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
