//go:build !linux

package store

import (
	"os"

	"github.com/iotcert/iotcert/internal/safefile"
)

// lockFile does nothing outside Linux: do not run two batches on one
// directory at once.
func lockFile(*os.File) error { return nil }

// syncStaged makes the files of the staged device directories durable
// before they are renamed into place: an fsync of every file and of each
// directory.
func syncStaged(devices *safefile.Dir, staged []string) error {
	for _, name := range staged {
		if err := syncDir(devices, name); err != nil {
			return err
		}
	}
	return nil
}

// syncDir syncs the files of the directory name in devices, and the
// directory.
func syncDir(devices *safefile.Dir, name string) error {
	dir, err := devices.OpenDir(name, false)
	if err != nil {
		return err
	}
	defer dir.Close()
	files, err := dir.Names()
	if err != nil {
		return err
	}
	for _, n := range files {
		f, err := dir.OpenFile(n, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return dir.Sync()
}

// datasync makes the data written to f durable: an fsync.
func datasync(f *os.File) error { return f.Sync() }
