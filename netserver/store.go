package netserver

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"socred/soap"
)

// Store errors.
var (
	// ErrDataKey is a data key that is missing, malformed or readable by others.
	ErrDataKey = errors.New("netserver: data key unusable")
	// ErrDataFile is a data file that cannot be read back.
	ErrDataFile = errors.New("netserver: data file unreadable")
)

// DataKeySize is the length of the AES-256 key that seals SecretValue.
const DataKeySize = 32

// record is one stored UntrustedCredentials and its owner.
type record struct {
	AssociateID int32
	Type        string
	Credentials soap.UntrustedCredentials
}

// store holds the records, in the order they were first saved, and writes
// them to the data file (if any) before a change is acknowledged.
type store struct {
	mu      sync.Mutex
	records []record
	file    string
	aead    cipher.AEAD
	rand    io.Reader
}

// fileFormat is the data file. SecretValue is sealed; everything else is
// stored in clear, as NetServer stores PublicValue.
type fileFormat struct {
	Version int          `json:"version"`
	Records []fileRecord `json:"records"`
}

type fileRecord struct {
	AssociateID int32     `json:"associateId"`
	Type        string    `json:"type"`
	ValidFrom   time.Time `json:"validFrom"`
	ValidTo     time.Time `json:"validTo"`
	Comment     string    `json:"comment"`
	SecretValue string    `json:"secretValue"` // base64(nonce ‖ AES-GCM ciphertext)
	PublicValue string    `json:"publicValue"`
	IsActive    bool      `json:"isActive"`
}

// openStore returns an empty in-memory store, or the one kept in file.
func openStore(file string, key []byte, rnd io.Reader) (*store, error) {
	s := &store{file: file, rand: rnd}
	if file == "" {
		return s, nil
	}
	if len(key) == 0 {
		var err error
		if key, err = keyFile(file+".key", rnd); err != nil {
			return nil, err
		}
	}
	if len(key) != DataKeySize {
		return nil, fmt.Errorf("%w: it must be %d bytes, not %d", ErrDataKey, DataKeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDataKey, err)
	}
	s.aead, err = cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDataKey, err)
	}
	if err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// keyFile reads the base64 key kept in path, or makes one and writes it there
// readable by its owner only. A key file that others can read is refused.
func keyFile(path string, rnd io.Reader) ([]byte, error) {
	if fi, err := os.Stat(path); err == nil {
		if fi.Mode().Perm()&0o077 != 0 {
			return nil, fmt.Errorf("%w: %s is readable by others (mode %v); chmod 600 it", ErrDataKey, path, fi.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDataKey, err)
		}
		key, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(b)))
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not base64: %v", ErrDataKey, path, err)
		}
		return key, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %v", ErrDataKey, err)
	}
	key := make([]byte, DataKeySize)
	if _, err := io.ReadFull(rnd, key); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDataKey, err)
	}
	data := []byte(base64.StdEncoding.EncodeToString(key) + "\n")
	if err := writeAtomic(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDataKey, err)
	}
	return key, nil
}

// aad binds a sealed secret to its record, so it cannot be moved to another.
func aad(r *record) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, r.AssociateID)
	for _, s := range []string{r.Type, r.Credentials.PublicValue} {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(s)))
		b.WriteString(s)
	}
	return b.Bytes()
}

func (s *store) load() error {
	b, err := os.ReadFile(s.file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDataFile, err)
	}
	var f fileFormat
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrDataFile, s.file, err)
	}
	if f.Version != 1 {
		return fmt.Errorf("%w: %s: unknown version %d", ErrDataFile, s.file, f.Version)
	}
	for _, fr := range f.Records {
		r := record{AssociateID: fr.AssociateID, Type: fr.Type, Credentials: soap.UntrustedCredentials{
			ValidFrom: fr.ValidFrom.UTC(), ValidTo: fr.ValidTo.UTC(), Comment: fr.Comment,
			PublicValue: fr.PublicValue, IsActive: fr.IsActive,
		}}
		sealed, err := base64.StdEncoding.DecodeString(fr.SecretValue)
		ns := s.aead.NonceSize()
		if err != nil || len(sealed) < ns {
			return fmt.Errorf("%w: %s: a SecretValue is not sealed", ErrDataFile, s.file)
		}
		plain, err := s.aead.Open(nil, sealed[:ns], sealed[ns:], aad(&r))
		if err != nil {
			return fmt.Errorf("%w: %s: a SecretValue does not open with this key", ErrDataFile, s.file)
		}
		r.Credentials.SecretValue = string(plain)
		s.records = append(s.records, r)
	}
	return nil
}

// persist writes every record to the data file. The caller holds s.mu.
func (s *store) persist() error {
	if s.file == "" {
		return nil
	}
	f := fileFormat{Version: 1, Records: make([]fileRecord, 0, len(s.records))}
	for i := range s.records {
		r := &s.records[i]
		nonce := make([]byte, s.aead.NonceSize())
		if _, err := io.ReadFull(s.rand, nonce); err != nil {
			return fmt.Errorf("netserver: seal: %w", err)
		}
		sealed := s.aead.Seal(nonce, nonce, []byte(r.Credentials.SecretValue), aad(r))
		c := &r.Credentials
		f.Records = append(f.Records, fileRecord{
			AssociateID: r.AssociateID, Type: r.Type, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo,
			Comment: c.Comment, SecretValue: base64.StdEncoding.EncodeToString(sealed),
			PublicValue: c.PublicValue, IsActive: c.IsActive,
		})
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("netserver: encode data file: %w", err)
	}
	return writeAtomic(s.file, append(b, '\n'), 0o600)
}

// writeAtomic replaces path with data so that a crash leaves either the old
// file or the new one, never a torn one: a temporary file in the same
// directory is written and synced, renamed over path, and the directory is
// synced so the rename itself survives.
func writeAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("netserver: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("netserver: write %s: %w", path, err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("netserver: write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("netserver: write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("netserver: write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("netserver: write %s: %w", path, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("netserver: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err = d.Sync(); err != nil {
		return fmt.Errorf("netserver: sync %s: %w", dir, err)
	}
	return nil
}

// errDuplicateKey is a Save whose Type and PublicValue are stored for
// another associate.
var errDuplicateKey = errors.New("netserver: Type and PublicValue stored for another associate")

// save inserts or replaces the record keyed by (associate, Type, PublicValue).
// It refuses (errDuplicateKey) a Type and PublicValue stored for another
// associate: SuperOffice's database reference gives the Credentials table a
// unique index on (credentialType, searchName), searchName being the
// PublicValue. Both compare without regard to letter case, as SQL Server's
// default collation does (an inference); an empty PublicValue is not
// compared, as how the index treats it is not known.
// On a write failure the change is undone, so memory never holds what the
// file does not.
func (s *store) save(assoc int32, typ string, c soap.UntrustedCredentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.PublicValue != "" {
		for i := range s.records {
			r := &s.records[i]
			if r.AssociateID != assoc && strings.EqualFold(r.Type, typ) && strings.EqualFold(r.Credentials.PublicValue, c.PublicValue) {
				return errDuplicateKey
			}
		}
	}
	old := s.records
	s.records = append([]record(nil), old...)
	replaced := false
	for i := range s.records {
		r := &s.records[i]
		if r.AssociateID == assoc && r.Type == typ && r.Credentials.PublicValue == c.PublicValue {
			r.Credentials = c
			replaced = true
			break
		}
	}
	if !replaced {
		s.records = append(s.records, record{AssociateID: assoc, Type: typ, Credentials: c})
	}
	if err := s.persist(); err != nil {
		s.records = old
		return err
	}
	return nil
}

// remove deletes the record keyed by (associate, Type, PublicValue), if any.
func (s *store) remove(assoc int32, typ, public string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.records {
		r := &s.records[i]
		if r.AssociateID == assoc && r.Type == typ && r.Credentials.PublicValue == public {
			old := s.records
			s.records = append(append([]record(nil), old[:i]...), old[i+1:]...)
			if err := s.persist(); err != nil {
				s.records = old
				return err
			}
			return nil
		}
	}
	return nil
}

// list returns the associate's records of the Type, oldest first.
func (s *store) list(assoc int32, typ string) []soap.UntrustedCredentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []soap.UntrustedCredentials
	for _, r := range s.records {
		if r.AssociateID == assoc && r.Type == typ {
			out = append(out, r.Credentials)
		}
	}
	return out
}

// ensure rand is used for crypto by default.
var defaultRand io.Reader = rand.Reader
