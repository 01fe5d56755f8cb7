package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/internal/safefile"
)

// JournalFile is the batch journal's name in the output directory.
const JournalFile = "journal.jsonl"

// Journal statuses.
const (
	StatusIssued  = "issued"
	StatusRefused = "refused"
)

// JournalEntry is one line of the batch journal (JSON Lines): one device
// issued or refused.
type JournalEntry struct {
	// Time is when the line was written (for a recovered line: the
	// certificate's notBefore, its issuance time).
	Time time.Time `json:"time"`
	// ID is the device id.
	ID string `json:"id"`
	// Status is "issued" or "refused".
	Status string `json:"status"`
	// Serial is the certificate's serial number in hexadecimal (issued).
	Serial string `json:"serial,omitempty"`
	// SHA256 is the SHA-256 of the certificate's DER in hexadecimal
	// (issued).
	SHA256 string `json:"sha256,omitempty"`
	// Reason says why the device was refused: the pre-issuance findings.
	Reason string `json:"reason,omitempty"`
	// Recovered marks the line of a device published by a batch that
	// stopped before it wrote the line; the next run wrote it from the
	// published certificate.
	Recovered bool `json:"recovered,omitempty"`
	// CA is the name of the issuing CA.
	CA string `json:"ca,omitempty"`
	// Profile is the name of the device profile: an id is issued once per
	// device profile.
	Profile string `json:"profile,omitempty"`
	// Fields are the template fields the device was issued with (its CSV
	// row, or the --set values), the id aside.
	Fields map[string]string `json:"fields,omitempty"`
	// Findings are the warnings and notices of the pre-issuance lint the
	// certificate was signed with, "level lint: details" each.
	Findings []string `json:"findings,omitempty"`
	// Command is the command that issued the certificate, secrets
	// redacted.
	Command string `json:"command,omitempty"`
	// Previous is the serial of the certificate of the same id and
	// profile that this one replaces: a reissue.
	Previous string `json:"previous,omitempty"`
	// ReissueReason says why the device was issued again.
	ReissueReason string `json:"reissue_reason,omitempty"`
	// NotAfter is the certificate's notAfter (issued; absent from lines
	// written before it was recorded).
	NotAfter time.Time `json:"not_after,omitzero"`
	// Auth says who was authenticated to obtain the certificate, as the
	// inventory records it ("est:idevid:<serial>", ...); absent for the
	// command line.
	Auth string `json:"auth,omitempty"`
	// Revoked marks a certificate the inventory records as revoked (a
	// line of "iotcert inventory export").
	Revoked bool `json:"revoked,omitempty"`
}

// sameDevice reports whether e is about device id of the device profile
// called profile (a line without a profile, written before lines had
// one, is about every profile).
func (e *JournalEntry) sameDevice(profile, id string) bool {
	return e.ID == id && (e.Profile == "" || profile == "" || e.Profile == profile)
}

// ReadJournal reads the journal at path. A last line without its line
// end is a line a stopped batch was writing: it is not returned (the next
// batch on the directory removes it and recovers the line from the
// published device). Any other line that is not a journal entry is an
// error with its line number.
func ReadJournal(path string) ([]JournalEntry, error) {
	entries, _, err := ReadJournalTail(path)
	return entries, err
}

// ReadJournalTail is ReadJournal that also returns the size, in bytes, of
// the last line without its line end that ReadJournal leaves out (0:
// none), so that a command can say that it was not read. The file is
// read as a stream and parsed line by line: reading stops at the first
// line that is not a journal entry, or that goes on past maxJournalLine
// bytes, so that a wrong path (/dev/zero, /dev/urandom) stops at once.
func ReadJournalTail(path string) ([]JournalEntry, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	br := bufio.NewReader(boundedread.Lines(f, maxJournalLine))
	var entries []JournalEntry
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return entries, len(line), nil
		} else if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", path, err)
		}
		e, ok, err := parseJournalLine(path, n, line)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			entries = append(entries, e)
		}
	}
}

// maxJournalLine bounds a journal line read by ReadJournalTail: a line is
// a few hundred bytes (more with many template fields and findings).
const maxJournalLine = 1 << 20

// ReadJournalIn reads the journal of the output directory out
// (OUT/journal.jsonl) as ReadJournal reads it, without following a
// symbolic link planted at it (internal/safefile): it is for reading back
// the journal a batch wrote, where ReadJournal is for a file the user
// names.
func ReadJournalIn(out string) ([]JournalEntry, error) {
	data, err := safefile.ReadFile(filepath.Join(out, JournalFile))
	if err != nil {
		return nil, err
	}
	entries, _, err := parseJournal(filepath.Join(out, JournalFile), data)
	return entries, err
}

// parseJournal parses the complete lines of data and returns the length
// of the part they take.
func parseJournal(path string, data []byte) ([]JournalEntry, int, error) {
	var entries []JournalEntry
	complete := bytes.LastIndexByte(data, '\n') + 1
	for n, line := 1, data[:complete]; len(line) > 0; n++ {
		i := bytes.IndexByte(line, '\n')
		e, ok, err := parseJournalLine(path, n, line[:i])
		if err != nil {
			return nil, 0, err
		}
		line = line[i+1:]
		if ok {
			entries = append(entries, e)
		}
	}
	return entries, complete, nil
}

// parseJournalLine parses line n of the journal at path; ok is false for
// a blank line.
func parseJournalLine(path string, n int, text []byte) (e JournalEntry, ok bool, err error) {
	if len(bytes.TrimSpace(text)) == 0 {
		return e, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return e, false, fmt.Errorf("%s: line %d: %v", path, n, err)
	}
	if e.ID == "" || (e.Status != StatusIssued && e.Status != StatusRefused) {
		return e, false, fmt.Errorf("%s: line %d: not a journal entry (want an id and status issued or refused)", path, n)
	}
	return e, true, nil
}

// journal is the open journal of a running batch. Only the batch's
// committing goroutine writes to it.
type journal struct {
	path    string
	f       *os.File
	buf     bytes.Buffer
	entries []JournalEntry // the lines read when it was opened
}

// openJournal opens (or creates) the journal in dir, never through a
// link (safefile.Dir.OpenFile), takes the batch lock on it, removes a
// torn last line and returns the devices it records as issued.
func openJournal(dir *safefile.Dir) (*journal, map[string]JournalEntry, error) {
	path := dir.Join(JournalFile)
	f, err := dir.OpenFile(JournalFile, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	entries, complete, err := parseJournal(path, data)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if complete < len(data) {
		// A line cut by a stop: its device, if published, is recovered.
		if err := f.Truncate(int64(complete)); err != nil {
			f.Close()
			return nil, nil, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	if _, err := f.Seek(int64(complete), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	issued, err := issuedEntries(path, entries, "")
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return &journal{path: path, f: f, entries: entries}, issued, nil
}

// issuedEntries maps each id issued under the device profile called
// profile ("": any) to its last issued line. A second issued line of an
// id must be a reissue (it names the serial it replaces).
func issuedEntries(path string, entries []JournalEntry, profile string) (map[string]JournalEntry, error) {
	issued := map[string]JournalEntry{}
	for _, e := range entries {
		if e.Status != StatusIssued || !e.sameDevice(profile, e.ID) {
			continue
		}
		if prev, dup := issued[e.ID]; dup && (e.Previous == "" || e.Previous != prev.Serial) && (profile != "" || e.Profile == prev.Profile) {
			return nil, fmt.Errorf("%s: device %q is recorded as issued twice", path, e.ID)
		}
		issued[e.ID] = e
	}
	return issued, nil
}

// append writes entries, one line each, in one write, and syncs the file.
func (j *journal) append(entries []JournalEntry) error {
	if len(entries) == 0 {
		return nil
	}
	j.buf.Reset()
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			return err
		}
	}
	if _, err := j.f.Write(j.buf.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", j.path, err)
	}
	return nil
}

// close releases the lock and closes the file.
func (j *journal) close() error { return j.f.Close() }

// ErrLocked is the error of a batch, or OpenJournal, on a directory
// whose journal another one holds open.
var ErrLocked = errors.New("another batch is running on this directory")

// CertIdentity is how the journal and the device records name the
// certificate c: its serial and the SHA-256 of its DER, in hexadecimal.
func CertIdentity(c *x509.Certificate) (serial, digest string) {
	sum := sha256.Sum256(c.Raw)
	return c.SerialNumber.Text(16), hex.EncodeToString(sum[:])
}
