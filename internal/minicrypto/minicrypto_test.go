package minicrypto

import (
	"bytes"
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

// TestKnownAnswers checks the FIPS 180-4 and RFC 4231 / RFC 6070 examples.
func TestKnownAnswers(t *testing.T) {
	sum := func(h hash.Hash, s string) string {
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil))
	}
	assert.Equal(t, "a9993e364706816aba3e25717850c26c9cd0d89d", sum(NewSHA1(), "abc"), "SHA-1 of abc")
	assert.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sum(NewSHA256(), "abc"), "SHA-256 of abc")
	assert.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sum(NewSHA256(), ""), "SHA-256 of nothing")
	assert.Equal(t, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		sum(NewSHA256(), "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), "SHA-256 of the two-block message")
	assert.Equal(t, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		sum(NewHMAC(NewSHA256, []byte("Jefe")), "what do ya want for nothing?"), "RFC 4231 case 2")
	assert.Equal(t, "4b007901b765489abead49d926f721d065a429c1",
		hex.EncodeToString(PBKDF2(NewSHA1, []byte("password"), []byte("salt"), 4096, 20)), "RFC 6070 case 3")
}

// TestAgainstTheStandardLibrary compares every function with Go's own on
// inputs of every length around the block boundaries, written whole and in
// pieces, with short and long keys.
func TestAgainstTheStandardLibrary(t *testing.T) {
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i*7 + 3)
	}
	hashes := []struct {
		name      string
		mine, std func() hash.Hash
	}{
		{"SHA-1", NewSHA1, sha1.New},
		{"SHA-256", NewSHA256, sha256.New},
	}
	for _, h := range hashes {
		t.Run(h.name, func(t *testing.T) {
			for n := 0; n <= len(data); n++ {
				m, s := h.mine(), h.std()
				m.Write(data[:n/3])
				m.Write(data[n/3 : n])
				s.Write(data[:n])
				require.Equal(t, s.Sum(nil), m.Sum(nil), "%d bytes", n)
				require.Equal(t, s.Sum(nil), m.Sum(nil), "%d bytes, Sum again", n)
			}
			for _, keyLen := range []int{0, 1, 20, 64, 65, 200} {
				key := data[len(data)-keyLen:]
				m, s := NewHMAC(h.mine, key), hmac.New(h.std, key)
				m.Write(data[:100])
				s.Write(data[:100])
				assert.Equal(t, s.Sum(nil), m.Sum(nil), "HMAC with a %d-byte key", keyLen)
				m.Reset()
				m.Write(data[:7])
				s.Reset()
				s.Write(data[:7])
				assert.Equal(t, s.Sum(nil), m.Sum(nil), "HMAC after Reset, %d-byte key", keyLen)
			}
			for _, keyLen := range []int{16, 32, 45} {
				want, err := pbkdf2.Key(h.std, "pässword", data[:16], 3, keyLen)
				require.NoError(t, err)
				assert.Equal(t, want, PBKDF2(h.mine, []byte("pässword"), data[:16], 3, keyLen), "PBKDF2, %d bytes", keyLen)
			}
		})
	}
	assert.Equal(t, sha256.Sum256(data), SHA256(data))
	assert.True(t, Equal([]byte("abc"), []byte("abc")))
	assert.False(t, Equal([]byte("abc"), []byte("abd")))
	assert.False(t, Equal([]byte("abc"), []byte("ab")))
	assert.True(t, bytes.Equal(nil, []byte{}) == Equal(nil, []byte{}))
}
