package web

import (
	"os"
	"path/filepath"
	"testing"
)

// maxModuleBrotli is socred.wasm's budget, compressed as it is served
// (brotli -q 11, make wasm): issue 24, "Keep what holds". The bench
// (web/e2e, TestBenchBrowser) prints the size; this test fails on it.
const maxModuleBrotli = 750_000

// TestModuleBudget fails when web/static/socred.wasm.br is over
// maxModuleBrotli bytes. It reads what make wasm built: without a build
// (or with a .br older than its module) it skips, except under CI=true,
// where make test builds the modules first and a missing one is an error.
func TestModuleBudget(t *testing.T) {
	dir := "static"
	br, err := os.Stat(filepath.Join(dir, "socred.wasm.br"))
	var why string
	if err != nil {
		why = "socred.wasm.br is not built (run make wasm): " + err.Error()
	} else if mod, err := os.Stat(filepath.Join(dir, "socred.wasm")); err != nil {
		why = "socred.wasm is not built (run make wasm): " + err.Error()
	} else if br.ModTime().Before(mod.ModTime()) {
		why = "socred.wasm.br is older than socred.wasm (run make wasm)"
	}
	if why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	if n := br.Size(); n > maxModuleBrotli {
		t.Errorf("socred.wasm.br is %d B, over its budget of %d B by %d B: make size lists the packages and sections that grew",
			n, maxModuleBrotli, n-maxModuleBrotli)
	} else {
		t.Logf("socred.wasm.br: %d B of %d B (%d B left)", n, maxModuleBrotli, maxModuleBrotli-n)
	}
}
