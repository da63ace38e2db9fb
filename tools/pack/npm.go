package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// npmTime is the modification time npm pack gives every entry.
var npmTime = time.Date(1985, time.October, 26, 8, 15, 0, 0, time.UTC)

// semver is a version npm accepts (no build metadata: npm drops it).
var semver = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// writeNpm writes the npm package as npm pack makes it: a gzipped tar whose
// entries are package/NAME (mode 0644, npm's fixed time, no owner names,
// no directory entries), package.json first with its "version" set to
// version, then README.md from pkgDir, then each of files by its base name
// in lexical order. package.json's "files" must list exactly those files.
func writeNpm(w io.Writer, version, pkgDir string, files []string) error {
	if !semver.MatchString(version) {
		return fmt.Errorf("npm package version %q is not semantic versioning (MAJOR.MINOR.PATCH[-PRERELEASE])", version)
	}
	raw, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		return err
	}
	var manifest map[string]any
	if err := json.Unmarshal(raw, &manifest); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(pkgDir, "package.json"), err)
	}
	var listed []string
	if l, ok := manifest["files"].([]any); ok {
		for _, f := range l {
			s, _ := f.(string)
			listed = append(listed, s)
		}
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	slices.Sort(listed)
	sorted := slices.Sorted(slices.Values(names))
	if !slices.Equal(listed, sorted) || len(slices.Compact(slices.Clone(sorted))) != len(sorted) {
		return fmt.Errorf("%s: \"files\" lists %q, but the package gets %q", filepath.Join(pkgDir, "package.json"), listed, sorted)
	}
	manifest["version"] = version
	var pj bytes.Buffer
	enc := json.NewEncoder(&pj)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(manifest); err != nil {
		return err
	}
	readme, err := os.ReadFile(filepath.Join(pkgDir, "README.md"))
	if err != nil {
		return err
	}

	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	add := func(name string, body []byte) error {
		h := &tar.Header{Name: "package/" + name, Mode: 0o644, Size: int64(len(body)), ModTime: npmTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(body)
		return err
	}
	if err := add("package.json", pj.Bytes()); err != nil {
		return err
	}
	if err := add("README.md", readme); err != nil {
		return err
	}
	byName := map[string]string{}
	for _, f := range files {
		byName[filepath.Base(f)] = f
	}
	for _, name := range sorted {
		b, err := os.ReadFile(byName[name])
		if err != nil {
			return err
		}
		if err := add(name, b); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}
