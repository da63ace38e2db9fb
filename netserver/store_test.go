package netserver

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// childEnv switches the test binary into the writer of TestDataFileSurvivesKill.
const childEnv = "SOCRED_SOAPTEST_CHILD_DATAFILE"

func TestMain(m *testing.M) {
	if file := os.Getenv(childEnv); file != "" {
		os.Exit(writeForever(file))
	}
	os.Exit(m.Run())
}

// writeForever saves record after record through the handler and prints
// "ack N" once each save has been answered, until it is killed.
func writeForever(file string) int {
	ns, err := New(Config{DataFile: file, Users: []User{{Name: "w", Password: "w", AssociateID: 1}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ticket, err := ns.Ticket("w", "w")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		c := creds("host-"+strconv.Itoa(i), "secret-"+strconv.Itoa(i))
		env, err := soap.Build(soap.Request{Operation: soap.Save, Ticket: ticket, Type: "imap", Credentials: c})
		if err != nil {
			return 2
		}
		req := httptest.NewRequest(http.MethodPost, "/Remote/Services88/User.svc", strings.NewReader(string(env.XML)))
		req.Header = soapHeaders(soap.Save)
		rec := httptest.NewRecorder()
		ns.ServeHTTP(rec, req)
		if _, err := soap.Classify(soap.Save, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		fmt.Fprintf(out, "ack %d\n", i)
		out.Flush()
	}
}

func TestDataFileSurvivesKill(t *testing.T) {
	file := filepath.Join(t.TempDir(), "creds.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+file)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	acked := -1
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack "))
		require.NoError(t, err, sc.Text())
		acked = n
		if acked == 60 {
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			break
		}
	}
	for sc.Scan() { // saves acknowledged before the kill landed
		if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack ")); err == nil {
			acked = n
		}
	}
	_ = cmd.Wait()
	require.Equal(t, 60, min(acked, 60), "the child wrote")

	fi, err := os.Stat(file + ".key")
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the generated key is the owner's only")
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var f fileFormat
	require.NoError(t, json.Unmarshal(raw, &f), "the file is whole")
	assert.NotContains(t, string(raw), "secret-1", "SecretValue is sealed in the file")
	entries, err := os.ReadDir(filepath.Dir(file))
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Logf("a temporary file was left by the kill (harmless): %s", e.Name())
		}
	}

	ns, err := New(Config{DataFile: file})
	require.NoError(t, err, "reopened with the key beside it")
	got := ns.Credentials(1, "imap")
	require.GreaterOrEqual(t, len(got), acked+1, "every acknowledged save is there")
	for i := 0; i <= acked; i++ {
		assert.Equal(t, "host-"+strconv.Itoa(i), got[i].PublicValue)
		assert.Equal(t, "secret-"+strconv.Itoa(i), got[i].SecretValue)
	}
}

func TestConcurrentSaves(t *testing.T) {
	for _, persistent := range []bool{false, true} {
		t.Run(fmt.Sprintf("data file %v", persistent), func(t *testing.T) {
			cfg := Demo("", testPassword)
			if persistent {
				cfg.DataFile = filepath.Join(t.TempDir(), "creds.json")
			}
			s := newTestServer(t, cfg)
			ticket := login(t, s.SiteURL, DemoUser, testPassword)
			const workers, each = 20, 15 // 300 saves
			var wg sync.WaitGroup
			errs := make(chan error, workers*each)
			for w := range workers {
				wg.Go(func() {
					for i := range each {
						assoc := int64(1 + (w+i)%5)
						c := creds(fmt.Sprintf("w%d-i%d", w, i), "pw")
						env, err := soap.Build(soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: assoc, Type: "imap", Credentials: c})
						if err != nil {
							errs <- err
							continue
						}
						req, _ := http.NewRequest(http.MethodPost, s.SiteURL+"/"+soap.SaveForAssociate.Path(), strings.NewReader(string(env.XML)))
						req.Header = soapHeaders(soap.SaveForAssociate)
						resp, err := s.Client().Do(req)
						if err != nil {
							errs <- err
							continue
						}
						var body strings.Builder
						_, _ = bufio.NewReader(resp.Body).WriteTo(&body)
						resp.Body.Close()
						if _, err := soap.Classify(soap.SaveForAssociate, resp.StatusCode, resp.Header.Get("Content-Type"), []byte(body.String())); err != nil {
							errs <- err
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			total := 0
			for assoc := int32(1); assoc <= 5; assoc++ {
				total += len(s.NetServer.Credentials(assoc, "imap"))
			}
			assert.Equal(t, workers*each, total, "no save was lost")
			if persistent {
				ns, err := New(Config{DataFile: cfg.DataFile})
				require.NoError(t, err)
				n := 0
				for assoc := int32(1); assoc <= 5; assoc++ {
					n += len(ns.Credentials(assoc, "imap"))
				}
				assert.Equal(t, workers*each, n, "and all of them reached the file")
			}
		})
	}
}

func TestDataKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "creds.json")
	key := make([]byte, DataKeySize)
	_, _ = rand.Read(key)
	cfg := Config{DataFile: file, DataKey: key, Users: []User{{Name: "u", Password: "p", AssociateID: 1}}}
	ns, err := New(cfg)
	require.NoError(t, err)
	require.NoError(t, ns.store.save(1, "imap", creds("pub", "the secret")))
	_, err = os.Stat(file + ".key")
	assert.ErrorIs(t, err, os.ErrNotExist, "an explicit key is not written out")

	other := make([]byte, DataKeySize)
	_, err = New(Config{DataFile: file, DataKey: other})
	require.ErrorIs(t, err, ErrDataFile, "the wrong key does not open the secrets")
	_, err = New(Config{DataFile: file, DataKey: key[:16]})
	require.ErrorIs(t, err, ErrDataKey)

	ns, err = New(Config{DataFile: file, DataKey: key})
	require.NoError(t, err)
	assert.Equal(t, "the secret", ns.Credentials(1, "imap")[0].SecretValue)

	t.Run("a sealed secret cannot be moved to another record", func(t *testing.T) {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		moved := strings.Replace(string(raw), `"publicValue": "pub"`, `"publicValue": "other"`, 1)
		require.NoError(t, os.WriteFile(file, []byte(moved), 0o600))
		_, err = New(Config{DataFile: file, DataKey: key})
		require.ErrorIs(t, err, ErrDataFile)
	})

	t.Run("a key file others can read is refused", func(t *testing.T) {
		f2 := filepath.Join(dir, "b.json")
		require.NoError(t, os.WriteFile(f2+".key", []byte(base64.StdEncoding.EncodeToString(key)), 0o644))
		_, err := New(Config{DataFile: f2})
		require.ErrorIs(t, err, ErrDataKey)
	})

	t.Run("a torn file is reported, not served empty", func(t *testing.T) {
		f3 := filepath.Join(dir, "c.json")
		require.NoError(t, os.WriteFile(f3, []byte(`{"version":1,"records":[{"assoc`), 0o600))
		_, err := New(Config{DataFile: f3, DataKey: key})
		require.ErrorIs(t, err, ErrDataFile)
	})
}

// switchReader is crypto/rand until failing is set.
type switchReader struct{ failing bool }

func (r *switchReader) Read(p []byte) (int, error) {
	if r.failing {
		return 0, errors.New("entropy exhausted")
	}
	return rand.Read(p)
}

func TestStoreWriteFailureUndoes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "creds.json")
	rnd := &switchReader{}
	cfg := Demo("", testPassword)
	cfg.DataFile, cfg.Rand = file, rnd
	s := newTestServer(t, cfg)
	ticket := login(t, s.SiteURL, DemoUser, testPassword)
	save := soap.Request{Operation: soap.Save, Ticket: ticket, Type: "imap", Credentials: creds("a", "s")}
	_, err := call(t, s.SiteURL, save)
	require.NoError(t, err)

	rnd.failing = true // sealing the next write fails
	save.Credentials = creds("b", "s")
	_, err = call(t, s.SiteURL, save)
	var exc *soap.ExceptionInfo
	require.ErrorAs(t, err, &exc)
	assert.Equal(t, TypeServiceUnavailable, exc.ExceptionType)
	assert.Len(t, s.NetServer.Credentials(DemoAssociateID, "imap"), 1, "memory does not hold what the file does not")
}
