package e2e

import (
	"encoding/xml"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// webConfig is what IIS reads from the bundle's web.config, as far as
// socred uses it.
type webConfig struct {
	XMLName xml.Name `xml:"configuration"`
	Server  struct {
		MimeMaps []struct {
			Ext  string `xml:"fileExtension,attr"`
			Type string `xml:"mimeType,attr"`
		} `xml:"staticContent>mimeMap"`
		MimeRemoves []struct {
			Ext string `xml:"fileExtension,attr"`
		} `xml:"staticContent>remove"`
		ClientCache struct {
			Mode string `xml:"cacheControlMode,attr"`
		} `xml:"staticContent>clientCache"`
		Headers       []iisHeader `xml:"httpProtocol>customHeaders>add"`
		HeaderRemoves []struct {
			Name string `xml:"name,attr"`
		} `xml:"httpProtocol>customHeaders>remove"`
		Rules []struct {
			Name  string `xml:"name,attr"`
			Stop  bool   `xml:"stopProcessing,attr"`
			Match struct {
				URL string `xml:"url,attr"`
			} `xml:"match"`
			Conditions []iisInput `xml:"conditions>add"`
			Action     struct {
				Type string `xml:"type,attr"`
				URL  string `xml:"url,attr"`
			} `xml:"action"`
		} `xml:"rewrite>rules>rule"`
		Outbound []struct {
			Name         string `xml:"name,attr"`
			PreCondition string `xml:"preCondition,attr"`
			Stop         bool   `xml:"stopProcessing,attr"`
			Match        struct {
				Variable string `xml:"serverVariable,attr"`
				Pattern  string `xml:"pattern,attr"`
			} `xml:"match"`
			Action struct {
				Type  string `xml:"type,attr"`
				Value string `xml:"value,attr"`
			} `xml:"action"`
		} `xml:"rewrite>outboundRules>rule"`
		PreConditions []struct {
			Name   string     `xml:"name,attr"`
			Inputs []iisInput `xml:"add"`
		} `xml:"rewrite>outboundRules>preConditions>preCondition"`
	} `xml:"system.webServer"`
	Locations []struct {
		Path    string      `xml:"path,attr"`
		Headers []iisHeader `xml:"system.webServer>httpProtocol>customHeaders>add"`
		Removes []struct {
			Name string `xml:"name,attr"`
		} `xml:"system.webServer>httpProtocol>customHeaders>remove"`
	} `xml:"location"`
}

// iisHeader is a custom header IIS adds.
type iisHeader struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// iisInput is a URL Rewrite condition: {VARIABLE} against a pattern, or a
// file check.
type iisInput struct {
	Input     string `xml:"input,attr"`
	Pattern   string `xml:"pattern,attr"`
	MatchType string `xml:"matchType,attr"`
}

// iisPattern compiles a URL Rewrite pattern (ECMAScript regular
// expressions, case-insensitive by default) as Go reads the same syntax.
func iisPattern(t *testing.T, p string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile("(?i)" + p)
	require.NoError(t, err, "pattern %q", p)
	return re
}

// TestIISWebConfig checks the bundle's web.config without IIS, which is not
// available here: it is well-formed XML (xmllint and encoding/xml), has
// the MIME map for .wasm and its precompressed forms, sends the socred
// binary's headers, and its rewrite rules, read as URL Rewrite reads
// them, answer socred.wasm with the .br or .gz that the browser accepts,
// with the right Content-Encoding and Vary.
func TestIISWebConfig(t *testing.T) {
	dir, files := bundleDir(t)
	raw := files["web.config"]
	require.NotEmpty(t, raw, "the bundle has a web.config")
	out, err := exec.Command(testenv.Tool(t, "xmllint"), "--noout", filepath.Join(dir, "web.config")).CombinedOutput()
	require.NoError(t, err, "xmllint: %s", out)
	var wc webConfig
	require.NoError(t, xml.Unmarshal(raw, &wc))
	s := wc.Server

	t.Run("MIME types: the module and its forms are application/wasm, text as the socred binary sends it", func(t *testing.T) {
		types := map[string]string{}
		for _, m := range s.MimeMaps {
			types[m.Ext] = m.Type
		}
		removed := map[string]bool{}
		for _, r := range s.MimeRemoves {
			removed[r.Ext] = true
		}
		for _, ext := range []string{".wasm", ".wasm.br", ".wasm.gz"} {
			assert.Equal(t, "application/wasm", types[ext], ext)
		}
		want := goServerHeaders(t, dir, "/index.html", "/socred.js", "/socred-batch-worker.js", "/app.css")
		for path, h := range want {
			ext := filepath.Ext(path)
			assert.Equal(t, h.Get("Content-Type"), types[ext], ext)
		}
		for ext := range types {
			assert.True(t, removed[ext], "%s is removed before it is added, so an inherited mapping cannot clash", ext)
		}
		assert.Equal(t, "DisableCache", s.ClientCache.Mode, "Cache-Control: no-cache")
		assert.Equal(t, "no-cache", want["/index.html"].Get("Cache-Control"))
	})

	t.Run("the headers are the socred binary's", func(t *testing.T) {
		h := http.Header{}
		for _, a := range s.Headers {
			h.Add(a.Name, a.Value)
		}
		removed := map[string]bool{}
		for _, r := range s.HeaderRemoves {
			removed[r.Name] = true
		}
		want := goServerHeaders(t, dir, "/index.html")["/index.html"]
		for _, name := range securityHeaders {
			if name == "Cache-Control" {
				continue // clientCache, above
			}
			assert.Equal(t, []string{want.Get(name)}, h.Values(name), name)
			assert.True(t, removed[name], "%s is removed before it is added", name)
		}
		assert.Contains(t, string(raw), "frame-ancestors https://intranet.example.com", "a frame-ancestors line to fill in for embedding")
	})

	t.Run("socred-element.js, and only it, is public as the socred binary serves it", func(t *testing.T) {
		want := goServerHeaders(t, dir, "/socred-element.js")["/socred-element.js"]
		require.Len(t, wc.Locations, 1)
		l := wc.Locations[0]
		assert.Equal(t, "socred-element.js", l.Path)
		removed := map[string]bool{}
		for _, r := range l.Removes {
			removed[r.Name] = true
		}
		for _, a := range l.Headers {
			assert.Equal(t, want.Get(a.Name), a.Value, a.Name)
			assert.True(t, removed[a.Name], "%s is removed before it is added", a.Name)
		}
		assert.Len(t, l.Headers, 2)
		assert.Equal(t, "*", want.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "cross-origin", want.Get("Cross-Origin-Resource-Policy"))
	})

	// serve follows the rules as URL Rewrite does for a request of name in
	// the bundle's folder, mounted at /socred/: the inbound rules pick the
	// file, the outbound ones set the response headers.
	serve := func(t *testing.T, name, acceptEncoding string) (file string, header http.Header) {
		t.Helper()
		file, header = name, http.Header{}
		for _, r := range s.Rules {
			m := iisPattern(t, r.Match.URL).FindStringSubmatch(name)
			if m == nil {
				continue
			}
			ok := true
			for _, c := range r.Conditions {
				switch {
				case c.MatchType == "IsFile":
					f := strings.ReplaceAll(c.Input, "{REQUEST_FILENAME}", name)
					_, exists := files[f]
					ok = ok && exists
				case c.Input == "{HTTP_ACCEPT_ENCODING}":
					ok = ok && iisPattern(t, c.Pattern).MatchString(acceptEncoding)
				default:
					t.Fatalf("rule %q: a condition this test does not know: %+v", r.Name, c)
				}
			}
			if !ok {
				continue
			}
			require.Equal(t, "Rewrite", r.Action.Type, r.Name)
			file = r.Action.URL
			for i, g := range m {
				file = strings.ReplaceAll(file, "{R:"+strconv.Itoa(i)+"}", g)
			}
			if r.Stop {
				break
			}
		}
		url := "/socred/" + file
		pre := map[string]bool{}
		for _, p := range s.PreConditions {
			pre[p.Name] = true
			for _, in := range p.Inputs {
				require.Equal(t, "{HTTP_URL}", in.Input, "precondition %q", p.Name)
				pre[p.Name] = pre[p.Name] && iisPattern(t, in.Pattern).MatchString(url)
			}
		}
		for _, r := range s.Outbound {
			ok, known := pre[r.PreCondition]
			require.True(t, known, "outbound rule %q names precondition %q, which is not defined", r.Name, r.PreCondition)
			if !ok {
				continue
			}
			variable, found := strings.CutPrefix(r.Match.Variable, "RESPONSE_")
			require.True(t, found, "outbound rule %q rewrites %q, not a response header", r.Name, r.Match.Variable)
			require.Equal(t, "Rewrite", r.Action.Type)
			header.Set(strings.ReplaceAll(variable, "_", "-"), r.Action.Value)
			if r.Stop {
				break
			}
		}
		return file, header
	}
	for name, tc := range map[string]struct {
		request, accept, file, encoding, vary string
	}{
		"Chromium gets the brotli module":            {"socred.wasm", "gzip, deflate, br, zstd", "socred.wasm.br", "br", "Accept-Encoding"},
		"a browser without brotli gets the gzip one": {"socred.wasm", "gzip, deflate", "socred.wasm.gz", "gzip", "Accept-Encoding"},
		"no encoding accepted: the module itself":    {"socred.wasm", "", "socred.wasm", "", "Accept-Encoding"},
		"a word containing br is not brotli":         {"socred.wasm", "gzip, abrx", "socred.wasm.gz", "gzip", "Accept-Encoding"},
		"the batch module, brotli":                   {"socred-batch.wasm", "gzip, deflate, br", "socred-batch.wasm.br", "br", "Accept-Encoding"},
		"the page itself is not rewritten":           {"index.html", "gzip, deflate, br", "index.html", "", ""},
	} {
		t.Run(name, func(t *testing.T) {
			file, header := serve(t, tc.request, tc.accept)
			assert.Equal(t, tc.file, file)
			assert.Contains(t, files, file, "the file served exists in the bundle")
			assert.Equal(t, tc.encoding, header.Get("Content-Encoding"))
			assert.Equal(t, tc.vary, header.Get("Vary"))
		})
	}

}
