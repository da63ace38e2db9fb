//go:build js && wasm

package wasm

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/jsapi"
)

func TestRegister(t *testing.T) {
	obj := newAPI(t)
	for _, name := range []string{"buildEnvelope", "save", "list", "remove", "login", "user", "loadKey", "clearKey"} {
		v, err := obj.Get(name)
		require.NoError(t, err)
		assert.Equal(t, "function", v.Type().String(), name)
	}
	version, err := obj.Get("version")
	require.NoError(t, err)
	s, _ := version.String()
	assert.Equal(t, "test", s)
	ready, err := obj.Get("ready")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = await(ctx, ready)
	assert.NoError(t, err, "ready resolves")
}

// TestArgumentRejects checks that a call without a request object rejects
// its Promise with a TypeError.
func TestArgumentRejects(t *testing.T) {
	obj := newAPI(t)
	for _, method := range []string{"buildEnvelope", "save", "list", "remove", "login", "user"} {
		_, err := callAPI(t, obj, method, 42)
		var je *jsapi.JSError
		require.ErrorAs(t, err, &je, method)
		assert.Equal(t, "TypeError", je.Name, method)
		assert.Contains(t, je.Message, method)
	}
}

// TestPanicRejects checks that a panic inside an asynchronous export rejects
// the Promise and leaves the instance running.
func TestPanicRejects(t *testing.T) {
	p, err := newPromise(func() (any, error) { panic("boom") })
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = await(ctx, p)
	var je *jsapi.JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "Error", je.Name)
	assert.Contains(t, je.Message, "boom")

	// Still alive: another call works.
	out := mustCall(t, newAPI(t), "buildEnvelope", jsValue(t, map[string]any{"operation": "login", "userName": "u"}))
	assert.Equal(t, true, out["ok"])
}

// TestValidationBlocksSending checks that a bad request resolves to a
// validation error listing every field, without any fetch (the endpoint
// below does not exist: a fetch would give a network error instead).
func TestValidationBlocksSending(t *testing.T) {
	obj := newAPI(t)
	out := mustCall(t, obj, "save", jsValue(t, map[string]any{
		"endpoint": "http://127.0.0.1:1/nowhere", "ticket": "7T:x", "associateId": "x", "type": "",
		"credentials": map[string]any{"validFrom": "2025-01-01T00:00:00Z"},
	}))
	e := errorOf(t, out)
	assert.Equal(t, jsapi.KindValidation, e["kind"])
	assert.Equal(t, "AssociateId", e["field"])
	assert.Equal(t, []string{"AssociateId", "Type", "ValidTo"}, fieldNames(e))
	assert.Contains(t, e["message"], "AssociateId")
	first := e["fields"].([]any)[0].(map[string]any)
	assert.Equal(t, jsapi.CodeWholeNumber, first["code"], "each problem carries its catalogue code")
	assert.Equal(t, map[string]any{}, first["params"])
}

func TestBuildEnvelope(t *testing.T) {
	obj := newAPI(t)
	req := map[string]any{
		"endpoint": "https://crm.example.com/Cust1", "applicationToken": "app-token-1", "ticket": "7T:ticket-1",
		"associateId": 2, "type": "imap",
		"credentials": map[string]any{
			"validFrom": "2025-01-01T00:00:00Z", "validTo": "2026-01-01T00:00:00Z",
			"secretValue": "it's-secret", "publicValue": "imap.example.com", "isActive": true,
		},
	}
	secrets := []string{"app-token-1", "7T:ticket-1", "it&apos;s-secret"}

	t.Run("real values", func(t *testing.T) {
		out := mustCall(t, obj, "buildEnvelope", jsValue(t, req))
		require.Equal(t, true, out["ok"], "%v", out)
		xml := out["xml"].(string)
		for _, s := range secrets {
			assert.Contains(t, xml, s)
		}
		assert.Equal(t, "https://crm.example.com/Cust1/Remote/Services88/User.svc", out["url"])
		assert.Equal(t, "text/xml; charset=utf-8", out["contentType"])
		assert.Equal(t, `"http://www.superoffice.net/ws/crm/NetServer/Services88/User/SaveUntrustedCredentialsForAssociate"`, out["soapAction"])
		assert.Equal(t, []any{
			map[string]any{"name": "Content-Type", "value": "text/xml; charset=utf-8"},
			map[string]any{"name": "SOAPAction", "value": out["soapAction"]},
		}, out["headers"])
		curl := out["curl"].(string)
		assert.Contains(t, curl, "'https://crm.example.com/Cust1/Remote/Services88/User.svc'")
		assert.Contains(t, curl, xml, "the curl command carries the exact envelope")
	})

	t.Run("masked", func(t *testing.T) {
		masked := map[string]any{"maskSecrets": true}
		for k, v := range req {
			masked[k] = v
		}
		out := mustCall(t, obj, "buildEnvelope", jsValue(t, masked))
		require.Equal(t, true, out["ok"], "%v", out)
		for _, field := range []string{"xml", "curl"} {
			text := out[field].(string)
			for _, s := range append(secrets, "it's-secret") {
				assert.NotContains(t, text, s, field)
			}
			for _, p := range []string{jsapi.PlaceholderTicket, jsapi.PlaceholderApplicationToken, jsapi.PlaceholderSecretValue} {
				assert.Contains(t, text, p, field)
			}
			assert.Contains(t, text, "imap.example.com", "public values stay")
		}
	})

	t.Run("login password masked", func(t *testing.T) {
		out := mustCall(t, obj, "buildEnvelope", jsValue(t, map[string]any{
			"operation": "login", "userName": "demo", "password": "hunter2", "maskSecrets": true,
		}))
		require.Equal(t, true, out["ok"], "%v", out)
		assert.NotContains(t, out["xml"], "hunter2")
		assert.Contains(t, out["xml"], jsapi.PlaceholderPassword)
		assert.NotContains(t, out, "curl", "no endpoint, no curl")
	})
}
