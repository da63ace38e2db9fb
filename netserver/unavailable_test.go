package netserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// zeros is a Rand whose every draw is 0: every FailRate call fails.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// countingRand counts the bytes drawn from it.
type countingRand struct {
	r io.Reader
	n int
}

func (c *countingRand) Read(p []byte) (int, error) { c.n += len(p); return c.r.Read(p) }

func TestFailRate(t *testing.T) {
	t.Run("every User.svc call fails at a draw below the rate, and nothing is stored", func(t *testing.T) {
		cfg := Demo("", testPassword)
		cfg.FailRate, cfg.Rand = 0.01, zeros{}
		s := newTestServer(t, cfg)
		ticket := login(t, s.SiteURL, DemoUser, testPassword)

		_, err := call(t, s.SiteURL, soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap", Credentials: creds("ola", "pw")})
		var herr *soap.HTTPError
		require.ErrorAs(t, err, &herr)
		assert.Equal(t, http.StatusServiceUnavailable, herr.Status)
		assert.Contains(t, herr.Excerpt, "<TITLE>Service Unavailable</TITLE>")
		assert.Empty(t, s.NetServer.Credentials(3, "imap"), "a 503 must not store anything")
	})

	t.Run("no call fails with the rate at zero, and Rand is not drawn from", func(t *testing.T) {
		cfg := Demo("", testPassword)
		rnd := &countingRand{r: rand.NewChaCha8([32]byte{1})}
		cfg.Rand = rnd
		s := newTestServer(t, cfg)
		ticket := login(t, s.SiteURL, DemoUser, testPassword)
		before := rnd.n
		for range 20 {
			_, err := call(t, s.SiteURL, soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap"})
			require.NoError(t, err)
		}
		assert.Equal(t, before, rnd.n, "bytes drawn by 20 calls at FailRate 0")
	})

	t.Run("the fraction that fails follows the rate", func(t *testing.T) {
		const calls, rate = 400, 0.25
		cfg := Demo("", testPassword)
		cfg.FailRate, cfg.Rand = rate, rand.NewChaCha8([32]byte{'s', 'o', 'c', 'r', 'e', 'd'})
		s := newTestServer(t, cfg)
		ticket := login(t, s.SiteURL, DemoUser, testPassword)
		failed := 0
		for range calls {
			_, err := call(t, s.SiteURL, soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap"})
			var herr *soap.HTTPError
			switch {
			case err == nil:
			case errors.As(err, &herr) && herr.Status == http.StatusServiceUnavailable:
				failed++
			default:
				t.Fatalf("a call failed otherwise than with 503: %v", err)
			}
		}
		// Four standard deviations of the binomial either side of the mean.
		mean, sd := calls*rate, math.Sqrt(calls*rate*(1-rate))
		assert.InDelta(t, mean, float64(failed), 4*sd, "%d of %d calls failed at FailRate %v", failed, calls, rate)
	})

	t.Run("logins never fail", func(t *testing.T) {
		cfg := Demo("", testPassword)
		cfg.FailRate, cfg.Rand = 1, zeros{}
		s := newTestServer(t, cfg)
		assert.NotEmpty(t, login(t, s.SiteURL, DemoUser, testPassword))
	})
}

func TestLatency(t *testing.T) {
	t.Run("a call waits at least the latency", func(t *testing.T) {
		cfg := Demo("", testPassword)
		cfg.Latency = 50 * time.Millisecond
		s := newTestServer(t, cfg)
		start := time.Now()
		login(t, s.SiteURL, DemoUser, testPassword)
		assert.GreaterOrEqual(t, time.Since(start), cfg.Latency)
	})

	t.Run("a client that gives up ends the wait", func(t *testing.T) {
		cfg := Demo("", testPassword)
		cfg.Latency = time.Hour
		s, err := newServer(cfg)
		require.NoError(t, err)
		env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: DemoUser, Password: testPassword})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.SiteURL+"/"+soap.AuthenticateUsernamePassword.Path(), bytes.NewReader(env.XML))
		require.NoError(t, err)
		for _, kv := range env.Headers() {
			req.Header.Set(kv.Key, kv.Value)
		}
		_, err = http.DefaultClient.Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)

		// Close waits for every handler; one still waiting would hold it.
		closed := make(chan struct{})
		go func() { s.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Fatal("the server did not close: a handler is still waiting out its latency after the client left")
		}
	})
}

func TestLatencyAndFailRateRefused(t *testing.T) {
	for name, cfg := range map[string]Config{
		"a negative latency":       {Latency: -time.Second},
		"a rate above one":         {FailRate: 1.5},
		"a negative rate":          {FailRate: -0.1},
		"a rate that is no number": {FailRate: math.NaN()},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New(cfg)
			assert.Error(t, err)
		})
	}
}
