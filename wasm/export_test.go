//go:build js && wasm

package wasm

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportCall passes text to Call as socred.js does (through the request
// buffer) and returns the status and the result: the JSON text, and for a
// buildEnvelope result the envelope's bytes after it put back in as xml,
// and its curl command asked for (OpCurl) as socred.js asks when read.
func exportCall(t *testing.T, op int32, text string) (int32, string) {
	t.Helper()
	RequestBuffer(int32(len(text)))
	n := copy(exportBuffers.req, text)
	status := Call(op, int32(n))
	out := exportBuffers.res[:ResultLength()]
	if status < 0 || op != OpBuildEnvelope {
		return status, string(out)
	}
	var v map[string]any
	require.NoError(t, json.Unmarshal(out[:status], &v), "%s", out)
	if xml, ok := v["xml"]; ok && xml == nil {
		v["xml"] = string(out[status:])
	}
	if curl, ok := v["curl"]; ok && curl == nil {
		s, c := exportCall(t, OpCurl, text)
		require.GreaterOrEqual(t, s, int32(0), c)
		require.NoError(t, json.Unmarshal([]byte(c), &curl))
		v["curl"] = curl
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return status, string(b)
}

// TestExportCall checks Call against the syscall/js function for the same
// request texts (socred.js sends what JSON carries to Call, web/e2e's
// TestExportMatchesCallbacks checks the whole path in a page), and what
// Call answers when it cannot: the object path for a signature, errors for
// an unknown operation or a length beyond the buffer.
func TestExportCall(t *testing.T) {
	api := newAPI(t)
	for name, text := range map[string]string{
		"a save": `{"endpoint":"https://crm.example.com/Cust1","applicationToken":"app","ticket":"7T:x","associateId":2,"type":"imap",` +
			`"credentials":{"validFrom":"2025-01-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z","comment":"a\nb 'c' \"d\" ü","secretValue":"s","publicValue":"p","isActive":true}}`,
		"masked, no endpoint": `{"maskSecrets":true,"operation":"login","userName":"ann","password":"pw"}`,
		"invalid":             `{"endpoint":"ftp://x","associateId":"x","soapVersion":"9","credentials":3}`,
		"nothing":             `{}`,
	} {
		t.Run(name, func(t *testing.T) {
			status, got := exportCall(t, OpBuildEnvelope, text)
			require.GreaterOrEqual(t, status, int32(0), got)
			want := mustCall(t, api, "buildEnvelope", jsEval(t, text))
			b, err := json.Marshal(want)
			require.NoError(t, err)
			assert.JSONEq(t, string(b), got)
		})
	}
	t.Run("the curl command", func(t *testing.T) {
		text := `{"endpoint":"https://crm.example.com/","ticket":"t","associateId":2,"type":"imap","publicValue":"it's"}`
		status, got := exportCall(t, OpCurl, `{"operation":"remove",`+text[1:])
		require.GreaterOrEqual(t, status, int32(0), got)
		want := mustCall(t, api, "buildEnvelope", jsEval(t, `{"operation":"remove",`+text[1:]))
		var curl string
		require.NoError(t, json.Unmarshal([]byte(got), &curl))
		assert.Equal(t, want["curl"], curl)
	})
	t.Run("a signature asks for the object", func(t *testing.T) {
		status, _ := exportCall(t, OpBuildEnvelope, `{"signature":{"keyId":"k"},"ticket":"t","associateId":2,"type":"imap"}`)
		assert.Equal(t, int32(StatusObject), status)
	})
	t.Run("a NaN, written as null, asks for the object", func(t *testing.T) {
		status, _ := exportCall(t, OpBuildEnvelope, `{"ticket":"t","associateId":null,"type":"imap"}`)
		assert.Equal(t, int32(StatusObject), status)
	})
	t.Run("an unknown operation", func(t *testing.T) {
		status, msg := exportCall(t, 77, `{}`)
		assert.Equal(t, int32(StatusError), status)
		assert.Equal(t, "wasm: unknown operation", msg)
	})
	t.Run("a length beyond the buffer", func(t *testing.T) {
		RequestBuffer(4)
		status := Call(OpBuildEnvelope, int32(len(exportBuffers.req)+1))
		assert.Equal(t, int32(StatusError), status)
		assert.Equal(t, "wasm: request larger than its buffer", string(exportBuffers.res[:ResultLength()]))
	})
}

// TestExportSendOps checks the sending operations (OpSave…): a request
// that fails its checks is answered with the result the syscall/js
// function settles with; a built one is kept under the number Call
// returns with StatusSend, until sendPrepared takes it, once; what JSON
// cannot carry asks for the object.
func TestExportSendOps(t *testing.T) {
	api := newAPI(t)
	for op, method := range map[int32]string{OpSave: "save", OpList: "list", OpRemove: "remove", OpLogin: "login", OpUser: "user"} {
		t.Run(method, func(t *testing.T) {
			invalid := `{"endpoint":"ftp://x","associateId":"x","soapVersion":"9","credentials":3}`
			status, got := exportCall(t, op, invalid)
			require.GreaterOrEqual(t, status, int32(0), got)
			want := mustCall(t, api, method, jsEval(t, invalid))
			b, err := json.Marshal(want)
			require.NoError(t, err)
			assert.JSONEq(t, string(b), got)

			valid := `{"endpoint":"https://crm.example.com/","ticket":"t","associateId":2,"type":"imap",` +
				`"credentials":{"validFrom":"2025-01-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z","secretValue":"s","publicValue":"p"}}`
			switch method {
			case "login":
				valid = `{"endpoint":"https://crm.example.com/","userName":"ann","password":"pw"}`
			case "user":
				valid = `{"endpoint":"https://crm.example.com/","ticket":"t","userName":"ann"}`
			}
			status, got = exportCall(t, op, valid)
			require.Equal(t, int32(StatusSend), status, got)
			id, err := strconv.Atoi(got)
			require.NoError(t, err, got)
			p, ok := exportBuffers.takePrepared(int32(id))
			require.True(t, ok, "kept under %d", id)
			assert.True(t, strings.HasPrefix(p.c.URL, "https://crm.example.com/"), p.c.URL)
			assert.NotEmpty(t, p.env.XML)
			_, ok = exportBuffers.takePrepared(int32(id))
			assert.False(t, ok, "taken once")

			status, _ = exportCall(t, op, `{"signature":{"keyId":"k"},"ticket":"t","associateId":2,"type":"imap"}`)
			assert.Equal(t, int32(StatusObject), status)
		})
	}
	assert.Empty(t, exportBuffers.prepared, "nothing left behind")
}
