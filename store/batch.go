package store

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"io/fs"
	"time"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
)

// Batch is an output directory opened for one batch of devices: its
// journal, locked, and the devices it already holds, in both layouts (a
// device issued in one is not issued again in the other). Devices are
// published through Stage and Publish, in the layout the batch was opened
// with. Close it when done.
type Batch struct {
	// Removed is the number of temporary directories of stopped runs
	// that OpenBatch removed.
	Removed int
	// Truncated is the number of torn records (a write a stopped run did
	// not finish) that OpenBatch removed from the end of devices.jsonl.
	Truncated int

	root    *safefile.Dir
	journal *journal
	issued  map[string]JournalEntry
	devices *safefile.Dir // <out>/devices; nil when absent (jsonl layout)
	records *recordFile   // devices.jsonl; nil when absent (dirs layout)
	scan    *deviceScan
	layout  layout
}

// OpenBatch opens out (made when missing) for a batch of devices of the
// device profile called profile, published in the layout l: it takes the
// journal's lock, removes what a stopped run left half-written (a torn
// journal line, temporary device directories, a torn record), and reads
// which devices are issued already. The dirs layout makes
// <out>/devices, the jsonl layout <out>/devices.jsonl (mode 0600).
func OpenBatch(out string, l Layout, profile string) (_ *Batch, err error) {
	l, err = ParseLayout(string(l))
	if err != nil {
		return nil, err
	}
	b := &Batch{}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	if b.root, err = safefile.OpenRoot(out, true); err != nil {
		return nil, err
	}
	if b.journal, _, err = openJournal(b.root); err != nil {
		return nil, err
	}
	// An id is issued once per device profile.
	if b.issued, err = issuedEntries(b.journal.path, b.journal.entries, profile); err != nil {
		return nil, err
	}
	// The devices directory: made in the dirs layout, read in both when
	// it is there.
	if exists, err := b.root.Exists(DevicesDir); err != nil {
		return nil, err
	} else if exists || l == LayoutDirs {
		if b.devices, err = b.root.OpenDir(DevicesDir, true); err != nil {
			return nil, err
		}
		if b.Removed, err = removeStaged(b.devices); err != nil {
			return nil, err
		}
	}
	if b.records, b.scan, err = openRecordFile(b.root, l == LayoutJSONL, b.issued, replacedDigests(b.journal.entries, b.issued, profile)); err != nil {
		return nil, err
	}
	b.Truncated = b.scan.torn
	if l == LayoutJSONL {
		b.layout = &jsonlLayout{records: b.records}
	} else {
		b.layout = &dirsLayout{devices: b.devices}
	}
	return b, nil
}

// Close releases the journal's lock and closes the files.
func (b *Batch) Close() error {
	var err error
	if b.records != nil {
		err = b.records.close()
	}
	if b.devices != nil {
		b.devices.Close()
	}
	if b.journal != nil {
		if jerr := b.journal.close(); err == nil {
			err = jerr
		}
	}
	if b.root != nil {
		b.root.Close()
	}
	return err
}

// JournalPath is the path of the journal.
func (b *Batch) JournalPath() string { return b.journal.path }

// RecordsPath is the path of devices.jsonl, or "" when there is none.
func (b *Batch) RecordsPath() string {
	if b.records == nil {
		return ""
	}
	return b.records.path
}

// replacedDigests returns the SHA-256s of the issued journal lines of the
// device profile called profile that a later line of their id replaced
// (a reissue): lines of entries other than the last of each id in
// issued.
func replacedDigests(entries []JournalEntry, issued map[string]JournalEntry, profile string) map[string]bool {
	replaced := map[string]bool{}
	for _, e := range entries {
		if e.Status == StatusIssued && e.sameDevice(profile, e.ID) && issued[e.ID].SHA256 != e.SHA256 {
			replaced[e.SHA256] = true
		}
	}
	return replaced
}

// Issued returns the last issued journal line of the device id under the
// batch's device profile.
func (b *Batch) Issued(id string) (JournalEntry, bool) {
	e, ok := b.issued[id]
	return e, ok
}

// HasRecord reports whether devices.jsonl holds a record of the device
// id.
func (b *Batch) HasRecord(id string) bool {
	_, ok := b.scan.records[id]
	return ok
}

// HasDir reports whether the device id has a directory in
// <out>/devices.
func (b *Batch) HasDir(id string) (bool, error) {
	if b.devices == nil {
		return false, nil
	}
	return b.devices.Exists(id)
}

// DeviceDir is the directory of the device id.
func (b *Batch) DeviceDir(id string) string { return DeviceDir(b.root.Path(), id) }

// Unjournaled is a record of devices.jsonl without its journal line: a
// device a stopped run published but did not journal.
type Unjournaled struct {
	// Where names the record: "<path>: line N".
	Where string
	// Record is the record, its key left out when it is a file.
	Record DeviceRecord
	// Entry is the journal line recovered from the record's certificate,
	// or Err says why it cannot be.
	Entry JournalEntry
	Err   error
}

// Unjournaled returns the records of devices.jsonl whose devices the
// journal does not record as issued, in file order.
func (b *Batch) Unjournaled() []Unjournaled {
	var out []Unjournaled
	for _, lr := range b.scan.unjournaled {
		e, err := recoverRecord(b.records.path, lr.line, lr.rec)
		out = append(out, Unjournaled{Where: fmt.Sprintf("%s: line %d", b.records.path, lr.line), Record: lr.rec, Entry: e, Err: err})
	}
	return out
}

// RecoverDir returns the journal line of the device id whose directory
// a stopped run published without its line, from its certificate, and
// that certificate, for the caller to check (with the key beside it:
// OpenDeviceKey). <out>/devices/<id> is opened relative to the devices
// directory the batch opened, and its cert.pem relative to it, each with
// O_NOFOLLOW, checked on its open descriptor and read through it: a
// device directory that is a link, or was swapped for one after HasDir
// looked, is refused with an error naming it, never followed.
func (b *Batch) RecoverDir(id string) (JournalEntry, *x509.Certificate, error) {
	d, err := b.openDeviceDir(id)
	if err != nil {
		return JournalEntry{}, nil, fmt.Errorf("device %q: %w", id, err)
	}
	defer d.Close()
	return recoverEntry(d, id)
}

// OpenDeviceKey opens the key of the device id published in
// <out>/devices/<id> (key.pem, or the key key.ref names) with kb, the
// directory and the file opened as RecoverDir opens them (a link is
// refused) and key.pem read once (keys.OpenInDir).
func (b *Batch) OpenDeviceKey(id string, kb keys.Backend) (crypto.Signer, error) {
	d, err := b.openDeviceDir(id)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	signer, _, err := keys.OpenInDir(d, kb)
	return signer, err
}

// openDeviceDir opens the directory of the device id below the batch's
// open devices directory, never through a link.
func (b *Batch) openDeviceDir(id string) (*safefile.Dir, error) {
	if err := CheckID(id); err != nil {
		return nil, err
	}
	if b.devices == nil {
		return nil, &fs.PathError{Op: "open", Path: b.DeviceDir(id), Err: fs.ErrNotExist}
	}
	return b.devices.OpenDirPath(id)
}

// WriteChain publishes chainPEM, the chain of the CA called ca, as
// <out>/devices.chain.pem (jsonl layout): written when missing, left
// alone when it holds the same; a file holding another chain is an
// error.
func (b *Batch) WriteChain(ca string, chainPEM []byte) error {
	return writeChainFile(b.root, ca, chainPEM)
}

// Journal appends entries to the journal, one line each, and makes them
// durable.
func (b *Batch) Journal(entries []JournalEntry) error { return b.journal.append(entries) }

// Staged is a device ready to publish: its files written to a temporary
// directory (dirs layout) or its record encoded (jsonl layout).
type Staged struct {
	// ID is the device id.
	ID string
	// Serial and SHA256 name the certificate as the journal does.
	Serial, SHA256 string
	// Replace publishes the device over its directory, when it has one
	// (a reissue: the old directory is removed); the jsonl layout appends
	// the device's new record either way.
	Replace bool

	dir    string // dirs: the temporary directory in <out>/devices
	record []byte // jsonl: the line of devices.jsonl
}

// Stage prepares dev for Publish. It is safe to call from many
// goroutines; the dirs layout writes files, not synced (Publish makes a
// group durable at once).
func (b *Batch) Stage(dev Device) (Staged, error) { return b.layout.stage(dev) }

// Stagers is how many goroutines should stage devices for workers
// goroutines that issue them: more than workers when staging waits on the
// file system (dirs), 0 when it is better done by the workers themselves
// (jsonl: encoding, on the CPUs that make the keys).
func (b *Batch) Stagers(workers int) int { return b.layout.stagers(workers) }

// GroupWait is how long a committer should wait for a group to fill
// before it publishes the devices it has: 0 to take what is ready.
func (b *Batch) GroupWait() time.Duration { return b.layout.groupWait() }

// Publish publishes the staged devices, in order, and makes them durable
// before it returns: only then may their journal lines be written. It
// returns how many it published; stopped, when set, is why it stopped
// before the end (the devices before stay published and are journaled,
// the others are discarded). An error err means that no device of
// staged may be journaled: the next run recovers the ones that are
// published.
func (b *Batch) Publish(staged []Staged) (n int, stopped, err error) {
	return b.layout.publish(staged)
}

// Discard removes what Stage wrote for devices that will not be
// published (a stop before this leaves them to the next OpenBatch).
func (b *Batch) Discard(staged []Staged) { b.layout.discard(staged) }

// A layout publishes the devices of a batch: as directories (dirsLayout)
// or as records of devices.jsonl (jsonlLayout).
type layout interface {
	stage(dev Device) (Staged, error)
	stagers(workers int) int
	groupWait() time.Duration
	publish(staged []Staged) (n int, stopped, err error)
	discard(staged []Staged)
}

// stagersPerWorker is how many goroutines write device files for each
// worker that issues certificates.
const stagersPerWorker = 4

// dirsLayout publishes each device as the directory <out>/devices/<id>.
type dirsLayout struct{ devices *safefile.Dir }

func (l *dirsLayout) stage(dev Device) (Staged, error) {
	s := Staged{ID: dev.ID}
	s.Serial, s.SHA256 = dev.identity()
	var err error
	s.dir, err = stageDevice(l.devices, dev)
	return s, err
}

func (l *dirsLayout) stagers(workers int) int { return stagersPerWorker * workers }

func (l *dirsLayout) groupWait() time.Duration { return 0 }

func (l *dirsLayout) publish(staged []Staged) (int, error, error) {
	if len(staged) == 0 {
		return 0, nil, nil
	}
	// 1. The files of every staged directory are durable ...
	dirs := make([]string, len(staged))
	for i, s := range staged {
		dirs[i] = s.dir
	}
	if err := syncStaged(l.devices, dirs); err != nil {
		l.discard(staged)
		return 0, nil, fmt.Errorf("syncing %s: %w", l.devices.Path(), err)
	}
	var stopped error
	n := 0
	for i, s := range staged {
		// 2. ... before each is renamed into place, so that a device
		// directory is complete or absent ...
		var err error
		if s.Replace {
			err = replaceDir(l.devices, s.dir, s.ID)
		} else {
			err = l.devices.Rename(s.dir, l.devices, s.ID)
		}
		if err != nil {
			stopped = fmt.Errorf("device %q: publishing: %w", s.ID, err)
			l.discard(staged[i:])
			break
		}
		n++
	}
	// 3. ... and the renames are durable.
	if err := l.devices.Sync(); err != nil {
		return 0, nil, err
	}
	return n, stopped, nil
}

func (l *dirsLayout) discard(staged []Staged) {
	for _, s := range staged {
		if s.dir != "" {
			l.devices.RemoveAll(s.dir)
		}
	}
}

// jsonlLayout publishes each device as a record of devices.jsonl.
type jsonlLayout struct{ records *recordFile }

func (l *jsonlLayout) stage(dev Device) (Staged, error) {
	s := Staged{ID: dev.ID}
	var err error
	s.record, s.Serial, s.SHA256, err = appendRecord(make([]byte, 0, 2048), dev)
	return s, err
}

func (l *jsonlLayout) stagers(int) int { return 0 }

// groupWait is how long the jsonl layout's committer waits for a group
// to fill before it commits the devices it has: its syncs cost more CPU
// than a group's write, so fewer, larger groups leave the CPUs to the
// workers.
var groupWait = 20 * time.Millisecond

func (l *jsonlLayout) groupWait() time.Duration { return groupWait }

func (l *jsonlLayout) publish(staged []Staged) (int, error, error) {
	d := l.records
	d.buf = d.buf[:0]
	for _, s := range staged {
		d.buf = append(d.buf, s.record...)
	}
	// The group's records are written in one write and made durable
	// (fdatasync).
	if err := d.append(d.buf); err != nil {
		return 0, nil, err
	}
	return len(staged), nil, nil
}

func (l *jsonlLayout) discard([]Staged) {}
