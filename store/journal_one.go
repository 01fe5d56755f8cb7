package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/iotcert/iotcert/internal/safefile"
)

// Journal is the journal.jsonl of an output directory, opened to record
// one certificate at a time (gen device, sign). While it is open it holds
// the lock a batch takes, so no batch runs on the directory meanwhile.
type Journal struct {
	root *safefile.Dir
	j    *journal
}

// OpenJournal opens (or creates) out/journal.jsonl, never through a
// link, and takes its lock. Close it when done.
func OpenJournal(out string) (*Journal, error) {
	root, err := safefile.OpenRoot(out, false)
	if err != nil {
		return nil, err
	}
	j, _, err := openJournal(root)
	if err != nil {
		root.Close()
		return nil, err
	}
	return &Journal{root: root, j: j}, nil
}

// Path returns the journal's path.
func (jl *Journal) Path() string { return jl.j.path }

// Close releases the lock and closes the journal.
func (jl *Journal) Close() error {
	err := jl.j.close()
	jl.root.Close()
	return err
}

// Previous returns the certificate issued before to the device id under
// the device profile called profile: its last issued journal line, else
// its record in devices.jsonl, else its published devices/<id>/cert.pem
// (a device whose line was never written). where names the place it was
// found; ok is false for an id never issued.
func (jl *Journal) Previous(profile, id string) (prev JournalEntry, where string, ok bool, err error) {
	issued, err := issuedEntries(jl.j.path, jl.j.entries, profile)
	if err != nil {
		return JournalEntry{}, "", false, err
	}
	if e, ok := issued[id]; ok {
		return e, jl.j.path, true, nil
	}
	if e, ok, err := jl.recorded(id); err != nil || ok {
		return e, jl.root.Join(DevicesFile), ok, err
	}
	if CheckID(id) != nil {
		return JournalEntry{}, "", false, nil // no directory can hold it
	}
	// devices/<id> is opened below the open output directory, never
	// through a link, and cert.pem is read on the descriptor that was
	// checked: no separate look first that a swap could outrun.
	rel := filepath.Join(DevicesDir, id)
	d, err := jl.root.OpenDirPath(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return JournalEntry{}, "", false, nil
	}
	if err != nil {
		return JournalEntry{}, "", false, fmt.Errorf("device %q: %w", id, err)
	}
	defer d.Close()
	e, _, err := recoverEntry(d, id)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return JournalEntry{}, "", false, nil
	case err != nil:
		return JournalEntry{}, "", false, err
	}
	return e, d.Path(), true, nil
}

// recorded returns the journal line of id's record in devices.jsonl.
func (jl *Journal) recorded(id string) (JournalEntry, bool, error) {
	data, err := jl.root.ReadFile(DevicesFile)
	if errors.Is(err, os.ErrNotExist) {
		return JournalEntry{}, false, nil
	}
	if err != nil {
		return JournalEntry{}, false, err
	}
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		rec, reason := parseRecord(line)
		if reason != "" || rec.ID != id {
			continue
		}
		rec.Key = ""
		e, err := recoverRecord(jl.root.Join(DevicesFile), n, rec)
		return e, err == nil, err
	}
	return JournalEntry{}, false, nil
}

// Append writes e as a line of the journal and makes it durable.
func (jl *Journal) Append(e JournalEntry) error {
	if err := jl.j.append([]JournalEntry{e}); err != nil {
		return err
	}
	jl.j.entries = append(jl.j.entries, e)
	return nil
}

// AppendAll writes entries as lines of the journal in one write and
// makes them durable with one sync: the group commit of a long-running
// writer (iotcert est). Unlike Append it does not keep the lines in
// memory, so that a server's memory does not grow with what it issued:
// Previous does not see them (the server asks its inventory instead).
func (jl *Journal) AppendAll(entries []JournalEntry) error {
	return jl.j.append(entries)
}

// ReplaceDevice publishes dev as WriteDevice does, replacing the device
// directory of its id when there is one (a reissue): the new directory is
// made beside it, the old one is moved aside to a temporary name and the
// new one renamed into place, then the old one is removed. A stop in
// between leaves the old directory under a temporary name that the next
// batch on out removes.
func ReplaceDevice(out string, dev Device) error {
	devices, err := openDevicesDir(out)
	if err != nil {
		return err
	}
	defer devices.Close()
	exists, err := devices.Exists(dev.ID)
	if err != nil {
		return fmt.Errorf("device %q: %w", dev.ID, err)
	}
	if !exists {
		return WriteDevice(out, dev)
	}
	tmp, err := stageDeviceSynced(devices, dev)
	if tmp != "" {
		defer devices.RemoveAll(tmp)
	}
	if err != nil {
		return err
	}
	if err := replaceDir(devices, tmp, dev.ID); err != nil {
		return err
	}
	return devices.Sync()
}

// replaceDir renames the directory tmp of devices to id, replacing the
// directory id when there is one: the old one is moved aside to a
// temporary name, the new one renamed into place, then the old one is
// removed. A stop in between leaves the old directory under a temporary
// name that the next batch removes.
func replaceDir(devices *safefile.Dir, tmp, id string) error {
	exists, err := devices.Exists(id)
	if err != nil {
		return fmt.Errorf("device %q: %w", id, err)
	}
	if !exists {
		return devices.Rename(tmp, devices, id)
	}
	old, err := devices.MkdirTemp(stagedPrefix+id+".old", 0o700)
	if err != nil {
		return err
	}
	defer devices.RemoveAll(old)
	// rename(2) of a directory onto an empty directory replaces it.
	if err := devices.Rename(id, devices, old); err != nil {
		return fmt.Errorf("device %q: moving the old directory aside: %w", id, err)
	}
	if err := devices.Rename(tmp, devices, id); err != nil {
		return fmt.Errorf("device %q: %w", id, err)
	}
	return nil
}
