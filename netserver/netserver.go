package netserver

import (
	"bytes"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"socred/soap"
)

// DefaultTicketTTL is how long a ticket is valid unless Config.TicketTTL says
// otherwise.
const DefaultTicketTTL = 8 * time.Hour

// Config configures a NetServer. The zero value is a server with no users;
// Demo returns one with the demo directory.
type Config struct {
	Users      []User
	Associates []Associate

	// ApplicationToken, when set, turns on SuperOffice Online's check: every
	// call must carry this ApplicationToken header.
	ApplicationToken string
	// SOAP12 also accepts SOAP 1.2 (application/soap+xml), for servers
	// configured with it. Off, a 1.2 request gets HTTP 415 as from WCF's
	// BasicHttpBinding.
	SOAP12 bool
	// CORSOrigins are the exact origins (scheme://host[:port]) whose
	// preflights are answered and whose responses carry
	// Access-Control-Allow-Origin. Empty, there are no CORS headers at all
	// and a preflight gets HTTP 500, as from WCF.
	CORSOrigins []string

	// TrustedSigners, when set, makes the server require a WS-Security 1.0
	// X.509 signature on every request (see signature.go), by one of these
	// certificates (DER) or by one they issued; ReadCertificatesPEM reads
	// them. Refusals are WS-Security faults (wsse:InvalidSecurity,
	// wsse:FailedCheck, …) with HTTP 500, and the Security header is then
	// understood, mustUnderstand or not. Unset, the server behaves as
	// NetServer's BasicHttpBinding: a Security header is ignored, or
	// refused with s:MustUnderstand when it is marked mustUnderstand.
	TrustedSigners [][]byte
	// SignatureSkew is the clock difference allowed on a Timestamp
	// (DefaultSignatureSkew if zero).
	SignatureSkew time.Duration

	// TicketTTL is how long a ticket stays valid (DefaultTicketTTL if zero).
	TicketTTL time.Duration
	// DataFile, when set, keeps the records in this file. DataKey is the
	// AES-256 key that seals SecretValue in it; if empty, the key is read
	// from DataFile+".key", or generated there with mode 0600.
	DataFile string
	DataKey  []byte

	// MaxBody caps a request body (soap.MaxBody if zero or larger): a larger
	// one gets HTTP 413.
	MaxBody int64

	// Latency makes every SOAP call wait this long, once its body is read,
	// before it is answered (not at all if zero), so that a client's
	// concurrency and progress can be watched. A client that gives up ends
	// the wait.
	Latency time.Duration
	// FailRate is the fraction of User.svc calls, from 0 to 1, answered with
	// HTTP 503 Service Unavailable (IIS's page, as when NetServer's
	// application pool is down) before anything is done or stored, so that
	// a client's retries can be seen and tested. Each call draws 8 bytes
	// from Rand (draws are serialised), so a test that injects Rand knows
	// which calls fail. Logins (SoPrincipal.svc) never fail, so a ticket can
	// always be had. Off if zero.
	FailRate float64

	// Now and Rand are the clock and the randomness (tickets, keys, nonces);
	// time.Now and crypto/rand if nil.
	Now  func() time.Time
	Rand io.Reader
	// Logf logs internal failures (never secrets); nothing is logged if nil.
	Logf func(format string, args ...any)
}

// NetServer is the local NetServer: an http.Handler. Its methods are safe for
// concurrent use.
type NetServer struct {
	cfg   Config
	dir   *directory
	store *store

	randMu sync.Mutex // serialises FailRate's draws from cfg.Rand
}

// New returns a NetServer, reading cfg.DataFile if set.
func New(cfg Config) (*NetServer, error) {
	if cfg.TicketTTL <= 0 {
		cfg.TicketTTL = DefaultTicketTTL
	}
	if cfg.MaxBody <= 0 || cfg.MaxBody > soap.MaxBody {
		cfg.MaxBody = soap.MaxBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = defaultRand
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Latency < 0 {
		return nil, fmt.Errorf("netserver: Latency %v is negative", cfg.Latency)
	}
	if !(cfg.FailRate >= 0 && cfg.FailRate <= 1) {
		return nil, fmt.Errorf("netserver: FailRate %v is not a fraction from 0 to 1", cfg.FailRate)
	}
	cfg.CORSOrigins = slices.Clone(cfg.CORSOrigins)
	cfg.TrustedSigners = slices.Clone(cfg.TrustedSigners)
	for _, der := range cfg.TrustedSigners {
		if _, err := x509.ParseCertificate(der); err != nil {
			return nil, fmt.Errorf("netserver: trusted signer certificate: %w", err)
		}
	}
	for _, o := range cfg.CORSOrigins {
		if o == "*" || strings.HasSuffix(o, "/") || !strings.Contains(o, "://") {
			return nil, fmt.Errorf("netserver: CORS origin %q must be an exact origin such as https://portal.example.com", o)
		}
	}
	st, err := openStore(cfg.DataFile, cfg.DataKey, cfg.Rand)
	if err != nil {
		return nil, err
	}
	return &NetServer{cfg: cfg, dir: newDirectory(&cfg), store: st}, nil
}

// Credentials returns what is stored for the associate under the Type, in
// the order first saved, SecretValue included.
func (s *NetServer) Credentials(associateID int32, typ string) []soap.UntrustedCredentials {
	return s.store.list(associateID, typ)
}

// Ticket logs the user in as AuthenticateUsernamePassword would and returns
// the ticket.
func (s *NetServer) Ticket(user, password string) (string, error) {
	u := s.dir.authenticate(user, password)
	if u == nil {
		return "", soap.ErrAuthenticationFailed
	}
	return s.dir.issue(u, s.cfg.Now())
}

// service returns the service a request path ends in: "User",
// "SoPrincipal", or "" for any other path.
func service(path string) string {
	p := strings.ToLower(path)
	for _, svc := range []string{"User", "SoPrincipal"} {
		if strings.HasSuffix(p, "/remote/services88/"+strings.ToLower(svc)+".svc") {
			return svc
		}
	}
	return ""
}

// ServeHTTP answers one request as NetServer's WCF endpoint would.
func (s *NetServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Logf("netserver: internal error on %s %s: %v", r.Method, r.URL.Path, v)
			writeFault(w, soap.SOAP11, internalFault())
		}
	}()
	svc := service(r.URL.Path)
	if svc == "" {
		http.NotFound(w, r)
		return
	}
	corsOK := s.cors(w, r)
	switch r.Method {
	case http.MethodPost:
	case http.MethodOptions:
		if corsOK && r.Header.Get("Access-Control-Request-Method") == http.MethodPost {
			h := w.Header()
			h.Set("Access-Control-Allow-Methods", "POST")
			h.Set("Access-Control-Allow-Headers", "Content-Type, SOAPAction")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// What WCF answers a preflight: HTTP 500, no CORS headers.
		w.Header().Del("Access-Control-Allow-Origin")
		writeFault(w, soap.SOAP11, actionNotSupported(""))
		return
	default:
		w.Header().Set("Allow", "POST")
		writePlain(w, http.StatusMethodNotAllowed, "Method %s is not allowed: %s.svc takes SOAP messages by POST.", r.Method, svc)
		return
	}

	v, action, ok := s.contentType(w, r)
	if !ok {
		return
	}
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	// After the body: only then does net/http notice a client that left.
	if !s.wait(r) {
		return
	}
	if svc == "User" && s.unavailable() {
		writeUnavailable(w)
		return
	}
	var understood []soap.Name
	if len(s.cfg.TrustedSigners) > 0 {
		understood = append(understood, securityHeader)
	}
	req, perr := soap.ParseRequestUnderstanding(body, understood...)
	var rerr *soap.RequestError
	if perr != nil && !errors.As(perr, &rerr) {
		writeFault(w, v, badRequest("The message is not a readable SOAP envelope: "+strings.TrimPrefix(perr.Error(), "soap: ")))
		return
	}
	sh, err := scan(body)
	if err != nil {
		writeFault(w, v, badRequest("The message is not a readable SOAP envelope: "+err.Error()))
		return
	}
	if sh.version != v {
		writeFault(w, v, envelopeMismatch(sh.version, v))
		return
	}
	if sh.stray != nil {
		writeFault(w, v, badRequest("The element '"+sh.stray.Local+"' from the namespace '"+sh.stray.Space+"' is not allowed directly under the SOAP Envelope. Request headers (ApplicationToken, Credentials, TimeZone) belong inside the Header element, as the WSDL binding says; the vendor's documentation example puts them outside."))
		return
	}
	if len(s.cfg.TrustedSigners) > 0 {
		if serr := s.verifySignature(body, v); serr != nil {
			writeFault(w, v, serr.fault())
			return
		}
	}
	op, ok := operationFor(svc, action)
	if !ok {
		writeFault(w, v, actionNotSupported(action))
		return
	}
	if errors.Is(perr, soap.ErrMustUnderstand) {
		writeFault(w, v, mustUnderstand(rerr.Element, sh.headerSpace(rerr.Element)))
		return
	}
	if len(sh.body) == 0 || sh.body[0] != (xml.Name{Space: soap.NS, Local: string(op)}) {
		var found xml.Name
		if len(sh.body) > 0 {
			found = sh.body[0]
		}
		writeFault(w, v, deserializationFailed(op, found.Local, found.Space))
		return
	}
	if perr != nil {
		writeFault(w, v, contractViolation(rerr))
		return
	}
	s.dispatch(w, v, req)
}

// cors adds the CORS response headers for an allowed Origin and reports
// whether it was allowed.
func (s *NetServer) cors(w http.ResponseWriter, r *http.Request) bool {
	if len(s.cfg.CORSOrigins) == 0 {
		return false
	}
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(s.cfg.CORSOrigins, origin) {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return true
}

// contentType checks the Content-Type as WCF's text encoder does and returns
// the SOAP version it announces and the action (the SOAPAction header for
// 1.1, the action parameter for 1.2).
func (s *NetServer) contentType(w http.ResponseWriter, r *http.Request) (soap.Version, string, bool) {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	want := "text/xml; charset=utf-8"
	if s.cfg.SOAP12 {
		want += "' or 'application/soap+xml; charset=utf-8"
	}
	if cs, ok := params["charset"]; err == nil && ok && !strings.EqualFold(cs, "utf-8") {
		err = errors.New("charset")
	}
	switch {
	case err == nil && mt == "text/xml":
		return soap.SOAP11, soapAction(r.Header.Get("SOAPAction")), true
	case err == nil && mt == "application/soap+xml" && s.cfg.SOAP12:
		return soap.SOAP12, params["action"], true
	}
	writePlain(w, http.StatusUnsupportedMediaType, "Cannot process the message because the content type '%s' was not the expected type '%s'.", ct, want)
	return 0, "", false
}

// soapAction reads a SOAPAction header value, quoted or not.
func soapAction(h string) string {
	h = strings.TrimSpace(h)
	if len(h) >= 2 && h[0] == '"' && h[len(h)-1] == '"' {
		return h[1 : len(h)-1]
	}
	return h
}

// readBody reads the whole body up to the cap: 413 beyond it, 408 when the
// client stalls past the server's read timeout.
func (s *NetServer) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.ContentLength > s.cfg.MaxBody {
		writePlain(w, http.StatusRequestEntityTooLarge, "The request body is %d bytes; the limit is %d.", r.ContentLength, s.cfg.MaxBody)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writePlain(w, http.StatusRequestEntityTooLarge, "The request body is larger than the limit of %d bytes.", s.cfg.MaxBody)
		return nil, false
	case err != nil:
		w.Header().Set("Connection", "close")
		writePlain(w, http.StatusRequestTimeout, "The request body could not be read.")
		return nil, false
	}
	return body, true
}

// operationFor returns the operation of svc whose SOAPAction is action,
// compared exactly (WCF is case-sensitive here).
func operationFor(svc, action string) (soap.Operation, bool) {
	for _, op := range soap.Operations {
		if op.Service() == svc && op.Action() == action {
			return op, true
		}
	}
	return "", false
}

// shape is the outline of an envelope: what WCF's message encoder and
// dispatcher look at before the body is deserialized.
type shape struct {
	version soap.Version
	stray   *xml.Name  // the first child of Envelope that is neither Header nor Body
	headers []xml.Name // the children of Header
	body    []xml.Name // the children of Body
}

// scan reads the outline of an envelope that soap.ParseRequest has already
// found well-formed and within limits.
func scan(body []byte) (*shape, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	sh := &shape{}
	var env string
	depth := 0
	in := ""
	seenHeader, seenBody := false, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return sh, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				switch t.Name.Space {
				case soap.NSEnvelope11:
					sh.version, env = soap.SOAP11, soap.NSEnvelope11
				case soap.NSEnvelope12:
					sh.version, env = soap.SOAP12, soap.NSEnvelope12
				default:
					return nil, fmt.Errorf("root element <%s> is not a SOAP Envelope", t.Name.Local)
				}
			case 2:
				in = ""
				switch {
				case t.Name.Space == env && t.Name.Local == "Header" && !seenHeader && !seenBody:
					in, seenHeader = "Header", true
				case t.Name.Space == env && t.Name.Local == "Body" && !seenBody:
					in, seenBody = "Body", true
				case sh.stray == nil:
					n := t.Name
					sh.stray = &n
				}
			case 3:
				switch in {
				case "Header":
					sh.headers = append(sh.headers, t.Name)
				case "Body":
					sh.body = append(sh.body, t.Name)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}

// headerSpace returns the namespace of the first header with this local name.
func (sh *shape) headerSpace(local string) string {
	for _, h := range sh.headers {
		if h.Local == local && h.Space != soap.NS {
			return h.Space
		}
	}
	return ""
}
