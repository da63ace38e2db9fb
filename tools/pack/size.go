package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// printSizes prints, for each file, its size raw, as brotliTo and as
// gzipTo compress it (what make wasm serves), one line a file.
func printSizes(w io.Writer, files []string) error {
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var br, gz countWriter
		if err := brotliTo(&br, b); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err := gzipTo(&gz, b); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if _, err := fmt.Fprintf(w, "%-24s %9d B raw %9d B brotli -q 11 %9d B gzip -9\n", filepath.Base(file), len(b), br, gz); err != nil {
			return err
		}
	}
	return nil
}

// countWriter counts the bytes written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
