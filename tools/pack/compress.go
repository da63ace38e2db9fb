package main

import (
	"compress/gzip"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

// compressFile writes in's bytes, compressed by compress, to out.
func compressFile(in, out string, compress func(io.Writer, []byte) error) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	return writeAtomic(out, func(w io.Writer) error { return compress(w, b) })
}

// brotliTo writes b to w compressed as `brotli -q 11` compresses a file
// (Debian's brotli 1.0.9, byte for byte): quality 11, the smallest window
// that holds the whole file (10 to 24 bits), and the file's size as the
// encoder's size hint, which one Write of all of b gives.
func brotliTo(w io.Writer, b []byte) error {
	bw := brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: brotliWindow(len(b))})
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Close()
}

// brotliWindow is the brotli command's window for a file of n bytes: the
// smallest lgwin from 10 to 24 whose backward limit, 2^lgwin-16, is at
// least n (tools/brotli.c, CompressFile).
func brotliWindow(n int) int {
	lgwin := 10
	for lgwin < 24 && (1<<lgwin)-16 < n {
		lgwin++
	}
	return lgwin
}

// gzipTo writes b to w compressed as `gzip -9 -n` does: the best
// compression, and neither the file's name nor its time in the header.
func gzipTo(w io.Writer, b []byte) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	return zw.Close()
}
