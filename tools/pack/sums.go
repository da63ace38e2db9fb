package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// writeSums writes each file's SHA-256 to w in sha256sum's format, a line
// "HASH  NAME" per file in the order given, NAME its base name, so that
// `sha256sum -c` checks them from the files' folder. A name sha256sum
// would have to escape (a backslash or a line break) is refused.
func writeSums(w io.Writer, files []string) error {
	for _, file := range files {
		name := filepath.Base(file)
		if strings.ContainsAny(name, "\\\n\r") {
			return fmt.Errorf("%s: a backslash or line break in the name", file)
		}
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), name); err != nil {
			return err
		}
	}
	return nil
}
