//go:build js

package keys

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"

	"socred/internal/minicrypto"
)

// In the browser the wasm package gives keys WebCrypto's AES and random
// numbers (crypto_js.go); keys' own tests, which have no wasm package, use
// Go's (a test binary's size does not matter).
func init() {
	minicrypto.Browser.Random = func(b []byte) error {
		_, err := rand.Read(b)
		return err
	}
	minicrypto.Browser.DecryptAESCBC = func(key, iv, ciphertext []byte) ([]byte, error) {
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
