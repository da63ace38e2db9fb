package jsapi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/keys"
	"socred/soap"
)

// TestReadKey reads loadKey's argument from its JSON: PEM text is read;
// bytes (a Uint8Array) are asked of the object itself; problems are the
// "signature" field's, with their codes.
func TestReadKey(t *testing.T) {
	spec, err := ReadKey(jsonOf(t, map[string]any{"key": "KEY", "certificate": "CERT"}))
	require.NoError(t, err)
	assert.Equal(t, []byte("KEY"), spec.KeyPEM)
	assert.Equal(t, []byte("CERT"), spec.CertPEM)
	spec.Zero()
	assert.Nil(t, spec.KeyPEM, "Zero forgets the key")

	spec, err = ReadKey(jsonOf(t, map[string]any{"pkcs12": "AAEC", "password": "pw"}))
	require.NoError(t, err, "base64 text")
	assert.Equal(t, []byte{0, 1, 2}, spec.PKCS12)
	assert.Equal(t, "pw", spec.Password)

	for name, tc := range map[string]struct {
		req  map[string]any
		code string
		err  error
	}{
		"no key":                 {map[string]any{}, CodeNoKeyFile, soap.ErrRequired},
		"a key without its cert": {map[string]any{"key": "k"}, CodeAPI, soap.ErrRequired},
		"a keyId":                {map[string]any{"keyId": "key-1"}, CodeAPI, ErrFormat},
		"two kinds of key":       {map[string]any{"key": "k", "pkcs12": "AAAA"}, CodeAPI, ErrFormat},
		"not base64":             {map[string]any{"pkcs12": "not base64!"}, CodeAPI, ErrFormat},
		"a password not text":    {map[string]any{"pkcs12": "AAAA", "password": true}, CodeAPI, ErrWrongType},
	} {
		_, err := ReadKey(jsonOf(t, tc.req))
		var ves soap.ValidationErrors
		if assert.ErrorAs(t, err, &ves, name) && assert.Len(t, ves, 1, name) {
			assert.Equal(t, "signature", ves[0].Field, name)
			assert.Equal(t, tc.code, ves[0].Code, name)
			assert.ErrorIs(t, ves[0], tc.err, name)
		}
	}
	var ae *ArgumentError
	_, err = ReadKey(jsonOf(t, "key"))
	assert.ErrorAs(t, err, &ae, "not an object")
}

// TestKeyError words key problems on the "signature" field, with a code
// for each known cause.
func TestKeyError(t *testing.T) {
	for _, c := range keyErrorCodes {
		err := KeyError(c.err)
		var ves soap.ValidationErrors
		require.ErrorAs(t, err, &ves)
		require.Len(t, ves, 1)
		assert.Equal(t, "signature", ves[0].Field)
		assert.Equal(t, c.code, ves[0].Code, c.err.Error())
		assert.ErrorIs(t, err, c.err)
		assert.NotEmpty(t, ves[0].Reason)
	}
	assert.Equal(t, "", keyErrorCode(errors.New("other")))
}

// TestKeyInfo writes loadKey's result: the certificate's SHA-256
// fingerprint in colon-separated upper-case hex, the algorithm's name.
func TestKeyInfo(t *testing.T) {
	at := time.Date(2025, 1, 31, 8, 0, 0, 0, time.UTC)
	info := KeyInfo("key-1", "CN=x", []byte("abc"), keys.AlgECDSASHA256, at, at.AddDate(1, 0, 0))
	assert.Equal(t, "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD", info["fingerprint"])
	assert.Equal(t, "ECDSA-P256-SHA256", info["algorithm"])
	assert.Equal(t, keys.AlgECDSASHA256, info["signatureMethod"])
	assert.Equal(t, "2025-01-31T08:00:00Z", info["notBefore"])
	assert.Equal(t, "2026-01-31T08:00:00Z", info["notAfter"])
	assert.Equal(t, "00ff", HexString([]byte{0, 255}, false))
}
