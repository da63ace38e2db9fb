//go:build !js

package wssec

import (
	"crypto/rand"
	"crypto/sha256"
	"io"
)

var sha256Sum = sha256.Sum256

func randomReader() io.Reader { return rand.Reader }
