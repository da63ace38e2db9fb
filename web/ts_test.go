package web

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// tsc is the TypeScript compiler pinned in package-lock.json (npm ci).
func tsc(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "node_modules", ".bin", "tsc"))
	require.NoError(t, err)
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "TypeScript is not installed (run `npm ci`): %v", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		testenv.Missing(t, "node: %v", err)
	}
	return p
}

// tscFlags are a strict portal's: a browser target with the DOM types.
var tscFlags = []string{"--strict", "--noEmit", "--pretty", "false", "--target", "es2022", "--lib", "es2022,dom,dom.iterable",
	"--module", "esnext", "--moduleResolution", "bundler"}

// TestTypeScriptDeclarations compiles web/testdata/ts/portal.ts, a portal
// as the README shows it, against static/socred-element.d.ts with tsc
// --strict (it must pass), and each wrong-*.ts (each must fail with the
// error its "// want:" line names: setTicket(42), a string where the
// associate id is a number, an unknown state or error kind, a login
// without a password, a secret in prefill).
func TestTypeScriptDeclarations(t *testing.T) {
	bin := tsc(t)
	dir := filepath.Join("testdata", "ts")
	compile := func(files ...string) (string, error) {
		cmd := exec.Command(bin, append(slices.Clone(tscFlags), files...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	t.Run("the sample portal compiles", func(t *testing.T) {
		out, err := compile("portal.ts")
		require.NoError(t, err, "tsc --strict portal.ts:\n%s", out)
		assert.Empty(t, strings.TrimSpace(out))
	})

	t.Run("wrong calls do not compile", func(t *testing.T) {
		wrong, err := filepath.Glob(filepath.Join(dir, "wrong-*.ts"))
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(wrong), 5)
		want := map[string]string{}
		var names []string
		for _, f := range wrong {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			m := regexp.MustCompile(`(?m)^// want: (.+)$`).FindStringSubmatch(string(b))
			require.NotNil(t, m, "%s has no // want: line", f)
			want[filepath.Base(f)] = m[1]
			names = append(names, filepath.Base(f))
		}
		out, err := compile(names...)
		require.Error(t, err, "tsc accepted every wrong sample:\n%s", out)
		byFile := map[string][]string{}
		last := ""
		for line := range strings.Lines(out) {
			if strings.HasPrefix(line, " ") && last != "" { // an error's further lines
				byFile[last] = append(byFile[last], strings.TrimSpace(line))
			} else if name, _, ok := strings.Cut(line, "("); ok {
				last = name
				byFile[name] = append(byFile[name], strings.TrimSpace(line))
			}
		}
		for _, name := range names {
			require.NotEmpty(t, byFile[name], "%s compiled, but should not", name)
			assert.Contains(t, strings.Join(byFile[name], "\n"), want[name], "%s fails, but not as its // want: line says", name)
		}
	})
}

// TestDeclarationsMatchManifest holds socred-element.d.ts to
// custom-elements.json: the same events, and the element's members.
func TestDeclarationsMatchManifest(t *testing.T) {
	dts, err := os.ReadFile(filepath.Join("static", "socred-element.d.ts"))
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join("static", "custom-elements.json"))
	require.NoError(t, err)
	var m manifest
	require.NoError(t, json.Unmarshal(raw, &m))
	d := m.Modules[0].Declarations[0]

	_, eventMap, found := strings.Cut(string(dts), "export interface SocredCredentialsEventMap {")
	require.True(t, found)
	eventMap, _, _ = strings.Cut(eventMap, "}\n")
	var events []string
	for _, e := range regexp.MustCompile(`"(socred-[a-z]+)": CustomEvent<`).FindAllStringSubmatch(eventMap, -1) {
		events = append(events, e[1])
	}
	slices.Sort(events)
	assert.Equal(t, names(d.Events, func(e cemItem) string { return e.Name }), events, "the .d.ts event map against custom-elements.json")

	_, element, found := strings.Cut(string(dts), "export interface SocredCredentialsElement extends HTMLElement {")
	require.True(t, found)
	element, _, _ = strings.Cut(element, "\n}\n")
	for _, mem := range d.Members {
		assert.Regexp(t, `(?m)^  (readonly )?`+mem.Name+`[(:]`, element, "the .d.ts element has %s", mem.Name)
	}
	assert.Contains(t, string(dts), `"socred-credentials": SocredCredentialsElement;`, "HTMLElementTagNameMap")
}
