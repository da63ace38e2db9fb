package soap

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHMACAndPBKDF2 checks pkcs12.go's own HMAC and PBKDF2 (kept out of
// crypto/hmac and crypto/pbkdf2 for the module's size) against RFC 6070's
// PBKDF2-HMAC-SHA1 vectors and against the standard library, with keys
// shorter and longer than a block.
func TestHMACAndPBKDF2(t *testing.T) {
	t.Run("RFC 6070 vectors", func(t *testing.T) {
		for _, v := range []struct {
			password, salt string
			iterations     int
			want           string
		}{
			{"password", "salt", 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6"},
			{"password", "salt", 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"},
			{"password", "salt", 4096, "4b007901b765489abead49d926f721d065a429c1"},
			{"passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"},
			{"pass\x00word", "sa\x00lt", 4096, "56fa6aa75548099dcc37d7f03425e0c3"},
		} {
			got := pbkdf2Key(sha1.New, []byte(v.password), []byte(v.salt), v.iterations, len(v.want)/2)
			assert.Equal(t, v.want, hex.EncodeToString(got), "%q %q %d", v.password, v.salt, v.iterations)
		}
	})

	t.Run("same as the standard library", func(t *testing.T) {
		for _, h := range []func() hash.Hash{sha1.New, sha256.New} {
			for _, keyLen := range []int{0, 1, 20, 64, 65, 200} {
				key := make([]byte, keyLen)
				for i := range key {
					key[i] = byte(i*7 + keyLen)
				}
				msg := []byte("MAC of the authenticated safe")
				want := hmac.New(h, key)
				want.Write(msg)
				assert.Equal(t, want.Sum(nil), newHMAC(h, key).sum(nil, msg[:10], msg[10:]), "HMAC, key of %d bytes", keyLen)

				for _, n := range []int{16, 24, 32, 45} {
					ref, err := pbkdf2.Key(h, string(key), []byte("salt"), 3, n)
					require.NoError(t, err)
					assert.Equal(t, ref, pbkdf2Key(h, key, []byte("salt"), 3, n), "PBKDF2, password of %d bytes, %d-byte key", keyLen, n)
				}
			}
		}
	})
}
