package testkeys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"sync"
	"unicode/utf16"
)

// PKCS12 describes a PKCS#12 file that tests build to try a reader's limits.
// It is shaped like OpenSSL 3's default export (and Windows' AES256-SHA256
// one): the certificate in a PBES2-encrypted safe, the key in shrouded key
// bags (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), a SHA-256 MAC; but it holds
// as many copies of the key as asked. Every key bag uses the same salt, so
// Build derives each kind of key once however many bags it writes (and
// once per process: the keys are remembered).
type PKCS12 struct {
	Password string
	// MACIterations and CertIterations are the MAC's and the certificate
	// safe's iteration counts.
	MACIterations, CertIterations int
	// KeyBags is how many shrouded key bags the file holds, each of
	// KeyIterations.
	KeyBags, KeyIterations int
	// HideKeys puts the key bags inside the encrypted safe, with the
	// certificate, where a reader sees them only once it decrypted it.
	HideKeys bool
}

// Build writes the file for the test key kind ("rsa" or "ec": kind.key.pem
// and kind.crt.pem).
func (p PKCS12) Build(kind string) ([]byte, error) {
	keyDER, err := pemBlock(kind+".key.pem", "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	certDER, err := pemBlock(kind+".crt.pem", "CERTIFICATE")
	if err != nil {
		return nil, err
	}
	salt := []byte("socred-test-salt")
	iv := []byte("socred-test-iv16")

	alg, keyCT, err := pbes2Encrypt(keyDER, p.Password, salt, iv, p.KeyIterations)
	if err != nil {
		return nil, err
	}
	keyBag := seq(oid(1, 2, 840, 113549, 1, 12, 10, 1, 2), explicit(seq(alg, octet(keyCT))))
	certBag := seq(oid(1, 2, 840, 113549, 1, 12, 10, 1, 3),
		explicit(seq(oid(1, 2, 840, 113549, 1, 9, 22, 1), explicit(octet(certDER)))))

	var keyBags []byte
	for range p.KeyBags {
		keyBags = append(keyBags, keyBag...)
	}
	hidden := certBag
	if p.HideKeys {
		hidden = append(append([]byte(nil), certBag...), keyBags...)
	}
	alg, certCT, err := pbes2Encrypt(seq(hidden), p.Password, []byte("socred-cert-salt"), iv, p.CertIterations)
	if err != nil {
		return nil, err
	}
	oidData := oid(1, 2, 840, 113549, 1, 7, 1)
	safes := seq(oid(1, 2, 840, 113549, 1, 7, 6), explicit(seq(integer(0),
		seq(oidData, alg, tlv(asn1.ClassContextSpecific, 0, false, certCT)))))
	if !p.HideKeys {
		safes = append(safes, seq(oidData, explicit(octet(seq(keyBags))))...)
	}
	authSafe := seq(safes)

	macSalt := []byte("socred-mac-salt")
	mac := hmac.New(sha256.New, pkcs12MACKey(bmpPassword(p.Password), macSalt, p.MACIterations))
	mac.Write(authSafe)
	macData := seq(
		seq(seq(oid(2, 16, 840, 1, 101, 3, 4, 2, 1), null()), octet(mac.Sum(nil))),
		octet(macSalt), integer(p.MACIterations))
	return seq(integer(3), seq(oidData, explicit(octet(authSafe))), macData), nil
}

func pemBlock(name, typ string) ([]byte, error) {
	b, err := FS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != typ {
		return nil, errors.New("testkeys: " + name + " holds no " + typ)
	}
	return block.Bytes, nil
}

// pbes2Encrypt returns the PBES2 AlgorithmIdentifier and the ciphertext.
func pbes2Encrypt(plain []byte, password string, salt, iv []byte, iterations int) (alg, ciphertext []byte, err error) {
	key, err := derived(password, salt, iterations)
	if err != nil {
		return nil, nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, err
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	padded := append(append([]byte(nil), plain...), make([]byte, pad)...)
	for i := len(plain); i < len(padded); i++ {
		padded[i] = byte(pad)
	}
	ciphertext = make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ciphertext, padded)
	kdf := seq(oid(1, 2, 840, 113549, 1, 5, 12), seq(octet(salt), integer(iterations),
		seq(oid(1, 2, 840, 113549, 2, 9), null())))
	enc := seq(oid(2, 16, 840, 1, 101, 3, 4, 1, 42), octet(iv))
	return seq(oid(1, 2, 840, 113549, 1, 5, 13), seq(kdf, enc)), ciphertext, nil
}

// derivedKeys remembers the keys pbes2Encrypt derived: tests build several
// files of the same hostile iteration count, and in the browser one
// derivation of a million iterations takes seconds.
var derivedKeys sync.Map // derivation → []byte

type derivation struct {
	password, salt string
	iterations     int
}

func derived(password string, salt []byte, iterations int) ([]byte, error) {
	d := derivation{password, string(salt), iterations}
	if key, ok := derivedKeys.Load(d); ok {
		return key.([]byte), nil
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		return nil, err
	}
	derivedKeys.Store(d, key)
	return key, nil
}

// pkcs12MACKey is the PKCS#12 KDF (RFC 7292 Appendix B.2) with SHA-256 for
// the MAC key (ID 3), one hash long.
func pkcs12MACKey(password, salt []byte, iterations int) []byte {
	const v = 64
	fill := func(b []byte) []byte {
		out := make([]byte, v*((len(b)+v-1)/v))
		for i := range out {
			out[i] = b[i%len(b)]
		}
		return out
	}
	a := append(append(make([]byte, 0, 3*v), fill([]byte{3})...), fill(salt)...)
	a = append(a, fill(password)...)
	for range iterations {
		sum := sha256.Sum256(a)
		a = sum[:]
	}
	return a
}

// bmpPassword is the password as PKCS#12 MACs use it: UTF-16BE, then NUL.
func bmpPassword(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return append(b, 0, 0)
}

func tlv(class, tag int, compound bool, content []byte) []byte {
	b, err := asn1.Marshal(asn1.RawValue{Class: class, Tag: tag, IsCompound: compound, Bytes: content})
	if err != nil {
		panic(err) // only for lengths no test file has
	}
	return b
}

func seq(items ...[]byte) []byte {
	var content []byte
	for _, it := range items {
		content = append(content, it...)
	}
	return tlv(asn1.ClassUniversal, asn1.TagSequence, true, content)
}

func explicit(b []byte) []byte { return tlv(asn1.ClassContextSpecific, 0, true, b) }
func octet(b []byte) []byte    { return tlv(asn1.ClassUniversal, asn1.TagOctetString, false, b) }
func null() []byte             { return []byte{0x05, 0x00} }

func integer(n int) []byte {
	b, err := asn1.Marshal(n)
	if err != nil {
		panic(err)
	}
	return b
}

func oid(ids ...int) []byte {
	b, err := asn1.Marshal(asn1.ObjectIdentifier(ids))
	if err != nil {
		panic(err)
	}
	return b
}
