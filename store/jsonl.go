package store

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
)

// Layout is how a Batch (batch.Issue) publishes devices.
type Layout string

const (
	// LayoutDirs publishes each device as a directory
	// <out>/devices/<id>/ holding key.pem (or key.ref), cert.pem and
	// chain.pem. It is the default (the zero Layout).
	LayoutDirs Layout = "dirs"
	// LayoutJSONL publishes each device as one line of
	// <out>/devices.jsonl (a DeviceRecord, mode 0600: it holds the
	// private keys), and the chain shared by every device of the CA
	// once, as <out>/devices.chain.pem. No file or directory is made
	// per device.
	LayoutJSONL Layout = "jsonl"
)

// ParseLayout returns the layout called s ("dirs" or "jsonl"; "" is
// dirs).
func ParseLayout(s string) (Layout, error) {
	switch Layout(s) {
	case "", LayoutDirs:
		return LayoutDirs, nil
	case LayoutJSONL:
		return LayoutJSONL, nil
	}
	return "", fmt.Errorf("layout %q: want %s or %s", s, LayoutDirs, LayoutJSONL)
}

// File names of the jsonl layout in an output directory.
const (
	// DevicesFile holds one DeviceRecord per line.
	DevicesFile = "devices.jsonl"
	// DevicesChainFile holds the certificates of the issuing CA up to
	// and including the root, as PEM: what each device's chain.pem holds
	// in the dirs layout, less the device's own certificate.
	DevicesChainFile = "devices.chain.pem"
)

// DeviceRecord is one line of devices.jsonl: one issued device. The
// fields are written in this order, always on one line.
type DeviceRecord struct {
	// ID is the device id.
	ID string `json:"id"`
	// Serial is the certificate's serial number in hexadecimal, as the
	// journal writes it.
	Serial string `json:"serial"`
	// SHA256 is the SHA-256 of the certificate's DER in hexadecimal, as
	// the journal writes it.
	SHA256 string `json:"sha256"`
	// Cert is the certificate as PEM.
	Cert string `json:"cert"`
	// Key is the private key as PEM PKCS#8 (encrypted when device keys
	// have a passphrase), for a key that is a file. Never log it.
	Key string `json:"key,omitempty"`
	// KeyRef names a key kept in a token or keys.KMS (as key.ref does in the
	// dirs layout), for a key that is not a file.
	KeyRef string `json:"key_ref,omitempty"`
}

// appendRecord appends the devices.jsonl line of dev to b: its
// DeviceRecord as JSON, then a line end. It also returns the serial and
// the hash it wrote, for the journal.
func appendRecord(b []byte, dev Device) (_ []byte, serial, digest string, err error) {
	if dev.Key == nil || (dev.Key.PEM == nil && dev.Key.Ref == "") {
		return b, "", "", keys.ErrNoKeyMaterial
	}
	serial, digest = dev.identity()
	b = append(b, `{"id":`...)
	b = appendJSONString(b, dev.ID)
	b = append(b, `,"serial":"`...)
	b = append(b, serial...)
	b = append(b, `","sha256":"`...)
	b = append(b, digest...)
	b = append(b, `","cert":`...)
	b = appendJSONString(b, CertPEM(dev.Cert))
	if dev.Key.PEM != nil {
		b = append(b, `,"key":`...)
		b = appendJSONString(b, dev.Key.PEM)
	} else {
		b = append(b, `,"key_ref":`...)
		b = appendJSONString(b, dev.Key.Ref)
	}
	b = append(b, "}\n"...)
	return b, serial, digest, nil
}

// appendJSONString appends s as a JSON string. PEM is ASCII, for which
// this is a plain copy with its line ends escaped; anything else goes
// through encoding/json.
func appendJSONString[S string | []byte](b []byte, s S) []byte {
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			q, _ := json.Marshal(string(s)) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// recordFile is the open devices.jsonl of a running batch. Only the
// batch's committing goroutine writes to it.
type recordFile struct {
	path string
	f    *os.File
	size int64 // the end of the last complete record
	buf  []byte
}

// lineRecord is a record and its line number.
type lineRecord struct {
	line int
	rec  DeviceRecord
}

// deviceScan is what openRecordFile found in devices.jsonl.
type deviceScan struct {
	// records maps the id of each record to its line number.
	records map[string]int
	// unjournaled are the records (without their keys) of ids that
	// scan's caller said were not journaled as issued, in file order.
	unjournaled []lineRecord
	// torn is the number of torn records removed from the end.
	torn int
}

// openRecordFile opens devices.jsonl in out (creating it, mode 0600, when
// create is set; else a missing file gives a nil recordFile), refuses it
// when group or others have any permission on it, reads every record,
// removes a torn tail and returns what it found. The batch lock must be
// held. issued are the journal's last issued lines, replaced the hashes
// of the certificates a reissue replaced: a record whose hash is neither
// is an error, unless it follows the current record of its id (a reissue
// a stopped run published but did not journal).
func openRecordFile(out *safefile.Dir, create bool, issued map[string]JournalEntry, replaced map[string]bool) (*recordFile, *deviceScan, error) {
	path := out.Join(DevicesFile)
	flags := os.O_RDWR
	if create {
		flags |= os.O_CREATE
	}
	// Never through a link: the records hold private keys.
	f, err := out.OpenFile(DevicesFile, flags, privateMode)
	if err != nil {
		if !create && errors.Is(err, os.ErrNotExist) {
			return nil, &deviceScan{}, nil
		}
		return nil, nil, err
	}
	d := &recordFile{path: path, f: f}
	scan, err := d.scan(issued, replaced)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if create {
		// The file's name must survive a crash before any record
		// written to it is counted as durable (fdatasync does not sync
		// the directory).
		if err := out.Sync(); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	return d, scan, nil
}

// scan checks the file's mode, reads its records, removes a torn tail
// and leaves the file's offset at its end.
func (d *recordFile) scan(issued map[string]JournalEntry, replaced map[string]bool) (*deviceScan, error) {
	st, err := d.f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", d.path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%s: mode %04o lets group or others at the private keys it holds: make it 0600 (chmod 600 %s) and check who has read it", d.path, perm, d.path)
	}
	scan := &deviceScan{records: map[string]int{}}
	digests := map[string]string{} // the hash of each id's last record
	r := bufio.NewReaderSize(d.f, 1<<20)
	var (
		off       int64 // where the current line starts
		n         int   // its number
		bad       int   // the number of a line that is not a record, 0 if none
		badOff    int64
		badReason string
		long      []byte
	)
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, line...)
			continue
		}
		if long != nil {
			line = append(long, line...)
			long = nil
		}
		if err == io.EOF {
			if len(line) > 0 {
				scan.torn++ // a record cut short: no line end
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.path, err)
		}
		n++
		if bad != 0 {
			// A bad line followed by another is not a torn tail.
			return nil, fmt.Errorf("%s: line %d: not a device record: %s", d.path, bad, badReason)
		}
		rec, reason := parseRecord(line)
		switch {
		case reason != "":
			bad, badOff, badReason = n, off, reason
		default:
			e, journaled := issued[rec.ID]
			before, dup := digests[rec.ID]
			// A reissue appends the device's new record: the one before
			// is one a reissue replaced, or the journal's current one.
			reissue := replaced[before] && before != rec.SHA256 || journaled && before == e.SHA256 && rec.SHA256 != e.SHA256
			if dup && !reissue {
				return nil, fmt.Errorf("%s: line %d: device %q again (first on line %d): it was issued twice; keep one and remove the other, or restore the file", d.path, n, rec.ID, scan.records[rec.ID])
			}
			scan.records[rec.ID], digests[rec.ID] = n, rec.SHA256
			switch {
			case !journaled || dup && before == e.SHA256 && rec.SHA256 != e.SHA256 && !replaced[rec.SHA256]:
				// Kept for recovery, which checks that the key is the
				// certificate's; only the records of a stopped run's
				// last groups are unjournaled.
				scan.unjournaled = append(scan.unjournaled, lineRecord{n, rec})
			case e.SHA256 != rec.SHA256 && !replaced[rec.SHA256]:
				return nil, fmt.Errorf("%s: line %d: device %q has sha256 %s, its journal line %s: restore the file", d.path, n, rec.ID, rec.SHA256, e.SHA256)
			}
		}
		off += int64(len(line))
	}
	end := off
	if bad != 0 {
		// The last line is not a complete record: a write cut short
		// whose end the file system kept.
		scan.torn++
		end = badOff
	}
	if end < st.Size() {
		if err := d.f.Truncate(end); err != nil {
			return nil, err
		}
		if err := d.f.Sync(); err != nil {
			return nil, err
		}
	}
	if _, err := d.f.Seek(end, io.SeekStart); err != nil {
		return nil, err
	}
	d.size = end
	return scan, nil
}

// parseRecord parses one line of devices.jsonl, line end included; a
// line that is not a complete record gives the reason. The reason never
// quotes the line, which holds a private key.
func parseRecord(line []byte) (DeviceRecord, string) {
	var rec DeviceRecord
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return rec, fmt.Sprintf("invalid JSON at byte %d", syntax.Offset)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return rec, "the JSON object is cut short"
		}
		return rec, err.Error() // type or unknown field errors name fields, not values
	}
	if dec.More() {
		return rec, "more than one JSON value"
	}
	switch {
	case CheckID(rec.ID) != nil:
		return rec, "no valid id"
	case !isHex(rec.Serial) || len(rec.Serial) > 40:
		return rec, "no serial in hexadecimal"
	case !isHex(rec.SHA256) || len(rec.SHA256) != 64:
		return rec, "no sha256 of 64 hexadecimal digits"
	case rec.Cert == "":
		return rec, "no cert"
	case (rec.Key == "") == (rec.KeyRef == ""):
		return rec, "want one of key and key_ref"
	}
	return rec, ""
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// recoverRecord is the journal line of the device rec whose line a
// stopped run did not write: its certificate must parse and match the
// record's serial and hash.
func recoverRecord(path string, line int, rec DeviceRecord) (JournalEntry, error) {
	where := fmt.Sprintf("%s: line %d: device %q", path, line, rec.ID)
	block, _ := pem.Decode([]byte(rec.Cert))
	if block == nil || block.Type != "CERTIFICATE" {
		return JournalEntry{}, fmt.Errorf("%s: cert holds no PEM certificate", where)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return JournalEntry{}, fmt.Errorf("%s: cert: %w", where, err)
	}
	serial, digest := CertIdentity(c)
	if digest != rec.SHA256 {
		return JournalEntry{}, fmt.Errorf("%s: sha256 %s is not the certificate's (%s)", where, rec.SHA256, digest)
	}
	if s, ok := new(big.Int).SetString(rec.Serial, 16); !ok || s.Cmp(c.SerialNumber) != 0 {
		return JournalEntry{}, fmt.Errorf("%s: serial %s is not the certificate's (%s)", where, rec.Serial, serial)
	}
	return JournalEntry{Time: c.NotBefore.UTC(), ID: rec.ID, Status: StatusIssued, Serial: serial, SHA256: digest, Recovered: true, NotAfter: c.NotAfter.UTC()}, nil
}

// append writes the records in b (complete lines) in one write and makes
// them durable. On an error the file is cut back to its last complete
// record, as far as it can be.
func (d *recordFile) append(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if _, err := d.f.Write(b); err != nil {
		d.rewind()
		return fmt.Errorf("%s: %w", d.path, err)
	}
	if err := datasync(d.f); err != nil {
		// The records may or may not be durable: stop, and let the next
		// run decide from what the file holds.
		return fmt.Errorf("%s: %w", d.path, err)
	}
	d.size += int64(len(b))
	return nil
}

// rewind cuts off what a failed write left after the last complete
// record; the next run would remove it anyway.
func (d *recordFile) rewind() {
	if d.f.Truncate(d.size) == nil {
		d.f.Seek(d.size, io.SeekStart)
	}
}

func (d *recordFile) close() error {
	if d == nil {
		return nil
	}
	return d.f.Close()
}

// writeChainFile publishes chainPEM as out/devices.chain.pem: written
// atomically when missing, left alone when it holds the same; a file
// holding another chain is an error.
func writeChainFile(out *safefile.Dir, ca string, chainPEM []byte) error {
	path := out.Join(DevicesChainFile)
	have, err := out.ReadFile(DevicesChainFile)
	switch {
	case err == nil:
		if !bytes.Equal(have, chainPEM) {
			return fmt.Errorf("%s holds another chain than that of CA %q (the devices of %s were issued by another CA, or the CA was made again): issue these devices into another directory", path, ca, DevicesFile)
		}
		return nil
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	return out.Write(DevicesChainFile, chainPEM, publicMode, true)
}
