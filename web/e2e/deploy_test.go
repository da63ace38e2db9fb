package e2e

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/netserver"
	"socred/netserver/netservertest"
	socredserver "socred/web/server"
)

// The release files these tests use are the ones `make dist-native` builds
// (make test runs it and passes their paths in SOCRED_DIST_BUNDLE and
// SOCRED_DIST_BINARY): the static bundle and this platform's binary.

// distFile is the release file named by env, else the only one in dist/
// matching pattern.
func distFile(t *testing.T, env, pattern string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		_, err := os.Stat(p)
		require.NoError(t, err, "%s names a missing file: run `make dist-native`", env)
		return p
	}
	matches, _ := filepath.Glob(filepath.Join(repoRoot, "dist", pattern))
	if len(matches) != 1 {
		testenv.Missing(t, "%s is unset and dist/ holds %d files matching %s: run `make dist-native` (make test does)", env, len(matches), pattern)
	}
	return matches[0]
}

// unpack extracts the zip into dir, as an administrator unpacks the bundle
// into an empty folder, and returns its files by name.
func unpack(t *testing.T, archive, dir string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	require.NoError(t, err)
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		require.True(t, filepath.IsLocal(f.Name), "the bundle holds %q, a path outside its folder", f.Name)
		require.False(t, f.FileInfo().IsDir(), "no directory entries expected: %s", f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		files[f.Name] = b
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, b, 0o644))
	}
	return files
}

// bundleDir unpacks the static bundle into an empty folder of the test
// (nginx runs as the test's own user, so a private TMPDIR is no obstacle)
// and returns it with the files.
func bundleDir(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "socred")
	return dir, unpack(t, distFile(t, "SOCRED_DIST_BUNDLE", "socred-static-*.zip"), dir)
}

// goServerHeaders are the headers the socred binary's server sends with
// each of the page's files (served from dir) and config.json.
func goServerHeaders(t *testing.T, dir string, paths ...string) map[string]http.Header {
	t.Helper()
	target, _ := url.Parse("https://netserver.example.com/")
	s, err := socredserver.New(socredserver.Config{Static: dir, Proxy: target})
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	defer ts.Close()
	out := map[string]http.Header{}
	for _, p := range paths {
		resp, _ := rawGet(t, ts.URL+p, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, p)
		out[p] = resp.Header
	}
	return out
}

// rawGet fetches url with this Accept-Encoding and nothing undone.
func rawGet(t *testing.T, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 20 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// securityHeaders are the headers every file of the page carries.
var securityHeaders = []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
	"Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Cache-Control"}

// snippet is the code block of DEPLOY.md between the lines
// <!-- socred-test: NAME --> and <!-- socred-test: end -->, so that what
// the tests run is what administrators read.
func snippet(t *testing.T, deploy []byte, name string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<!-- socred-test: ` + regexp.QuoteMeta(name) + ` -->\n` + "```" + `\w*\n(.*?)` + "```" + `\n<!-- socred-test: end -->`)
	m := re.FindSubmatch(deploy)
	require.NotNil(t, m, "DEPLOY.md has no %q snippet between socred-test comments", name)
	return string(m[1])
}

// replace replaces old, which must be there, in s.
func replace(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Contains(t, s, old, "the snippet no longer says %q", old)
	return strings.ReplaceAll(s, old, new)
}

// localNetServer is a local NetServer at the site root, as IIS serves
// NetServer beside the page: no CORS for any origin. It counts the SOAP
// calls that reach it.
func localNetServer(t *testing.T) (site, password string, calls *atomic.Int32) {
	t.Helper()
	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	password = "e2e-" + hex.EncodeToString(pw)
	ns, err := netserver.New(netserver.Demo(netserver.DemoUser, password))
	require.NoError(t, err)
	calls = &atomic.Int32{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		ns.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, password, calls
}

// loopbackListener is a TCP socket listening on 127.0.0.1 at a port the
// kernel chose, held open until the test ends, for a server started in
// another process (startNginx): no other program can take the port between
// choosing it and that server's start.
func loopbackListener(t *testing.T) (*os.File, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close() // f is a duplicate of the socket, which stays open
	f, err := ln.(*net.TCPListener).File()
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f, ln.Addr().(*net.TCPAddr).Port
}

// nginxBinary is Debian's nginx (in /usr/sbin, often not on a user's PATH).
func nginxBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return testenv.Tool(t, "nginx") // skips, or fails under CI, saying how to install it
}

// startNginx runs nginx with the two DEPLOY.md snippets in a minimal
// configuration of its own (logs, pid and temporary files in a folder of
// the test), listening on the socket ln (127.0.0.1:port), and waits until
// it accepts connections; it is stopped when the test ends.
//
// nginx (master and worker) runs as the user running the test: the folders
// it reads are the test's own (t.TempDir, private to this user, as a
// per-user TMPDIR's parents may be too), so neither TMPDIR's place nor its
// permissions matter. (Run as root, it stays root; the bundle's files are
// 0644 whoever unpacks them, so a worker as nobody would prove nothing more.)
// It does not bind the port itself: the test's socket is passed to it as an
// inherited one (fd 3, named in the NGINX variable, nginx's mechanism for a
// binary upgrade), so no other program can take the port meanwhile.
func startNginx(t *testing.T, httpSnippet, serverSnippet string, ln *os.File, port int) {
	t.Helper()
	bin := nginxBinary(t)
	run := t.TempDir()
	var temps strings.Builder
	for _, kind := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&temps, "    %s_temp_path %s;\n", kind, filepath.Join(run, kind))
	}
	// A master process (nginx crashes when a single process inherits a
	// socket) whose worker keeps the master's user: as root, nginx would
	// otherwise run it as nobody, who may not enter a private TMPDIR.
	userLine := ""
	if os.Geteuid() == 0 {
		userLine = "user root;"
	}
	conf := fmt.Sprintf(`daemon off;
%[6]s
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
%[2]s
%[3]s
    server {
        listen 127.0.0.1:%[4]d;
        server_name localhost;
%[5]s
    }
}
`, run, temps.String(), httpSnippet, port, serverSnippet, userLine)
	confFile := filepath.Join(run, "nginx.conf")
	require.NoError(t, os.WriteFile(confFile, []byte(conf), 0o644))
	errorLog := filepath.Join(run, "error.log")
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"-e", errorLog, "-p", run, "-c", confFile}, args...)...)
		cmd.ExtraFiles = []*os.File{ln} // fd 3
		cmd.Env = append(os.Environ(), "NGINX=3;")
		return cmd
	}
	out, err := command("-t").CombinedOutput()
	require.NoError(t, err, "nginx -t refuses the configuration made of DEPLOY.md's snippets:\n%s\n%s", out, conf)

	cmd := command()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	require.NoError(t, cmd.Start())
	exited := make(chan struct{}) // closed when nginx has exited, with waitErr
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful stop
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			log, _ := os.ReadFile(errorLog)
			t.Logf("nginx error log:\n%s", log)
		}
	})
	// The socket accepts connections already (it is the test's); one HTTP
	// request is answered once nginx serves, or nginx exits first.
	answered := make(chan error, 1)
	go func() {
		client := &http.Client{Timeout: 60 * time.Second}
		resp, err := client.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/")
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	select {
	case err := <-answered:
		require.NoError(t, err, "nginx did not answer on port %d", port)
	case <-exited:
		log, _ := os.ReadFile(errorLog)
		t.Fatalf("nginx exited (%v): %s\n%s", waitErr, stderr.String(), log)
	}
}

// watchNetwork records, from Chromium's network events, every request the
// page sends and the response headers of socred.wasm.
type watchNetwork struct {
	mu       sync.Mutex
	requests []string // METHOD URL
	module   map[string]any
}

func newWatch(ctx context.Context) *watchNetwork {
	w := &watchNetwork{}
	chromedp.ListenTarget(ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			w.requests = append(w.requests, e.Request.Method+" "+e.Request.URL)
		case *network.EventResponseReceived:
			if strings.HasSuffix(e.Response.URL, "/socred.wasm") {
				w.module = e.Response.Headers
			}
		}
	})
	return w
}

// header is a response header as Chromium reported it (names as sent).
func (w *watchNetwork) header(name string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	for k, v := range w.module {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// checkSameOrigin fails on any request the page sent to another origin
// (a CORS request) and on any preflight.
func (w *watchNetwork) checkSameOrigin(t *testing.T, origin string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	require.NotEmpty(t, w.requests)
	for _, r := range w.requests {
		method, u, _ := strings.Cut(r, " ")
		assert.NotEqual(t, http.MethodOptions, method, "a preflight: %s", r)
		if strings.HasPrefix(u, "http") {
			assert.True(t, strings.HasPrefix(u, origin+"/"), "a request to another origin: %s", r)
		}
	}
}

// loginSaveList drives the page at pageURL as an administrator does: the
// Endpoint it starts with must be endpoint; it logs in, saves a record for
// associate 2 and lists it.
func loginSaveList(t *testing.T, ctx context.Context, pageURL, endpoint, user, password string) {
	t.Helper()
	run(t, ctx, network.Enable(), chromedp.Navigate(pageURL))
	waitFor(t, ctx, `document.body.dataset.ready === "true" || document.body.dataset.state === "failed"`)
	var failure string
	eval(t, ctx, `document.body.dataset.ready === "true" ? "" : (document.querySelector("#startup-error") || {}).textContent || "failed"`, &failure)
	require.Empty(t, failure, "the page did not start")
	var got string
	run(t, ctx, chromedp.Value("#Endpoint", &got, chromedp.ByQuery))
	require.Equal(t, endpoint, got, "the Endpoint config.json gives, resolved against the page's address")
	set := func(id, value string) {
		var ok bool
		eval(t, ctx, `(() => { const e = document.getElementById(`+quote(id)+`); if (!e) return false;
			e.value = `+quote(value)+`; e.dispatchEvent(new Event("input", {bubbles: true}));
			e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, &ok)
		require.True(t, ok, "no #%s", id)
	}
	set("UserName", user)
	set("Password", password)
	run(t, ctx, chromedp.Click("#login", chromedp.ByQuery))
	waitFor(t, ctx, `document.getElementById("Ticket").value.startsWith("7T:") || document.getElementById("alert").textContent !== ""`)
	var alert string
	eval(t, ctx, `document.getElementById("alert").textContent`, &alert)
	require.Empty(t, alert, "the login failed")

	set("AssociateId", "2")
	set("Type", "imap")
	set("ValidFrom", "2025-03-01T08:30")
	set("ValidTo", "2027-03-01T08:30")
	set("PublicValue", "imap.example.com:993 deployed@example.com")
	set("SecretValue", "S3cret-deployed")
	run(t, ctx, chromedp.Evaluate(`document.getElementById("status").textContent = ""`, nil))
	run(t, ctx, chromedp.Click("#save", chromedp.ByQuery))
	waitFor(t, ctx, `document.getElementById("status").textContent.includes("Saved") || document.getElementById("alert").textContent !== ""`)
	eval(t, ctx, `document.getElementById("alert").textContent`, &alert)
	require.Empty(t, alert, "the save failed")

	run(t, ctx, chromedp.Click("#list", chromedp.ByQuery))
	waitFor(t, ctx, `document.querySelectorAll("#records-table tbody tr").length === 1 || document.getElementById("alert").textContent !== ""`)
	eval(t, ctx, `document.getElementById("alert").textContent`, &alert)
	require.Empty(t, alert, "the list failed")
	var rows string
	eval(t, ctx, `document.querySelector("#records-table tbody").textContent`, &rows)
	assert.Contains(t, rows, "imap.example.com:993 deployed@example.com")
}

// TestStaticBundleInNginx serves the static bundle, unpacked into an empty
// folder, at /socred/ with Debian's nginx configured by DEPLOY.md's own
// snippets, beside a local NetServer on the same origin (/Remote/ passed
// to it): the page loads, the module arrives as application/wasm with
// brotli, and a login, a save and a list work without any CORS.
func TestStaticBundleInNginx(t *testing.T) {
	nginxBinary(t)
	dir, files := bundleDir(t)
	for _, name := range []string{"index.html", "form.html", "app.css", "socred.js", "socred-element.js", "socred-batch-worker.js", "js/page.js", "js/page.bundle.js", "js/form.js",
		"wasm_exec.js", "socred.wasm", "socred.wasm.br", "socred.wasm.gz", "socred-batch.wasm", "socred-batch.wasm.br", "socred-batch.wasm.gz",
		"config.json", "web.config", "DEPLOY.md"} {
		require.Contains(t, files, name, "the bundle lacks %s", name)
	}
	site, password, calls := localNetServer(t)
	ln, port := loopbackListener(t)
	origin := "http://127.0.0.1:" + strconv.Itoa(port)

	serverConf := snippet(t, files["DEPLOY.md"], "nginx server")
	serverConf = replace(t, serverConf, "/var/www/socred/", dir+"/")
	serverConf = replace(t, serverConf, "https://netserver.example.com/", site+"/")
	startNginx(t, snippet(t, files["DEPLOY.md"], "nginx http"), serverConf, ln, port)

	t.Run("the bundle is what web/static and web/deploy hold", func(t *testing.T) {
		assertBundleComplete(t, files)
	})
	t.Run("the headers are the socred binary's", func(t *testing.T) {
		want := goServerHeaders(t, dir, "/", "/socred.js", "/socred-batch-worker.js", "/app.css", "/socred.wasm")
		for path, h := range want {
			resp, _ := rawGet(t, origin+"/socred"+path, "")
			require.Equal(t, http.StatusOK, resp.StatusCode, path)
			for _, name := range securityHeaders {
				assert.Equal(t, h.Get(name), resp.Header.Get(name), "%s: %s", path, name)
			}
			assert.Equal(t, h.Get("Content-Type"), resp.Header.Get("Content-Type"), path)
		}
	})
	t.Run("socred-element.js, and only it, is public as the socred binary serves it", func(t *testing.T) {
		want := goServerHeaders(t, dir, "/socred-element.js")["/socred-element.js"]
		resp, body := rawGet(t, origin+"/socred/socred-element.js", "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.True(t, bytes.Equal(files["socred-element.js"], body))
		for _, name := range append([]string{"Access-Control-Allow-Origin", "Content-Type"}, securityHeaders...) {
			assert.Equal(t, want.Get(name), resp.Header.Get(name), name)
		}
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "cross-origin", resp.Header.Get("Cross-Origin-Resource-Policy"))
		for _, path := range []string{"/socred/config.json", "/socred/js/form.js", "/socred/form.html"} {
			resp, _ := rawGet(t, origin+path, "")
			assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), path)
			assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Resource-Policy"), path)
		}
	})
	t.Run("in Chromium: a portal the bundle does not list is told so by the element", func(t *testing.T) {
		host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><html lang="sv"><title>portal</title>
<script>window.failures = []; document.addEventListener("socred-failed", (e) => failures.push(e.detail));</script>
<script type="module" src="%s/socred/socred-element.js"></script><socred-credentials id="el"></socred-credentials>`, origin)
		}))
		defer host.Close()
		var console []string
		ctx := browser(t, &console)
		run(t, ctx, chromedp.Navigate(host.URL+"/"))
		waitFor(t, ctx, `failures.length === 1 && document.getElementById("el").state === "failed"`)
		var text string
		eval(t, ctx, `document.getElementById("el").shadowRoot.textContent`, &text)
		assert.Contains(t, text, "listar inte sidans ursprung, "+host.URL, "in the element's language")
		assert.Contains(t, text, "-embed-origin "+host.URL)
		assert.Contains(t, text, `"embedOrigins": ["`+host.URL+`"]`)
		assert.Contains(t, text, "Access-Control-Allow-Origin: "+host.URL)
		var kind string
		eval(t, ctx, `failures[0].kind`, &kind)
		assert.Equal(t, "startup", kind)
	})
	t.Run("every policy DEPLOY.md shows is the socred binary's", func(t *testing.T) {
		n := 0
		for _, line := range strings.Split(string(files["DEPLOY.md"]), "\n") {
			if strings.Contains(line, "default-src") {
				assert.Contains(t, line, socredserver.CSP)
				n++
			}
		}
		assert.GreaterOrEqual(t, n, 4, "the header list, the two nginx lines, the Apache line")
	})
	t.Run("config.json's endpoint is the site root", func(t *testing.T) {
		resp, body := rawGet(t, origin+"/socred/config.json", "")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var c struct{ Endpoint string }
		require.NoError(t, json.Unmarshal(body, &c))
		base, _ := url.Parse(origin + "/socred/config.json")
		ref, err := url.Parse(c.Endpoint)
		require.NoError(t, err)
		assert.Equal(t, origin+"/", base.ResolveReference(ref).String(), "resolved as the page resolves it")
	})
	for _, module := range []string{"socred.wasm", "socred-batch.wasm"} {
		t.Run(module+", precompressed, as the browser accepts", func(t *testing.T) {
			etags := map[string]string{}
			for accept, want := range map[string]struct{ encoding, file string }{
				"gzip, deflate, br, zstd": {"br", module + ".br"},
				"gzip, deflate":           {"gzip", module + ".gz"},
				"":                        {"", module},
			} {
				resp, body := rawGet(t, origin+"/socred/"+module, accept)
				require.Equal(t, http.StatusOK, resp.StatusCode, accept)
				assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"), accept)
				assert.Equal(t, want.encoding, resp.Header.Get("Content-Encoding"), accept)
				assert.Contains(t, resp.Header.Values("Vary"), "Accept-Encoding", accept)
				assert.True(t, bytes.Equal(files[want.file], body), "%q gets %s", accept, want.file)
				etags[want.encoding] = resp.Header.Get("ETag")
			}
			assert.Len(t, etags, 3)
			assert.NotEqual(t, etags["br"], etags["gzip"], "an ETag per variant")
			assert.NotEqual(t, etags["br"], etags[""])
		})
		t.Run("the precompressed files are "+module, func(t *testing.T) {
			zr, err := gzip.NewReader(bytes.NewReader(files[module+".gz"]))
			require.NoError(t, err)
			plain, err := io.ReadAll(zr)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(files[module], plain), "%s.gz unpacks to %s", module, module)
			plain, err = io.ReadAll(brotli.NewReader(bytes.NewReader(files[module+".br"])))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(files[module], plain), "%s.br unpacks to %s", module, module)
		})
	}

	t.Run("in Chromium: loads, brotli, login, save and list on one origin", func(t *testing.T) {
		var console []string
		ctx := browser(t, &console)
		watch := newWatch(ctx)
		before := calls.Load()
		loginSaveList(t, ctx, origin+"/socred/", origin+"/", netserver.DemoUser, password)
		assert.Equal(t, "application/wasm", watch.header("Content-Type"))
		assert.Equal(t, "br", watch.header("Content-Encoding"))
		assert.GreaterOrEqual(t, calls.Load()-before, int32(3), "the login, the save and the list reached NetServer through nginx")
		watch.checkSameOrigin(t, origin)
		screenshot(t, ctx, "20-nginx-bundle")
	})
}

// assertBundleComplete checks that the bundle holds every file of the page
// (web/static after make wasm, dotfiles aside) and of web/deploy, byte for
// byte, and nothing else.
func assertBundleComplete(t *testing.T, files map[string][]byte) {
	t.Helper()
	want := map[string]string{}
	for _, src := range []string{"web/static", "web/deploy"} {
		root := filepath.Join(repoRoot, src)
		require.NoError(t, filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && path != root {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || strings.HasSuffix(path, ".tmp") {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			want[filepath.ToSlash(rel)] = path
			return nil
		}))
	}
	for name, path := range want {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(b, files[name]), "the bundle's %s is not %s (rebuild with make dist-native)", name, path)
	}
	for name := range files {
		assert.Contains(t, want, name, "the bundle holds %s, which is not a page or deployment file", name)
	}
}

// TestBinaryAlone copies this platform's release binary alone into an
// empty folder (no repository beside it), starts it with -proxy in front of
// a local NetServer, and saves a record through it in Chromium: the page,
// the module and its precompressed forms come from the binary itself.
func TestBinaryAlone(t *testing.T) {
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	src := distFile(t, "SOCRED_DIST_BINARY", "socred-*-"+runtime.GOOS+"-"+runtime.GOARCH+exe)
	dir := t.TempDir()
	bin := filepath.Join(dir, "socred"+exe)
	b, err := os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bin, b, 0o755))
	env := []string{"SOCRED_ADDR=127.0.0.1:0"} // nothing else: no PATH, no HOME, no repository

	t.Run("-version prints the release's version", func(t *testing.T) {
		cmd := exec.Command(bin, "-version")
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		v, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "socred ")
		require.True(t, ok, "%q", out)
		assert.NotContains(t, v, "devel", "make sets the version at link time")
		assert.Equal(t, "socred-"+strings.ReplaceAll(v, "+", "-")+"-"+runtime.GOOS+"-"+runtime.GOARCH+exe, filepath.Base(src),
			"the file is named for the version it prints")
	})

	ns, err := netservertest.NewServer(netserver.Demo(netserver.DemoUser, "binary-e2e-password"))
	require.NoError(t, err)
	t.Cleanup(ns.Close)

	cmd := exec.Command(bin, "-proxy", ns.SiteURL)
	cmd.Dir, cmd.Env = dir, env
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var stopped error
	var once sync.Once
	stop := func() error {
		once.Do(func() {
			_ = cmd.Process.Signal(os.Interrupt)
			stopped = cmd.Wait()
		})
		return stopped
	}
	t.Cleanup(func() { _ = stop() })
	lines := make(chan []string, 1)
	go func() {
		var got []string
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			got = append(got, sc.Text())
			if strings.HasPrefix(sc.Text(), "socred version:") {
				lines <- got
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var start []string
	select {
	case start = <-lines:
	case <-time.After(60 * time.Second):
		t.Fatalf("the binary printed no version line within 60 s; stderr: %s", stderr.String())
	}
	var page string
	for _, l := range start {
		if m := pageLine.FindStringSubmatch(l); m != nil {
			page = m[1]
		}
	}
	require.NotEmpty(t, page, "no page line in %q", start)
	assert.Contains(t, start, "socred proxy: "+ns.SiteURL)
	assert.Regexp(t, `^socred mode:  proxy \(no local NetServer\)`, start[len(start)-2])
	assert.Regexp(t, `^socred version: \S+ \(page built in\)$`, start[len(start)-1])

	var console []string
	ctx := browser(t, &console)
	watch := newWatch(ctx)
	loginSaveList(t, ctx, page, page, netserver.DemoUser, "binary-e2e-password")
	assert.Equal(t, "application/wasm", watch.header("Content-Type"))
	assert.Equal(t, "br", watch.header("Content-Encoding"), "the binary serves its built-in socred.wasm.br")
	watch.checkSameOrigin(t, strings.TrimSuffix(page, "/"))

	require.NoError(t, stop(), "a clean stop on Ctrl-C; stderr: %s", stderr.String())
	assert.Contains(t, stderr.String(), "socred: stopped")
	assert.NotContains(t, stderr.String(), "binary-e2e-password")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the binary wrote nothing beside itself")
}

// lockedBuffer is a bytes.Buffer that a child's output copier and the test
// can use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
