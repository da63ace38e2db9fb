package netserver

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"socred/soap"
)

// ExceptionType values of the business errors the local NetServer answers.
// Tests (and clients that want to) can tell the cases apart by them.
const (
	TypeApplicationToken   = "SuperOffice.Online.ApplicationTokenException"
	TypeNoTicket           = "SuperOffice.CRM.Security.SoNotLoggedInException"
	TypeInvalidTicket      = "SuperOffice.CRM.Security.SoInvalidTicketException"
	TypeExpiredTicket      = "SuperOffice.CRM.Security.SoTicketExpiredException"
	TypeAccessDenied       = "SuperOffice.CRM.Security.SoAccessDeniedException"
	TypeUnknownAssociate   = "SuperOffice.CRM.Data.SoNotFoundException"
	TypeInvalidArgument    = "System.ArgumentException"
	TypeLockedAssociate    = "SuperOffice.CRM.Security.SoLockedException"
	TypeServiceUnavailable = "SuperOffice.CRM.SoServiceUnavailableException"
	// TypeDuplicateKey is the database refusing a second row under a
	// unique index; the name is an inference (SqlClient's exception).
	TypeDuplicateKey = "System.Data.SqlClient.SqlException"
)

var errTooManySessions = errors.New("netserver: too many sessions")

// exception is a business error.
func exception(typ, message, friendly string, params ...soap.KeyValue) *soap.ExceptionInfo {
	return &soap.ExceptionInfo{
		Message: message, FriendlyText: friendly, ExceptionType: typ,
		Source: "SuperOffice.Services88", Parameters: params,
	}
}

func param(k string, v any) soap.KeyValue { return soap.KeyValue{Key: k, Value: fmt.Sprint(v)} }

// answer is what an operation produced: an ExceptionInfo, or the content of
// the response element.
type answer struct {
	exc  *soap.ExceptionInfo
	body func(*xmlBuilder)
}

func fail(e *soap.ExceptionInfo) answer { return answer{exc: e} }

// dispatch runs a well-formed request and writes its answer.
func (s *NetServer) dispatch(w http.ResponseWriter, v soap.Version, r *soap.Request) {
	a := s.run(r)
	writeResponse(w, v, r.Operation, a)
}

func (s *NetServer) run(r *soap.Request) answer {
	if t := s.cfg.ApplicationToken; t != "" {
		switch {
		case r.ApplicationToken == "":
			return fail(exception(TypeApplicationToken, "ApplicationToken is required",
				"This is a SuperOffice Online installation: every call must carry the application's ApplicationToken header."))
		case subtle.ConstantTimeCompare([]byte(r.ApplicationToken), []byte(t)) != 1:
			return fail(exception(TypeApplicationToken, "ApplicationToken is not valid",
				"The ApplicationToken is not the one registered for this installation."))
		}
	}
	if r.Operation == soap.AuthenticateUsernamePassword {
		return s.authenticate(r)
	}
	now := s.cfg.Now()
	u, state := s.dir.lookup(r.Ticket, now)
	switch state {
	case ticketMissing:
		return fail(exception(TypeNoTicket, "No credentials: the Credentials header has no Ticket",
			"You are not logged in. Log in through SoPrincipal.svc and send the ticket in the Credentials header."))
	case ticketUnknown:
		return fail(exception(TypeInvalidTicket, "Invalid ticket",
			"The ticket is not valid on this server. Log in again to get a new one."))
	case ticketExpired:
		return fail(exception(TypeExpiredTicket, "Ticket has expired",
			"Your session has expired. Log in again to get a new ticket."))
	}

	if r.Operation.LooksUpUser() {
		return s.lookUp(u, r)
	}
	assoc := u.AssociateID
	if r.Operation.ForAssociate() {
		id := int32(r.AssociateID)
		if id == MarkupAssociateID {
			return fail(exception(TypeLockedAssociate, "Associate 666 is locked", MarkupFriendlyText, param("AssociateId", id)))
		}
		if _, ok := s.dir.associates[id]; !ok {
			return fail(exception(TypeUnknownAssociate, "Associate "+strconv.Itoa(int(id))+" not found",
				"There is no associate with id "+strconv.Itoa(int(id))+".", param("AssociateId", id)))
		}
		if id != u.AssociateID && !u.Administrator {
			return fail(exception(TypeAccessDenied, "Access denied: "+u.Name+" may not manage other associates' credentials",
				"You do not have the right to manage other users' credentials.", param("AssociateId", id)))
		}
		assoc = id
	}

	switch r.Operation {
	case soap.SaveForAssociate, soap.Save:
		return s.save(assoc, r)
	case soap.GetForAssociate, soap.Get:
		list := s.store.list(assoc, r.Type)
		if assoc != u.AssociateID && !u.SystemUser {
			for i := range list {
				list[i].SecretValue = ""
			}
		}
		return answer{body: func(b *xmlBuilder) {
			b.raw("<Response>")
			for i := range list {
				writeCredentials(b, "UntrustedCredentials", &list[i])
			}
			b.raw("</Response>")
		}}
	case soap.RemoveForAssociate, soap.Remove:
		if err := s.store.remove(assoc, r.Type, r.PublicValue); err != nil {
			return s.storageFailed(err)
		}
		return answer{}
	case soap.CreateDefault:
		from := now.UTC().Truncate(1e9)
		c := soap.UntrustedCredentials{ValidFrom: from, ValidTo: from.AddDate(1, 0, 0), IsActive: true}
		return answer{body: func(b *xmlBuilder) { writeCredentials(b, "Response", &c) }}
	}
	return fail(exception(TypeInvalidArgument, "Operation not supported", "This operation is not supported."))
}

// save checks what NetServer's database would refuse, then upserts.
func (s *NetServer) save(assoc int32, r *soap.Request) answer {
	c := r.Credentials
	invalid := func(field, why string) answer {
		return fail(exception(TypeInvalidArgument, field+" "+why, "The credentials were not saved: "+field+" "+why+".", param("Field", field)))
	}
	if strings.TrimSpace(r.Type) == "" {
		return invalid("Type", "is required")
	}
	for _, f := range []struct {
		name  string
		value string
		max   int
	}{{"Type", r.Type, soap.MaxPublicValue}, {"Comment", c.Comment, soap.MaxComment}, {"SecretValue", c.SecretValue, soap.MaxSecretValue}, {"PublicValue", c.PublicValue, soap.MaxPublicValue}} {
		if n := soap.Len(f.value); n > f.max {
			return invalid(f.name, fmt.Sprintf("is longer than %d characters", f.max))
		}
	}
	if c.ValidTo.Before(c.ValidFrom) {
		return invalid("ValidTo", "is before ValidFrom")
	}
	if err := s.store.save(assoc, r.Type, c); errors.Is(err, errDuplicateKey) {
		return fail(duplicateKey(r.Type, c.PublicValue))
	} else if err != nil {
		return s.storageFailed(err)
	}
	return answer{}
}

// duplicateKey is the refusal of a Type and PublicValue stored for another
// associate. Its wording is an inference: SQL Server's error 2601 for the
// Credentials table's unique index on (credentialType, searchName), which
// SuperOffice's database reference gives; the index name is made up, and
// no live NetServer was seen answering it.
func duplicateKey(typ, public string) *soap.ExceptionInfo {
	return exception(TypeDuplicateKey, "Cannot insert duplicate key row in object 'dbo.credentials' with unique index "+
		"'IDXCredentialsTypeSearchName'. The duplicate key value is ("+typ+", "+public+"). The statement has been terminated.", "")
}

func (s *NetServer) storageFailed(err error) answer {
	s.cfg.Logf("netserver: storage: %v", err)
	return fail(exception(TypeServiceUnavailable, "The change could not be stored", "The change could not be stored. Try again later."))
}

func (s *NetServer) authenticate(r *soap.Request) answer {
	u := s.dir.authenticate(r.UserName, r.Password)
	if u == nil {
		return answer{body: func(b *xmlBuilder) {
			b.raw(`<Response i:nil="true"/><Credentials i:nil="true"/><AuthenticationSucceeded>false</AuthenticationSucceeded>`)
		}}
	}
	ticket, err := s.dir.issue(u, s.cfg.Now())
	if err != nil {
		s.cfg.Logf("netserver: login: %v", err)
		return fail(exception(TypeServiceUnavailable, "Too many sessions", "The server has too many open sessions. Try again later."))
	}
	a := s.dir.associates[u.AssociateID]
	role := "User"
	if u.Administrator {
		role = "Administrator"
	}
	return answer{body: func(b *xmlBuilder) {
		b.raw("<Response><UserType>InternalAssociate</UserType><Associate>")
		b.text(u.Name)
		b.raw("</Associate><AssociateId>" + strconv.Itoa(int(u.AssociateID)) + "</AssociateId><IsPerson>true</IsPerson><RoleName>")
		b.text(role)
		b.raw("</RoleName><RoleType>Employee</RoleType><FullName>")
		b.text(a.FullName)
		b.raw("</FullName></Response><Credentials><Ticket>")
		b.text(ticket)
		b.raw("</Ticket></Credentials><AuthenticationSucceeded>true</AuthenticationSucceeded>")
	}}
}
