// Command pack makes the release's packed files with Go libraries, so that
// make needs no brotli, gzip, zip or sha256sum command (README.md, "Try
// it"): the modules' precompressed forms, the static bundle, the npm
// package of the element's types, SHA256SUMS,
// and the sizes make size prints.
//
//	pack br IN OUT                 brotli quality 11, as brotli -q 11 -n
//	pack gz IN OUT                 gzip level 9, as gzip -9 -n
//	pack zip OUT DIR [FILE...]     DIR's files at the zip's root, then each FILE by its base name
//	pack npm OUT VERSION DIR FILE...  the npm package as npm pack makes it: DIR's package.json (with VERSION) and README.md, then each FILE
//	pack sums OUT FILE...          sha256sum's format, each FILE by its base name
//	pack size FILE...              raw, brotli -q 11 and gzip -9 sizes, one line a file
//
// Every file is written beside its final name (NAME.tmp) and then renamed,
// so a server never sees half a file.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

const usage = `usage:
	pack br IN OUT
	pack gz IN OUT
	pack zip OUT DIR [FILE...]
	pack npm OUT VERSION DIR FILE...
	pack sums OUT FILE...
	pack size FILE...`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(1)
	}
}

// errUsage is returned for a wrong command line.
var errUsage = errors.New(usage)

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	cmd, args := args[0], args[1:]
	switch {
	case cmd == "br" && len(args) == 2:
		return compressFile(args[0], args[1], brotliTo)
	case cmd == "gz" && len(args) == 2:
		return compressFile(args[0], args[1], gzipTo)
	case cmd == "zip" && len(args) >= 2:
		return writeAtomic(args[0], func(w io.Writer) error { return writeBundle(w, args[1], args[2:]) })
	case cmd == "npm" && len(args) >= 4:
		return writeAtomic(args[0], func(w io.Writer) error { return writeNpm(w, args[1], args[2], args[3:]) })
	case cmd == "sums" && len(args) >= 2:
		return writeAtomic(args[0], func(w io.Writer) error { return writeSums(w, args[1:]) })
	case cmd == "size" && len(args) >= 1:
		return printSizes(stdout, args)
	}
	return errUsage
}

// writeAtomic writes name.tmp with write and renames it to name; on an
// error it removes name.tmp and leaves name as it was.
func writeAtomic(name string, write func(io.Writer) error) (err error) {
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
