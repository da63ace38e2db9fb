package e2e

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The catalogues live in web/static/js/lang, one JSON object per language
// (en.json, …): a message name to its text, or to its plural forms. These
// tests read them natively: no browser needed to find a missing key.
var langDir = filepath.Join(repoRoot, "web/static/js/lang")

// catalogue reads one language's messages: a message is a string, or an
// object of plural forms (one, other, …) of strings.
func catalogue(t *testing.T, lang string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(langDir, lang+".json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m), "%s.json must be one JSON object", lang)
	return m
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// placeholders lists the {name} and {0} slots of a message, sorted, one of
// each.
func placeholders(msg string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// forms returns a message's texts by plural form ("" for a plain string).
func forms(t *testing.T, lang, key string, v any) map[string]string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return map[string]string{"": x}
	case map[string]any:
		out := map[string]string{}
		for form, s := range x {
			str, ok := s.(string)
			require.True(t, ok, "%s: %s.%s must be a string", lang, key, form)
			out[form] = str
		}
		require.Contains(t, out, "other", "%s: %s needs an \"other\" form", lang, key)
		return out
	}
	t.Fatalf("%s: %s is neither a string nor plural forms", lang, key)
	return nil
}

// TestCataloguesMatchEnglish checks every language against English: the
// same keys, no extra ones, and in every message the same placeholders.
func TestCataloguesMatchEnglish(t *testing.T) {
	en := catalogue(t, "en")
	files, err := filepath.Glob(filepath.Join(langDir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 6, "one catalogue per language")
	for _, f := range files {
		lang := strings.TrimSuffix(filepath.Base(f), ".json")
		if lang == "en" {
			continue
		}
		t.Run(lang, func(t *testing.T) {
			cat := catalogue(t, lang)
			var lacks []string
			for key := range en {
				if _, ok := cat[key]; !ok {
					lacks = append(lacks, key)
				}
			}
			sort.Strings(lacks)
			assert.Empty(t, lacks, "%s lacks these messages English has", lang)
			for key, v := range cat {
				ev, ok := en[key]
				if !assert.True(t, ok, "%s has %q, which English lacks", lang, key) {
					continue
				}
				want := map[string]bool{}
				for _, s := range forms(t, "en", key, ev) {
					for _, p := range placeholders(s) {
						want[p] = true
					}
				}
				for form, s := range forms(t, lang, key, v) {
					got := placeholders(s)
					for _, p := range got {
						assert.True(t, want[p], "%s: %s%s has {%s}, which English does not", lang, key, suffix(form), p)
					}
					if _, plural := ev.(map[string]any); !plural {
						assert.Equal(t, placeholders(ev.(string)), got, "%s: %s has other placeholders than English", lang, key)
					}
				}
			}
		})
	}
}

func suffix(form string) string {
	if form == "" {
		return ""
	}
	return "." + form
}

// TestCataloguesCoverTheCode checks that English words everything socred's
// code asks for: each data-i18n key in the markup, each key the scripts
// pass to t(), and each problem and error code the Go packages return.
func TestCataloguesCoverTheCode(t *testing.T) {
	en := catalogue(t, "en")
	has := func(key string) bool { _, ok := en[key]; return ok }

	t.Run("the markup", func(t *testing.T) {
		attr := regexp.MustCompile(`data-i18n="([\w.-]+)"`)
		pairs := regexp.MustCompile(`data-i18n-attr="([^"]+)"`)
		for _, f := range []string{"web/static/form.html", "web/static/index.html", "web/portal/index.html"} {
			b, err := os.ReadFile(filepath.Join(repoRoot, f))
			require.NoError(t, err)
			for _, m := range attr.FindAllStringSubmatch(string(b), -1) {
				assert.True(t, has(m[1]), "%s: data-i18n=%q is not in en.json", f, m[1])
			}
			for _, m := range pairs.FindAllStringSubmatch(string(b), -1) {
				for _, p := range strings.Fields(m[1]) {
					_, key, _ := strings.Cut(p, ":")
					assert.True(t, has(key), "%s: data-i18n-attr %q is not in en.json", f, key)
				}
			}
		}
	})

	t.Run("the scripts", func(t *testing.T) {
		call := regexp.MustCompile(`\bt\([^,()]+, "([\w.-]+)"\s*[,)]`)
		files, err := filepath.Glob(filepath.Join(repoRoot, "web/static/js/*.js"))
		require.NoError(t, err)
		files = append(files, filepath.Join(repoRoot, "web/static/socred-element.js"))
		// The example portal's script words its messages with socred's catalogues.
		portal, err := os.ReadFile(filepath.Join(repoRoot, "web/portal/portal.js"))
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`t\("([\w.-]+)"`).FindAllStringSubmatch(string(portal), -1) {
			assert.True(t, has(m[1]), "portal.js: t(%q) is not in en.json", m[1])
		}
		n := 0
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range call.FindAllStringSubmatch(string(b), -1) {
				n++
				assert.True(t, has(m[1]), "%s: t(…, %q) is not in en.json", filepath.Base(f), m[1])
			}
		}
		assert.Greater(t, n, 50, "the scripts word their messages with t()")
	})

	t.Run("the Go codes", func(t *testing.T) {
		codes := goCodes(t, filepath.Join(repoRoot, "soap"), filepath.Join(repoRoot, "wasm"), filepath.Join(repoRoot, "batch"))
		require.NotEmpty(t, codes)
		for name, code := range codes {
			ok := false
			for _, prefix := range []string{"problem.", "error.", "csv.", "batch.refused.", "batchError."} {
				ok = ok || has(prefix+code)
			}
			if strings.HasPrefix(name, "batch.") && code == "invalid" {
				ok = true // a refused step's own problems are worded, not the code
			}
			assert.True(t, ok, "%s = %q has no problem.%s, error.%s, csv.%s or batch.refused.%s in en.json", name, code, code, code, code, code)
		}
	})
}

// goCodes returns the string constants named Code… in the Go packages in
// dirs (tests excluded): the codes the page words.
func goCodes(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			require.NoError(t, err)
			for _, d := range file.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, s := range g.Specs {
					vs := s.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if !strings.HasPrefix(n.Name, "Code") || i >= len(vs.Values) {
							continue
						}
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							out[filepath.Base(dir)+"."+n.Name] = v
						}
					}
				}
			}
		}
	}
	return out
}

// countParams are the parameters socred passes a count of things to (a
// number of rows, records, associates, days, calls): a message that says
// one of them must have plural forms (chosen by {count}), in every
// language, so "1 rows" cannot happen. Limits and measures ({max}, {min},
// {length}, {seconds}, {status}) are socred's own constants or codes, not
// counts of the administrator's things, and a number before a unit symbol
// (KiB, MiB, s) does not inflect.
var countParams = []string{"count", "rows", "n", "valid", "invalid", "done", "total", "failed", "missing", "skipped", "all", "settled", "days", "records", "associates", "created", "updated", "removed", "unchanged"}

// TestCountsHavePluralForms finds every plain-string message, in every
// catalogue, that says a count: it must be plural forms instead.
func TestCountsHavePluralForms(t *testing.T) {
	for _, lang := range []string{"en", "nb", "sv", "da", "de", "nl"} {
		cat := catalogue(t, lang)
		keys := make([]string, 0, len(cat))
		for k := range cat {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			s, ok := cat[key].(string)
			if !ok {
				continue
			}
			for _, p := range placeholders(s) {
				if slices.Contains(countParams, p) {
					t.Errorf("%s: %s says {%s} in one form for every number: give it plural forms: %q", lang, key, p, s)
				}
			}
		}
	}
}
