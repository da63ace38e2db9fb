package minicrypto

import "hash"

// mac is HMAC (RFC 2104) over a hash with 64-byte blocks.
type mac struct {
	inner, outer hash.Hash
	ipad, opad   [BlockSize]byte
}

// NewHMAC returns an HMAC hash.Hash keyed with key over the hash newHash
// makes (NewSHA1 or NewSHA256).
func NewHMAC(newHash func() hash.Hash, key []byte) hash.Hash {
	m := &mac{inner: newHash(), outer: newHash()}
	if len(key) > BlockSize {
		m.outer.Write(key)
		key = m.outer.Sum(nil)
		m.outer.Reset()
	}
	copy(m.ipad[:], key)
	copy(m.opad[:], key)
	for i := range m.ipad {
		m.ipad[i] ^= 0x36
		m.opad[i] ^= 0x5c
	}
	m.inner.Write(m.ipad[:])
	return m
}

func (m *mac) Write(p []byte) (int, error) { return m.inner.Write(p) }
func (m *mac) Size() int                   { return m.inner.Size() }
func (m *mac) BlockSize() int              { return BlockSize }

func (m *mac) Reset() {
	m.inner.Reset()
	m.inner.Write(m.ipad[:])
}

func (m *mac) Sum(b []byte) []byte {
	in := m.inner.Sum(nil)
	m.outer.Reset()
	m.outer.Write(m.opad[:])
	m.outer.Write(in)
	return m.outer.Sum(b)
}

// Equal compares two MACs in time that depends only on their lengths.
func Equal(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// PBKDF2 derives keyLen bytes from password and salt with PBKDF2-HMAC
// (RFC 8018, section 5.2) over the hash newHash makes.
func PBKDF2(newHash func() hash.Hash, password, salt []byte, iterations, keyLen int) []byte {
	prf := NewHMAC(newHash, password)
	size := prf.Size()
	out := make([]byte, 0, (keyLen+size-1)/size*size)
	var counter [4]byte
	u := make([]byte, 0, size)
	for block := uint32(1); len(out) < keyLen; block++ {
		putBE32(counter[:], block)
		prf.Reset()
		prf.Write(salt)
		prf.Write(counter[:])
		u = prf.Sum(u[:0])
		t := append([]byte(nil), u...)
		for range iterations - 1 {
			prf.Reset()
			prf.Write(u)
			u = prf.Sum(u[:0])
			for i := range t {
				t[i] ^= u[i]
			}
		}
		out = append(out, t...)
	}
	return out[:keyLen]
}
