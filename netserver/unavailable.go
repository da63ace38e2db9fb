package netserver

import (
	"encoding/binary"
	"io"
	"net/http"
	"time"
)

// wait holds a call for Config.Latency. It reports false when the client
// gave up first; nothing is then answered.
func (s *NetServer) wait(r *http.Request) bool {
	if s.cfg.Latency <= 0 {
		return true
	}
	t := time.NewTimer(s.cfg.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// unavailable draws whether this call is one of Config.FailRate's: a
// uniform number in [0, 1) from 53 bits of Rand, below FailRate. A Rand
// that cannot be read fails the call, as a server that cannot work would.
func (s *NetServer) unavailable() bool {
	if s.cfg.FailRate <= 0 {
		return false
	}
	var b [8]byte
	s.randMu.Lock()
	_, err := io.ReadFull(s.cfg.Rand, b[:])
	s.randMu.Unlock()
	if err != nil {
		s.cfg.Logf("netserver: FailRate: reading Rand: %v", err)
		return true
	}
	x := float64(binary.BigEndian.Uint64(b[:])>>11) / (1 << 53)
	return x < s.cfg.FailRate
}

// unavailablePage is what IIS (HTTP.sys) answers when the site's
// application pool is stopped or overloaded.
const unavailablePage = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">
<HTML><HEAD><TITLE>Service Unavailable</TITLE>
<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>
<BODY><h2>Service Unavailable</h2>
<hr><p>HTTP Error 503. The service is unavailable.</p>
</BODY></HTML>
`

func writeUnavailable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=us-ascii")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = io.WriteString(w, unavailablePage)
}
