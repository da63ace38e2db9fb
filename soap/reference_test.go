package soap_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The helpers in this file find what the interop tests need outside the
// repository: the vendor reference folder and the independent tools
// (xmllint, python3 with zeep). Without one of them a test is skipped with a
// message that says what is missing, except under CI=true, where a missing
// piece is a failure: CI must run every check.

// pythonZeep is the interpreter that has Debian's python3-zeep; the python3
// first on PATH may be another one (pyenv) without it.
const pythonZeep = "/usr/bin/python3"

// missing skips the test, or fails it when CI=true.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and a test prerequisite is missing: "+format, args...)
	}
	t.Skipf("skipped, prerequisite missing: "+format, args...)
}

// referenceDir returns the vendor reference folder: SOCRED_REFERENCE, or
// ../shared/reference beside the repository (../../shared/reference from
// this package's folder). The path is absolute, so tools run elsewhere find it.
func referenceDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SOCRED_REFERENCE")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "reference")
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(abs); err == nil && !fi.IsDir() {
			err = &os.PathError{Op: "stat", Path: abs, Err: os.ErrInvalid}
		}
	}
	if err != nil {
		missing(t, "reference folder %q not found (%v); set SOCRED_REFERENCE to the shared/reference folder", dir, err)
	}
	return abs
}

// referencePath returns the path of one file in the reference folder.
func referencePath(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(referenceDir(t), name)
	if _, err := os.Stat(path); err != nil {
		missing(t, "reference file %s: %v", name, err)
	}
	return path
}

// requireTool returns the path of an executable on PATH (or an absolute
// path). In the browser (GOOS=js) there are no processes at all, so the test
// is skipped even under CI.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skipf("skipped: %s cannot run under GOOS=%s (no processes)", name, runtime.GOOS)
	}
	path, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s not found (%v); on Debian: apt-get install %s", name, err, debianPackage(name))
	}
	return path
}

// requireZeep returns /usr/bin/python3 after checking that it imports zeep.
func requireZeep(t *testing.T) string {
	t.Helper()
	python := requireTool(t, pythonZeep)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-c", "import zeep; print(zeep.__version__)").CombinedOutput()
	if err != nil {
		missing(t, "%s cannot import zeep (%v: %s); on Debian: apt-get install python3-zeep", python, err, strings.TrimSpace(string(out)))
	}
	t.Logf("zeep %s (%s)", strings.TrimSpace(string(out)), python)
	return python
}

func debianPackage(tool string) string {
	switch filepath.Base(tool) {
	case "xmllint":
		return "libxml2-utils"
	case "xmlsec1":
		return "xmlsec1"
	case "python3":
		return "python3-zeep"
	}
	return filepath.Base(tool)
}
