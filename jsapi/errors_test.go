package jsapi

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"socred/soap"
)

func TestErrorValueUnknown(t *testing.T) {
	e := ErrorValue(errors.New("wasm: something odd"))
	assert.Equal(t, KindNetwork, e["kind"])
}

func TestErrorValueNoService(t *testing.T) {
	for _, status := range []int{404, 405} {
		e := ErrorValue(&soap.HTTPError{Status: status, ContentType: "text/html", Excerpt: "Not here"})
		assert.Equal(t, KindHTTP, e["kind"], status)
		assert.Equal(t, status, e["status"], status)
		assert.Equal(t, CodeNoService, e["code"], status)
		assert.Contains(t, e["message"], "site URL", "HTTP %d says to check the site URL", status)
	}
	e := ErrorValue(&soap.HTTPError{Status: 502, ContentType: "text/html", Excerpt: "Bad gateway"})
	assert.Equal(t, CodeNotSOAP, e["code"])
	assert.NotContains(t, e["message"], "site URL", "another status does not blame the site URL")
}
