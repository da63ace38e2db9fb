package jsapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

func TestCurlQuoting(t *testing.T) {
	assert.Equal(t, `'a'\''b'`, shellQuote("a'b"))
	env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "u"})
	require.NoError(t, err)
	cmd := CurlCommand("https://x", env)
	assert.True(t, strings.HasPrefix(cmd, "printf '%s' "+shellQuote(string(env.XML))+" |\n"), cmd)
	assert.True(t, strings.HasSuffix(cmd, " \\\n  --data-binary @-\n"), cmd)
	assert.NotContains(t, cmd, "<<", "no here-document: its end marker could be forged by a Comment")
}
