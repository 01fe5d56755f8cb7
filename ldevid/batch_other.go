//go:build !linux

package ldevid

import (
	"os"
	"path/filepath"

	"github.com/iotcert/iotcert/internal/atomicfile"
)

// lockFile does nothing outside Linux: do not run two batches on one
// directory at once.
func lockFile(*os.File) error { return nil }

// syncStaged makes the files of the staged device directories durable
// before they are renamed into place: an fsync of every file and of each
// directory.
func syncStaged(devices string, staged []string) error {
	for _, dir := range staged {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			f, err := os.Open(filepath.Join(dir, e.Name()))
			if err != nil {
				return err
			}
			err = f.Sync()
			f.Close()
			if err != nil {
				return err
			}
		}
		if err := atomicfile.SyncDir(dir); err != nil {
			return err
		}
	}
	return nil
}

// writeNew creates path with mode perm (less the umask: a key file is
// never more readable than 0600) and writes data.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// datasync makes the data written to f durable: an fsync.
func datasync(f *os.File) error { return f.Sync() }
