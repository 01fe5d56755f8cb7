package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"

	"github.com/iotcert/iotcert/internal/safefile"
)

// lockFile takes an exclusive lock on f for the life of the process (or
// until f is closed), so that two batches never work on one directory.
// The kernel releases it when the process dies, even by SIGKILL.
func lockFile(f *os.File) error {
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return ErrLocked
		}
		return err
	}
	return nil
}

// syncStaged makes the files of the staged device directories durable
// before they are renamed into place: one syncfs(2) of the file system
// that holds devices, rather than an fsync of every file and directory
// (which costs a journal commit each on ext4).
func syncStaged(devices *safefile.Dir, staged []string) error {
	return unix.Syncfs(int(devices.Fd()))
}

// datasync makes the data written to f durable, with its size: one
// fdatasync(2), which skips the inode times that fsync would also write.
func datasync(f *os.File) error {
	for {
		err := unix.Fdatasync(int(f.Fd()))
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
