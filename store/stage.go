package store

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/iotcert/iotcert/internal/safefile"
	"github.com/iotcert/iotcert/keys"
)

// stagedPrefix starts the names of the temporary directories of
// devices, ".~<id>.tmp<random>": hidden, and never the name of a
// published device, since an id cannot hold "~".
const stagedPrefix = ".~"

// stageDevice writes the files of dev to a new temporary directory in
// devices and returns its name. The files are not synced: the committer
// makes a whole group durable at once.
func stageDevice(devices *safefile.Dir, dev Device) (string, error) {
	tmp, err := devices.MkdirTemp(stagedPrefix+dev.ID+".tmp", 0o755)
	if err != nil {
		return "", fmt.Errorf("device %q: %w", dev.ID, err)
	}
	if err := stageFiles(devices, tmp, dev); err != nil {
		devices.RemoveAll(tmp)
		return "", fmt.Errorf("device %q: %w", dev.ID, err)
	}
	return tmp, nil
}

// stageFiles writes the files of dev, not synced, in the new directory
// tmp of devices.
func stageFiles(devices *safefile.Dir, tmp string, dev Device) error {
	d, err := devices.OpenDir(tmp, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if dev.Key != nil {
		name, data, err := keys.FileData(dev.Key)
		if err != nil {
			return err
		}
		if err := d.WriteNew(name, data, privateMode); err != nil {
			return err
		}
	}
	if err := d.WriteNew(CertFile, CertPEM(dev.Cert), publicMode); err != nil {
		return err
	}
	if dev.C509 != nil {
		if err := d.WriteNew(C509File, dev.C509, publicMode); err != nil {
			return err
		}
	}
	return d.WriteNew(ChainFile, dev.chainPEM(), publicMode)
}

// removeStaged removes the temporary directories a stopped run (or a
// stopped WriteDevice) left in devices, and returns how many.
func removeStaged(devices *safefile.Dir) (int, error) {
	names, err := devices.Names()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		if !strings.HasPrefix(name, stagedPrefix) {
			continue
		}
		if err := devices.RemoveAll(name); err != nil {
			return n, err
		}
		n++
	}
	if n > 0 {
		return n, devices.Sync()
	}
	return n, nil
}

// recoverEntry is the journal line of the device id published in the
// directory d (its devices/<id>, opened with internal/safefile) whose
// line a stopped run did not write, from its certificate, and that
// certificate: cert.pem is opened relative to d, never through a link,
// and read once.
func recoverEntry(d *safefile.Dir, id string) (JournalEntry, *x509.Certificate, error) {
	c, err := ReadCertIn(d, CertFile)
	if err != nil {
		return JournalEntry{}, nil, fmt.Errorf("device %q: %w", id, err)
	}
	serial, digest := CertIdentity(c)
	return JournalEntry{Time: c.NotBefore.UTC(), ID: id, Status: StatusIssued, Serial: serial, SHA256: digest, Recovered: true, NotAfter: c.NotAfter.UTC()}, c, nil
}
