//go:build unix

package testenv

import (
	"net"
	"strconv"
	"syscall"
	"testing"
)

// ClosedPort is a loopback address (127.0.0.1:port) where nothing answers:
// a connection is refused. The port stays bound, without listening, by a
// socket held until the test ends (without SO_REUSEADDR, so no other
// program can bind it meanwhile); a port closed after it was found free
// could be taken by another program before the test connects.
func ClosedPort(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("a socket for a closed port: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatalf("binding a closed port: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatalf("the closed port's address: %v", err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
}
