package keys_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	testkeys "socred/keys/testdata"
)

// The test keys are embedded (package testkeys) so that the same tests run
// in the browser (GOOS=js), which has no file system.

const testPassword = testkeys.Password

// signingTime is the fixed clock of the tests: the test certificates are
// valid from 2024 to 2099.
var signingTime = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// testFile returns one of the test keys or certificates, by base name.
func testFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := testkeys.FS.ReadFile(name)
	require.NoError(t, err)
	return b
}
