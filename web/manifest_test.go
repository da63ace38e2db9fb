package web

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manifest is the part of a Custom Elements Manifest (schema 2.x) that
// describes <socred-credentials>.
type manifest struct {
	SchemaVersion string `json:"schemaVersion"`
	Modules       []struct {
		Kind         string `json:"kind"`
		Path         string `json:"path"`
		Declarations []struct {
			Kind          string `json:"kind"`
			Name          string `json:"name"`
			CustomElement bool   `json:"customElement"`
			TagName       string `json:"tagName"`
			Attributes    []cemItem
			Members       []struct {
				cemItem
				Kind string `json:"kind"`
			} `json:"members"`
			Events        []cemItem `json:"events"`
			CSSProperties []cemItem `json:"cssProperties"`
			CSSStates     []cemItem `json:"cssStates"`
		} `json:"declarations"`
		Exports []struct {
			Kind        string `json:"kind"`
			Name        string `json:"name"`
			Declaration struct {
				Name   string `json:"name"`
				Module string `json:"module"`
			} `json:"declaration"`
		} `json:"exports"`
	} `json:"modules"`
}

type cemItem struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Type        *struct {
		Text string `json:"text"`
	} `json:"type"`
}

func names[T any](items []T, name func(T) string) []string {
	var out []string
	for _, i := range items {
		out = append(out, name(i))
	}
	slices.Sort(out)
	return out
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// readmeColumn is the first column (`code`) of the README table whose
// header line is header, in order.
func readmeColumn(t *testing.T, readme, header string) []string {
	t.Helper()
	_, rest, found := strings.Cut(readme, header+"\n")
	require.True(t, found, "README.md has no table headed %q", header)
	cell := regexp.MustCompile("^\\| `([^`]+)`")
	var out []string
	for line := range strings.Lines(rest) {
		if !strings.HasPrefix(line, "|") {
			break
		}
		if m := cell.FindStringSubmatch(line); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// TestCustomElementsManifest checks static/custom-elements.json against the
// element's code (its observed attributes, the events it dispatches, its
// public methods and properties, the custom states it sets, the CSS custom
// properties app.css reads) and against the README's tables: a name in one
// and not in the others fails, naming where it is missing.
func TestCustomElementsManifest(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("static", "custom-elements.json"))
	require.NoError(t, err)
	var m manifest
	require.NoError(t, json.Unmarshal(raw, &m))
	assert.Regexp(t, `^2\.`, m.SchemaVersion)
	require.Len(t, m.Modules, 1)
	mod := m.Modules[0]
	assert.Equal(t, "javascript-module", mod.Kind)
	assert.Equal(t, "socred-element.js", mod.Path)
	_, err = fs.Stat(Static(), mod.Path)
	require.NoError(t, err, "the module the manifest names is served")
	require.Len(t, mod.Declarations, 1)
	d := mod.Declarations[0]
	assert.True(t, d.CustomElement)
	assert.Equal(t, "socred-credentials", d.TagName)
	assert.Equal(t, "class", d.Kind)
	require.Len(t, mod.Exports, 1)
	assert.Equal(t, "custom-element-definition", mod.Exports[0].Kind)
	assert.Equal(t, "socred-credentials", mod.Exports[0].Name)
	assert.Equal(t, d.Name, mod.Exports[0].Declaration.Name)

	code, err := os.ReadFile(filepath.Join("static", "socred-element.js"))
	require.NoError(t, err)
	src := string(code)
	assert.Contains(t, src, `customElements.define("socred-credentials", `+d.Name+`)`)
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	doc := string(readme)

	t.Run("attributes", func(t *testing.T) {
		// observedAttributes: the keys of the attributes table, then literals.
		table := regexp.MustCompile(`(?s)const attributes = \{(.*?)\};`).FindStringSubmatch(src)
		require.NotNil(t, table, "socred-element.js has no `const attributes = {…};`")
		observed := regexp.MustCompile(`static observedAttributes = \[(.*?)\];`).FindStringSubmatch(src)
		require.NotNil(t, observed, "socred-element.js has no static observedAttributes")
		want := map[string]bool{"lang": true} // a global attribute the element follows (also on ancestors)
		key := regexp.MustCompile(`(?m)^\s*(?:"([a-z-]+)"|([a-z]+)):`)
		for _, k := range key.FindAllStringSubmatch(table[1], -1) {
			want[k[1]+k[2]] = true
		}
		require.Contains(t, observed[1], "...Object.keys(attributes)")
		for _, k := range regexp.MustCompile(`"([a-z-]+)"`).FindAllStringSubmatch(observed[1], -1) {
			want[k[1]] = true
		}
		inCode := sortedSet(want)
		assert.Equal(t, inCode, names(d.Attributes, func(a cemItem) string { return a.Name }), "custom-elements.json's attributes against the code")
		doc := readmeColumn(t, doc, "| attribute | meaning |")
		slices.Sort(doc)
		assert.Equal(t, inCode, doc, "README.md's attribute table against the code")
	})

	t.Run("methods and properties", func(t *testing.T) {
		body := src[strings.Index(src, "class "+d.Name):]
		want := map[string]bool{}
		lifecycle := map[string]bool{"constructor": true, "connectedCallback": true, "disconnectedCallback": true, "attributeChangedCallback": true}
		for _, m := range regexp.MustCompile(`(?m)^  (?:get )?([a-zA-Z]+)\(`).FindAllStringSubmatch(body, -1) {
			if !lifecycle[m[1]] {
				want[m[1]] = true
			}
		}
		inCode := sortedSet(want)
		assert.Equal(t, []string{"prefill", "setTicket", "state"}, inCode, "the test finds the element's public members")
		assert.Equal(t, inCode, names(d.Members, func(m struct {
			cemItem
			Kind string `json:"kind"`
		}) string {
			return m.Name
		}), "custom-elements.json's members against the code")
		var doc []string
		for _, c := range readmeColumn(t, string(readme), "| method / property | meaning |") {
			doc = append(doc, regexp.MustCompile(`^el\.([a-zA-Z]+)`).FindStringSubmatch(c)[1])
		}
		slices.Sort(doc)
		assert.Equal(t, inCode, doc, "README.md's method table against the code")
	})

	t.Run("events", func(t *testing.T) {
		// Every emit("name", …) of the element and the modules it mounts
		// becomes a socred-name event.
		want := map[string]bool{}
		emit := regexp.MustCompile(`emit\("([a-z]+)"`)
		files := []string{filepath.Join("static", "socred-element.js")}
		require.NoError(t, filepath.WalkDir(filepath.Join("static", "js"), func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".js") && !strings.Contains(p, string(filepath.Separator)+"lang"+string(filepath.Separator)) {
				files = append(files, p)
			}
			return err
		}))
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range emit.FindAllStringSubmatch(string(b), -1) {
				want["socred-"+m[1]] = true
			}
		}
		inCode := sortedSet(want)
		assert.Contains(t, inCode, "socred-saved")
		assert.Equal(t, inCode, names(d.Events, func(e cemItem) string { return e.Name }), "custom-elements.json's events against the code")
		doc := readmeColumn(t, string(readme), "| event | `detail` |")
		slices.Sort(doc)
		assert.Equal(t, inCode, doc, "README.md's event table against the code")
		for _, e := range d.Events {
			require.NotNil(t, e.Type, e.Name)
			assert.Regexp(t, `^CustomEvent<\{.+\}>$`, e.Type.Text, "%s: its detail type", e.Name)
			if strings.Contains(e.Type.Text, "associateId") {
				assert.Contains(t, e.Type.Text, "associateId: number", e.Name)
			}
		}
	})

	t.Run("CSS custom properties", func(t *testing.T) {
		css, err := os.ReadFile(filepath.Join("static", "app.css"))
		require.NoError(t, err)
		want := map[string]bool{}
		for _, m := range regexp.MustCompile(`var\((--socred-[a-z-]+)`).FindAllStringSubmatch(string(css), -1) {
			want[m[1]] = true
		}
		inCode := sortedSet(want)
		assert.NotEmpty(t, inCode)
		assert.Equal(t, inCode, names(d.CSSProperties, func(p cemItem) string { return p.Name }), "custom-elements.json's cssProperties against app.css")
		_, styling, found := strings.Cut(doc, "\nStyling:")
		require.True(t, found, "README.md has no \"Styling:\" paragraph")
		styling, _, _ = strings.Cut(styling, "\n\n")
		inDoc := map[string]bool{}
		for _, m := range regexp.MustCompile("`(--socred-[a-z-]+)`").FindAllStringSubmatch(styling, -1) {
			inDoc[m[1]] = true
		}
		assert.Equal(t, inCode, sortedSet(inDoc), "README.md's Styling paragraph against app.css")
	})

	t.Run("custom states", func(t *testing.T) {
		want := map[string]bool{}
		for _, m := range regexp.MustCompile(`#setState\("([a-z]+)"\)`).FindAllStringSubmatch(src, -1) {
			want[m[1]] = true
		}
		inCode := sortedSet(want)
		assert.Equal(t, []string{"failed", "ready"}, inCode, "the test finds the states the element sets")
		assert.Equal(t, inCode, names(d.CSSStates, func(s cemItem) string { return s.Name }), "custom-elements.json's cssStates against the code")
		for _, s := range inCode {
			assert.Contains(t, doc, ":state("+s+")", "README.md names the state %s", s)
		}
	})
}
