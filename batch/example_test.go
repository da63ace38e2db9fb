package batch_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"socred/batch"
	"socred/soap"
)

// Check reports every problem of every row, by spreadsheet row and column.
func ExampleCheck() {
	file := "AssociateId;UserName;Type;PublicValue;SecretValue;ValidFrom;ValidTo;IsActive\n" +
		"3;;imap;ola@example.com;s3cret;2025-01-01;2026-01-01;ja\n" +
		";;imap;kari@example.com;pw;2025-02-01;2025-01-01;maybe\n"
	f, err := batch.Read([]byte(file), batch.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := batch.Check(f, batch.Options{Location: time.UTC})
	fmt.Println(f.Encoding, string(f.Delimiter), len(c.Valid()), "valid")
	for _, p := range c.Problems {
		fmt.Println(p.Message(), "["+p.Code+"]")
	}
	// Output:
	// UTF-8 ; 1 valid
	// Row 3, AssociateId: is empty, and so is UserName; one of them must name the associate [no-associate]
	// Row 3, ValidTo: must not be before ValidFrom [date-order]
	// Row 3, IsActive: must be true or false (or yes/no, 1/0; empty is true) [not-boolean]
}

// memory is a Client over a map, for the example; the page's is a
// batch.Remote that sends through fetch.
type memory struct {
	records map[string][]soap.UntrustedCredentials
}

func (m *memory) User(_ context.Context, ref batch.AssociateRef) (*soap.User, error) {
	if ref.ID == 3 || strings.EqualFold(ref.UserName, "ola.nordmann") {
		return &soap.User{AssociateID: 3, UserName: "ola.nordmann", FullName: "Ola Nordmann"}, nil
	}
	return nil, nil
}

func (m *memory) List(_ context.Context, id int32, typ string) ([]soap.UntrustedCredentials, error) {
	return m.records[fmt.Sprint(id, typ)], nil
}

func (m *memory) Save(_ context.Context, id int32, typ string, c soap.UntrustedCredentials) error {
	k := fmt.Sprint(id, typ)
	m.records[k] = append(m.records[k], c)
	return nil
}

func (m *memory) Remove(context.Context, int32, string, string) error { return nil }

// A Planner says what a file would change; a Runner applies it; the
// report says what became of each row, without secrets.
func ExampleRunner() {
	file := "UserName,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n" +
		"ola.nordmann,imap,ola@example.com,s3cret,2025-01-01T00:00:00Z,2026-01-01T00:00:00Z\n" +
		"nobody,imap,x@example.com,pw,2025-01-01T00:00:00Z,2026-01-01T00:00:00Z\n"
	f, _ := batch.Read([]byte(file), batch.Options{})
	checked := batch.Check(f, batch.Options{})
	client := &memory{records: map[string][]soap.UntrustedCredentials{}}
	ctx := context.Background()

	plan, err := batch.NewPlanner(client, checked, batch.PlanOptions{}).Run(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range plan.Steps {
		fmt.Println(s)
	}
	r := batch.NewRunner(client, plan, batch.RunOptions{JobOptions: batch.JobOptions{Concurrency: 4}})
	if err := r.Run(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Progress())
	var report strings.Builder
	_ = batch.WriteReport(&report, r.Results(), plan.Delimiter)
	// The BOM and the CRLF line ends are for Excel.
	fmt.Print(strings.ReplaceAll(strings.TrimPrefix(report.String(), "\uFEFF"), "\r\n", "\n"))
	r.Forget() // the run is over: drop the secrets
	// Output:
	// row 2: create
	// row 3: refused: no associate has the user name "nobody"
	// done: 1 done, 0 failed, 1 skipped, 0 not sent of 2
	// Row,AssociateId,UserName,FullName,Type,PublicValue,Outcome,Message
	// 2,3,ola.nordmann,Ola Nordmann,imap,ola@example.com,created,
	// 3,,nobody,,imap,x@example.com,not sent,"no associate has the user name ""nobody"""
}

// StatusOf is where a record stands, for the audit and the page alike.
func ExampleStatusOf() {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	c := soap.UntrustedCredentials{ValidFrom: now.AddDate(-1, 0, 0), ValidTo: now.AddDate(0, 0, 12), IsActive: true}
	s := batch.StatusOf(c, now, batch.DefaultWindow)
	fmt.Println(s.Kind, s.Days)
	// Output: expiring 12
}

// ParseAssociates reads the Audit view's list.
func ExampleParseAssociates() {
	refs, err := batch.ParseAssociates("1-3, 305, ola.nordmann")
	fmt.Println(refs, err)
	_, err = batch.ParseAssociates("200-1")
	fmt.Println(err)
	// Output:
	// [1 2 3 305 ola.nordmann] <nil>
	// batch: 200-1: runs backwards; write the smaller id first
}
