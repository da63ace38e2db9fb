//go:build !unix

package testenv

import (
	"net"
	"testing"
)

// ClosedPort is a loopback address (127.0.0.1:port) where nothing answers:
// here, a port free a moment ago (on Unix it stays bound until the test
// ends; see closedport_unix.go).
func ClosedPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("a closed port: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
