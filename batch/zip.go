package batch

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
)

// zipWriter writes a ZIP archive (PKWARE's APPNOTE.TXT): the few parts of
// an .xlsx, each deflated (compress/flate at BestSpeed) when that makes it
// smaller, else stored. archive/zip is not used: it would bring more of its
// own into the module. Deflating matters for big exports: an audit of
// 100,000 records is 72 MB stored, over what socred's own import reads
// (MaxBytes), and about 5 MB deflated.
type zipWriter struct {
	w       io.Writer
	off     int64
	central []byte
	n       int
	err     error
}

// add writes one entry, its name in ASCII.
func (z *zipWriter) add(name string, body []byte) {
	if z.err != nil {
		return
	}
	if len(body) >= 1<<32-1 || z.off >= 1<<32-1 {
		z.err = errZipTooLarge
		return
	}
	crc := crc32.ChecksumIEEE(body)
	size := uint32(len(body))
	method := uint16(0) // stored
	if packed, ok := deflate(body); ok {
		method, body = 8, packed
	}
	// Common fields: version needed 2.0, no flags, the method, a fixed
	// 1980-01-01 00:00 time (DOS format), CRC-32, sizes, name length, no extra.
	common := func(b []byte) []byte {
		b = le16(b, 20)
		b = le16(b, 0)
		b = le16(b, method)
		b = le16(b, 0)
		b = le16(b, 1<<5|1)
		b = le32(b, crc)
		b = le32(b, uint32(len(body))) // compressed size
		b = le32(b, size)
		b = le16(b, uint16(len(name)))
		return le16(b, 0)
	}
	local := common(le32(make([]byte, 0, 30+len(name)), 0x04034b50))
	local = append(local, name...)
	z.central = common(le16(le32(z.central, 0x02014b50), 20))
	z.central = le16(z.central, 0)             // comment length
	z.central = le16(z.central, 0)             // disk number
	z.central = le16(z.central, 0)             // internal attributes
	z.central = le32(z.central, 0)             // external attributes
	z.central = le32(z.central, uint32(z.off)) // local header offset
	z.central = append(z.central, name...)
	z.write(local)
	z.write(body)
	z.n++
}

// deflate is body deflated, if that is smaller.
func deflate(body []byte) ([]byte, bool) {
	if len(body) < 256 {
		return nil, false
	}
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.BestSpeed)
	if err != nil {
		return nil, false
	}
	if _, err := fw.Write(body); err != nil || fw.Close() != nil || b.Len() >= len(body) {
		return nil, false
	}
	return b.Bytes(), true
}

// close writes the central directory and its end record.
func (z *zipWriter) close() error {
	if z.n >= 1<<16 {
		z.err = errZipTooLarge
	}
	start := z.off
	z.write(z.central)
	end := le32(make([]byte, 0, 22), 0x06054b50)
	end = le16(end, 0)
	end = le16(end, 0)
	end = le16(end, uint16(z.n))
	end = le16(end, uint16(z.n))
	end = le32(end, uint32(len(z.central)))
	end = le32(end, uint32(start))
	end = le16(end, 0)
	z.write(end)
	return z.err
}

func (z *zipWriter) write(b []byte) {
	if z.err == nil {
		var n int
		n, z.err = z.w.Write(b)
		z.off += int64(n)
	}
}

func le16(b []byte, v uint16) []byte { return append(b, byte(v), byte(v>>8)) }
func le32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}
