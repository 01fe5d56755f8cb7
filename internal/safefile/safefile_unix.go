//go:build unix

package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// Dir is an open directory. Everything below it is opened relative to it
// and never through a symbolic link. A Dir is safe for concurrent use.
type Dir struct {
	fd   int
	path string
}

// OpenRoot opens the directory path (made, with its parents, when create
// is set). Symbolic links in path itself are followed: it is the
// directory the user named; nothing below it is.
func OpenRoot(path string, create bool) (*Dir, error) {
	if create {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, err
		}
	}
	fd, err := openat(unix.AT_FDCWD, path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return &Dir{fd: fd, path: path}, nil
}

// Close closes d.
func (d *Dir) Close() error { return unix.Close(d.fd) }

// Fd returns d's file descriptor, valid until Close.
func (d *Dir) Fd() uintptr { return uintptr(d.fd) }

// Sync makes the names in d (new files, renames, removals) durable.
func (d *Dir) Sync() error {
	if err := unix.Fsync(d.fd); err != nil {
		return &fs.PathError{Op: "sync", Path: d.path, Err: err}
	}
	return nil
}

// OpenDir opens the subdirectory name of d, making it (mode 0755 less
// the umask) when create is set and it is missing. It must be a directory
// owned by the user, not a symbolic link.
func (d *Dir) OpenDir(name string, create bool) (*Dir, error) {
	if err := checkName(d.path, name); err != nil {
		return nil, err
	}
	if create {
		if err := unix.Mkdirat(d.fd, name, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
			return nil, &fs.PathError{Op: "mkdir", Path: d.Join(name), Err: err}
		}
	}
	fd, err := openat(d.fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, d.explain("open", name, err, true)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: d.Join(name), Err: err}
	}
	if found := describe(&st, true, false); found != "" {
		unix.Close(fd)
		return nil, &UnsafeError{Path: d.Join(name), Found: found}
	}
	return &Dir{fd: fd, path: d.Join(name)}, nil
}

// Mkdir makes the directory name in d with mode perm less the umask. An
// existing name is an error wrapping fs.ErrExist (an UnsafeError when it
// is a link or not the user's).
func (d *Dir) Mkdir(name string, perm fs.FileMode) error {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	if err := unix.Mkdirat(d.fd, name, uint32(perm.Perm())); err != nil {
		if errors.Is(err, unix.EEXIST) {
			return d.existing(name)
		}
		return &fs.PathError{Op: "mkdir", Path: d.Join(name), Err: err}
	}
	return nil
}

// Exists reports whether name exists in d, without following a link. A
// name that is a symbolic link or is not the user's exists and gives an
// UnsafeError.
func (d *Dir) Exists(name string) (bool, error) {
	if err := checkName(d.path, name); err != nil {
		return false, err
	}
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return false, nil
		}
		return false, &fs.PathError{Op: "stat", Path: d.Join(name), Err: err}
	}
	if found := describeLink(&st); found != "" {
		return true, &UnsafeError{Path: d.Join(name), Found: found}
	}
	return true, nil
}

// WriteNew creates the file name in d with mode perm (less the umask: a
// key file is never more readable than perm) and writes data. It does not
// sync. An existing name is an error wrapping fs.ErrExist, or an
// UnsafeError when it is a link or not the user's: nothing is ever
// written through it.
func (d *Dir) WriteNew(name string, data []byte, perm fs.FileMode) error {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	fd, err := openat(d.fd, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		if errors.Is(err, unix.EEXIST) {
			return d.existing(name)
		}
		return &fs.PathError{Op: "create", Path: d.Join(name), Err: err}
	}
	if err := writeAll(fd, data); err != nil {
		unix.Close(fd)
		return &fs.PathError{Op: "write", Path: d.Join(name), Err: err}
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: d.Join(name), Err: err}
	}
	return nil
}

// Write publishes data as the file name in d, mode perm, atomically: it
// writes a temporary file in d, syncs it, puts it in place and syncs d, so
// that a reader, or the file system after a crash, sees the old content
// or the new one, never a part. With exclusive set an existing name is an
// error wrapping fs.ErrExist; else an existing file is replaced (renamed
// over, never truncated) when it is a regular file owned by the user. A
// link or anything else is an UnsafeError.
func (d *Dir) Write(name string, data []byte, perm fs.FileMode, exclusive bool) (err error) {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	var st unix.Stat_t
	switch serr := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); {
	case serr == nil && exclusive:
		if found := describeLink(&st); found != "" {
			return &UnsafeError{Path: d.Join(name), Found: found}
		}
		return existErr(d.Join(name))
	case serr == nil:
		if found := describe(&st, false, false); found != "" {
			return &UnsafeError{Path: d.Join(name), Found: found}
		}
	case !errors.Is(serr, unix.ENOENT):
		return &fs.PathError{Op: "stat", Path: d.Join(name), Err: serr}
	}
	var tmp string
	var fd int
	for range 10 {
		if tmp, err = randomName("." + name + ".tmp"); err != nil {
			return err
		}
		fd, err = openat(d.fd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if !errors.Is(err, unix.EEXIST) {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "create", Path: d.Join(tmp), Err: err}
	}
	defer func() {
		if err != nil {
			unix.Unlinkat(d.fd, tmp, 0)
		}
	}()
	// Created 0600; set the wanted mode before any content is written.
	werr := unix.Fchmod(fd, uint32(perm.Perm()))
	if werr == nil {
		werr = writeAll(fd, data)
	}
	if werr == nil {
		werr = fsync(fd)
	}
	if cerr := unix.Close(fd); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &fs.PathError{Op: "write", Path: d.Join(tmp), Err: werr}
	}
	if exclusive {
		// linkat fails when name exists (even as a link), which rename
		// would replace.
		if err := unix.Linkat(d.fd, tmp, d.fd, name, 0); err != nil {
			if errors.Is(err, unix.EEXIST) {
				return d.existing(name)
			}
			return &fs.PathError{Op: "link", Path: d.Join(name), Err: err}
		}
		if err := unix.Unlinkat(d.fd, tmp, 0); err != nil {
			return &fs.PathError{Op: "remove", Path: d.Join(tmp), Err: err}
		}
	} else if err := unix.Renameat(d.fd, tmp, d.fd, name); err != nil {
		return &fs.PathError{Op: "rename", Path: d.Join(name), Err: err}
	}
	return d.Sync()
}

// OpenFile opens the file name in d for reading or appending with flag
// (os.O_RDWR, os.O_CREATE, os.O_APPEND, ...; os.O_TRUNC is refused) and
// perm for a new file, never through a link. The file must be a regular
// file owned by the user with no other hard link, so that nothing the
// caller writes lands in a file someone else chose.
func (d *Dir) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	if err := checkName(d.path, name); err != nil {
		return nil, err
	}
	if flag&os.O_TRUNC != 0 {
		return nil, fmt.Errorf("%s: safefile never truncates a file on open", d.Join(name))
	}
	fd, err := openat(d.fd, name, flag|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return nil, d.explain("open", name, err, false)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, &fs.PathError{Op: "stat", Path: d.Join(name), Err: err}
	}
	if found := describe(&st, false, true); found != "" {
		unix.Close(fd)
		return nil, &UnsafeError{Path: d.Join(name), Found: found}
	}
	return os.NewFile(uintptr(fd), d.Join(name)), nil
}

// ReadFile reads the file name in d, which must be a regular file, not
// through a link.
func (d *Dir) ReadFile(name string) ([]byte, error) {
	f, err := d.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, reading(err)
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Names returns the names in d.
func (d *Dir) Names() ([]string, error) {
	fd, err := openat(d.fd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: d.path, Err: err}
	}
	f := os.NewFile(uintptr(fd), d.path)
	defer f.Close()
	return f.Readdirnames(-1)
}

// Rename renames old in d to new in to, without following links. A
// directory is not renamed over a non-empty directory nor over a file.
func (d *Dir) Rename(old string, to *Dir, new string) error {
	if err := checkName(d.path, old); err != nil {
		return err
	}
	if err := checkName(to.path, new); err != nil {
		return err
	}
	if err := unix.Renameat(d.fd, old, to.fd, new); err != nil {
		return &os.LinkError{Op: "rename", Old: d.Join(old), New: to.Join(new), Err: err}
	}
	return nil
}

// Remove removes the file (or link, or empty directory) name from d. A
// missing name is an error wrapping fs.ErrNotExist.
func (d *Dir) Remove(name string) error {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	err := unix.Unlinkat(d.fd, name, 0)
	if errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EPERM) {
		err = unix.Unlinkat(d.fd, name, unix.AT_REMOVEDIR)
	}
	if err != nil {
		return &fs.PathError{Op: "remove", Path: d.Join(name), Err: err}
	}
	return nil
}

// RemoveAll removes name from d and, when it is a directory, everything
// in it, never following a link. A missing name is no error.
func (d *Dir) RemoveAll(name string) error {
	if err := checkName(d.path, name); err != nil {
		return err
	}
	err := unix.Unlinkat(d.fd, name, 0)
	if err == nil || errors.Is(err, unix.ENOENT) {
		return nil
	}
	if !errors.Is(err, unix.EISDIR) && !errors.Is(err, unix.EPERM) {
		return &fs.PathError{Op: "remove", Path: d.Join(name), Err: err}
	}
	sub, err := d.OpenDir(name, false)
	if err != nil {
		return err
	}
	defer sub.Close()
	names, err := sub.Names()
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := sub.RemoveAll(n); err != nil {
			return err
		}
	}
	if err := unix.Unlinkat(d.fd, name, unix.AT_REMOVEDIR); err != nil && !errors.Is(err, unix.ENOENT) {
		return &fs.PathError{Op: "remove", Path: d.Join(name), Err: err}
	}
	return nil
}

// existing is the error for name, which exists where it must not.
func (d *Dir) existing(name string) error {
	var st unix.Stat_t
	if unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
		if found := describeLink(&st); found != "" {
			return &UnsafeError{Path: d.Join(name), Found: found}
		}
	}
	return existErr(d.Join(name))
}

// explain is the error of an open of name that failed with err: what is
// there, when that is the reason.
func (d *Dir) explain(op, name string, err error, dir bool) error {
	if !errors.Is(err, unix.ENOENT) {
		var st unix.Stat_t
		if unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
			if found := describe(&st, dir, false); found != "" {
				return &UnsafeError{Path: d.Join(name), Found: found}
			}
		}
	}
	return &fs.PathError{Op: op, Path: d.Join(name), Err: err}
}

// describeLink says what is wrong with st for any name iotcert makes: a
// link, or another user's. "" when nothing.
func describeLink(st *unix.Stat_t) string {
	if uint32(st.Mode)&unix.S_IFMT == unix.S_IFLNK {
		return "is a symlink"
	}
	if uid := int(st.Uid); uid != os.Geteuid() {
		return fmt.Sprintf("is owned by uid %d", uid)
	}
	return ""
}

// describe says what is wrong with st for a directory (dir) or a regular
// file (with one link when single); "" when nothing.
func describe(st *unix.Stat_t, dir, single bool) string {
	if found := describeLink(st); found != "" {
		return found
	}
	switch typ := uint32(st.Mode) & unix.S_IFMT; {
	case dir && typ != unix.S_IFDIR:
		return "is not a directory"
	case !dir && typ != unix.S_IFREG:
		return "is not a regular file"
	case single && uint64(st.Nlink) > 1:
		return fmt.Sprintf("has %d hard links", uint64(st.Nlink))
	}
	return ""
}

func openat(dirfd int, name string, flag int, perm uint32) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flag, perm)
		if !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
}

func writeAll(fd int, data []byte) error {
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return err
		}
		data = data[n:]
	}
	return nil
}

func fsync(fd int) error {
	for {
		err := unix.Fsync(fd)
		if !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
