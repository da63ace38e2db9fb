package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzRead's aim: for any bytes, Read and Check return problems or a file;
// they never panic or hang, and what they return is consistent (a cell per
// header cell, row numbers rising, every problem with a code and the row it
// is in).
func FuzzRead(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.[ct]sv"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files in testdata: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "spreadsheets", "*.*sv"))
	for _, name := range more {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("sep=;\nAssociateId;Type;ValidFrom;ValidTo\n3;\"a\"\"b\";2025-01-01;x\n"))
	f.Add([]byte("AssociateId,Type,ValidFrom,ValidTo\r3,imap,2025-01-01T08:00:00+25:00,2025-02-30\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{Location: time.UTC, MaxRows: 1000}
		file, err := Read(data, opt)
		if err != nil {
			ps, ok := err.(Problems)
			if !ok || len(ps) == 0 {
				t.Fatalf("Read's error is not a Problems: %v", err)
			}
			for _, p := range ps {
				if p.Code == "" || p.Message() == "" {
					t.Fatalf("a problem without a code or message: %#v", p)
				}
			}
			return
		}
		switch file.Encoding {
		case UTF8, UTF8BOM, Windows1252:
		default:
			t.Fatalf("encoding %q", file.Encoding)
		}
		last := file.HeaderRow
		for _, r := range file.Rows {
			if len(r.Cells) != len(file.Header) {
				t.Fatalf("row %d has %d cells for %d header cells", r.Number, len(r.Cells), len(file.Header))
			}
			if r.Number <= last {
				t.Fatalf("row %d after row %d", r.Number, last)
			}
			last = r.Number
		}
		c := Check(file, opt)
		if len(c.Entries) != len(file.Rows) {
			t.Fatalf("%d entries for %d rows", len(c.Entries), len(file.Rows))
		}
		for i, e := range c.Entries {
			if e.Row != file.Rows[i].Number {
				t.Fatalf("entry %d is row %d, not %d", i, e.Row, file.Rows[i].Number)
			}
			for _, p := range e.Problems {
				if p.Code == "" || p.Row != e.Row || !strings.HasPrefix(p.Message(), "Row ") {
					t.Fatalf("problem %#v of row %d", p, e.Row)
				}
			}
			if e.Valid() && (e.Type == "" || e.Credentials.ValidFrom.IsZero()) {
				t.Fatalf("row %d is valid without a Type or ValidFrom: %+v", e.Row, e)
			}
		}
	})
}
