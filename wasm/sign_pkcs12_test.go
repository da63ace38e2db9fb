//go:build js && wasm

package wasm

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/minifmt"
	"socred/jsapi"
	"socred/keys"
	testkeys "socred/keys/testdata"
)

// TestLoadKeyPKCS12Budget: socred.loadKey refuses a hostile .pfx (like the
// issue's: many shrouded key bags, an empty password, a valid MAC; here 200
// bags, as many as loadKey's 64 KiB take of this writer's, of 100,000
// iterations each, ten times the budget in all, as writing bags of the
// issue's 1,000,000 takes this test's Go seconds; and the same bags hidden
// in the encrypted safe)
// with an error that names the budget, instead of deriving every bag with
// the tab frozen; OpenSSL-made files still load. The budget's derivations
// are counted natively (soap's TestPKCS12Budget); here the error says
// which limit stopped the read.
func TestLoadKeyPKCS12Budget(t *testing.T) {
	obj := newAPI(t)
	for _, hide := range []bool{false, true} {
		name := "key bags in plain sight"
		if hide {
			name = "key bags in the encrypted safe"
		}
		t.Run(name, func(t *testing.T) {
			p := testkeys.PKCS12{MACIterations: 2048, CertIterations: 2048, KeyBags: 200, KeyIterations: 100_000, HideKeys: hide}
			data, err := p.Build("ec")
			require.NoError(t, err)
			start := time.Now()
			out := mustCall(t, obj, "loadKey", map[string]any{"pkcs12": jsBytes(t, data), "password": ""})
			t.Logf("a %d-byte file refused in %v", len(data), time.Since(start))
			e := errorOf(t, out)
			assert.Equal(t, jsapi.KindValidation, e["kind"])
			fields, _ := e["fields"].([]any)
			require.Len(t, fields, 1)
			f := fields[0].(map[string]any)
			assert.Equal(t, "unreadable-pkcs12", f["code"])
			assert.Contains(t, f["reason"], "iterations of key derivation in all")
			assert.Contains(t, f["reason"], minifmt.Sprintf("more than the %d allowed", keys.MaxPKCS12Iterations))
		})
	}
	for _, name := range []string{"rsa-openssl.p12", "ec-openssl.p12"} {
		t.Run(name, func(t *testing.T) {
			out := mustCall(t, obj, "loadKey", map[string]any{"pkcs12": jsBytes(t, testKeyFile(t, name)), "password": testkeys.Password})
			require.Equal(t, true, out["ok"], "result: %v", out)
			assert.NotEmpty(t, out["keyId"])
		})
	}
}
