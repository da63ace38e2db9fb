// Command bundle writes the standalone page's script as one file:
//
//	bundle ENTRY OUT
//
// ENTRY (web/static/js/page.js) and every module it imports, joined by
// esbuild into one ES module, unminified. A cold load of the page then
// fetches one script instead of 35 modules: on this machine the page was
// usable in 2.4× a Go hello page's time with every module preloaded, and
// in 1.4× bundled (web/e2e's TestBenchReady). OUT belongs beside ENTRY, so
// that import.meta.url (js/i18n.js finds lang/*.json by it) names the same
// folder. A JSON module (js/i18n.js's English catalogue) goes in as
// JSON.parse of its text, which V8 reads faster than the same object
// written as a literal. The modules stay as they are: socred-element.js imports them
// itself, and the tests read them. OUT is written beside its final name and
// renamed, so a server never sees half a file.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

const banner = "// Built by tools/bundle (make wasm) from js/page.js and the modules it\n// imports: edit those, not this file."

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bundle ENTRY OUT")
		os.Exit(2)
	}
	out, err := bundle(os.Args[1])
	if err == nil {
		err = writeAtomic(os.Args[2], out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

// bundle returns entry and the modules it imports as one ES module.
func bundle(entry string) ([]byte, error) {
	// Paths (in the bundle's comments) are relative to the entry's folder,
	// so the bundle is the same whatever folder bundle runs in.
	dir, err := filepath.Abs(filepath.Dir(entry))
	if err != nil {
		return nil, err
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir: dir,
		EntryPoints:   []string{filepath.Base(entry)},
		Outfile:       filepath.Join(dir, "bundle.js"),
		Bundle:        true,
		Format:        api.FormatESModule,
		Platform:      api.PlatformBrowser,
		Charset:       api.CharsetUTF8,
		Banner:        map[string]string{"js": banner},
		Plugins:       []api.Plugin{jsonParse},
		LogLevel:      api.LogLevelSilent,
		Write:         false,
	})
	if len(res.Errors) > 0 {
		var msgs []string
		for _, m := range res.Errors {
			where := ""
			if m.Location != nil {
				where = fmt.Sprintf("%s:%d:%d: ", m.Location.File, m.Location.Line, m.Location.Column)
			}
			msgs = append(msgs, where+m.Text)
		}
		return nil, errors.New(strings.Join(msgs, "; "))
	}
	if len(res.Warnings) > 0 {
		m := res.Warnings[0]
		return nil, fmt.Errorf("esbuild warns (%d): %s", len(res.Warnings), m.Text)
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("esbuild wrote %d files, want 1", len(res.OutputFiles))
	}
	return res.OutputFiles[0].Contents, nil
}

// writeAtomic writes name.tmp and renames it to name.
// jsonParse loads a .json module as `export default JSON.parse("…")`, its
// text without the whitespace: a large object is parsed faster from a JSON
// string than from a JavaScript literal
// (https://v8.dev/blog/cost-of-javascript-2019#json).
var jsonParse = api.Plugin{Name: "json-parse", Setup: func(b api.PluginBuild) {
	b.OnLoad(api.OnLoadOptions{Filter: `\.json$`}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
		data, err := os.ReadFile(a.Path)
		if err != nil {
			return api.OnLoadResult{}, err
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, data); err != nil {
			return api.OnLoadResult{}, fmt.Errorf("%s is not valid JSON: %w", filepath.Base(a.Path), err)
		}
		lit, err := json.Marshal(compact.String()) // a JavaScript string literal too
		if err != nil {
			return api.OnLoadResult{}, err
		}
		js := "export default JSON.parse(" + string(lit) + ");\n"
		return api.OnLoadResult{Contents: &js, Loader: api.LoaderJS}, nil
	})
}}

func writeAtomic(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, name)
}
