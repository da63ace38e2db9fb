package web

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The browser code's size limits (issue 21, STYLE.md point 15): no module
// over maxModuleLines lines and no function, top-level or inner, over
// maxFunctionLines lines, counted from the line of its name (or of an
// arrow's parameters) to the line of its closing brace.
const (
	maxModuleLines   = 300
	maxFunctionLines = 100
)

// TestModuleSizes fails when a module of the page under web/static/js (the
// catalogues in js/lang and the build's page.bundle.js aside) or one of its
// functions is over the limits, naming each with its line count.
func TestModuleSizes(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("static", "js"))
	require.NoError(t, err)
	n := 0
	var longest struct {
		module string
		jsFunction
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".js") || name == "page.bundle.js" {
			continue
		}
		n++
		src, err := os.ReadFile(filepath.Join("static", "js", name))
		require.NoError(t, err)
		if lines := strings.Count(string(src), "\n"); lines > maxModuleLines {
			t.Errorf("js/%s is %d lines, over %d: split it by concern into modules", name, lines, maxModuleLines)
		}
		funcs, err := jsFunctions(string(src))
		if !assert.NoError(t, err, "js/%s", name) {
			continue
		}
		for _, f := range funcs {
			if f.lines() > longest.lines() {
				longest.module, longest.jsFunction = name, f
			}
			if f.lines() > maxFunctionLines {
				t.Errorf("js/%s:%d: function %s is %d lines, over %d: split it", name, f.start, f.name, f.lines(), maxFunctionLines)
			}
		}
	}
	require.NotZero(t, n, "no modules in web/static/js")
	t.Logf("%d modules; the longest function: js/%s:%d %s, %d lines", n, longest.module, longest.start, longest.name, longest.lines())
}

// TestJSFunctions checks the scanner that TestModuleSizes relies on, on
// snippets whose braces hide in strings, templates, regexes and comments.
func TestJSFunctions(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // "name start-end"
	}{
		{"declaration", "function a(x) {\n  return x;\n}\n", []string{"a 1-3"}},
		{"inner and arrow", "export function outer() {\n  const f = (a, b) => {\n    return a / b;\n  };\n  el.onclick = async () => {\n  };\n}\n",
			[]string{"outer 1-7", "f 2-4", "onclick 5-6"}},
		{"single parameter arrow", "list.forEach(x => {\n  go(x);\n});\n", []string{"x => 1-3"}},
		{"method and control", "const o = {\n  draw(x) {\n    if (x) { y(); }\n    for (const a of b) {\n    }\n  },\n};\n", []string{"draw 2-6"}},
		{"braces in strings", "function s() {\n  const a = \"}\";\n  const b = '{{';\n  return a + b;\n}\n", []string{"s 1-5"}},
		{"braces in comments", "function c() { // }\n  /* } { */\n  return 1;\n}\n", []string{"c 1-4"}},
		{"templates", "function m() {\n  return `${a ? `}${b}` : \"{\"} }`;\n}\nfunction n() {\n}\n", []string{"m 1-3", "n 4-5"}},
		{"object in a template", "function p() {\n  return `${JSON.stringify({ a: 1 })}`;\n}\n", []string{"p 1-3"}},
		{"regexes", "function r(s) {\n  const a = s.replace(/[}/]/g, \"\");\n  if (/\\{/.test(a)) return a / 2 / 3;\n  return (a) / 1;\n}\n", []string{"r 1-5"}},
		{"function expression", "const h = function (e) {\n  e();\n};\n", []string{"h 1-3"}},
	} {
		got, err := jsFunctions(c.src)
		require.NoError(t, err, c.name)
		var names []string
		for _, f := range got {
			names = append(names, fmt.Sprintf("%s %d-%d", f.name, f.start, f.end))
		}
		assert.Equal(t, c.want, names, c.name)
	}
	for _, bad := range []string{"function a() {\n", "}\n", "const s = 'open;\n", "f(`${a`);\n", "/* open\n"} {
		_, err := jsFunctions(bad)
		assert.Error(t, err, "%q is not balanced", bad)
	}
}

// jsFunction is one function body found in a module: its name (or the
// property it is assigned to), and its first and last lines, 1-based.
type jsFunction struct {
	name       string
	start, end int
}

func (f jsFunction) lines() int { return f.end - f.start + 1 }

// jsToken is one significant token: an identifier or keyword, a number, a
// string, or one punctuator (`=>` is one token).
type jsToken struct {
	text string
	line int
}

// notFunctions are the words before `(` whose `) {` opens a block, not a
// function's body.
var notFunctions = []string{"if", "for", "while", "switch", "catch", "with"}

// regexAfter are the keywords after which `/` starts a regular expression.
var regexAfter = []string{"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await"}

// jsFunctions scans a module well enough for our code: it skips comments,
// strings, template literals (with nested ${…}) and regular expressions,
// matches braces, and reports every brace that opens a function's body:
// after `=>`, or after `(…)` whose `(` follows a name that is not a
// control keyword (a declaration, a function expression or a method).
func jsFunctions(src string) ([]jsFunction, error) {
	type brace struct {
		template bool // the ${ of a template literal
		fn       int  // index into funcs, or -1
	}
	var (
		toks   []jsToken
		parens []int // indexes into toks of the open ( and [
		braces []brace
		funcs  []jsFunction
		line   = 1
		i      = 0
	)
	prev := func() string {
		if len(toks) == 0 {
			return ""
		}
		return toks[len(toks)-1].text
	}
	// template scans a template literal's text from i (after ` or the }
	// closing a ${) to its end, or into a ${, which it pushes.
	template := func() error {
		start := line
		for i < len(src) {
			switch c := src[i]; {
			case c == '\\':
				i += 2
				continue
			case c == '`':
				i++
				toks = append(toks, jsToken{"`…`", line})
				return nil
			case c == '$' && i+1 < len(src) && src[i+1] == '{':
				i += 2
				braces = append(braces, brace{template: true, fn: -1})
				toks = append(toks, jsToken{"${", line})
				return nil
			case c == '\n':
				line++
			}
			i++
		}
		return fmt.Errorf("line %d: a template literal is not closed", start)
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("line %d: a comment is not closed", line)
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) || src[j] != c {
				return nil, fmt.Errorf("line %d: a string is not closed", line)
			}
			toks = append(toks, jsToken{"string", line})
			i = j + 1
		case c == '`':
			i++
			if err := template(); err != nil {
				return nil, err
			}
		case c == '/' && regexStarts(prev()):
			j, class := i+1, false
			for j < len(src) && src[j] != '\n' && (class || src[j] != '/') {
				switch src[j] {
				case '\\':
					j++
				case '[':
					class = true
				case ']':
					class = false
				}
				j++
			}
			if j >= len(src) || src[j] != '/' {
				return nil, fmt.Errorf("line %d: a regular expression is not closed", line)
			}
			toks = append(toks, jsToken{"regex", line})
			i = j + 1
		case isWord(c):
			j := i
			for j < len(src) && isWord(src[j]) {
				j++
			}
			toks = append(toks, jsToken{src[i:j], line})
			i = j
		case strings.HasPrefix(src[i:], "=>"):
			toks = append(toks, jsToken{"=>", line})
			i += 2
		case c == '(' || c == '[':
			parens = append(parens, len(toks))
			toks = append(toks, jsToken{string(c), line})
			i++
		case c == ')' || c == ']':
			if len(parens) == 0 {
				return nil, fmt.Errorf("line %d: %c closes nothing", line, c)
			}
			open := parens[len(parens)-1]
			parens = parens[:len(parens)-1]
			toks = append(toks, jsToken{string(c), line})
			toks[len(toks)-1].text += fmt.Sprint(open) // ")N": N is its (
			i++
		case c == '{':
			b := brace{fn: -1}
			if name, start, ok := functionHead(toks); ok {
				b.fn = len(funcs)
				funcs = append(funcs, jsFunction{name: name, start: start})
			}
			braces = append(braces, b)
			toks = append(toks, jsToken{"{", line})
			i++
		case c == '}':
			if len(braces) == 0 {
				return nil, fmt.Errorf("line %d: } closes nothing", line)
			}
			b := braces[len(braces)-1]
			braces = braces[:len(braces)-1]
			i++
			if b.fn >= 0 {
				funcs[b.fn].end = line
			}
			if b.template {
				if err := template(); err != nil {
					return nil, err
				}
				continue
			}
			toks = append(toks, jsToken{"}", line})
		default:
			toks = append(toks, jsToken{string(c), line})
			i++
		}
	}
	if len(braces) > 0 || len(parens) > 0 {
		return nil, fmt.Errorf("%d braces and %d parentheses are not closed at the end", len(braces), len(parens))
	}
	return funcs, nil
}

// functionHead tells whether a { after toks opens a function's body, and
// if so its name and the line it starts on.
func functionHead(toks []jsToken) (name string, start int, ok bool) {
	n := len(toks)
	if n == 0 {
		return "", 0, false
	}
	last := toks[n-1]
	if last.text == "=>" {
		if n < 2 {
			return "", 0, false
		}
		params := toks[n-2]
		first := n - 2
		if strings.HasPrefix(params.text, ")") {
			fmt.Sscan(params.text[1:], &first)
		} else {
			return params.text + " =>", params.line, true
		}
		// async (…) =>, then x = or x: before it
		j := first - 1
		if j >= 0 && toks[j].text == "async" {
			j--
		}
		return assignedTo(toks, j, "arrow"), toks[first].line, true
	}
	if !strings.HasPrefix(last.text, ")") {
		return "", 0, false
	}
	var open int
	fmt.Sscan(last.text[1:], &open)
	if toks[open].text != "(" || open == 0 {
		return "", 0, false
	}
	before := toks[open-1]
	switch {
	case before.text == "function":
		return assignedTo(toks, open-2, "function"), before.line, true
	case !isWord(before.text[0]) || slices.Contains(notFunctions, before.text):
		return "", 0, false
	case open >= 2 && toks[open-2].text == "function":
		return before.text, toks[open-2].line, true
	default:
		return before.text, before.line, true // a method
	}
}

// assignedTo names an anonymous function by what it is assigned to (x =,
// x:, .x =), or by what it is.
func assignedTo(toks []jsToken, j int, what string) string {
	if j >= 1 && (toks[j].text == "=" || toks[j].text == ":") && isWord(toks[j-1].text[0]) {
		return toks[j-1].text
	}
	return what
}

func regexStarts(prev string) bool {
	if prev == "" {
		return true
	}
	if strings.HasPrefix(prev, ")") || prev == "]0" || strings.HasPrefix(prev, "]") || prev == "string" || prev == "regex" || prev == "`…`" {
		return false
	}
	if isWord(prev[0]) {
		return slices.Contains(regexAfter, prev)
	}
	return true
}

func isWord(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
