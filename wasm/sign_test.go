//go:build js && wasm

package wasm

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/jsapi"
	"socred/keys"
	testkeys "socred/keys/testdata"
	"socred/wasm/internal/jsv"
	"socred/wssec"
)

func testKeyFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := testkeys.FS.ReadFile(name)
	require.NoError(t, err)
	return b
}

// jsBytes copies b into a new Uint8Array.
func jsBytes(t *testing.T, b []byte) jsv.Value {
	t.Helper()
	u, err := uint8ArrayClass.New(len(b))
	require.NoError(t, err)
	_, err = jsv.CopyBytesToJS(u, b)
	require.NoError(t, err)
	return u
}

// keySource is the {key, certificate} or {pkcs12, password} of a test key:
// kind "rsa" or "ec", form "pem" or "p12".
func keySource(t *testing.T, kind, form string) map[string]any {
	t.Helper()
	if form == "p12" {
		return map[string]any{"pkcs12": jsBytes(t, testKeyFile(t, kind+".p12")), "password": testkeys.Password}
	}
	return map[string]any{"key": string(testKeyFile(t, kind+".key.pem")), "certificate": string(testKeyFile(t, kind+".crt.pem"))}
}

func signRequest(version string, signature map[string]any) map[string]any {
	return map[string]any{
		"associateId": 7, "type": "imap", "ticket": "7T:abc", "soapVersion": version,
		"credentials": map[string]any{
			"validFrom": "2025-01-01T00:00:00Z", "validTo": "2030-01-01T00:00:00Z",
			"comment": "signed in the browser", "secretValue": "pw <&>", "publicValue": "imap.example.com", "isActive": true,
		},
		"signature": signature,
	}
}

var signatureValueRE = regexp.MustCompile(`<ds:SignatureValue>([^<]*)</ds:SignatureValue>`)

// verifySignature checks a signed envelope as a verifier would, with Go's
// crypto and the certificate of the test key: every reference digest
// matches, and the SignatureValue verifies over the canonical SignedInfo.
func verifySignature(t *testing.T, xml []byte, certPEM []byte) *wssec.Explanation {
	t.Helper()
	ex, err := wssec.Explain(xml)
	require.NoError(t, err)
	require.Len(t, ex.References, 2)
	for _, r := range ex.References {
		assert.True(t, r.Match(), "reference %s: %v\n%s", r.URI, r.Err, r.Canonical)
	}
	b, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(b.Bytes)
	require.NoError(t, err)
	m := signatureValueRE.FindSubmatch(xml)
	require.NotNil(t, m, "SignatureValue")
	sig, err := base64.StdEncoding.DecodeString(string(m[1]))
	require.NoError(t, err)
	digest := sha256.Sum256(ex.SignedInfo)
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		assert.Equal(t, keys.AlgRSASHA256, ex.SignatureMethod)
		assert.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig), "RSA signature")
	case *ecdsa.PublicKey:
		assert.Equal(t, keys.AlgECDSASHA256, ex.SignatureMethod)
		require.Len(t, sig, 64, "r||s")
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		assert.True(t, ecdsa.Verify(pub, digest[:], r, s), "ECDSA signature")
	default:
		t.Fatalf("unexpected key %T", pub)
	}
	return ex
}

// TestSignWithWebCrypto signs envelopes with non-extractable WebCrypto keys
// made from the test keys (RSA and EC, PEM and PKCS#12, SOAP 1.1 and 1.2),
// loaded once with loadKey or given with each call, and verifies them.
func TestSignWithWebCrypto(t *testing.T) {
	obj := newAPI(t)
	for _, kind := range []string{"rsa", "ec"} {
		for _, form := range []string{"pem", "p12"} {
			loaded := mustCall(t, obj, "loadKey", keySource(t, kind, form))
			require.Equal(t, true, loaded["ok"], "%v", loaded)
			wantSubject := map[string]string{"rsa": "CN=socred test RSA,O=socred tests", "ec": "CN=socred test EC P-256,O=socred tests"}[kind]
			assert.Equal(t, wantSubject, loaded["subject"])
			assert.Equal(t, map[string]string{"rsa": "RSA-SHA256", "ec": "ECDSA-P256-SHA256"}[kind], loaded["algorithm"])
			assert.Equal(t, "2099-12-31T23:59:59Z", loaded["notAfter"])
			assert.Regexp(t, `^([0-9A-F]{2}:){31}[0-9A-F]{2}$`, loaded["fingerprint"])
			keyID, _ := loaded["keyId"].(string)

			for _, version := range []string{"1.1", "1.2"} {
				for _, how := range []string{"keyId", "inline"} {
					t.Run(kind+" "+form+" SOAP "+version+" "+how, func(t *testing.T) {
						sig := map[string]any{"keyId": keyID}
						if how == "inline" {
							sig = keySource(t, kind, form)
						}
						out := mustCall(t, obj, "buildEnvelope", signRequest(version, sig))
						require.Equal(t, true, out["ok"], "%v", out)
						xml := []byte(out["xml"].(string))
						assert.Contains(t, string(xml), `mustUnderstand="`+map[string]string{"1.1": "0", "1.2": "false"}[version]+`"`)
						ex := verifySignature(t, xml, testKeyFile(t, kind+".crt.pem"))

						// The explanation the page shows is the same.
						e, ok := out["explanation"].(map[string]any)
						require.True(t, ok, "explanation: %v", out["explanation"])
						assert.Equal(t, ex.SignatureMethod, e["signatureMethod"])
						assert.Equal(t, string(ex.SignedInfo), e["signedInfo"])
						refs, _ := e["references"].([]any)
						require.Len(t, refs, 2)
						paths := []string{}
						for i, r := range refs {
							ref := r.(map[string]any)
							assert.Equal(t, true, ref["match"], "reference %d", i)
							assert.Equal(t, ref["digest"], ref["digestValue"])
							assert.Equal(t, string(ex.References[i].Canonical), ref["canonical"])
							paths = append(paths, ref["path"].(string))
						}
						assert.ElementsMatch(t, []string{"Envelope/Header/Security/Timestamp", "Envelope/Body"}, paths)
					})
				}
			}
		}
	}
}

// TestSignOptions checks lifetimeSeconds and mustUnderstand.
func TestSignOptions(t *testing.T) {
	obj := newAPI(t)
	sig := keySource(t, "rsa", "pem")
	sig["lifetimeSeconds"] = 60
	sig["mustUnderstand"] = true
	out := mustCall(t, obj, "buildEnvelope", signRequest("1.1", sig))
	require.Equal(t, true, out["ok"], "%v", out)
	xml := out["xml"].(string)
	assert.Contains(t, xml, `mustUnderstand="1"`)
	created := regexp.MustCompile(`<wsu:Created>([^<]*)</wsu:Created>`).FindStringSubmatch(xml)
	expires := regexp.MustCompile(`<wsu:Expires>([^<]*)</wsu:Expires>`).FindStringSubmatch(xml)
	require.NotNil(t, created)
	require.NotNil(t, expires)
	assert.Equal(t, 60.0, date(expires[1]).Sub(date(created[1])).Seconds())
}

// TestKeyRefusals checks that each key problem is a validation error of the
// signature field, with its code, before anything is sent.
func TestKeyRefusals(t *testing.T) {
	obj := newAPI(t)
	pemPair := func(key, cert string) map[string]any {
		return map[string]any{"key": string(testKeyFile(t, key)), "certificate": string(testKeyFile(t, cert))}
	}
	tests := []struct {
		name   string
		source map[string]any
		code   string
		says   string
	}{
		{"wrong password", map[string]any{"pkcs12": jsBytes(t, testKeyFile(t, "rsa.p12")), "password": "wrong"}, "wrong-password", "password"},
		{"key and certificate do not match", pemPair("rsa.key.pem", "other.crt.pem"), "key-mismatch", "does not match"},
		{"expired certificate", pemPair("rsa.key.pem", "expired.crt.pem"), "expired", "2001-01-01"},
		{"P-384 key", pemPair("p384.key.pem", "p384.crt.pem"), "unsupported-key", "P-256"},
		{"Ed25519 key", pemPair("ed25519.key.pem", "ed25519.crt.pem"), "unsupported-key", "RSA"},
		{"not PKCS#12", map[string]any{"pkcs12": base64.StdEncoding.EncodeToString([]byte("hello")), "password": "x"}, "unreadable-pkcs12", "PKCS#12"},
		{"no key in the key file", pemPair("rsa.crt.pem", "rsa.crt.pem"), "no-key", "private key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, how := range []string{"loadKey", "buildEnvelope", "save"} {
				var out map[string]any
				switch how {
				case "loadKey":
					out = mustCall(t, obj, "loadKey", tt.source)
				case "buildEnvelope":
					out = mustCall(t, obj, "buildEnvelope", signRequest("1.1", tt.source))
				case "save":
					req := signRequest("1.1", tt.source)
					req["endpoint"] = "https://127.0.0.1:1/never-reached"
					out = mustCall(t, obj, "save", req)
				}
				e := errorOf(t, out)
				assert.Equal(t, jsapi.KindValidation, e["kind"], how)
				assert.Equal(t, "signature", e["field"], how)
				fields, _ := e["fields"].([]any)
				require.Len(t, fields, 1, how)
				f := fields[0].(map[string]any)
				assert.Equal(t, tt.code, f["code"], how)
				assert.Contains(t, f["reason"], tt.says, how)
			}
		})
	}
}

// TestClearKey checks that a cleared key cannot sign any more.
func TestClearKey(t *testing.T) {
	obj := newAPI(t)
	loaded := mustCall(t, obj, "loadKey", keySource(t, "ec", "pem"))
	require.Equal(t, true, loaded["ok"], "%v", loaded)
	out := mustCall(t, obj, "buildEnvelope", signRequest("1.1", map[string]any{"keyId": loaded["keyId"]}))
	require.Equal(t, true, out["ok"], "%v", out)

	cleared, err := obj.Call("clearKey", loaded["keyId"])
	require.NoError(t, err)
	b, _ := cleared.Bool()
	assert.True(t, b, "the key was there")
	cleared, err = obj.Call("clearKey", loaded["keyId"])
	require.NoError(t, err)
	b, _ = cleared.Bool()
	assert.False(t, b, "the key is gone")

	out = mustCall(t, obj, "buildEnvelope", signRequest("1.1", map[string]any{"keyId": loaded["keyId"]}))
	e := errorOf(t, out)
	f := e["fields"].([]any)[0].(map[string]any)
	assert.Equal(t, "unknown-key", f["code"])

	// Without an argument every key goes.
	for range 2 {
		require.Equal(t, true, mustCall(t, obj, "loadKey", keySource(t, "rsa", "p12"))["ok"])
	}
	cleared, err = obj.Call("clearKey")
	require.NoError(t, err)
	b, _ = cleared.Bool()
	assert.True(t, b)
}

// TestSignedSend sends signed requests to the local NetServer, which ignores
// a Security header marked mustUnderstand="0" and refuses one marked "1" as
// WCF's BasicHttpBinding does.
func TestSignedSend(t *testing.T) {
	base, user, password := fetchServer(t)
	obj := newAPI(t)
	site := base + "/site"
	login := mustCall(t, obj, "login", map[string]any{"endpoint": site, "userName": user, "password": password,
		"signature": keySource(t, "ec", "p12")})
	require.Equal(t, true, login["ok"], "%v", login)

	loaded := mustCall(t, obj, "loadKey", keySource(t, "rsa", "pem"))
	req := signRequest("1.1", map[string]any{"keyId": loaded["keyId"]})
	req["endpoint"], req["ticket"], req["associateId"] = site, login["ticket"], 1
	out := mustCall(t, obj, "save", req)
	assert.Equal(t, true, out["ok"], "%v", out)

	req["signature"] = map[string]any{"keyId": loaded["keyId"], "mustUnderstand": true}
	out = mustCall(t, obj, "save", req)
	e := errorOf(t, out)
	assert.Equal(t, jsapi.KindFault, e["kind"])
	assert.Equal(t, "MustUnderstand", e["code"])
	assert.True(t, strings.Contains(e["message"].(string), "Security"), "%v", e["message"])
}
