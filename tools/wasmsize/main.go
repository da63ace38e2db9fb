// Command wasmsize prints how many bytes of a WebAssembly module's code each
// Go package owns, from the module's name section (so the module must be
// built without -s), largest first, with the data and other sections after.
//
//	go list -deps ./wasm/cmd/socred > pkgs.txt   # with GOOS=js GOARCH=wasm
//	go run ./tools/wasmsize [-n 25] [-pkgs pkgs.txt] module.wasm
//
// A function's bytes are its body in the code section; its package is the
// Go symbol's import path (runtime.mallocgc → runtime,
// socred/soap.(*Envelope).Headers → socred/soap, type:.eq.… → type:). The
// linker writes names with every character but letters, digits, _ and .
// replaced by _ (socred_soap.__Envelope_.Headers), so -pkgs gives the real
// import paths to match them against; without it the name up to its first
// dot (after a domain's) is the package, as the linker wrote it. wasmsize
// reads the binary format directly
// (https://webassembly.github.io/spec/core/binary/), so it needs no wabt;
// `wasm-objdump -x` shows the same sections.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

func main() {
	n := flag.Int("n", 25, "how many packages to list")
	pkgList := flag.String("pkgs", "", "a file of import paths, one a line (go list -deps)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-n N] module.wasm")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	var paths []string
	if *pkgList != "" {
		b, err := os.ReadFile(*pkgList)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wasmsize:", err)
			os.Exit(1)
		}
		paths = strings.Fields(string(b))
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		var m *module
		if m, err = parse(b); err == nil {
			err = report(os.Stdout, m, newNamer(paths), *n)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

// module is what wasmsize reads of a binary: each section's size, each
// defined function's body size and every function's name.
type module struct {
	sections []section
	imported int            // imported functions come first in the index space
	bodies   []int          // code bytes of defined function i (index imported+i)
	names    map[int]string // function index → name
}

type section struct {
	name string
	size int
}

var sectionNames = map[byte]string{
	1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
	7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount",
}

// reader reads the binary format's LEB128 integers and byte vectors.
type reader struct {
	b   []byte
	err error
}

func (r *reader) u32() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > 1<<32 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail()
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated or malformed module")
	}
	r.b = nil
}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a WebAssembly module")
	}
	m := &module{names: map[int]string{}}
	r := &reader{b: b[8:]}
	for len(r.b) > 0 && r.err == nil {
		id := r.bytes(1)
		size := r.u32()
		body := r.bytes(size)
		if r.err != nil {
			break
		}
		s := &reader{b: body}
		name := sectionNames[id[0]]
		switch id[0] {
		case 0:
			name = "custom " + string(s.bytes(s.u32()))
			if name == "custom name" {
				m.readNames(s)
			}
		case 2:
			m.imported = countImportedFuncs(s)
		case 10:
			for range s.u32() {
				m.bodies = append(m.bodies, len(s.bytes(s.u32())))
			}
		}
		if s.err != nil {
			return nil, fmt.Errorf("section %s: %w", name, s.err)
		}
		m.sections = append(m.sections, section{name, size})
	}
	return m, r.err
}

// countImportedFuncs reads the import section for how many functions it
// imports.
func countImportedFuncs(s *reader) int {
	funcs := 0
	for range s.u32() {
		s.bytes(s.u32()) // module
		s.bytes(s.u32()) // name
		kind := s.bytes(1)
		if s.err != nil {
			return funcs
		}
		switch kind[0] {
		case 0: // function: type index
			funcs++
			s.u32()
		case 1: // table: reftype, limits
			s.bytes(1)
			limits(s)
		case 2: // memory: limits
			limits(s)
		case 3: // global: valtype, mutability
			s.bytes(2)
		}
	}
	return funcs
}

func limits(s *reader) {
	if flag := s.bytes(1); len(flag) == 1 && flag[0]&1 == 1 {
		s.u32()
	}
	s.u32()
}

// readNames reads the function names subsection (id 1) of the name section.
func (m *module) readNames(s *reader) {
	for len(s.b) > 0 && s.err == nil {
		id := s.bytes(1)
		sub := &reader{b: s.bytes(s.u32())}
		if s.err != nil || id[0] != 1 {
			continue
		}
		for range sub.u32() {
			idx := sub.u32()
			m.names[idx] = string(sub.bytes(sub.u32()))
		}
		if sub.err != nil {
			s.err = sub.err
		}
	}
}

// mangle is what the linker makes of a symbol name in the name section
// (cmd/link/internal/wasm's nameRegexp).
var mangle = regexp.MustCompile(`[^\w.]`)

// namer finds the package of a function name as the linker wrote it.
type namer struct {
	mangled map[string]string // mangled import path → import path
}

func newNamer(paths []string) *namer {
	nm := &namer{mangled: map[string]string{}}
	for _, p := range paths {
		nm.mangled[mangle.ReplaceAllString(p, "_")] = p
	}
	return nm
}

// domain matches a mangled path's first element when it is a host name
// (github.com_…, golang.org_…).
var domain = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|in|me|sh|cc|xyz)_`)

// pkg is the package of fn: the longest known import path that fn starts
// with (followed by a dot), else fn up to its first dot past a domain.
// Compiler-generated type functions (type:.eq.T, type:.hash.T) are "type:".
func (nm *namer) pkg(fn string) string {
	if strings.HasPrefix(fn, "type_.") {
		return "type:"
	}
	best := ""
	for i := 0; i < len(fn); i++ {
		if fn[i] != '.' {
			continue
		}
		if p, ok := nm.mangled[fn[:i]]; ok && len(p) > len(best) {
			best = p
		}
	}
	if best != "" {
		return best
	}
	start := 0
	if m := domain.FindString(fn); m != "" {
		start = len(m)
	}
	if dot := strings.Index(fn[start:], "."); dot >= 0 {
		return fn[:start+dot]
	}
	return fn
}

func report(w io.Writer, m *module, nm *namer, n int) error {
	if len(m.names) == 0 {
		return errors.New("the module has no name section: build it without -s")
	}
	byPkg := map[string]int{}
	code := 0
	for i, size := range m.bodies {
		name, ok := m.names[m.imported+i]
		if !ok {
			name = "(unnamed)"
		}
		byPkg[nm.pkg(name)] += size
		code += size
	}
	pkgs := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool {
		if byPkg[pkgs[i]] != byPkg[pkgs[j]] {
			return byPkg[pkgs[i]] > byPkg[pkgs[j]]
		}
		return pkgs[i] < pkgs[j]
	})
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "code bytes by package (%d functions, %d bytes of code):\n", len(m.bodies), code)
	rest := 0
	for i, p := range pkgs {
		if i >= n {
			rest += byPkg[p]
			continue
		}
		fmt.Fprintf(bw, "  %9d  %5.1f%%  %s\n", byPkg[p], 100*float64(byPkg[p])/float64(code), p)
	}
	if rest > 0 {
		fmt.Fprintf(bw, "  %9d  %5.1f%%  (%d more packages)\n", rest, 100*float64(rest)/float64(code), len(pkgs)-n)
	}
	fmt.Fprintln(bw, "sections:")
	for _, s := range m.sections {
		fmt.Fprintf(bw, "  %9d  %s\n", s.size, s.name)
	}
	return bw.Flush()
}
