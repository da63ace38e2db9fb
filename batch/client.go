package batch

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	"socred/soap"
)

// ErrNetwork marks a call that got no answer: the connection failed or the
// call timed out. A Client wraps such failures with it; they are retried.
var ErrNetwork = errors.New("batch: no answer from NetServer")

// Client is what the batch needs of NetServer. Its methods are called
// from several goroutines at once. Their errors are soap's
// (*soap.ExceptionInfo for a business error, *soap.Fault, *soap.HTTPError)
// or wrap ErrNetwork for a call that got no answer.
type Client interface {
	// User returns the associate ref names, or nil when there is none.
	User(ctx context.Context, ref AssociateRef) (*soap.User, error)
	// List returns the associate's stored records of the Type
	// (GetUntrustedCredentialsForAssociate).
	List(ctx context.Context, associateID int32, typ string) ([]soap.UntrustedCredentials, error)
	// Save saves one record: an upsert keyed by (associate, Type,
	// PublicValue) (SaveUntrustedCredentialsForAssociate).
	Save(ctx context.Context, associateID int32, typ string, c soap.UntrustedCredentials) error
	// Remove removes the record keyed by (associate, Type, PublicValue)
	// (RemoveUntrustedCredentialsForAssociate).
	Remove(ctx context.Context, associateID int32, typ, publicValue string) error
}

// AssociateRef names an associate as a file or a list does: by login name
// when UserName is set, else by id.
type AssociateRef struct {
	ID       int32
	UserName string
}

// String is the id, or the user name.
func (a AssociateRef) String() string {
	if a.UserName != "" {
		return a.UserName
	}
	return strconv.FormatInt(int64(a.ID), 10)
}

// key identifies the associate as named: user names without regard to
// case, as NetServer matches them.
func (a AssociateRef) key() string {
	if a.UserName != "" {
		return "@" + strings.ToLower(a.UserName)
	}
	return "#" + strconv.FormatInt(int64(a.ID), 10)
}

// Sender sends one request and reads its answer: it adds what reaching
// the server takes (the endpoint, the ApplicationToken, a signature, a
// timeout), builds the envelope, posts it and classifies the answer with
// soap.Classify. A call that gets no answer returns an error wrapping
// ErrNetwork.
type Sender func(ctx context.Context, r soap.Request) (*soap.Response, error)

// Remote is the Client that speaks SOAP through a Sender, with the ticket
// it holds. Its methods are safe for concurrent use.
type Remote struct {
	send Sender

	mu     sync.Mutex
	ticket string
}

// NewRemote returns a Remote that sends through send with ticket.
func NewRemote(send Sender, ticket string) *Remote {
	return &Remote{send: send, ticket: ticket}
}

// SetTicket replaces the ticket, for the calls sent from now on: what to
// do before Resume when a job paused for a new ticket.
func (r *Remote) SetTicket(ticket string) {
	r.mu.Lock()
	r.ticket = ticket
	r.mu.Unlock()
}

func (r *Remote) request(op soap.Operation, associateID int32, typ string) soap.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return soap.Request{Operation: op, Ticket: r.ticket, AssociateID: int64(associateID), Type: typ}
}

// User resolves ref with GetUserFromName (a user name) or GetUser (an id):
// nil, and no error, when NetServer knows no such associate.
func (r *Remote) User(ctx context.Context, ref AssociateRef) (*soap.User, error) {
	req := r.request(soap.GetUser, ref.ID, "")
	if ref.UserName != "" {
		req = r.request(soap.GetUserFromName, 0, "")
		req.UserName = ref.UserName
	}
	resp, err := r.send(ctx, req)
	if err != nil {
		return nil, err
	}
	return resp.User, nil
}

// List sends GetUntrustedCredentialsForAssociate.
func (r *Remote) List(ctx context.Context, associateID int32, typ string) ([]soap.UntrustedCredentials, error) {
	resp, err := r.send(ctx, r.request(soap.GetForAssociate, associateID, typ))
	if err != nil {
		return nil, err
	}
	return resp.Credentials, nil
}

// Save sends SaveUntrustedCredentialsForAssociate.
func (r *Remote) Save(ctx context.Context, associateID int32, typ string, c soap.UntrustedCredentials) error {
	req := r.request(soap.SaveForAssociate, associateID, typ)
	req.Credentials = c
	_, err := r.send(ctx, req)
	return err
}

// Remove sends RemoveUntrustedCredentialsForAssociate.
func (r *Remote) Remove(ctx context.Context, associateID int32, typ, publicValue string) error {
	req := r.request(soap.RemoveForAssociate, associateID, typ)
	req.PublicValue = publicValue
	_, err := r.send(ctx, req)
	return err
}

// The ExceptionTypes (their last part) of a refused ticket: none sent,
// unknown, expired. They are the local NetServer's too (netserver.TypeNoTicket,
// TypeInvalidTicket, TypeExpiredTicket).
var ticketExceptions = []string{"SoNotLoggedInException", "SoInvalidTicketException", "SoTicketExpiredException"}

// TicketError reports whether err is NetServer refusing the ticket:
// missing, unknown or expired. A job pauses on it until Resume.
func TicketError(err error) bool {
	var exc *soap.ExceptionInfo
	if !errors.As(err, &exc) {
		return false
	}
	for e := exc; e != nil; e = e.InnerException {
		t := e.ExceptionType
		if i := strings.LastIndexByte(t, '.'); i >= 0 {
			t = t[i+1:]
		}
		for _, name := range ticketExceptions {
			if t == name {
				return true
			}
		}
	}
	return false
}

// Transient reports whether err may pass when the call is repeated: no
// answer (ErrNetwork), HTTP 408, 429 or 5xx without a SOAP fault, a
// server-side fault (Server, Receiver, WCF's InternalServiceFault), or
// NetServer's SoServiceUnavailableException. A business error (no right,
// unknown associate) and a contract fault (ActionNotSupported, …) are not.
func Transient(err error) bool {
	var (
		herr *soap.HTTPError
		flt  *soap.Fault
		exc  *soap.ExceptionInfo
	)
	switch {
	case errors.Is(err, ErrNetwork):
		return true
	case errors.As(err, &herr):
		return herr.Status == 408 || herr.Status == 429 || herr.Status >= 500
	case errors.As(err, &flt):
		code := flt.Code.Local
		for _, s := range flt.Subcodes {
			if s.Local == "InternalServiceFault" {
				return true
			}
		}
		return code == "Server" || code == "Receiver" || code == "InternalServiceFault"
	case errors.As(err, &exc):
		return strings.HasSuffix(exc.ExceptionType, "SoServiceUnavailableException")
	}
	return false
}

// statusText names the statuses a NetServer or a proxy in front of it
// answers, without pulling net/http into the module.
var statusText = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
	408: "Request Timeout", 413: "Content Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
	500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

// messageOf is what a report says about a failed call: the server's text
// for a business error, else the error without its package prefix. An
// HTTPError's body excerpt is left out: no report repeats what a proxy
// may have echoed.
func messageOf(err error) string {
	var (
		exc  *soap.ExceptionInfo
		herr *soap.HTTPError
	)
	switch {
	case errors.As(err, &exc):
		return exc.Text()
	case errors.As(err, &herr):
		m := "HTTP " + strconv.Itoa(herr.Status)
		if text := statusText[herr.Status]; text != "" {
			m += " " + text
		}
		if herr.Status >= 200 && herr.Status < 300 && herr.Err != nil {
			// A success status without a SOAP answer: say what was wrong.
			m += ": " + strings.TrimPrefix(herr.Err.Error(), "soap: ")
		}
		return m
	}
	m := err.Error()
	for _, p := range []string{"batch: ", "soap: "} {
		m = strings.TrimPrefix(m, p)
	}
	return m
}
