package batch

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"socred/soap"
)

// Planner errors.
var (
	// ErrInvalidRows is a file with invalid rows planned without
	// PlanOptions.SkipInvalid.
	ErrInvalidRows = errors.New("batch: the file has invalid rows")
	// ErrRemoveNeedsValid is RemoveUnlisted asked of a file with invalid
	// rows: the records they name would count as unlisted and be removed.
	ErrRemoveNeedsValid = errors.New("batch: removing unlisted records needs a file without invalid rows")
)

// Action is what a plan does with a row, or with a stored record.
type Action string

// The actions.
const (
	ActionCreate    Action = "create"    // nothing stored under its PublicValue: save it
	ActionUpdate    Action = "update"    // stored and different: save it
	ActionUnchanged Action = "unchanged" // stored as the file has it: skip it
	ActionRefused   Action = "refused"   // cannot be saved: say why
	ActionRemove    Action = "remove"    // stored, but not in the file (RemoveUnlisted)
)

// The codes of a refused step (Step.Code), with their Params.
const (
	CodeInvalid          = "invalid"           // count: the row's problems (Step.Problems)
	CodeUnknownAssociate = "unknown-associate" // associate: the id or user name
	CodeDeletedAssociate = "deleted-associate" // associate
	CodeServerRefused    = "server-refused"    // the server's message is Step.Message
	CodeNoAnswer         = "no-answer"         // the lookup failed without a business error; Message says how
	CodeSecretUnknown    = "secret-unknown"    // —
	CodeSameRecord       = "same-record"       // row: the other row's number
	// CodeKeyClash (row, type, publicValue): the row gives its Type and
	// PublicValue to another associate than the row named does; Check
	// finds it when both rows name their associates alike, the plan when
	// one names it by id and the other by name.
	CodeNameMismatch = "name-mismatch" // associate: the id; userName: the associate's login name; given: the row's UserName
)

// The marks of a step (Step.Marks): what the single form asks about before
// it saves.
const (
	MarkRetired     = "retired"      // the person has retired
	MarkInactive    = "inactive"     // the record is saved inactive
	MarkEmptySecret = "empty-secret" // an empty secret replaces a stored one
	MarkExpired     = "expired"      // ValidTo is already past
	MarkTypeCase    = "type-case"    // the Type differs from a known one only in letter case
)

// Step is what the plan does with one row of the file, or (for a removal)
// with one stored record.
type Step struct {
	Row    int // the spreadsheet row; 0 for a removal
	Action Action

	// The associate: its id once resolved (else the file's), its login
	// name (the file's or the directory's), its full name once resolved.
	AssociateID int32
	UserName    string
	FullName    string

	Type        string
	PublicValue string

	// Changes lists, for an update, the fields that change, in the
	// schema's order (ValidFrom, ValidTo, Comment, SecretValue, IsActive).
	Changes []string
	// SecretReplaced says that the stored secret could not be read back
	// (empty in the answer), so saving replaces whatever it is.
	SecretReplaced bool
	// SecretResent says that the file has no SecretValue column and the
	// update sends the stored secret, as NetServer returned it, again.
	SecretResent bool
	// Stored is the stored record of an update, an unchanged row or a
	// removal, its SecretValue left out.
	Stored *soap.UntrustedCredentials

	// Why a step is refused: a code for the page's catalogue, its params,
	// and the English (or the server's own words).
	Code    string
	Params  map[string]string
	Message string
	// Problems are the row's problems when it is refused as invalid.
	Problems Problems
	// Marks are what the single form would ask about before saving the
	// row (Mark… codes, in that order), on creates and updates only: the
	// page asks once for all of them before Apply.
	Marks []string

	entry        *Entry
	secret       string // the stored secret an update keeps (Entry.KeepSecret)
	secretStored bool   // the stored record has a secret NetServer sent back
}

// credentials is what saving the step sends.
func (s *Step) credentials() soap.UntrustedCredentials {
	c := s.entry.Credentials
	if s.entry.KeepSecret {
		c.SecretValue = s.secret
	}
	return c
}

// Record is the record a row's step saves, as the page may show it: its
// dates in UTC, its SecretValue left out; the zero value for a removal.
func (s *Step) Record() soap.UntrustedCredentials {
	if s.entry == nil {
		return soap.UntrustedCredentials{}
	}
	c := s.entry.Credentials
	c.SecretValue = ""
	return c
}

// sends reports whether applying the step makes a call.
func (s *Step) sends() bool {
	return s.Action == ActionCreate || s.Action == ActionUpdate || s.Action == ActionRemove
}

func (s *Step) refuse(code, message string, params ...string) {
	s.Action, s.Code, s.Message = ActionRefused, code, message
	if len(params) > 0 {
		s.Params = map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			s.Params[params[i]] = params[i+1]
		}
	}
}

// Plan is what applying a file would do: a Step per row, in file order,
// then the removals.
type Plan struct {
	Steps []*Step
	// Delimiter is the file's, for the report.
	Delimiter rune

	file *File // forgotten with the plan
}

// Count is how many steps have the action.
func (p *Plan) Count(a Action) int {
	n := 0
	for _, s := range p.Steps {
		if s.Action == a {
			n++
		}
	}
	return n
}

// Counts is the number of steps of each action.
func (p *Plan) Counts() map[Action]int {
	m := map[Action]int{ActionCreate: 0, ActionUpdate: 0, ActionUnchanged: 0, ActionRefused: 0, ActionRemove: 0}
	for _, s := range p.Steps {
		m[s.Action]++
	}
	return m
}

// Filter returns the steps with any of the actions, in order; all of them
// when no action is given.
func (p *Plan) Filter(actions ...Action) []*Step {
	var out []*Step
	for _, s := range p.Steps {
		if len(actions) == 0 || containsAction(actions, s.Action) {
			out = append(out, s)
		}
	}
	return out
}

func containsAction(as []Action, a Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// Associates lists the resolved associates of the plan's rows (refused
// ones left out), each once, in file order: "the associates of the last
// import" for an audit.
func (p *Plan) Associates() []AssociateRef {
	seen := map[int32]bool{}
	var out []AssociateRef
	for _, s := range p.Steps {
		if s.Action == ActionRefused || seen[s.AssociateID] {
			continue
		}
		seen[s.AssociateID] = true
		out = append(out, AssociateRef{ID: s.AssociateID})
	}
	return out
}

// Forget drops the secrets the plan holds: the file's (its rows, and each
// checked row's SecretValue) and the stored ones an update would keep. Go
// strings cannot be overwritten; dropping every reference is what can be
// done, and the garbage collector does the rest.
func (p *Plan) Forget() {
	for _, s := range p.Steps {
		s.secret = ""
		if s.entry != nil {
			s.entry.Credentials.SecretValue = ""
		}
	}
	if p.file != nil {
		p.file.Forget()
	}
}

// Cache keeps the associates resolved, by id and by login name, so that a
// session asks for each once. Associates not found are not kept: one may
// be created meanwhile. It is safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	users map[string]*soap.User
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{users: map[string]*soap.User{}} }

func (c *Cache) get(ref AssociateRef) *soap.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.users[ref.key()]
}

// firstTasks lists the calls a run over refs associates starts with, in
// order (lookups first, as their indexes are the lowest): the lookup of
// each associate c does not know, and, for one it knows, the reads that
// known queues instead; skipped counts the calls not made (the lookup, and
// the reads known skipped).
func (c *Cache) firstTasks(refs int, ref func(ri int) AssociateRef, known func(ri int, u *soap.User) ([]int, int)) (tasks []int, skipped int) {
	for ri := range refs {
		if u := c.get(ref(ri)); u != nil {
			more, s := known(ri, u)
			tasks = append(tasks, more...)
			skipped += s + 1
			continue
		}
		tasks = append(tasks, ri)
	}
	slices.Sort(tasks)
	return tasks, skipped
}

func (c *Cache) put(ref AssociateRef, u *soap.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.users[ref.key()] = u
	c.users[AssociateRef{ID: u.AssociateID}.key()] = u
	if u.UserName != "" {
		c.users[AssociateRef{UserName: u.UserName}.key()] = u
	}
}

// PlanOptions are how a Planner plans.
type PlanOptions struct {
	JobOptions
	// SkipInvalid plans the valid rows only; the invalid ones are refused.
	// Without it, a file with invalid rows is not planned (ErrInvalidRows).
	SkipInvalid bool
	// RemoveUnlisted also plans the removal of the stored records of each
	// (associate, Type) of the file that the file does not list. The
	// Runner removes them only when RunOptions.ConfirmRemovals says the
	// administrator confirmed.
	RemoveUnlisted bool
	// Cache holds associates resolved before; a new one if nil.
	Cache *Cache
	// KnownTypes are the Types the page knows of (its suggestions): a row
	// whose Type is not one of them and differs from one of them, or from
	// another row's, only in letter case is marked MarkTypeCase.
	KnownTypes []string
}

// Planner makes the Plan for a checked file: it resolves each associate
// once (ids and user names), reads the stored records of each (associate,
// Type) once, and compares. Its Job makes those calls.
type Planner struct {
	Job
	client  Client
	checked *Checked
	opt     PlanOptions
}

// NewPlanner returns a Planner of checked through c.
func NewPlanner(c Client, checked *Checked, opt PlanOptions) *Planner {
	if opt.Cache == nil {
		opt.Cache = NewCache()
	}
	p := &Planner{client: c, checked: checked, opt: opt}
	p.init(opt.JobOptions)
	return p
}

// lookup is one associate to resolve (pair < 0) or one (associate, Type)
// to read.
type lookup struct {
	ref   AssociateRef
	typ   string
	pair  bool
	user  *soap.User
	err   error
	alias int // for a pair: the lookup whose records it shares, -1 if none
	// records are the stored records of a pair.
	records []soap.UntrustedCredentials
	done    bool
}

// Run resolves, reads and compares, and returns the plan. Invalid rows are
// refused (with PlanOptions.SkipInvalid) or stop it (ErrInvalidRows).
// Rows whose associate or records could not be read are refused with the
// reason, so one failure does not hide the rest of the plan.
func (p *Planner) Run(ctx context.Context) (*Plan, error) {
	entries := p.checked.Entries
	if n := p.checked.Invalid(); n > 0 {
		if p.opt.RemoveUnlisted {
			return nil, ErrRemoveNeedsValid
		}
		if !p.opt.SkipInvalid {
			return nil, &invalidRowsError{n}
		}
	}

	// The lookups: an associate each, then an (associate, Type) each.
	var looks []lookup
	refIndex := map[string]int{}
	pairIndex := map[string]int{}
	pairsOf := map[int][]int{}
	for _, e := range entries {
		if !e.Valid() {
			continue
		}
		ref := e.Associate()
		k := ref.key()
		if _, ok := refIndex[k]; !ok {
			refIndex[k] = len(looks)
			looks = append(looks, lookup{ref: ref, alias: -1})
		}
	}
	nrefs := len(looks)
	for _, e := range entries {
		if !e.Valid() {
			continue
		}
		ref := e.Associate()
		pk := ref.key() + "\x00" + e.Type
		if _, ok := pairIndex[pk]; !ok {
			pairIndex[pk] = len(looks)
			ri := refIndex[ref.key()]
			pairsOf[ri] = append(pairsOf[ri], len(looks))
			looks = append(looks, lookup{ref: ref, typ: e.Type, pair: true, alias: -1})
		}
	}

	// Pairs are read by resolved id; two names for one associate share.
	byID := map[string]int{}
	queuePairs := func(ri int) (more []int, skipped int) {
		r := &looks[ri]
		for _, pi := range pairsOf[ri] {
			pl := &looks[pi]
			if r.err != nil || r.user == nil || r.user.Deleted {
				skipped++
				continue
			}
			k := strconv.FormatInt(int64(r.user.AssociateID), 10) + "\x00" + pl.typ
			if other, ok := byID[k]; ok {
				pl.alias = other
				skipped++
				continue
			}
			byID[k] = pi
			more = append(more, pi)
		}
		return more, skipped
	}
	tasks, skipped := p.opt.Cache.firstTasks(nrefs, func(ri int) AssociateRef { return looks[ri].ref },
		func(ri int, u *soap.User) ([]int, int) {
			looks[ri].user, looks[ri].done = u, true
			return queuePairs(ri)
		})

	err := p.execute(ctx, run{
		total: len(looks), skipped: skipped, tasks: tasks,
		do: func(ctx context.Context, i int) error {
			l := &looks[i]
			if !l.pair {
				u, err := p.client.User(ctx, l.ref)
				if err == nil {
					l.user = u
				}
				return err
			}
			id := looks[refIndex[l.ref.key()]].user.AssociateID
			recs, err := p.client.List(ctx, id, l.typ)
			if err == nil {
				l.records = recs
			}
			return err
		},
		finish: func(i int, err error) ([]int, int) {
			l := &looks[i]
			l.done = true
			if err != nil {
				l.err = err
			}
			if l.pair {
				return nil, 0
			}
			if err == nil && l.user != nil {
				p.opt.Cache.put(l.ref, l.user)
			}
			return queuePairs(i)
		},
	})
	if err != nil {
		return nil, err
	}

	plan := &Plan{Delimiter: p.checked.File.Delimiter, file: p.checked.File}
	now := p.opt.JobOptions.normalised().Now()
	typesByFold := map[string][]string{} // the known Types and the file's, by lower case
	addType := func(t string) {
		k := strings.ToLower(t)
		if !slices.Contains(typesByFold[k], t) {
			typesByFold[k] = append(typesByFold[k], t)
		}
	}
	for _, t := range p.opt.KnownTypes {
		addType(strings.TrimSpace(t))
	}
	for _, e := range entries {
		if e.Valid() {
			addType(e.Type)
		}
	}
	resolved := func(e *Entry) *lookup { return &looks[refIndex[e.Associate().key()]] }
	records := func(e *Entry) *lookup {
		pl := &looks[pairIndex[e.Associate().key()+"\x00"+e.Type]]
		if pl.alias >= 0 {
			return &looks[pl.alias]
		}
		return pl
	}

	// The same record named twice (by id and by name) is refused twice.
	sameRecord := map[string][]int{}
	for _, e := range entries {
		if !e.Valid() {
			continue
		}
		if r := resolved(e); r.err == nil && r.user != nil && !r.user.Deleted {
			k := strconv.FormatInt(int64(r.user.AssociateID), 10) + "\x00" + e.Type + "\x00" + e.Credentials.PublicValue
			sameRecord[k] = append(sameRecord[k], e.Row)
		}
	}

	// A Type and PublicValue given to two associates that Check could not
	// tell apart (one row names its associate by id, the other by name)
	// are refused both, as Check refuses the others.
	clashes := map[clashKey][]*Entry{}
	for _, e := range entries {
		if e.Valid() && e.Credentials.PublicValue != "" {
			if r := resolved(e); r.err == nil && r.user != nil && !r.user.Deleted {
				k := clashKeyOf(e)
				clashes[k] = append(clashes[k], e)
			}
		}
	}
	clashWith := func(e *Entry) *Entry {
		id := resolved(e).user.AssociateID
		for _, o := range clashes[clashKeyOf(e)] {
			if resolved(o).user.AssociateID != id {
				return o
			}
		}
		return nil
	}

	for n, e := range entries {
		if p.opt.Yield != nil && n > 0 && n%yieldEvery == 0 {
			p.opt.Yield()
		}
		s := &Step{Row: e.Row, AssociateID: e.AssociateID, UserName: e.UserName, Type: e.Type, PublicValue: e.Credentials.PublicValue, entry: e}
		plan.Steps = append(plan.Steps, s)
		if !e.Valid() {
			s.refuse(CodeInvalid, e.Problems[0].Message(), "count", strconv.Itoa(len(e.Problems)))
			s.Problems = e.Problems
			continue
		}
		r := resolved(e)
		switch {
		case r.err != nil:
			refuseFailed(s, r.err)
			continue
		case r.user == nil:
			// The page's words (identity.noId, identity.noName): one
			// unknown associate, one wording, on the page and in the report.
			msg := "no associate has the id " + e.Associate().String()
			if e.UserName != "" {
				msg = "no associate has the user name " + strconv.Quote(e.UserName)
			}
			s.refuse(CodeUnknownAssociate, msg, "associate", e.Associate().String())
			continue
		}
		s.AssociateID, s.FullName = r.user.AssociateID, r.user.FullName
		if r.user.UserName != "" {
			s.UserName = r.user.UserName
		}
		if e.CheckName != "" && !strings.EqualFold(r.user.UserName, e.CheckName) {
			s.refuse(CodeNameMismatch, "AssociateId "+e.Associate().String()+" is "+strconv.Quote(r.user.UserName)+", not "+strconv.Quote(e.CheckName)+
				" as the UserName cell says: which one is meant?", "associate", e.Associate().String(), "userName", r.user.UserName, "given", e.CheckName)
			continue
		}
		if r.user.Deleted {
			s.refuse(CodeDeletedAssociate, "associate "+e.Associate().String()+" is deleted", "associate", e.Associate().String())
			continue
		}
		k := strconv.FormatInt(int64(r.user.AssociateID), 10) + "\x00" + e.Type + "\x00" + e.Credentials.PublicValue
		if rows := sameRecord[k]; len(rows) > 1 {
			other := rows[0]
			if other == e.Row {
				other = rows[1]
			}
			s.refuse(CodeSameRecord, "names the same associate, Type and PublicValue as row "+strconv.Itoa(other), "row", strconv.Itoa(other))
			continue
		}
		if other := clashWith(e); other != nil {
			s.refuse(CodeKeyClash, "gives Type "+strconv.Quote(e.Type)+" and PublicValue "+strconv.Quote(e.Credentials.PublicValue)+
				" to another associate than row "+strconv.Itoa(other.Row)+" does; a Type and PublicValue belong to one associate only",
				"row", strconv.Itoa(other.Row), "type", e.Type, "publicValue", e.Credentials.PublicValue)
			continue
		}
		pl := records(e)
		if pl.err != nil {
			refuseFailed(s, pl.err)
			continue
		}
		compare(s, e, pl.records)
		if s.Action == ActionCreate || s.Action == ActionUpdate {
			s.Marks = marks(s, e, r.user, now, p.opt.KnownTypes, typesByFold)
		}
	}

	if p.opt.RemoveUnlisted {
		plan.Steps = append(plan.Steps, removals(entries, looks, nrefs, refIndex)...)
	}
	// The stored secrets are no longer needed, except those an update
	// keeps (held in Step.secret).
	for i := range looks {
		for k := range looks[i].records {
			looks[i].records[k].SecretValue = ""
		}
	}
	return plan, nil
}

// invalidRowsError is ErrInvalidRows with the count.
type invalidRowsError struct{ n int }

func (e *invalidRowsError) Error() string {
	return "batch: " + plural(e.n, "row is", "rows are") + " invalid; correct the file, or plan the valid rows only"
}

func (e *invalidRowsError) Unwrap() error { return ErrInvalidRows }

// refuseFailed refuses a step whose lookup failed.
func refuseFailed(s *Step, err error) {
	var exc *soap.ExceptionInfo
	if errors.As(err, &exc) {
		s.refuse(CodeServerRefused, exc.Text())
		return
	}
	s.refuse(CodeNoAnswer, "could not be planned: "+messageOf(err))
}

// compare decides create, update or unchanged against what is stored.
func compare(s *Step, e *Entry, stored []soap.UntrustedCredentials) {
	want := e.Credentials
	var old *soap.UntrustedCredentials
	for i := range stored {
		if stored[i].PublicValue == want.PublicValue {
			old = &stored[i]
			break
		}
	}
	if old == nil {
		s.Action = ActionCreate
		return
	}
	kept := *old
	kept.SecretValue = ""
	s.Stored = &kept
	s.secretStored = old.SecretValue != ""
	if !sameTime(old.ValidFrom, want.ValidFrom) {
		s.Changes = append(s.Changes, "ValidFrom")
	}
	if !sameTime(old.ValidTo, want.ValidTo) {
		s.Changes = append(s.Changes, "ValidTo")
	}
	if old.Comment != want.Comment {
		s.Changes = append(s.Changes, "Comment")
	}
	activeChanges := old.IsActive != want.IsActive
	switch {
	case e.KeepSecret && len(s.Changes) == 0 && !activeChanges:
		// Nothing to send: the stored secret stays as it is, whether or
		// not NetServer returned it (an audit export re-imported).
	case e.KeepSecret && old.SecretValue == "":
		// As the form: saving the change would erase a secret that
		// cannot be read back, so the row asks for one.
		s.refuse(CodeSecretUnknown, "the file has no SecretValue column and the stored secret cannot be read back, so saving the change would erase it; add a SecretValue column")
		s.Changes = nil
		return
	case e.KeepSecret:
		s.secret, s.SecretResent = old.SecretValue, true
	case old.SecretValue == "":
		s.SecretReplaced = true
	case old.SecretValue != want.SecretValue:
		s.Changes = append(s.Changes, "SecretValue")
	}
	if activeChanges {
		s.Changes = append(s.Changes, "IsActive")
	}
	if len(s.Changes) > 0 || s.SecretReplaced {
		s.Action = ActionUpdate
	} else {
		s.Action = ActionUnchanged
	}
}

// marks are what the single form would ask about before saving the step.
// A Type among known is not marked: the others that differ from it are.
func marks(s *Step, e *Entry, u *soap.User, now time.Time, known []string, typesByFold map[string][]string) []string {
	var out []string
	c := &e.Credentials
	if u.Retired {
		out = append(out, MarkRetired)
	}
	if !c.IsActive {
		out = append(out, MarkInactive)
	}
	if !e.KeepSecret && c.SecretValue == "" && s.secretStored {
		out = append(out, MarkEmptySecret)
	}
	if c.ValidTo.Before(now) {
		out = append(out, MarkExpired)
	}
	if len(typesByFold[strings.ToLower(e.Type)]) > 1 && !slices.Contains(known, e.Type) {
		out = append(out, MarkTypeCase)
	}
	return out
}

// MarkCounts is how many steps carry each mark.
func (p *Plan) MarkCounts() map[string]int {
	m := map[string]int{}
	for _, s := range p.Steps {
		for _, k := range s.Marks {
			m[k]++
		}
	}
	return m
}

// sameTime compares instants as they travel: to the microsecond.
func sameTime(a, b time.Time) bool {
	return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond))
}

// removals are the stored records of each (associate, Type) read that no
// row of the file lists.
func removals(entries []*Entry, looks []lookup, nrefs int, refIndex map[string]int) []*Step {
	listed := map[string]bool{}
	for _, e := range entries {
		r := &looks[refIndex[e.Associate().key()]]
		if r.user != nil {
			listed[strconv.FormatInt(int64(r.user.AssociateID), 10)+"\x00"+e.Type+"\x00"+e.Credentials.PublicValue] = true
		}
	}
	var out []*Step
	for i := nrefs; i < len(looks); i++ {
		pl := &looks[i]
		if pl.alias >= 0 || pl.err != nil || !pl.done {
			continue
		}
		u := looks[refIndex[pl.ref.key()]].user
		if u == nil || u.Deleted {
			continue
		}
		for _, c := range pl.records {
			k := strconv.FormatInt(int64(u.AssociateID), 10) + "\x00" + pl.typ + "\x00" + c.PublicValue
			if listed[k] {
				continue
			}
			kept := c
			kept.SecretValue = ""
			out = append(out, &Step{Action: ActionRemove, AssociateID: u.AssociateID, UserName: u.UserName, FullName: u.FullName,
				Type: pl.typ, PublicValue: c.PublicValue, Stored: &kept})
		}
	}
	return out
}

// AssociateRefString is the associate as the step names it: the id once
// resolved, else the file's id or user name.
func (s *Step) AssociateRefString() string {
	if s.AssociateID == 0 && s.UserName != "" {
		return s.UserName
	}
	return AssociateRef{ID: s.AssociateID}.String()
}

// String is the step in English, for logs and tests.
func (s *Step) String() string {
	var b strings.Builder
	if s.Row > 0 {
		b.WriteString("row " + strconv.Itoa(s.Row) + ": ")
	}
	b.WriteString(string(s.Action))
	if len(s.Changes) > 0 {
		b.WriteString(" (" + strings.Join(s.Changes, ", ") + ")")
	}
	if s.SecretReplaced {
		b.WriteString(" (secret replaced)")
	}
	if s.Message != "" {
		b.WriteString(": " + s.Message)
	}
	return b.String()
}
