//go:build !js

package keys

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"hash"
)

var (
	newSHA1   = sha1.New
	newSHA256 = sha256.New
	newHMAC   = hmac.New
	equalMAC  = hmac.Equal
)

func pbkdf2Key(h func() hash.Hash, password, salt []byte, iterations, keyLen int) []byte {
	key, err := pbkdf2.Key(h, string(password), salt, iterations, keyLen)
	if err != nil {
		// Only FIPS 140-only mode refuses these parameters; an impossible key
		// fails the decryption that follows.
		return nil
	}
	return key
}

var errPadding = errors.New("bad padding")

func decryptAESCBC(key, iv, ciphertext []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ciphertext)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > aesBlockSize || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errPadding
	}
	return plain[:len(plain)-pad], nil
}
