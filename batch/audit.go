package batch

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"socred/soap"
)

// Audit limits and defaults.
const (
	// MaxAuditAssociates is how many associates one audit reads, ranges
	// included.
	MaxAuditAssociates = 10_000
	// DefaultWindow is how soon an expiry counts as "expires soon".
	DefaultWindow = 30 * 24 * time.Hour
)

// The codes of problems with an associate list, with their Params (each
// also has item: the part of the list it is about).
const (
	CodeRangeOrder        = "range-order"         // from, to
	CodeTooManyAssociates = "too-many-associates" // max
	CodeNoAssociates      = "no-associates"       // —
	CodeNoTypes           = "no-types"            // —
)

// ErrList is a list of associates or Types that cannot be read.
var ErrList = errors.New("batch: list")

// ParseAssociates reads the associates to audit: ids, ranges of ids
// ("1-200") and login names, separated by commas, semicolons, tabs or
// line breaks, e.g. "1-200, 305, ola.nordmann, bjørn.ås". Each associate
// comes once, in the order first named. The error is a Problems with
// every part that cannot be read.
func ParseAssociates(list string) ([]AssociateRef, error) {
	var (
		out  []AssociateRef
		ps   Problems
		seen = map[string]bool{}
	)
	add := func(r AssociateRef) bool {
		if k := r.key(); !seen[k] {
			if len(out) == MaxAuditAssociates {
				return false
			}
			seen[k] = true
			out = append(out, r)
		}
		return true
	}
	problem := func(item string, err error, code, reason string, params ...string) {
		ps = append(ps, newProblem(0, item, err, code, reason, append([]string{"item", item}, params...)...))
	}
	tooMany := func(item string) {
		problem(item, ErrTooLarge, CodeTooManyAssociates,
			"makes more than "+strconv.Itoa(MaxAuditAssociates)+" associates; audit them in parts", "max", strconv.Itoa(MaxAuditAssociates))
	}
	items := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == '\t' || r == '\n' || r == '\r' })
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if from, to, ok := strings.Cut(item, "-"); ok && allDigits(strings.TrimSpace(from)) && allDigits(strings.TrimSpace(to)) {
			a, errA := associateID(strings.TrimSpace(from))
			b, errB := associateID(strings.TrimSpace(to))
			switch {
			case errA != nil || errB != nil:
				problem(item, ErrFormat, soap.CodeOutOfRange, "names an id beyond 2147483647", "min", "0", "max", "2147483647")
			case a > b:
				problem(item, ErrFormat, CodeRangeOrder, "runs backwards; write the smaller id first", "from", strconv.Itoa(int(a)), "to", strconv.Itoa(int(b)))
			case int64(b)-int64(a) >= MaxAuditAssociates:
				tooMany(item)
			default:
				for id := int64(a); id <= int64(b); id++ {
					if !add(AssociateRef{ID: int32(id)}) {
						tooMany(item)
						break
					}
				}
			}
			continue
		}
		if allDigits(item) {
			id, err := associateID(item)
			if err != nil {
				problem(item, ErrFormat, soap.CodeOutOfRange, "is an id beyond 2147483647", "min", "0", "max", "2147483647")
				continue
			}
			if !add(AssociateRef{ID: id}) {
				tooMany(item)
			}
			continue
		}
		login := soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: item}
		if err := login.Validate(); err != nil {
			for _, v := range err.(soap.ValidationErrors) {
				if v.Field == "UserName" {
					p := fromValidation(0, item, v)
					if p.Params == nil {
						p.Params = map[string]string{}
					}
					p.Params["item"] = item
					ps = append(ps, p)
				}
			}
			continue
		}
		if !add(AssociateRef{UserName: item}) {
			tooMany(item)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if len(out) == 0 {
		return nil, Problems{newProblem(0, "", ErrList, CodeNoAssociates, "the list names no associate: give ids, ranges such as 1-200, or user names")}
	}
	return out, nil
}

func associateID(s string) (int32, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	return int32(n), err
}

// StatusKind is where a record stands.
type StatusKind string

// The kinds, in the order StatusOf tries them.
const (
	StatusInactive    StatusKind = "inactive"      // IsActive is false
	StatusExpired     StatusKind = "expired"       // ValidTo has passed
	StatusNotYetValid StatusKind = "not-yet-valid" // ValidFrom is still to come
	StatusExpiring    StatusKind = "expiring"      // ValidTo is within the window
	StatusActive      StatusKind = "active"
)

// Status is where a record stands at a moment.
type Status struct {
	Kind StatusKind
	// At is ValidTo (expired, expiring, active) or ValidFrom (not yet
	// valid); zero for an inactive record.
	At time.Time
	// Days is whole days (rounded down) since At for an expired record,
	// until At otherwise: "expired 3 days ago", "expires in 0 days" (today).
	Days int
}

// StatusOf is where c stands at now, with expiries within window counting
// as "expires soon". It is a pure function, for the page to use too.
func StatusOf(c soap.UntrustedCredentials, now time.Time, window time.Duration) Status {
	days := func(d time.Duration) int { return int(d / (24 * time.Hour)) }
	switch {
	case !c.IsActive:
		return Status{Kind: StatusInactive}
	case !now.Before(c.ValidTo):
		return Status{Kind: StatusExpired, At: c.ValidTo, Days: days(now.Sub(c.ValidTo))}
	case now.Before(c.ValidFrom):
		return Status{Kind: StatusNotYetValid, At: c.ValidFrom, Days: days(c.ValidFrom.Sub(now))}
	case c.ValidTo.Sub(now) <= window:
		return Status{Kind: StatusExpiring, At: c.ValidTo, Days: days(c.ValidTo.Sub(now))}
	}
	return Status{Kind: StatusActive, At: c.ValidTo, Days: days(c.ValidTo.Sub(now))}
}

// AuditRecord is one stored record, read by an audit, without its secret.
type AuditRecord struct {
	AssociateID int32
	UserName    string
	FullName    string
	Deleted     bool // the associate is deleted
	Type        string
	// Credentials is the record with SecretValue left out.
	Credentials soap.UntrustedCredentials
	// HasSecret says whether the answer held a SecretValue. NetServer
	// sends other associates' secrets only to system users: for anyone
	// else it is false whatever is stored.
	HasSecret bool
	Status    Status
}

// Filter picks audit records. A record matches when it matches any of
// the criteria set; the zero Filter matches every record.
type Filter struct {
	Expired bool // ValidTo has passed
	// ExpiringWithin, if not 0, matches records not yet expired whose
	// ValidTo comes within it.
	ExpiringWithin time.Duration
	Inactive       bool // IsActive is false
	WithoutSecret  bool // HasSecret is false
}

// Match reports whether the filter picks r at now.
func (f Filter) Match(r *AuditRecord, now time.Time) bool {
	if f == (Filter{}) {
		return true
	}
	c := &r.Credentials
	expired := !now.Before(c.ValidTo)
	return f.Expired && expired ||
		f.ExpiringWithin > 0 && !expired && c.ValidTo.Sub(now) <= f.ExpiringWithin ||
		f.Inactive && !c.IsActive ||
		f.WithoutSecret && !r.HasSecret
}

// AuditFailure is a read an audit could not make.
type AuditFailure struct {
	Associate AssociateRef
	Type      string // "" when the associate itself could not be resolved
	Message   string
	Err       error
}

// Audit is what an Auditor read.
type Audit struct {
	At     time.Time     // when it was read: the statuses are as of then
	Window time.Duration // the "expires soon" window of the statuses
	// Records are in the order of the list, then the Types, then as stored.
	Records []AuditRecord
	// Associates is how many associates were read (each once, however
	// often the list names them).
	Associates int
	// Missing are the associates of the list that do not exist.
	Missing []AssociateRef
	// Failed are the reads that failed, retries spent.
	Failed []AuditFailure
}

// Filter returns the records f picks, as of the audit's time.
func (a *Audit) Filter(f Filter) []AuditRecord {
	var out []AuditRecord
	for i := range a.Records {
		if f.Match(&a.Records[i], a.At) {
			out = append(out, a.Records[i])
		}
	}
	return out
}

// AuditOptions are how an Auditor reads.
type AuditOptions struct {
	JobOptions
	// Window is how soon an expiry counts as "expires soon"
	// (DefaultWindow if 0).
	Window time.Duration
	// Cache holds associates resolved before; a new one if nil.
	Cache *Cache
}

// Auditor reads every stored record of some associates and Types, with
// the same Job (concurrency, retries, pause, progress) as a Runner.
type Auditor struct {
	Job
	client Client
	refs   []AssociateRef
	types  []string
	opt    AuditOptions
}

// NewAuditor returns an Auditor of the Types of refs through c.
func NewAuditor(c Client, refs []AssociateRef, types []string, opt AuditOptions) *Auditor {
	if opt.Window <= 0 {
		opt.Window = DefaultWindow
	}
	if opt.Cache == nil {
		opt.Cache = NewCache()
	}
	a := &Auditor{client: c, refs: refs, opt: opt}
	for _, t := range types {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(a.types, t) {
			a.types = append(a.types, t)
		}
	}
	a.init(opt.JobOptions)
	return a
}

// Run resolves the associates and reads their records. It fails only
// when it was cancelled, or the list names no Type (ErrList); reads that
// fail are in Audit.Failed.
func (a *Auditor) Run(ctx context.Context) (*Audit, error) {
	if len(a.types) == 0 {
		return nil, Problems{newProblem(0, "", ErrList, CodeNoTypes, "name at least one Type to audit, e.g. imap")}
	}
	n := len(a.refs)
	users := make([]*soap.User, n)
	errs := make([]error, len(a.refs)*(1+len(a.types)))
	records := make([][]soap.UntrustedCredentials, n*len(a.types))
	pairs := func(ri int) []int {
		out := make([]int, len(a.types))
		for t := range a.types {
			out[t] = n + ri*len(a.types) + t
		}
		return out
	}
	// Two names of one associate are read once.
	reader := map[int32]int{} // the ref whose lookups read an associate
	resolved := func(ri int) (more []int, skipped int) {
		id := users[ri].AssociateID
		if _, ok := reader[id]; ok {
			return nil, len(a.types)
		}
		reader[id] = ri
		return pairs(ri), 0
	}
	tasks, skipped := a.opt.Cache.firstTasks(n, func(ri int) AssociateRef { return a.refs[ri] },
		func(ri int, u *soap.User) ([]int, int) {
			users[ri] = u
			return resolved(ri)
		})
	err := a.execute(ctx, run{
		total: len(errs), skipped: skipped, tasks: tasks,
		do: func(ctx context.Context, i int) error {
			if i < n {
				u, err := a.client.User(ctx, a.refs[i])
				users[i] = u
				return err
			}
			ri, t := (i-n)/len(a.types), (i-n)%len(a.types)
			recs, err := a.client.List(ctx, users[ri].AssociateID, a.types[t])
			records[i-n] = recs
			return err
		},
		finish: func(i int, err error) ([]int, int) {
			errs[i] = err
			if i >= n {
				return nil, 0
			}
			if err != nil || users[i] == nil {
				return nil, len(a.types)
			}
			a.opt.Cache.put(a.refs[i], users[i])
			return resolved(i)
		},
	})
	if err != nil {
		return nil, err
	}

	out := &Audit{At: a.opt.now(), Window: a.opt.Window}
	emitted := map[int32]bool{}
	for ri, ref := range a.refs {
		u := users[ri]
		switch {
		case errs[ri] != nil:
			out.Failed = append(out.Failed, AuditFailure{Associate: ref, Message: messageOf(errs[ri]), Err: errs[ri]})
			continue
		case u == nil:
			out.Missing = append(out.Missing, ref)
			continue
		case emitted[u.AssociateID]:
			continue // named before in the list
		}
		emitted[u.AssociateID] = true
		rr := reader[u.AssociateID]
		for t, typ := range a.types {
			i := n + rr*len(a.types) + t
			if errs[i] != nil {
				out.Failed = append(out.Failed, AuditFailure{Associate: ref, Type: typ, Message: messageOf(errs[i]), Err: errs[i]})
				continue
			}
			for _, c := range records[i-n] {
				rec := AuditRecord{AssociateID: u.AssociateID, UserName: u.UserName, FullName: u.FullName, Deleted: u.Deleted,
					Type: typ, HasSecret: c.SecretValue != "", Status: StatusOf(c, out.At, out.Window)}
				c.SecretValue = ""
				rec.Credentials = c
				out.Records = append(out.Records, rec)
			}
			records[i-n] = nil
		}
	}
	out.Associates = len(emitted)
	return out, nil
}

func (o AuditOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
