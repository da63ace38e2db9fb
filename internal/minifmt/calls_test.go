package minifmt

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCallsInTheTree reads every Go file of the repository (whatever its
// build tags: the browser's files too) and checks each call of minifmt's
// Errorf and Sprintf: the format is a constant, uses only what minifmt
// takes (%v %s %d %q %X, a zero flag and a width, %w in Errorf only, %%),
// has one operand per verb, and comes out as fmt writes it. go vet checks
// the operands' types against fmt's rules (make test runs it with
// -tags=socred_vet, under which minifmt is fmt; see vet.go); this test
// checks what vet cannot know, that fmt's rules are minifmt's.
func TestCallsInTheTree(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	calls := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n, problems := checkCalls(fset, path, src)
		calls += n
		for _, p := range problems {
			t.Error(p)
		}
		return nil
	})
	require.NoError(t, err)
	// The tree has over a hundred: a walk that finds none went wrong.
	assert.Greater(t, calls, 50, "minifmt calls found in the tree")
	t.Logf("%d minifmt calls checked", calls)
}

// TestCallsCheckerFails: the checker reports each kind of mistake, naming
// the place.
func TestCallsCheckerFails(t *testing.T) {
	src := `package p

import mf "socred/internal/minifmt"

var format = "%s"

func f(err error) {
	_ = mf.Errorf("ok: %s %d %q %v %X %02X 100%%: %w", "a", 1, "q", 2, 3, 4, err)
	_ = mf.Sprintf("wrap %w", err)
	_ = mf.Sprintf("hex %x", 255)
	_ = mf.Sprintf("plus %+v", 1)
	_ = mf.Sprintf("precision %.2v", 1.5)
	_ = mf.Sprintf("two %s %s", "a")
	_ = mf.Sprintf(format, "a")
	_ = mf.Errorf("end %")
	bad := func(format string, args ...any) error {
		return mf.Errorf("%w: "+format, append([]any{err}, args...)...)
	}
	_ = bad("fine %s", "a")
	_ = bad("hex %x", 1)
}
`
	n, problems := checkCalls(token.NewFileSet(), "p.go", []byte(src))
	assert.Equal(t, 10, n)
	want := []string{
		"p.go:9:", "%w",
		"p.go:10:", "%x",
		"p.go:11:", "%+v",
		"p.go:12:", "%.2v",
		"p.go:13:", "2 verbs, 1 operands",
		"p.go:14:", "not a constant",
		"p.go:15:", "ends in %",
		"p.go:20:", "bad (a wrapper of mf.Errorf)(\"%w: hex %x\")",
	}
	require.Len(t, problems, len(want)/2, "%q", problems)
	for i, p := range problems {
		assert.Contains(t, p, want[2*i], "%q", p)
		assert.Contains(t, p, want[2*i+1], "%q", p)
	}
}

// checkCalls finds the minifmt.Errorf and minifmt.Sprintf calls in one
// file, and the calls of the file's wrappers of them, and returns their
// number and what is wrong with them. A wrapper is a function (declared,
// or a literal assigned to a name) with a format parameter whose own call
// is minifmt's with a constant prefix + format and its operands spread,
// as soap's ReadPKCS12 has: its calls are checked with the prefix, whose
// operands the wrapper supplies.
func checkCalls(fset *token.FileSet, path string, src []byte) (int, []string) {
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return 0, []string{err.Error()}
	}
	name := ""
	for _, imp := range f.Imports {
		if imp.Path.Value == `"socred/internal/minifmt"` {
			name = "minifmt"
			if imp.Name != nil {
				name = imp.Name.Name
			}
		}
	}
	if name == "" {
		return 0, nil
	}
	// minifmtCall is the function's name (Errorf, Sprintf) if call is one.
	minifmtCall := func(call *ast.CallExpr) string {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || len(call.Args) == 0 {
			return ""
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != name || (sel.Sel.Name != "Errorf" && sel.Sel.Name != "Sprintf") {
			return ""
		}
		return sel.Sel.Name
	}
	type wrapper struct {
		prefix string
		fn     string // the minifmt function it calls
	}
	wrappers := map[string]wrapper{}
	wrapped := map[*ast.CallExpr]bool{} // the wrappers' own calls of minifmt
	findWrapper := func(fname string, typ *ast.FuncType, body *ast.BlockStmt) {
		if body == nil {
			return
		}
		params := map[string]bool{}
		for _, field := range typ.Params.List {
			if id, ok := field.Type.(*ast.Ident); ok && id.Name == "string" {
				for _, n := range field.Names {
					params[n.Name] = true
				}
			}
		}
		ast.Inspect(body, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || minifmtCall(call) == "" || !call.Ellipsis.IsValid() {
				return true
			}
			sum, ok := call.Args[0].(*ast.BinaryExpr)
			if !ok || sum.Op != token.ADD {
				return true
			}
			prefix, ok := constantString(sum.X)
			if id, isIdent := sum.Y.(*ast.Ident); ok && isIdent && params[id.Name] {
				wrappers[fname] = wrapper{prefix, minifmtCall(call)}
				wrapped[call] = true
			}
			return true
		})
	}
	ast.Inspect(f, func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.FuncDecl:
			if x.Recv == nil {
				findWrapper(x.Name.Name, x.Type, x.Body)
			}
		case *ast.AssignStmt:
			if len(x.Lhs) == 1 && len(x.Rhs) == 1 {
				id, ok1 := x.Lhs[0].(*ast.Ident)
				lit, ok2 := x.Rhs[0].(*ast.FuncLit)
				if ok1 && ok2 {
					findWrapper(id.Name, lit.Type, lit.Body)
				}
			}
		}
		return true
	})

	n := 0
	var problems []string
	ast.Inspect(f, func(node ast.Node) bool {
		call, ok := node.(*ast.CallExpr)
		if !ok || wrapped[call] || len(call.Args) == 0 {
			return true
		}
		fn, prefix, what := minifmtCall(call), "", ""
		if fn != "" {
			what = name + "." + fn
		} else if id, ok := call.Fun.(*ast.Ident); ok {
			if w, ok := wrappers[id.Name]; ok {
				fn, prefix, what = w.fn, w.prefix, id.Name+" (a wrapper of "+name+"."+w.fn+")"
			}
		}
		if fn == "" {
			return true
		}
		n++
		where := fset.Position(call.Pos()).String() + ": " + what
		format, ok := constantString(call.Args[0])
		if !ok {
			problems = append(problems, where+": the format is not a constant string, so nothing can check it")
			return true
		}
		format = prefix + format
		if p := checkFormat(format, fn == "Errorf", verbs(prefix)+len(call.Args)-1, call.Ellipsis.IsValid()); p != "" {
			problems = append(problems, where+"("+strconv.Quote(format)+"): "+p)
		}
		return true
	})
	return n, problems
}

// verbs counts a constant prefix's operands (its verbs other than %%).
func verbs(prefix string) int {
	return strings.Count(prefix, "%") - 2*strings.Count(prefix, "%%")
}

// constantString is the value of a string literal or a sum of them.
func constantString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return constantString(x.X)
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constantString(x.X)
		b, ok2 := constantString(x.Y)
		return a + b, ok1 && ok2
	}
	return "", false
}

// checkFormat says what is wrong with one format ("" if nothing): a verb
// or flag minifmt does not take, %w outside Errorf, a count of operands
// that differs from the verbs' (unless they are spread from a slice), or
// output that differs from fmt's for sample operands of the verbs' kinds.
func checkFormat(format string, errorf bool, operands int, spread bool) string {
	var args []any
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		start := i
		i++
		if i < len(format) && format[i] == '0' {
			i++
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			i++
		}
		if i >= len(format) {
			return "the format ends in %"
		}
		directive := format[start : i+1]
		switch format[i] {
		case '%':
			if directive != "%%" {
				return directive + ": a width on %%"
			}
		case 'v', 's', 'q':
			args = append(args, "text")
		case 'd':
			args = append(args, -42)
		case 'X':
			args = append(args, uint32(0xbeef))
		case 'w':
			if !errorf {
				return directive + ": %w only in Errorf (Sprintf writes %!w(…))"
			}
			args = append(args, errors.New("cause"))
		default:
			return directive + ": minifmt takes %v %s %d %q %X %w and %%, with a zero flag and a width, nothing else"
		}
	}
	if !spread && len(args) != operands {
		return strconv.Itoa(len(args)) + " verbs, " + strconv.Itoa(operands) + " operands"
	}
	want, got := fmt.Sprintf(format, args...), Sprintf(format, args...)
	if errorf {
		want, got = fmt.Errorf(format, args...).Error(), Errorf(format, args...).Error()
	}
	if want != got {
		return "fmt writes " + strconv.Quote(want) + ", minifmt " + strconv.Quote(got)
	}
	return ""
}
