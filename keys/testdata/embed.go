// Package testkeys holds the test keys and certificates of this folder (see
// generate.go) for tests that run in the browser (GOOS=js), which has no
// file system: the tests of keys, wssec, netserver and wasm import it. Test
// code only.
package testkeys

import "embed"

// FS holds every *.pem and *.p12 file of the folder, by base name.
//
//go:embed *.pem *.p12
var FS embed.FS

// Password opens the PKCS#12 files.
const Password = "socred-test"
