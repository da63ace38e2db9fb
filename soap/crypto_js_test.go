//go:build js

package soap

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
)

// In the browser the wasm package gives soap WebCrypto's AES and random
// numbers (crypto_js.go); soap's own tests, which have no wasm package, use
// Go's (a test binary's size does not matter).
func init() {
	Browser.Random = func(b []byte) error {
		_, err := rand.Read(b)
		return err
	}
	Browser.DecryptAESCBC = func(key, iv, ciphertext []byte) ([]byte, error) {
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		plain := make([]byte, len(ciphertext))
		cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ciphertext)
		pad := int(plain[len(plain)-1])
		if pad == 0 || pad > aes.BlockSize || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
			return nil, errors.New("bad padding")
		}
		return plain[:len(plain)-pad], nil
	}
}
