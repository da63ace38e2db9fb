package minicrypto

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrowserHooks checks that an unset hook fails with ErrNoBrowserCrypto
// and that a set one is what DecryptAESCBC and Random use, its error kept.
func TestBrowserHooks(t *testing.T) {
	saved := Browser
	t.Cleanup(func() { Browser = saved })
	Browser.Random, Browser.DecryptAESCBC = nil, nil

	_, err := DecryptAESCBC(nil, nil, nil)
	assert.ErrorIs(t, err, ErrNoBrowserCrypto)
	_, err = Random.Read(make([]byte, 4))
	assert.ErrorIs(t, err, ErrNoBrowserCrypto)

	errRefused := errors.New("refused")
	Browser.Random = func(b []byte) error {
		for i := range b {
			b[i] = 7
		}
		return nil
	}
	Browser.DecryptAESCBC = func(key, iv, ciphertext []byte) ([]byte, error) { return nil, errRefused }
	b := make([]byte, 3)
	n, err := Random.Read(b)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, []byte{7, 7, 7}, b)
	_, err = DecryptAESCBC(nil, nil, nil)
	assert.ErrorIs(t, err, errRefused)
}
