package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// writeBundle writes the static bundle to w as the Makefile's
//
//	cd DIR && zip -q -r -X -D OUT . -x '.*' '*/.*' '*.tmp'
//	cd $(dir FILE) && zip -q -X -D OUT FILE...
//
// wrote it: dir's files with their paths below it (in lexical order),
// dotfiles, dot folders and half-written *.tmp files left out, then each of
// files by its base name; no directory entries (-D) and no extra fields
// (-X), only the DOS time and the Unix mode; each file deflated at zip's
// level 6, or stored when that would not make it smaller.
func writeBundle(w io.Writer, dir string, files []string) error {
	zw := zip.NewWriter(w)
	seen := map[string]bool{}
	add := func(name, file string) error {
		if seen[name] {
			return fmt.Errorf("%s: two files named %s in the bundle", file, name)
		}
		seen[name] = true
		return addFile(zw, name, file)
	}
	err := filepath.WalkDir(dir, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if file == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(d.Name(), ".tmp") {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", file)
		}
		rel, err := filepath.Rel(dir, file)
		if err != nil {
			return err
		}
		return add(filepath.ToSlash(rel), file)
	})
	if err != nil {
		return err
	}
	for _, file := range files {
		if err := add(path.Base(filepath.ToSlash(file)), file); err != nil {
			return err
		}
	}
	return zw.Close()
}

// addFile adds file to zw as name.
func addFile(zw *zip.Writer, name, file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	h := &zip.FileHeader{
		Name:               name,
		Method:             zip.Store,
		CRC32:              crc32.ChecksumIEEE(b),
		UncompressedSize64: uint64(len(b)),
	}
	// The DOS time alone, in local time as zip writes it: FileHeader's
	// Modified would add the extended-timestamp field that -X leaves out.
	h.ModifiedDate, h.ModifiedTime = msDosTime(fi.ModTime().Local()) //nolint:staticcheck // see above
	h.SetMode(fi.Mode())
	data := b
	var deflated bytes.Buffer
	fw, err := flate.NewWriter(&deflated, 6)
	if err != nil {
		return err
	}
	if _, err := fw.Write(b); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	if deflated.Len() < len(b) {
		h.Method, data = zip.Deflate, deflated.Bytes()
	}
	h.CompressedSize64 = uint64(len(data))
	// Made by Info-ZIP 3.0 on Unix; 1.0 extracts a stored file, 2.0 a
	// deflated one (APPNOTE.TXT 4.4.2, 4.4.3).
	h.CreatorVersion, h.ReaderVersion = 3<<8|30, 10
	if h.Method == zip.Deflate {
		h.ReaderVersion = 20
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// msDosTime is t in MS-DOS date and time format (two-second resolution,
// years 1980 to 2107), as zip stores a file's time: an odd second rounded
// up to the next even one (Info-ZIP's unix2dostime).
func msDosTime(t time.Time) (date, tim uint16) {
	t = t.Truncate(time.Second)
	if t.Second()%2 == 1 {
		t = t.Add(time.Second)
	}
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.Local)
	}
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	date = uint16(d + int(m)<<5 + (min(y, 2107)-1980)<<9)
	tim = uint16(ss/2 + mm<<5 + hh<<11)
	return date, tim
}
