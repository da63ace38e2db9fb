package keys

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"socred/internal/minifmt"
	testkeys "socred/keys/testdata"
)

// budgetNow is a time at which every test certificate is valid.
var budgetNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func buildPKCS12(t *testing.T, p testkeys.PKCS12, kind string) []byte {
	t.Helper()
	data, err := p.Build(kind)
	require.NoError(t, err)
	return data
}

func newWork() *pkcs12Work {
	return &pkcs12Work{maxIterations: MaxPKCS12Iterations, maxDerivations: MaxPKCS12Derivations}
}

// TestPKCS12Budget builds hostile files and checks that ReadPKCS12 refuses
// them after a bounded number of key derivations (counted, not timed),
// while files shaped like a normal export still load with one derivation
// each for the MAC, the certificate safe and the key.
func TestPKCS12Budget(t *testing.T) {
	// The file: ~380 shrouded key bags of 1,000,000 iterations
	// each, an empty password and a valid MAC. Every parameter is in plain
	// sight, so nothing is derived.
	t.Run("380 key bags of a million iterations", func(t *testing.T) {
		p := testkeys.PKCS12{MACIterations: 2048, CertIterations: 2048, KeyBags: 380, KeyIterations: 1_000_000}
		w := newWork()
		k, err := readPKCS12(buildPKCS12(t, p, "ec"), "", budgetNow, w)
		require.Error(t, err)
		assert.Nil(t, k)
		assert.ErrorIs(t, err, ErrPKCS12Budget)
		assert.ErrorIs(t, err, ErrPKCS12, "the browser words it as an unreadable file")
		asked := 2*2048 + 2048 + 380*1_000_000 // the MAC for both encodings of "", the certificates, the keys
		assert.Contains(t, err.Error(), minifmt.Sprintf("%d iterations", asked))
		assert.Contains(t, err.Error(), minifmt.Sprintf("%d allowed", MaxPKCS12Iterations))
		assert.Zero(t, w.derivations, "derived before refusing")
	})
	t.Run("two key bags, each within the budget alone", func(t *testing.T) {
		p := testkeys.PKCS12{MACIterations: 2048, CertIterations: 2048, KeyBags: 2, KeyIterations: 1_000_000}
		w := newWork()
		_, err := readPKCS12(buildPKCS12(t, p, "ec"), "", budgetNow, w)
		assert.ErrorIs(t, err, ErrPKCS12Budget)
		assert.Zero(t, w.derivations)
	})
	t.Run("many cheap key bags", func(t *testing.T) {
		p := testkeys.PKCS12{Password: "pw", MACIterations: 1, CertIterations: 1, KeyBags: 200, KeyIterations: 1}
		w := newWork()
		_, err := readPKCS12(buildPKCS12(t, p, "ec"), "pw", budgetNow, w)
		assert.ErrorIs(t, err, ErrPKCS12Budget)
		assert.Contains(t, err.Error(), minifmt.Sprintf("%d key derivations", 1+1+200))
		assert.Zero(t, w.derivations)
	})
	// Key bags inside the encrypted safe show their parameters only once
	// the safe is open: the reader derives the MAC's key and the safe's,
	// then refuses before it derives any key bag's.
	t.Run("key bags hidden in the encrypted safe", func(t *testing.T) {
		p := testkeys.PKCS12{MACIterations: 2048, CertIterations: 2048, KeyBags: 380, KeyIterations: 1_000_000, HideKeys: true}
		w := newWork()
		_, err := readPKCS12(buildPKCS12(t, p, "ec"), "", budgetNow, w)
		assert.ErrorIs(t, err, ErrPKCS12Budget)
		assert.LessOrEqual(t, w.derivations, 3, "the MAC (two encodings of the empty password at most) and the safe")
		assert.LessOrEqual(t, w.iterations, 3*2048, "no key bag was derived")
	})

	// Files within the budget load, and the reader stops at the first key
	// bag that pairs with a certificate.
	loads := []struct {
		name string
		p    testkeys.PKCS12
		kind string
	}{
		{"shaped like an OpenSSL 3 or Windows AES256-SHA256 export", testkeys.PKCS12{Password: "pw", MACIterations: 2000, CertIterations: 2000, KeyBags: 1, KeyIterations: 2000}, "rsa"},
		{"ten key bags, the first usable", testkeys.PKCS12{Password: "pw", MACIterations: 2048, CertIterations: 2048, KeyBags: 10, KeyIterations: 2048}, "ec"},
		{"key bags in the encrypted safe", testkeys.PKCS12{Password: "pw", MACIterations: 2048, CertIterations: 2048, KeyBags: 2, KeyIterations: 2048, HideKeys: true}, "rsa"},
	}
	for _, tt := range loads {
		t.Run(tt.name, func(t *testing.T) {
			w := newWork()
			k, err := readPKCS12(buildPKCS12(t, tt.p, tt.kind), "pw", budgetNow, w)
			require.NoError(t, err)
			assert.NotEmpty(t, k.PKCS8)
			assert.Equal(t, 3, w.derivations, "the MAC, the certificate safe and the first key bag")
		})
	}
	for _, name := range []string{"rsa-openssl.p12", "ec-openssl.p12", "rsa.p12", "ec.p12"} {
		t.Run(name, func(t *testing.T) {
			data, err := testkeys.FS.ReadFile(name)
			require.NoError(t, err)
			w := newWork()
			_, err = readPKCS12(data, testkeys.Password, budgetNow, w)
			require.NoError(t, err)
			assert.Equal(t, 3, w.derivations)
			assert.LessOrEqual(t, w.iterations, 30_000, "a normal export asks for about 10,000")
		})
	}

	// The limit itself: a file that asks for exactly the budget loads, one
	// iteration more is refused before anything is derived.
	t.Run("at the limit", func(t *testing.T) {
		p := testkeys.PKCS12{Password: "pw", MACIterations: 100, CertIterations: 200, KeyBags: 2, KeyIterations: 300}
		data := buildPKCS12(t, p, "ec")
		w := &pkcs12Work{maxIterations: 100 + 200 + 2*300, maxDerivations: 4}
		_, err := readPKCS12(data, "pw", budgetNow, w)
		require.NoError(t, err)
		assert.Equal(t, 3, w.derivations)
		assert.Equal(t, 100+200+300, w.iterations)

		w = &pkcs12Work{maxIterations: 100 + 200 + 2*300 - 1, maxDerivations: 4}
		_, err = readPKCS12(data, "pw", budgetNow, w)
		assert.ErrorIs(t, err, ErrPKCS12Budget)
		assert.Zero(t, w.derivations)

		w = &pkcs12Work{maxIterations: MaxPKCS12Iterations, maxDerivations: 3}
		_, err = readPKCS12(data, "pw", budgetNow, w)
		assert.ErrorIs(t, err, ErrPKCS12Budget)
		assert.Zero(t, w.derivations)
	})
}

// TestPKCS12Builder checks the test's own writer against go-pkcs12, so that
// the hostile files above are refused for their work, not for a mistake of
// the writer.
func TestPKCS12Builder(t *testing.T) {
	for _, p := range []testkeys.PKCS12{
		{Password: "pw", MACIterations: 2048, CertIterations: 2048, KeyBags: 1, KeyIterations: 2048},
		{MACIterations: 3, CertIterations: 5, KeyBags: 1, KeyIterations: 7, HideKeys: true},
	} {
		data := buildPKCS12(t, p, "rsa")
		key, cert, _, err := pkcs12.DecodeChain(data, p.Password)
		require.NoError(t, err)
		assert.NotNil(t, key)
		mine, err := ReadPKCS12(data, p.Password, budgetNow)
		require.NoError(t, err)
		assert.Equal(t, cert.Raw, mine.Certificate)
	}
}
