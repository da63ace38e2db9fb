package batch

import (
	"strconv"
	"strings"
	"time"

	"socred/soap"
)

// Entry is one data row, checked: what saving it would send, or its
// problems.
type Entry struct {
	Row int // the spreadsheet row number

	// The associate, by exactly one of: its id (the AssociateId cell, when
	// UserName is ""), or its login name (the UserName cell).
	AssociateID int32
	UserName    string

	Type        string                    // trimmed
	Credentials soap.UntrustedCredentials // ValidFrom and ValidTo in UTC; other cells as written
	// KeepSecret is set when the file has no SecretValue column: an update
	// then keeps the stored secret instead of clearing it.
	KeepSecret bool
	// CheckName is the UserName cell of a row that names the associate by
	// AssociateId too (an audit export does): the id decides, and the
	// Planner refuses the row if the associate's login name is not this.
	CheckName string

	Problems Problems // nil for a valid row

	named bool // the associate cells name one associate
}

// Valid reports whether the row has no problem.
func (e *Entry) Valid() bool { return len(e.Problems) == 0 }

// Associate is the associate the row names.
func (e *Entry) Associate() AssociateRef {
	return AssociateRef{ID: e.AssociateID, UserName: e.UserName}
}

// Checked is a checked file: an Entry per data row, in file order.
type Checked struct {
	File     *File
	Entries  []*Entry
	Problems Problems // every row's problems, in row order
}

// Valid returns the rows without problems.
func (c *Checked) Valid() []*Entry {
	out := make([]*Entry, 0, len(c.Entries))
	for _, e := range c.Entries {
		if e.Valid() {
			out = append(out, e)
		}
	}
	return out
}

// Invalid is how many rows have problems.
func (c *Checked) Invalid() int {
	n := 0
	for _, e := range c.Entries {
		if !e.Valid() {
			n++
		}
	}
	return n
}

// Err returns the Problems, or nil when every row is valid.
func (c *Checked) Err() error {
	if len(c.Problems) == 0 {
		return nil
	}
	return c.Problems
}

// Forget drops the secrets read from the file: each row's SecretValue and
// the file's rows.
func (c *Checked) Forget() {
	for _, e := range c.Entries {
		e.Credentials.SecretValue = ""
	}
	if c.File != nil {
		c.File.Forget()
	}
}

// The words IsActive accepts, in lower case: true/false, yes/no and 1/0,
// the yes and no of every language the page speaks (nb, nn, sv, da, de,
// nl: ja, nei, nej, nein, nee), and TRUE and FALSE as Excel writes them in
// those languages' CSV exports (SANN, SANT, SAND, WAHR, WAAR; USANN,
// FALSKT, FALSK, FALSCH, ONWAAR).
var booleans = map[string]bool{
	"true": true, "yes": true, "1": true, "ja": true,
	"sann": true, "sant": true, "sand": true, "wahr": true, "waar": true,
	"false": false, "no": false, "0": false, "nei": false, "nej": false, "nein": false, "nee": false,
	"usann": false, "falskt": false, "falsk": false, "falsch": false, "onwaar": false,
}

// Check checks every row of f with the form's rules (soap's validation of
// SaveUntrustedCredentialsForAssociate) and the file's own: an associate
// (AssociateId, or UserName; with both, the id decides and the Planner
// checks the name), dates as readDate reads them in opt.Locale's style
// (without a zone: local time, through opt; a date alone: the start of
// that day in ValidFrom, its last second in ValidTo), IsActive words, no
// cells in unnamed columns, and no two rows with the same associate, Type
// and PublicValue. Every problem of every row is reported.
//
// Rows that name the same associate once by id and once by name can only
// be told apart once the names are resolved: the Planner refuses those.
func Check(f *File, opt Options) *Checked {
	c := &Checked{File: f, Entries: make([]*Entry, len(f.Rows))}
	local, style := opt.local(), DateStyleOf(opt.Locale)
	for i := range f.Rows {
		if opt.Yield != nil && i > 0 && i%yieldEvery == 0 {
			opt.Yield()
		}
		c.Entries[i] = checkRow(f, &f.Rows[i], local, style)
	}
	findDuplicates(c.Entries)
	findKeyClashes(c.Entries)
	for _, e := range c.Entries {
		if len(e.Problems) > 1 {
			sortProblems(f, e.Problems)
		}
		c.Problems = append(c.Problems, e.Problems...)
	}
	return c
}

// checkRow checks one row.
func checkRow(f *File, row *Row, local func(Civil) time.Time, style DateStyle) *Entry {
	e := &Entry{Row: row.Number, KeepSecret: !f.Has(ColSecretValue)}
	add := func(c Col, err error, code, reason string, params ...string) {
		col := ""
		if c != ColNone {
			col = f.ColumnHeader(c)
		}
		e.Problems = append(e.Problems, newProblem(row.Number, col, err, code, reason, params...))
	}
	for i, c := range f.Columns {
		if c == ColNone && strings.TrimSpace(row.Cells[i]) != "" {
			e.Problems = append(e.Problems, newProblem(row.Number, "", ErrHeader, CodeUnnamedColumn,
				"has a value in column "+strconv.Itoa(i+1)+", which has no name in the header", "position", strconv.Itoa(i+1)))
		}
	}
	if row.Extra > 0 {
		e.Problems = append(e.Problems, newProblem(row.Number, "", ErrHeader, CodeExtraCells,
			"has "+plural(row.Extra, "more cell", "more cells")+" than the header's "+strconv.Itoa(len(f.Header)),
			"count", strconv.Itoa(row.Extra), "columns", strconv.Itoa(len(f.Header))))
	}

	id := strings.TrimSpace(f.Cell(row, ColAssociateID))
	name := strings.TrimSpace(f.Cell(row, ColUserName))
	// The ticket is the sender's business: a stand-in satisfies Validate
	// without making it build a problem for every row.
	req := soap.Request{Operation: soap.SaveForAssociate, Ticket: "checked when sent"}
	var skip colSet // columns whose problem is already said
	switch {
	case id == "" && name == "":
		c, other := ColAssociateID, ""
		if !f.Has(ColAssociateID) {
			c = ColUserName
		} else if f.Has(ColUserName) {
			other = f.ColumnHeader(ColUserName)
		}
		reason := "is required: it names the associate"
		if other != "" {
			reason = "is empty, and so is " + other + "; one of them must name the associate"
		}
		add(c, ErrAssociate, CodeNoAssociate, reason, "other", other)
	case id != "":
		if name != "" {
			// Both, as an audit export has them: the id decides, and the
			// planner checks that the name is the associate's.
			e.CheckName = name
		}
		n, err := strconv.ParseInt(wholeNumber(id), 10, 64)
		switch {
		case err != nil && allDigits(id):
			n = -1 // beyond int64: out of range, which Validate says
		case err != nil:
			add(ColAssociateID, ErrFormat, CodeWholeNumber, "must be a whole number")
			skip.add(ColAssociateID)
		}
		req.AssociateID = n
		if err == nil && n >= 0 && n <= 1<<31-1 {
			e.AssociateID, e.named = int32(n), true
		}
	default:
		e.UserName, e.named = name, true
		// The UserName rules of the login form: required and XML text.
		login := soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: name}
		if err := login.Validate(); err != nil {
			for _, v := range err.(soap.ValidationErrors) {
				if v.Field == "UserName" {
					e.Problems = append(e.Problems, fromValidation(row.Number, f.ColumnHeader(ColUserName), v))
				}
			}
		}
	}

	e.Type = strings.TrimSpace(f.Cell(row, ColType))
	req.Type = e.Type
	cr := &e.Credentials
	for _, d := range []struct {
		col     Col
		t       *time.Time
		through bool
	}{{ColValidFrom, &cr.ValidFrom, false}, {ColValidTo, &cr.ValidTo, true}} {
		s := strings.TrimSpace(f.Cell(row, d.col))
		if s == "" {
			continue // required: Validate says so
		}
		t, ok := readDate(s, style, local, d.through)
		if !ok {
			add(d.col, ErrFormat, CodeNotDate,
				"\""+s+"\" is not a date; write a date, or a date and time, such as "+style.Example, "text", s, "example", style.Example)
			skip.add(d.col)
			continue
		}
		*d.t = t
	}
	cr.Comment = f.Cell(row, ColComment)
	cr.SecretValue = f.Cell(row, ColSecretValue)
	cr.PublicValue = f.Cell(row, ColPublicValue)
	cr.IsActive = true
	if s := strings.ToLower(strings.TrimSpace(f.Cell(row, ColIsActive))); s != "" {
		b, ok := booleans[s]
		if !ok {
			add(ColIsActive, ErrFormat, CodeNotBoolean, "must be true or false (or yes/no, 1/0; empty is true)", "example", "true")
		}
		cr.IsActive = b
	}
	req.Credentials = *cr

	if err := req.Validate(); err != nil {
		for _, v := range err.(soap.ValidationErrors) {
			c := fieldColumn(v.Field)
			if skip.has(c) {
				continue // the cell's own problem says it
			}
			e.Problems = append(e.Problems, fromValidation(row.Number, f.ColumnHeader(c), v))
		}
	}
	return e
}

// colSet is a set of columns.
type colSet uint16

func (s *colSet) add(c Col)     { *s |= 1 << c }
func (s colSet) has(c Col) bool { return c != ColNone && s&(1<<c) != 0 }

// fieldColumn is the column of a soap validation field.
func fieldColumn(field string) Col {
	for c := ColAssociateID; c < numCols; c++ {
		if colNames[c] == field {
			return c
		}
	}
	return ColNone
}

// wholeNumber drops a decimal part of zeros ("3.0", "3,00"), which a
// spreadsheet's number cell may carry into a CSV export.
func wholeNumber(s string) string {
	if i := strings.IndexAny(s, ".,"); i > 0 && allDigits(s[:i]) && strings.Trim(s[i+1:], "0") == "" {
		return s[:i]
	}
	return s
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// duplicateKey identifies what a row saves: the associate as the file
// names it (user names without regard to case, as NetServer matches
// them), Type and PublicValue (exactly, as NetServer keys records).
type duplicateKey struct {
	id             int32
	name, typ, pub string
}

func duplicateKeyOf(e *Entry) duplicateKey {
	return duplicateKey{id: e.AssociateID, name: strings.ToLower(e.UserName), typ: e.Type, pub: e.Credentials.PublicValue}
}

// findDuplicates adds a problem to every row that saves what another does,
// naming the other: the first of a group names the second, the rest name
// the first.
func findDuplicates(entries []*Entry) {
	first := make(map[duplicateKey]int, len(entries))
	var groups map[int][]int
	for i, e := range entries {
		if !e.named {
			continue // no associate, or two: already a problem
		}
		k := duplicateKeyOf(e)
		j, seen := first[k]
		if !seen {
			first[k] = i
			continue
		}
		if groups == nil {
			groups = map[int][]int{}
		}
		groups[j] = append(groups[j], i)
	}
	for j, rest := range groups {
		dup := func(e *Entry, other int) {
			e.Problems = append(e.Problems, newProblem(e.Row, "", ErrDuplicate, CodeDuplicate,
				"has the same associate, Type and PublicValue as row "+strconv.Itoa(other), "row", strconv.Itoa(other)))
		}
		dup(entries[j], entries[rest[0]].Row)
		for _, i := range rest {
			dup(entries[i], entries[j].Row)
		}
	}
}

// clashKey is the Credentials table's unique key as SuperOffice's database
// reference gives it: (credentialType, searchName), searchName being the
// PublicValue. Both compare without regard to letter case: an inference
// from SQL Server's default collation (SQL_Latin1_General_CP1_CI_AS, case
// insensitive), not seen on a live server.
type clashKey struct{ typ, pub string }

func clashKeyOf(e *Entry) clashKey {
	return clashKey{typ: strings.ToLower(e.Type), pub: strings.ToLower(e.Credentials.PublicValue)}
}

// otherAssociate reports whether a and b certainly name different
// associates: both by id, or both by user name (without regard to case). A
// row named by id and one by name are told apart only once resolved.
func otherAssociate(a, b *Entry) bool {
	switch {
	case a.UserName == "" && b.UserName == "":
		return a.AssociateID != b.AssociateID
	case a.UserName != "" && b.UserName != "":
		return !strings.EqualFold(a.UserName, b.UserName)
	}
	return false
}

// findKeyClashes adds a problem to every row that gives a Type and
// PublicValue to another associate than another row does: the database
// keeps one Type and PublicValue for one associate only, so NetServer
// would refuse all but the first saved. Each such row names the first row
// that gives the pair to another associate, so both rows of a clash are
// named. An empty PublicValue is left alone: how the index treats it is
// not known.
func findKeyClashes(entries []*Entry) {
	groups := map[clashKey][]int{}
	for i, e := range entries {
		if !e.named || e.Credentials.PublicValue == "" {
			continue
		}
		k := clashKeyOf(e)
		groups[k] = append(groups[k], i)
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		for _, i := range g {
			e := entries[i]
			for _, j := range g {
				o := entries[j]
				if j == i || !otherAssociate(e, o) {
					continue
				}
				e.Problems = append(e.Problems, newProblem(e.Row, "", ErrKeyClash, CodeKeyClash,
					"gives Type "+strconv.Quote(e.Type)+" and PublicValue "+strconv.Quote(e.Credentials.PublicValue)+
						" to another associate than row "+strconv.Itoa(o.Row)+" does; a Type and PublicValue belong to one associate only",
					"row", strconv.Itoa(o.Row), "type", e.Type, "publicValue", e.Credentials.PublicValue))
				break
			}
		}
	}
}

// sortProblems orders a row's problems by the file's column order; those
// about no one column come last.
func sortProblems(f *File, ps Problems) {
	index := func(p *Problem) int {
		for i, h := range f.Header {
			if h == p.Column && p.Column != "" {
				return i
			}
		}
		if c := fieldColumn(p.Column); c != ColNone {
			return len(f.Header) + int(c) // a column the file lacks: after the file's own
		}
		return 2*len(f.Header) + int(numCols)
	}
	// Insertion sort: stable, and a row has a handful of problems.
	for i := 1; i < len(ps); i++ {
		for k := i; k > 0 && index(ps[k]) < index(ps[k-1]); k-- {
			ps[k], ps[k-1] = ps[k-1], ps[k]
		}
	}
}

// plural is n and the word that goes with it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
