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
