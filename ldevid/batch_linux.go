package ldevid

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock on f for the life of the process (or
// until f is closed), so that two batches never work on one directory.
// The kernel releases it when the process dies, even by SIGKILL.
func lockFile(f *os.File) error {
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		if errors.Is(err, unix.EWOULDBLOCK) {
			return errLocked
		}
		return err
	}
	return nil
}

// syncStaged makes the files of the staged device directories durable
// before they are renamed into place: one syncfs(2) of the file system
// that holds devices, rather than an fsync of every file and directory
// (which costs a journal commit each on ext4).
func syncStaged(devices string, staged []string) error {
	d, err := os.Open(devices)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}

// writeNew creates path with mode perm (less the umask: a key file is
// never more readable than 0600) and writes data. It calls open, write
// and close directly: an os.File would add a poller registration and
// fcntl calls for each of a batch's many small files.
func writeNew(path string, data []byte, perm os.FileMode) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return &os.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
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
