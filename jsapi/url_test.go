package jsapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "app.localhost": true, "127.0.0.1": true, "127.255.0.9": true,
		"[::1]": true, "[::ffff:7f00:1]": true,
		"128.0.0.1": false, "10.0.0.5": false, "127.example": false, "127.0.0.1.nip.io": false, "[::2]": false,
		"[::ffff:a00:1]": false, "example.com": false, "": false,
	} {
		assert.Equal(t, want, IsLoopback(host), host)
	}
}
