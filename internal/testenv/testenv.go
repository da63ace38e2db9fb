// Package testenv finds what socred's tests need from outside the
// repository: the vendor reference folder (DESIGN.md, shared/reference) and
// the independent tools (xmllint, xmlsec1, python3 with zeep or lxml). It is
// imported only by _test.go files, in the manner of the Go tree's own
// internal/testenv.
//
// One policy everywhere: without a prerequisite a test is skipped with a
// message that says what is missing and how to get it, except under
// CI=true, where it fails, since CI must run every check. In the browser
// (GOOS=js) there are no processes, so tests that need a tool are skipped
// even under CI; they also run natively.
package testenv

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Python is the interpreter that has Debian's python3-zeep and python3-lxml;
// the python3 first on PATH may be another one (pyenv) without them.
const Python = "/usr/bin/python3"

// Missing skips the test, or fails it when CI=true.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and a test prerequisite is missing: "+format, args...)
	}
	t.Skipf("skipped, prerequisite missing: "+format, args...)
}

// ReferenceDir returns the vendor reference folder as an absolute path:
// SOCRED_REFERENCE, or shared/reference beside the repository (found from
// the module root, whatever the calling package's depth).
func ReferenceDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SOCRED_REFERENCE")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			Missing(t, "reference folder: %v; set SOCRED_REFERENCE to the shared/reference folder", err)
		}
		dir = filepath.Join(root, "..", "shared", "reference")
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(abs); err == nil && !fi.IsDir() {
			err = &os.PathError{Op: "stat", Path: abs, Err: os.ErrInvalid}
		}
	}
	if err != nil {
		Missing(t, "reference folder %q not found (%v); set SOCRED_REFERENCE to the shared/reference folder", dir, err)
	}
	return abs
}

// ReferenceFile returns the path of one file in the reference folder.
func ReferenceFile(t testing.TB, name string) string {
	t.Helper()
	path := filepath.Join(ReferenceDir(t), name)
	if _, err := os.Stat(path); err != nil {
		Missing(t, "reference file %s: %v", name, err)
	}
	return path
}

// Tool returns the path of an executable on PATH (or an absolute path).
func Tool(t testing.TB, name string) string {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skipf("skipped: %s cannot run under GOOS=%s (no processes); the native run covers it", name, runtime.GOOS)
	}
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s not found (%v); on Debian: apt-get install %s", name, err, debianPackage(name))
	}
	return path
}

// PythonWith returns Python after checking that it imports module (e.g.
// "zeep", "lxml.etree").
func PythonWith(t testing.TB, module string) string {
	t.Helper()
	python := Tool(t, Python)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-c", "import "+module).CombinedOutput()
	if err != nil {
		pkg := "python3-" + strings.SplitN(module, ".", 2)[0]
		Missing(t, "%s cannot import %s (%v: %s); on Debian: apt-get install %s", python, module, err, strings.TrimSpace(string(out)), pkg)
	}
	return python
}

// XMLSec1Verify checks a signed SOAP envelope with xmlsec1 (libxmlsec1 and
// OpenSSL), an implementation independent of socred's. The certificate comes
// from the file given, never from the message: xmlsec1 does not read
// wsse:SecurityTokenReference, so --pubkey-cert-pem is the only key it has.
// --id-attr says which attributes are IDs (xmlsec1 matches wsu:Id by local
// name) and only same-document references are allowed. envNS is the SOAP
// envelope namespace. It returns xmlsec1's output and its error.
func XMLSec1Verify(t testing.TB, xml []byte, certPEM, envNS string) (string, error) {
	t.Helper()
	bin := Tool(t, "xmlsec1")
	file := filepath.Join(t.TempDir(), "signed.xml")
	if err := os.WriteFile(file, xml, 0o600); err != nil {
		t.Fatal(err)
	}
	const wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "--verify",
		"--pubkey-cert-pem", certPEM,
		"--id-attr:Id", wsu+":Timestamp",
		"--id-attr:Id", envNS+":Body",
		"--enabled-reference-uris", "same-doc",
		file).CombinedOutput()
	return string(out), err
}

// moduleRoot is the nearest folder above the working directory (a test's
// package folder) that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func debianPackage(tool string) string {
	switch filepath.Base(tool) {
	case "xmllint":
		return "libxml2-utils"
	case "python3":
		return "python3-zeep"
	case "soffice":
		return "libreoffice-calc-nogui"
	}
	return filepath.Base(tool)
}
